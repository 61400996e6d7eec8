// load_export.py (shown in docs/using-a-trained-network.md) computes an exported network's loss as the model does.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RandomStream } from '@diffstruct/core';
import { loadExperiment } from '@diffstruct/core/host';
import { createContainer, exportNetwork, openTrainedSeed, runExperiment } from '@diffstruct/runner';

const SCRIPT = fileURLToPath(new URL('./load_export.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'diffstruct-load-export-'));

async function tinyRun(name, lines) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [...lines, ''].join('\n'));
  const out = join(dir, name);
  const { config, plugins, taskData, dataFiles } = await loadExperiment(file, createContainer());
  await runExperiment(config, { out, workers: 1, resolveFrom: file, plugins, taskData, dataFiles });
  return out;
}

const LINK_SHARES = fileURLToPath(new URL('./link_shares.py', import.meta.url));

function runPython(script, ...args) {
  const result = spawnSync('python3', [script, ...args], { encoding: 'utf8' });
  expect(result.status, result.stderr).to.equal(0);
  return result.stdout;
}

/** The script's loss for `network` on `example` (the network stays written as `<name>.json`). */
function scriptLoss(name, network, example) {
  const net = join(dir, `${name}.json`);
  const input = join(dir, `${name}-example.json`);
  writeFileSync(net, JSON.stringify(network));
  writeFileSync(input, JSON.stringify(example));
  return JSON.parse(runPython(SCRIPT, net, input)).loss;
}

const relative = (a, b) => Math.abs(a - b) / Math.abs(b);

describe('tools/load_export.py', function () {
  this.timeout(120000);
  before(function () {
    const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log('    (skipped: python3 with numpy is needed to run tools/load_export.py)');
      this.skip();
    }
  });

  it('reproduces a char-rnn’s loss on a window of symbols (float64: 1e-9 relative), with and without the multiplier on the recurrent path, with each kind of links', async () => {
    const run = await tinyRun('rnn', [
      'name: rnn',
      'seeds: 1',
      'cycles: 300',
      'task: hard',
      'arms:',
      '  - { name: plain, model: { hidden: 5 } }',
      '  - { name: recurrent, model: { hidden: 4, multiplierOnRecurrent: true, unroll: 25 } }',
      '  - { name: modulatory, model: { hidden: 4, links: modulatory, kernel: reference } }',
      '  - { name: learned, model: { hidden: 5, links: learned, kernel: reference, multiplierOnRecurrent: true } }',
    ]);
    for (const arm of ['plain', 'recurrent', 'modulatory', 'learned']) {
      const trained = await openTrainedSeed(run, { arm });
      const { model } = trained.setup;
      const random = new RandomStream(9, 'symbols');
      const symbols = Int32Array.from({ length: model.exampleRequest.length }, () => random.int(4));
      model.resetState();
      const expected = model.evaluateLoss({ symbols });
      expect(relative(scriptLoss(arm, exportNetwork(trained), { symbols: [...symbols] }), expected), arm).to.be.below(1e-9);
      // link_shares.py reads the shares the model computes (float64: 1e-12).
      const shares = model.additiveShares();
      const m = model.hiddenLayer.m.value.toArray();
      const weighted = shares.reduce((sum, a, i) => sum + a * Math.abs(m[i]), 0) / m.reduce((sum, x) => sum + Math.abs(x), 0);
      const printed = JSON.parse(runPython(LINK_SHARES, join(dir, `${arm}.json`)));
      expect(printed.units, arm).to.equal(shares.length);
      expect(printed.meanShare, arm).to.be.closeTo(shares.reduce((sum, a) => sum + a, 0) / shares.length, 1e-12);
      expect(printed.weightedShare, arm).to.be.closeTo(weighted, 1e-12);
      if (arm === 'learned') expect(printed.meanShare).to.be.within(0.01, 0.99).and.not.equal(0.5);
    }
    // --summary: median and quartiles over the files (as over seeds): a modulatory network (share 0), an additive one twice (1).
    const files = ['modulatory', 'plain', 'plain'].map((arm) => join(dir, `${arm}.json`));
    const summary = JSON.parse(runPython(LINK_SHARES, '--summary', ...files));
    expect(summary.files).to.equal(3);
    expect(summary.meanShare).to.deep.equal({ median: 1, q25: 0.5, q75: 1 });
  });

  it('reproduces a feedforward network’s mean loss over rows, for classes and for values', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(2 * i), i % 4, (i * i) % 7]);
    writeFileSync(join(dir, 'rows.csv'), ['a,b,c,d', ...rows.map((r) => r.join(','))].join('\n'));
    const run = await tinyRun('table', [
      'name: table',
      'seeds: 1',
      'cycles: 200',
      'arms:',
      '  - { name: classes, task: { type: csv, file: rows.csv }, model: { type: feedforward, hidden: [5, 3], activation: relu } }',
      '  - { name: values, task: { type: csv, file: rows.csv, targets: values }, model: { type: feedforward, hidden: [4] } }',
    ]);
    for (const arm of ['classes', 'values']) {
      const trained = await openTrainedSeed(run, { arm });
      const { model, task } = trained.setup;
      const example = task.createExample({ batchSize: 9 });
      task.next(example, 0);
      const expected = model.evaluateLoss(example);
      const inputs = Array.from({ length: 9 }, (_, r) => [...example.inputs.subarray(r * 3, r * 3 + 3)]);
      const json = arm === 'classes' ? { inputs, labels: [...example.labels] } : { inputs, targets: [...example.targets].map((t) => [t]) };
      expect(relative(scriptLoss(arm, exportNetwork(trained), json), expected), arm).to.be.below(1e-9);
    }
  });
});
