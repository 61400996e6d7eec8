import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES, type SeedResult, seedFolder } from '@diffstruct/core/host';
import { keptCheckpoints } from './write-failure.js';

const result = (arm: string, seed: number, finished: boolean): SeedResult => ({
  arm,
  seed,
  cycles: finished ? 6000 : 2500,
  finished,
  switches: [],
  seconds: 1,
});

describe('keptCheckpoints: what a run stopped for room keeps', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'diffstruct-kept-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  /** A checkpoint file in the seed's folder (its contents do not matter here: only whether it exists). */
  function checkpointed(explicitArms: boolean, arm: string, seed: number): void {
    const folder = seedFolder(out, { explicitArms }, arm, seed);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, RUN_FILES.checkpoint), '{}');
  }

  it('says every unfinished seed keeps its checkpoint when each has one (a finished seed needs none)', () => {
    checkpointed(false, 'hard', 1);
    const results = [result('hard', 0, true), result('hard', 1, false)];
    expect(keptCheckpoints({ explicitArms: false }, out, results, '1 finished, 1 stopped')).to.equal(
      '1 finished, 1 stopped; every unfinished seed keeps its last checkpoint',
    );
  });

  it('names each unfinished seed without a checkpoint as restarting from cycle 0', () => {
    checkpointed(false, 'hard', 1);
    const results = [result('hard', 0, false), result('hard', 1, false), result('hard', 2, false)];
    expect(keptCheckpoints({ explicitArms: false }, out, results, '3 stopped')).to.equal(
      '3 stopped; seed 0, seed 2 had no checkpoint yet and will restart from cycle 0, every other unfinished seed keeps its last checkpoint',
    );
  });

  it('looks in each arm’s folder and names the arm when the config declares arms', () => {
    checkpointed(true, 'fixed-27', 0);
    const results = [result('grown', 0, false), result('fixed-27', 0, false)];
    expect(keptCheckpoints({ explicitArms: true }, out, results, '2 stopped')).to.equal(
      '2 stopped; grown seed 0 had no checkpoint yet and will restart from cycle 0, every other unfinished seed keeps its last checkpoint',
    );
  });
});
