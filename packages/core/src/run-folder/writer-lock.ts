import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { DiffstructError } from '../errors.js';
import { fsyncFolder, linkUnlessExists, temporaryName, writeAllSynced } from './atomic-write.js';
import { processStart } from './process-start.js';
import { writing } from './write-error.js';

/** Who holds a writer lock: written into the lock file when it is taken. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly started: string;
  /** Random, one per taking: tells this holder's lock from any other, also from one of a reused pid. */
  readonly token: string;
  /** Where the OS tells it (Linux): when the holder process started (see `processStart`), so a reused pid is not taken for the holder. */
  readonly processStart?: string;
}

/** A lock file as read: its holder (none when the file is empty or not a lock), which file it is, and its age. */
interface LockFile {
  readonly holder: LockHolder | undefined;
  readonly text: string;
  readonly inode: number;
  readonly ageMs: number;
}

/**
 * A lock is created complete (written and fsynced under a temporary name, then hard-linked to its
 * name), so only a power cut before that fsync on an older version, or a hand edit, leaves an
 * unreadable one. Nobody writes a lock in place, so one unreadable for this long is left over.
 */
const UNREADABLE_STALE_MS = 10_000;
/** How long taking one lock may wait for others breaking a stale lock before it gives up. */
const TAKE_TIMEOUT_MS = 10_000;

/** The tokens of the locks this process holds: a lock naming this pid with another token was left by an earlier process of that pid. */
const heldHere = new Set<string>();

/**
 * Exclusive writer locks on files (one per seed folder): all of them or none. A lock whose holder
 * on this host is gone (SIGKILL, a crash, also when its pid now belongs to another process) is stale
 * and taken over; on another host diffstruct cannot tell, and says how to clear it.
 */
export class WriterLocks {
  private constructor(
    private readonly files: readonly string[],
    private readonly token: string,
  ) {}

  /** Takes every lock in `files` (in this order, so two takers meet at the same first lock), or throws naming the holder. */
  static take(files: readonly string[], what: (file: string) => string): WriterLocks {
    const me: LockHolder = {
      pid: process.pid,
      host: hostname(),
      started: new Date().toISOString(),
      token: randomBytes(16).toString('hex'),
      ...optional(processStart(process.pid)),
    };
    heldHere.add(me.token);
    const taken: string[] = [];
    try {
      for (const file of files) {
        const live = tryLock(file, me);
        if (live) throw new LockedError(file, what(file), live.holder);
        taken.push(file);
      }
    } catch (error) {
      new WriterLocks(taken, me.token).release();
      throw error;
    }
    return new WriterLocks(taken, me.token);
  }

  /** Deletes each lock that is still ours; a lock another process holds now is never touched. */
  release(): void {
    for (const file of this.files) if (readLock(file)?.holder?.token === this.token) rmSync(file, { force: true });
    heldHere.delete(this.token);
  }
}

const optional = (start: string | undefined) => (start === undefined ? {} : { processStart: start });

/** The live holder of the lock `file`, if any (none when there is no lock or it is stale); an unreadable recent lock has an unknown holder. */
export function liveHolder(file: string): LockHolder | 'unknown' | undefined {
  const lock = readLock(file);
  return lock && !isStale(lock) ? (lock.holder ?? 'unknown') : undefined;
}

export function describeHolder(holder: LockHolder | 'unknown' | undefined): string {
  if (holder === 'unknown' || holder === undefined) return 'an unknown process (the lock file is empty or unreadable)';
  return `a process (pid ${holder.pid} on ${holder.host}, holding it since ${holder.started})`;
}

class LockedError extends DiffstructError {
  constructor(file: string, what: string, holder: LockHolder | undefined) {
    const elsewhere = holder && holder.host !== hostname() ? ' (diffstruct cannot tell whether a process on another machine is alive)' : '';
    super(
      `${what} is being written by ${describeHolder(holder)}. If it is a diffstruct run, wait for it to finish or stop it; ` +
        `if no run is writing there${elsewhere}, delete ${file} and start again.`,
    );
  }
}

