import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffstructError } from '../errors.js';
import { liveHolder, WriterLocks } from './writer-lock.js';

describe('WriterLocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-lock-'));
  const what = (file: string) => `the seed of ${file}`;

  it('one holder at a time, all locks or none, released when done', () => {
    const [a, b] = [join(dir, 'a.lock'), join(dir, 'b.lock')];
    const held = WriterLocks.take([b], what);
    expect(liveHolder(b)).to.include({ pid: process.pid, host: hostname() });
    expect(() => WriterLocks.take([a, b], what)).to.throw(
      DiffstructError,
      `the seed of ${b} is being written by another diffstruct run (process ${process.pid} on ${hostname()}`,
    );
    expect(existsSync(a), 'a lock taken before the refused one is let go').to.equal(false);
    held.release();
    WriterLocks.take([a, b], what).release();
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('takes over a lock whose holder on this host is gone (a crashed or killed run)', () => {
    const lock = join(dir, 'stale.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
    expect(liveHolder(lock)).to.equal(undefined);
    WriterLocks.take([lock], what).release();
  });

  it('refuses a lock held on another machine, saying how to clear it if that machine is gone', () => {
    const lock = join(dir, 'elsewhere.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-machine', started: '2026-01-01T00:00:00.000Z' }));
    expect(() => WriterLocks.take([lock], what))
      .to.throw(DiffstructError)
      .with.property('message')
      .that.contains('process 1 on another-machine')
      .and.contains(`delete ${lock} and start again`);
  });
});
