import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES, WriterLocks } from '@diffstruct/core/host';
import { readRunFolders } from './run-data.js';
import { summarize } from './summary.js';
import { incompleteLines } from './summary-lines.js';

const METRICS = 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,2,1\n200,1,4,3,3,1\n';
/** What a seed folder holds: a finished seed; rows and a checkpoint; rows only; a failed seed; nothing (locked, never begun). */
type SeedState = 'finished' | 'checkpoint' | 'rows only' | 'failed' | 'empty';

/** A run folder of arms `a` and `b` (`seeds` each by its config, 3 unless given), holding the seed folders `seeds` says. */
function runFolder(seeds: Record<string, Record<number, SeedState>>, configSeeds = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-incomplete-'));
  const seedsLine = configSeeds ? `seeds: ${configSeeds}\n` : '';
  writeFileSync(join(dir, RUN_FILES.config), `name: sweep\n${seedsLine}cycles: 200\narms:\n  - { name: a, cycles: 200 }\n  - { name: b, cycles: 200 }\n`);
  for (const [arm, states] of Object.entries(seeds))
    for (const [seed, state] of Object.entries(states)) {
      const folder = join(dir, arm, `seed-${seed}`);
      mkdirSync(folder, { recursive: true });
      if (state === 'empty') continue;
      writeFileSync(join(folder, RUN_FILES.metrics), METRICS);
      const result = { arm, seed: Number(seed), cycles: 200, finished: state === 'finished', switches: [], seconds: 1 };
      if (state === 'failed') writeFileSync(join(folder, RUN_FILES.seedResult), JSON.stringify({ ...result, error: 'loss is NaN' }));
      if (state === 'finished') writeFileSync(join(folder, RUN_FILES.seedResult), JSON.stringify(result));
      if (state === 'checkpoint') writeFileSync(join(folder, RUN_FILES.checkpoint), '{}');
    }
  return dir;
}

const listed = (dir: string) => readRunFolders([dir]).unfinished.map((j) => `${j.arm}/${j.seed} ${j.state}`);

describe('report of a run whose jobs have not all finished', () => {
  it('names each (arm, seed) job in flight, stopped, interrupted or not started, in job order; a failed seed is no unfinished job', () => {
    const dir = runFolder({ a: { 0: 'finished', 1: 'rows only', 2: 'checkpoint' }, b: { 1: 'failed', 2: 'empty' } });
    // A run locks every seed folder of its jobs at its start: b/2 waits its turn in the run writing a/1.
    const lock = WriterLocks.take([join(dir, 'a', 'seed-1', RUN_FILES.writerLock), join(dir, 'b', 'seed-2', RUN_FILES.writerLock)], (file) => file);
    try {
      const run = readRunFolders([dir]);
      expect(run.jobs).to.equal(6);
      expect(listed(dir)).to.deep.equal(['a/1 in flight', 'a/2 stopped', 'b/0 not started', 'b/2 in flight']);
      const lines = incompleteLines(summarize(run));
      expect(lines[0]).to.equal('incomplete: 1 of 6 (arm, seed) jobs finished; the numbers above cover what was written so far');
      const under = (heading: string, n: number) => lines[lines.findIndex((l) => l.startsWith(`  ${heading}`)) + n];
      expect(under('in flight', 1)).to.contain(`    a seed 1: by a process (pid ${process.pid}`);
      expect(under('in flight', 2)).to.contain(`    b seed 2: queued by a process (pid ${process.pid}`);
      expect(lines.find((l) => l.includes('with a checkpoint'))).to.match(/run --resume DIR.*continues them\): a seed 2$/);
      expect(lines.find((l) => l.includes('not started'))).to.match(/: b seed 0$/);
      expect(lines.join('\n')).not.to.contain('b seed 1');
    } finally {
      lock.release();
    }
    // Their run gone, a/1 (rows, no checkpoint) and b/2 (locked, never begun) are interrupted: --resume starts them again.
    expect(listed(dir)).to.deep.equal(['a/1 interrupted', 'a/2 stopped', 'b/0 not started', 'b/2 interrupted']);
    expect(incompleteLines(summarize(readRunFolders([dir])))).to.include(
      '  stopped before a checkpoint (`diffstruct run --resume DIR`, with the same `--shard`, starts them again): a seed 1; b seed 2',
    );
  });

  it('counts the jobs of shards written into folders of their own, and says nothing when every job finished or failed', () => {
    const first = runFolder({ a: { 0: 'finished', 2: 'finished' }, b: { 1: 'failed' } });
    const second = runFolder({ a: { 1: 'finished' }, b: { 0: 'finished' } });
    const partial = summarize(readRunFolders([first, second]));
    expect(partial.incomplete).to.deep.equal({ jobs: 6, finished: 4, unfinished: [{ arm: 'b', seed: 2, state: 'not started' }] });
    const third = runFolder({ b: { 2: 'finished' } });
    const whole = summarize(readRunFolders([first, second, third]));
    expect(whole.incomplete).to.equal(undefined);
    expect(incompleteLines(whole)).to.deep.equal([]);
  });

  it('counts the seeds found when config.yaml gives no seeds', () => {
    const run = readRunFolders([runFolder({ a: { 0: 'finished', 1: 'checkpoint' } }, 0)]);
    expect(incompleteLines(summarize(run))[0]).to.match(/^incomplete: 1 of 2 \(arm, seed\) jobs finished/);
  });
});