/** Takes `file` for `me`; returns the live lock instead when someone else holds it. */
function tryLock(file: string, me: LockHolder): LockFile | undefined {
  const temporary = temporaryName(file);
  try {
    // Named after the lock, not its temporary: the user must know which folder could not be written.
    writing(file, () => writeAllSynced(temporary, Buffer.from(JSON.stringify(me) + '\n')));
    const deadline = Date.now() + TAKE_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (writing(file, () => linkUnlessExists(temporary, file))) {
        // Read back: the lock must be ours, or a breaker removed it (which it never does to a live lock).
        if (readLock(file)?.holder?.token === me.token) {
          writing(file, () => fsyncFolder(dirname(file)));
          return undefined;
        }
        continue;
      }
      const lock = readLock(file);
      if (!lock) continue;
      if (!isStale(lock)) return lock;
      breakStale(file, lock, me);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  throw new DiffstructError(`${file}: could not take the lock within ${TAKE_TIMEOUT_MS / 1000} s: other processes kept taking or breaking it; try again`);
}

/**
 * Removes the stale lock `judged`, and nothing else. Deleting by name could delete a lock another
 * process took after the judgement; so breakers take turns through a guard file, and under it the
 * lock is moved aside and deleted only if it is still the one judged stale (else it is put back).
 * No lock can appear at the name under the guard but through a breaker, so the check holds.
 */
function breakStale(file: string, judged: LockFile, me: LockHolder): void {
  const guard = `${file}${BREAKING}`;
  const temporary = temporaryName(guard);
  try {
    writing(file, () => writeAllSynced(temporary, Buffer.from(JSON.stringify(me) + '\n')));
    if (!writing(file, () => linkUnlessExists(temporary, guard))) {
      const other = readLock(guard);
      if (other && isStale(other)) moveAsideIfSame(guard, other);
      else pause(5);
      return;
    }
    try {
      if (sameLock(readLock(file), judged)) moveAsideIfSame(file, judged);
    } finally {
      rmSync(guard, { force: true });
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The guard file beside a lock while a stale lock is being broken: `writer.lock.breaking`. */
export const BREAKING = '.breaking';

/** Moves `file` aside; deletes it when it is `expected`, else puts it back (if its name is still free). */
function moveAsideIfSame(file: string, expected: LockFile): void {
  const aside = temporaryName(file);
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (!sameLock(readLock(aside), expected)) linkUnlessExists(aside, file);
  rmSync(aside, { force: true });
}

const sameLock = (a: LockFile | undefined, b: LockFile) => a !== undefined && a.inode === b.inode && a.text === b.text;

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Far more than the holder's JSON needs. */
const MAX_LOCK_BYTES = 64 * 1024;

function readLock(file: string): LockFile | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    // A lock is a line of JSON: anything else (a device, a huge file) is read as an unreadable lock, never read whole.
    const text = stat.isFile() && stat.size <= MAX_LOCK_BYTES ? readFileSync(fd, 'utf8') : '';
    return { holder: parseHolder(text), text, inode: stat.ino, ageMs: Date.now() - stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(text) as LockHolder;
    if (Number.isSafeInteger(holder.pid) && typeof holder.host === 'string') return holder;
  } catch {
    // Unreadable: see UNREADABLE_STALE_MS.
  }
  return undefined;
}

/**
 * Stale: unreadable for a while, or taken on this host by a process that is gone: its pid no
 * longer exists, belongs to a process started at another time (a reused pid, e.g. pid 1 again
 * after a container restart), or is this process, which does not hold it.
 */
function isStale(lock: LockFile): boolean {
  const holder = lock.holder;
  if (!holder) return lock.ageMs > UNREADABLE_STALE_MS;
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  if (holder.pid <= 0 || !pidExists(holder.pid)) return true;
  const start = processStart(holder.pid);
  return holder.processStart !== undefined && start !== undefined && start !== holder.processStart;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
