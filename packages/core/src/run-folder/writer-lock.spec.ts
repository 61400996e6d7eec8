import { expect } from 'chai';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffstructError } from '../errors.js';
import { processStart } from './process-start.js';
import { liveHolder, WriterLocks } from './writer-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-lock-'));
const what = (file: string) => `the seed of ${file}`;
const holder = (fields: object) => JSON.stringify({ host: hostname(), started: '2026-01-01T00:00:00.000Z', token: 'feed', ...fields }) + '\n';

/** A pid that existed a moment ago and no longer does: its lock is one a SIGKILLed run left. */
function gonePid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('WriterLocks', () => {
  it('one holder at a time, all locks or none, released when done', () => {
    const [a, b] = [join(dir, 'a.lock'), join(dir, 'b.lock')];
    const held = WriterLocks.take([b], what);
    expect(liveHolder(b)).to.include({ pid: process.pid, host: hostname() });
    expect(() => WriterLocks.take([a, b], what)).to.throw(
      DiffstructError,
      `the seed of ${b} is being written by a process (pid ${process.pid} on ${hostname()}, holding it since`,
    );
    expect(existsSync(a), 'a lock taken before the refused one is let go').to.equal(false);
    held.release();
    WriterLocks.take([a, b], what).release();
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('takes over a lock whose holder on this host is gone (a crashed or killed run)', () => {
    const lock = join(dir, 'stale.lock');
    writeFileSync(lock, holder({ pid: gonePid() }));
    expect(liveHolder(lock)).to.equal(undefined);
    WriterLocks.take([lock], what).release();
  });

  it('takes over a lock whose pid now belongs to another process: this one (pid 1 again after a container restart) or one started later', () => {
    const mine = join(dir, 'reused-by-me.lock');
    writeFileSync(mine, holder({ pid: process.pid }));
    WriterLocks.take([mine], what).release();
    const start = processStart(process.pid);
    if (start === undefined) return; // No /proc: pid liveness is all there is.
    const other = spawn('sleep', ['30']);
    try {
      const lock = join(dir, 'reused.lock');
      writeFileSync(lock, holder({ pid: other.pid, processStart: `${start.split(':')[0]}:1` }));
      WriterLocks.take([lock], what).release();
      // The same pid with its real start time: the holder itself, alive; the message blames no diffstruct run and says how to clear it.
      writeFileSync(lock, holder({ pid: other.pid, processStart: processStart(other.pid!) }));
      expect(() => WriterLocks.take([lock], what))
        .to.throw(DiffstructError)
        .with.property('message')
        .that.contains(`by a process (pid ${other.pid} on ${hostname()}`)
        .and.contains(`if no run is writing there, delete ${lock} and start again`)
        .and.not.contains('another diffstruct run');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses a lock held on another machine, saying how to clear it if that machine is gone', () => {
    const lock = join(dir, 'elsewhere.lock');
    writeFileSync(lock, holder({ pid: 1, host: 'another-machine' }));
    expect(() => WriterLocks.take([lock], what))
      .to.throw(DiffstructError)
      .with.property('message')
      .that.contains('a process (pid 1 on another-machine')
      .and.contains(`delete ${lock} and start again`);
  });

  it('an empty lock (a power cut) is refused with how to clear it while recent, and taken over once old', () => {
    const lock = join(dir, 'empty.lock');
    writeFileSync(lock, '');
    expect(() => WriterLocks.take([lock], what))
      .to.throw(DiffstructError)
      .with.property('message')
      .that.contains('an unknown process (the lock file is empty or unreadable)')
      .and.contains(`delete ${lock} and start again`);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    WriterLocks.take([lock], what).release();
  });

  it('release deletes only a lock that is still its own', () => {
    const lock = join(dir, 'replaced.lock');
    const held = WriterLocks.take([lock], what);
    writeFileSync(lock, holder({ pid: 1, host: 'another-machine' }));
    held.release();
    expect(readFileSync(lock, 'utf8')).to.contain('another-machine');
  });

  it('several processes racing for one stale lock: never more than one holder', async function () {
    this.timeout(60000);
    const TAKERS = 4;
    const TRIALS = 15;
    const race = mkdtempSync(join(tmpdir(), 'diffstruct-lock-race-'));
    // Each taker waits for go-<t>, tries lock-<t> and reports; it keeps what it took until the end, so a second holder is a real one.
    const taker = `
      import { existsSync, renameSync, writeFileSync } from 'node:fs';
      const { WriterLocks } = await import(${JSON.stringify(new URL('./writer-lock.js', import.meta.url).href)});
      const [race, index, trials] = process.argv.slice(1);
      const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      for (let t = 0; t < Number(trials); t++) {
        while (!existsSync(race + '/go-' + t)) pause();
        let took = 'took';
        try { WriterLocks.take([race + '/lock-' + t], (f) => f); } catch (e) { took = e.constructor.name === 'LockedError' ? 'refused' : 'error: ' + e.message; }
        // Renamed into place: the parent, polling for the name, must never read it half written (empty).
        writeFileSync(race + '/partial-' + t + '-' + index, took);
        renameSync(race + '/partial-' + t + '-' + index, race + '/result-' + t + '-' + index);
      }
      setInterval(() => {}, 60000);`;
    const takers: ChildProcess[] = Array.from({ length: TAKERS }, (_, i) =>
      spawn(process.execPath, ['--input-type=module', '-e', taker, race, String(i), String(TRIALS)], { stdio: 'inherit' }),
    );
    try {
      const dead = gonePid();
      for (let t = 0; t < TRIALS; t++) {
        writeFileSync(join(race, `lock-${t}`), holder({ pid: dead }));
        writeFileSync(join(race, `go-${t}`), '');
        const results = join(race, `result-${t}-`);
        while (Array.from({ length: TAKERS }, (_, i) => existsSync(results + i)).includes(false)) await new Promise((r) => setTimeout(r, 5));
        const outcomes = Array.from({ length: TAKERS }, (_, i) => readFileSync(results + i, 'utf8')).sort();
        expect(outcomes, `trial ${t}`).to.deep.equal(['refused', 'refused', 'refused', 'took']);
      }
    } finally {
      // A taker waits for the next trial in a loop of its own: it is stopped, not asked.
      for (const child of takers) child.kill('SIGKILL');
    }
  });
});
