import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedFolder } from '@diffstruct/core/host';
import { runExperiment } from './experiment-runner.js';
import { config } from './test-support.js';

// sha256 of metrics.csv followed by events.jsonl for each arm, as the code before char-rnn's
// `batch` option wrote them (commit 969a634): one window a cycle must stay that algorithm, bit for
// bit. simd-f32's since its tanh went into float32 arithmetic (commit 1bfe535), which rounds differently.
const BEFORE_BATCH: Record<string, string> = {
  'simd-f64': '36986858b7e008c64326bcd2a7e061bf7753b64983ab538da83631eee8e1ae2d',
  'simd-f32': '00f173e4aa64d479f82e8293b18241d7b7919cb4015872c7afe7fec6e4cae60d',
  reference: '360e716ae4078e3cd498da3b102e6621a3dba1802561083c27526b35c738064a',
};
const MODELS: Record<string, string> = {
  'simd-f64': 'kernel: simd-f64',
  'simd-f32': 'kernel: simd-f32, hidden: 5',
  reference: 'kernel: reference, multiplierOnRecurrent: true',
};

describe('char-rnn with one window a cycle (batch absent or 1) and additive links (links absent or additive)', () => {
  it('writes the very bytes the code before the batch and links options wrote, with every kernel, through growth and a task switch', async function () {
    this.timeout(60000);
    const arms = Object.entries(MODELS).flatMap(([name, model]) => [
      `  - { name: ${name}, model: { type: char-rnn, ${model} } }`,
      `  - { name: ${name}-batch-1, model: { type: char-rnn, ${model}, batch: 1 } }`,
      `  - { name: ${name}-additive, model: { type: char-rnn, ${model}, links: additive } }`,
    ]);
    const golden = config(
      [
        'name: golden',
        'seeds: 1',
        'cycles: 3000',
        'log: { every: 100 }',
        'task: { type: schedule, phases: [ { task: easy, until: 1000 }, { task: hard } ] }',
        'arms:',
        ...arms,
      ].join('\n'),
    );
    const out = join(mkdtempSync(join(tmpdir(), 'diffstruct-batch-')), 'golden');
    await runExperiment(golden, { out, workers: 1, resolveFrom: out });
    const hashOf = (arm: string) => {
      const folder = seedFolder(out, golden, arm, 0);
      return createHash('sha256')
        .update(readFileSync(join(folder, 'metrics.csv')))
        .update(readFileSync(join(folder, 'events.jsonl')))
        .digest('hex');
    };
    for (const [name, hash] of Object.entries(BEFORE_BATCH)) {
      expect(hashOf(name), name).to.equal(hash);
      expect(hashOf(`${name}-batch-1`), `${name}, batch: 1`).to.equal(hash);
      expect(hashOf(`${name}-additive`), `${name}, links: additive`).to.equal(hash);
    }
  });
});

describe('char-rnn options without a default written', () => {
  it('leaves links and batch out of a resolved config that does not mention them, so its settings hash is the one it had before they existed', () => {
    const [arm] = config(['name: plain', 'task: hard'].join('\n')).arms;
    expect(arm.model).to.include({ type: 'char-rnn', kernel: 'simd-f64' });
    expect(arm.model).to.not.have.any.keys('links', 'batch');
  });
});
