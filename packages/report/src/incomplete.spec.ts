import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES, WriterLocks } from '@diffstruct/core/host';
import { readRunFolders } from './run-data.js';
import { summarize } from './summary.js';
import { incompleteLines } from './summary-lines.js';

const METRICS = 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,2,1\n200,1,4,3,3,1\n';
type SeedState = 'finished' | 'stopped' | 'failed' | 'in flight';

/** A run folder of arms `a` and `b`, 3 seeds each by its config, holding the seed folders `seeds` says. */
function runFolder(seeds: Record<string, Record<number, SeedState>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-incomplete-'));
  writeFileSync(join(dir, RUN_FILES.config), 'name: sweep\nseeds: 3\ncycles: 200\narms:\n  - { name: a, cycles: 200 }\n  - { name: b, cycles: 200 }\n');
  for (const [arm, states] of Object.entries(seeds))
    for (const [seed, state] of Object.entries(states)) {
      const folder = join(dir, arm, `seed-${seed}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, RUN_FILES.metrics), METRICS);
      const result = { arm, seed: Number(seed), cycles: 200, finished: state === 'finished', switches: [], seconds: 1 };
      if (state === 'failed') writeFileSync(join(folder, RUN_FILES.seedResult), JSON.stringify({ ...result, error: 'loss is NaN' }));
      if (state === 'finished') writeFileSync(join(folder, RUN_FILES.seedResult), JSON.stringify(result));
      if (state === 'stopped') writeFileSync(join(folder, RUN_FILES.checkpoint), '{}');
    }
  return dir;
}

describe('report of a run whose jobs have not all finished', () => {
  it('names each (arm, seed) job in flight, stopped, failed or not started, in job order', () => {
    const dir = runFolder({ a: { 0: 'finished', 1: 'in flight', 2: 'stopped' }, b: { 1: 'failed' } });
    // A run locks every seed folder of its jobs at its start: b/2 waits its turn in the same run.
    mkdirSync(join(dir, 'b', 'seed-2'));
    const lock = WriterLocks.take([join(dir, 'a', 'seed-1', RUN_FILES.writerLock), join(dir, 'b', 'seed-2', RUN_FILES.writerLock)], (file) => file);
    try {
      const run = readRunFolders([dir]);
      expect(run.jobs).to.equal(6);
      expect(run.unfinished.map((j) => `${j.arm}/${j.seed} ${j.state}`)).to.deep.equal([
        'a/1 in flight',
        'a/2 stopped',
        'b/0 not started',
        'b/1 failed',
        'b/2 in flight',
      ]);
      const lines = incompleteLines(summarize(run));
      expect(lines[0]).to.equal('incomplete: 1 of 6 (arm, seed) jobs finished; the numbers above cover what was written so far');
      const under = (heading: string, n: number) => lines[lines.findIndex((l) => l.startsWith(`  ${heading}`)) + n];
      expect(under('in flight', 1)).to.contain(`    a seed 1: by a process (pid ${process.pid}`);
      expect(under('in flight', 2)).to.contain(`    b seed 2: queued by a process (pid ${process.pid}`);
      expect(lines.find((l) => l.includes('stopped'))).to.match(/run --resume DIR.*: a seed 2$/);
      expect(under('failed', 1)).to.equal('    b seed 1: loss is NaN');
      expect(lines.find((l) => l.includes('not started'))).to.match(/: b seed 0$/);
    } finally {
      lock.release();
    }
    // Its writer gone, the seed is stopped (a crash without a checkpoint leaves it to be started again by --resume); b/2 never started.
    const after = readRunFolders([dir]).unfinished;
    expect(after[0]).to.include({ arm: 'a', seed: 1, state: 'stopped' });
    expect(after.at(-1)).to.deep.equal({ arm: 'b', seed: 2, state: 'not started' });
  });

  it('counts the jobs of shards written into folders of their own, and says nothing when every job finished', () => {
    const first = runFolder({ a: { 0: 'finished', 2: 'finished' }, b: { 1: 'finished' } });
    const second = runFolder({ a: { 1: 'finished' }, b: { 0: 'finished' } });
    const partial = summarize(readRunFolders([first, second]));
    expect(partial.incomplete?.unfinished).to.deep.equal([{ arm: 'b', seed: 2, state: 'not started' }]);
    const third = runFolder({ b: { 2: 'finished' } });
    const whole = summarize(readRunFolders([first, second, third]));
    expect(whole.incomplete).to.equal(undefined);
    expect(incompleteLines(whole)).to.deep.equal([]);
  });
});
