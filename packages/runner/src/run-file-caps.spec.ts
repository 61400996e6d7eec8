import { expect } from 'chai';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFolder } from '@diffstruct/core/host';
import { readCheckpoint } from './checkpoint-file.js';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

const CONFIG = config(['name: capped', 'seeds: 1', 'cycles: 200', 'log: { every: 100 }', 'task: hard'].join('\n'));

/** A run folder whose seed's `name` is endless (/dev/zero): what a replaced run file may be. */
function endless(name: string): { out: string; file: string } {
  const out = mkdtempSync(join(tmpdir(), 'diffstruct-caps-'));
  const folder = seedFolder(out, CONFIG, 'capped', 0);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  symlinkSync('/dev/zero', file);
  return { out, file };
}

describe('resume reads run files with a byte cap', function () {
  this.timeout(60000);

  it('refuses an endless checkpoint.json, naming it and the cap, instead of reading until memory runs out', () => {
    const { file } = endless('checkpoint.json');
    const identity = { experiment: 'capped', arm: 'capped', seed: 0, configHash: 'x' };
    expect(() => readCheckpoint(file, identity)).to.throw(`${file}: file over 500 MiB; a run's checkpoint.json is at most 500 MiB; refusing to resume`);
  });

  it('refuses (exit 2) a resume whose result.json is endless, naming it, before any seed runs', async () => {
    const { out, file } = endless('result.json');
    let failure: Error | undefined;
    await runExperiment(CONFIG, { out, workers: 1, resolveFrom: out, resume: true }).catch((error: Error) => (failure = error));
    expect(failure?.message).to.equal(`${file}: file over 64 MiB; a run's result.json is at most 64 MiB`);
    expect(failure?.name).to.equal('FileReadError');
  });
});
