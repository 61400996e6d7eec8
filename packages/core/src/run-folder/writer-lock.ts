import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DiffstructError } from '../errors.js';
import { writing } from './write-error.js';

/** Who holds a writer lock: written into the lock file when it is taken. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly started: string;
}

/**
 * Exclusive writer locks on files (one per seed folder): all of them or none. A lock is created
 * complete (written under a temporary name, then hard-linked to its name, which fails if the name
 * exists), so a crash never leaves a half-written one. A lock whose holder ran on this host and is
 * gone (SIGKILL, a crash) is stale and taken over; on another host diffstruct cannot tell, and says
 * how to clear it.
 */
export class WriterLocks {
  private constructor(private readonly files: readonly string[]) {}

  /** Takes every lock in `files` (in this order, so two takers meet at the same first lock), or throws naming the holder. */
  static take(files: readonly string[], what: (file: string) => string): WriterLocks {
    const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    const taken: string[] = [];
    try {
      for (const file of files) {
        const holder = tryLock(file, me);
        if (holder) throw new LockedError(file, what(file), holder);
        taken.push(file);
      }
    } catch (error) {
      new WriterLocks(taken).release();
      throw error;
    }
    return new WriterLocks(taken);
  }

  release(): void {
    for (const file of this.files) rmSync(file, { force: true });
  }
}

/** The live holder of the lock `file`, if any (none when there is no lock or it is stale). */
export function liveHolder(file: string): LockHolder | undefined {
  const holder = readHolder(file);
  return holder && !isStale(holder) ? holder : undefined;
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host}, since ${holder.started}`;
}

class LockedError extends DiffstructError {
  constructor(file: string, what: string, holder: LockHolder) {
    const elsewhere =
      holder.host === hostname()
        ? ''
        : ` If that machine has crashed or its run was killed, delete ${file} and start again (diffstruct cannot tell whether a process on another machine is alive).`;
    super(`${what} is being written by another diffstruct run (${describeHolder(holder)}); wait for it to finish or stop it.${elsewhere}`);
  }
}

/** Takes `file` for `me`; returns the live holder instead when someone else has it. */
function tryLock(file: string, me: LockHolder): LockHolder | undefined {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writing(temporary, () => writeFileSync(temporary, JSON.stringify(me) + '\n'));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writing(file, () => linkSync(temporary, file));
        return undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = liveHolder(file);
      if (holder) return holder;
      breakStale(file);
    }
    return readHolder(file) ?? me;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Removes a stale lock. Two runs breaking the same stale lock within the same instant could still
 * both take it; starting them microseconds apart is the only way there.
 */
function breakStale(file: string): void {
  rmSync(file, { force: true });
}

function readHolder(file: string): LockHolder | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    if (Number.isSafeInteger(holder.pid) && typeof holder.host === 'string') return holder;
  } catch {
    // Unreadable: treated as held by an unknown process, below.
  }
  return { pid: 0, host: 'an unknown host', started: 'an unknown time' };
}

/** Stale: taken on this host by a process that no longer exists. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
