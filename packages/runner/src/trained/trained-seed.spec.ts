import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model, SequenceExample, TableExample } from '@diffstruct/core';
import { parseMetrics } from '@diffstruct/core/host';
import type { CsvTask } from '@diffstruct/tasks';
import { tinyRun } from '../test-support.js';
import { exportNetwork } from './export-network.js';
import { predictRows } from './predict-rows.js';
import { sampleText } from './sample-text.js';
import { openTrainedSeed } from './trained-seed.js';

const dir = mkdtempSync(join(tmpdir(), 'diffstruct-trained-'));
const SEQUENCES = [
  'name: seq',
  'seeds: 2',
  'cycles: 400',
  'log: { every: 100 }',
  'task: easy',
  'arms:',
  '  - { name: rnn, model: { hidden: 4 } }',
  '  - { name: gated, model: { type: gru, hidden: 3 } }',
  '',
].join('\n');
const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(3 * i) * 5 + 2, i % 3 === 0 ? 'up' : 'down']);
writeFileSync(join(dir, 'rows.csv'), ['x,y,dir', ...rows.map((r) => r.join(','))].join('\n') + '\n');
writeFileSync(join(dir, 'numbers.csv'), ['x,y,z', ...rows.map((r) => [r[0], r[1], 3 * Number(r[0]) - Number(r[1])].join(','))].join('\n') + '\n');
writeFileSync(join(dir, 'words.txt'), 'the cat sat on the mat\n'.repeat(100));
const TEXT = [
  'name: text',
  'seeds: 1',
  'cycles: 100',
  'log: { every: 100 }',
  'task: { type: text, files: [words.txt] }',
  'model: { hidden: 4, unroll: 10 }',
  '',
].join('\n');
const TABLE = [
  'name: table',
  'seeds: 1',
  'cycles: 300',
  'log: { every: 100 }',
  'task: { type: csv, file: rows.csv }',
  'model: { type: feedforward, hidden: [4] }',
  '',
].join('\n');

describe('a trained seed: final.json, sample, predict, export', function () {
  this.timeout(60000);
  let seq: string;
  let table: string;
  before(async () => {
    seq = await tinyRun(dir, 'seq', SEQUENCES);
    table = await tinyRun(dir, 'table', TABLE);
  });

  it('keeps a finished seed’s final network (final.json, no checkpoint.json), rebuilt with the units its last metrics row logged', async () => {
    for (const [arm, seed] of [
      ['rnn', 0],
      ['gated', 1],
    ] as const) {
      const folder = join(seq, arm, `seed-${seed}`);
      expect(existsSync(join(folder, 'final.json'))).to.equal(true);
      expect(existsSync(join(folder, 'checkpoint.json'))).to.equal(false);
      const trained = await openTrainedSeed(seq, { arm, seed });
      const metrics = parseMetrics(readFileSync(join(folder, 'metrics.csv'), 'utf8'), 'metrics');
      const units = trained.setup.model.growables.reduce((n, g) => n + g.size, 0);
      expect(units).to.equal(metrics.values.units[metrics.rows - 1]);
      expect(trained.cycles).to.equal(400);
      expect(trained.setup.model.type).to.equal(arm === 'rnn' ? 'char-rnn' : 'gru');
    }
  });

  it("never starts an unprimed sample with the text task's unknown symbol", async () => {
    const trained = await openTrainedSeed(await tinyRun(dir, 'text', TEXT), {});
    const { vocabulary, unknownSymbol } = trained.setup.task.shape;
    expect(vocabulary?.[unknownSymbol!]).to.equal('\uFFFD');
    // 12 symbols: a uniform first draw over all of them would give the unknown one about 17 times in 200.
    const firsts = new Set(Array.from({ length: 200 }, (_, randomSeed) => sampleText(trained, { length: 1, temperature: 1, randomSeed })));
    expect(firsts.has('\uFFFD')).to.equal(false);
    expect(firsts.size).to.equal(vocabulary!.length - 1);
  });

  it('samples text from the vocabulary, the same for the same --random-seed, primed text first', async () => {
    const trained = await openTrainedSeed(seq, { arm: 'rnn' });
    expect(trained.seed).to.equal(0);
    const vocabulary = trained.setup.task.shape.vocabulary!;
    const text = sampleText(trained, { length: 200, temperature: 1, randomSeed: 3 });
    expect(text).to.have.length(200);
    expect([...text].every((c) => vocabulary.includes(c))).to.equal(true);
    expect(sampleText(trained, { length: 200, temperature: 1, randomSeed: 3 })).to.equal(text);
    expect(sampleText(trained, { length: 200, temperature: 1, randomSeed: 4 })).to.not.equal(text);
    const primed = sampleText(trained, { length: 50, temperature: 0.5, randomSeed: 3, prime: '(ab' });
    expect(primed).to.have.length(53);
    expect(primed.startsWith('(ab')).to.equal(true);
    expect(() => sampleText(trained, { length: 5, temperature: 1, randomSeed: 3, prime: '(az' })).to.throw(
      '--prime: "z" (at character 3) is not in the vocabulary the network was trained on',
    );
  });

  it('samples from the model’s probabilities: at a very low temperature, the most probable symbol each time', async () => {
    const trained = await openTrainedSeed(seq, { arm: 'gated', seed: 1 });
    const model = trained.setup.model as Model<SequenceExample>;
    const text = sampleText(trained, { length: 30, temperature: 1e-6, randomSeed: 1, prime: '(' });
    const vocabulary = trained.setup.task.shape.vocabulary!;
    const sampler = model.sequenceSampler!();
    const p = new Float64Array(vocabulary.length);
    sampler.reset();
    for (let i = 0; i + 1 < text.length; i++) {
      sampler.next(vocabulary.indexOf(text[i]), p);
      expect(vocabulary[p.indexOf(Math.max(...p))], `symbol ${i + 1}`).to.equal(text[i + 1]);
    }
  });

  it('predicts each row of a file as the model scores it: the probabilities of the training rows give the model’s own loss on them', async () => {
    const trained = await openTrainedSeed(table);
    const csv = predictRows(trained, join(dir, 'rows.csv')).trim().split('\n');
    expect(csv[0]).to.equal('line,class,p(down),p(up)');
    expect(csv).to.have.length(61);
    const task = trained.setup.task as CsvTask;
    const { features, labels } = task.table;
    let loss = 0;
    csv.slice(1).forEach((line, r) => {
      const [at, predicted, ...p] = line.split(',');
      expect(Number(at)).to.equal(r + 2);
      const probabilities = p.map(Number);
      expect(probabilities.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
      expect(predicted).to.equal(probabilities[0] >= probabilities[1] ? 'down' : 'up');
      loss -= Math.log(probabilities[labels[r]]);
    });
    const all: TableExample = { batchSize: 60, inputs: features, labels, targets: new Float64Array(0) };
    const expected = (trained.setup.model as Model<TableExample>).evaluateLoss(all);
    expect(Math.abs(loss / 60 - expected) / expected).to.be.below(1e-12);
  });

  it('predicts a numeric target’s value per row: their squared errors give the model’s own loss', async () => {
    const values = await tinyRun(dir, 'values', TABLE.replace('name: table', 'name: values').replace('file: rows.csv', 'file: numbers.csv, targets: values'));
    const trained = await openTrainedSeed(values);
    const csv = predictRows(trained, join(dir, 'numbers.csv')).trim().split('\n');
    expect(csv[0]).to.equal('line,value');
    const task = trained.setup.task as CsvTask;
    const predicted = csv.slice(1).map((line) => Number(line.split(',')[1]));
    const loss = predicted.reduce((sum, y, r) => sum + (y - task.table.values[r]) ** 2, 0) / predicted.length;
    const all: TableExample = { batchSize: 60, inputs: task.table.features, labels: new Int32Array(0), targets: task.table.values };
    const expected = (trained.setup.model as Model<TableExample>).evaluateLoss(all);
    expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
  });

  it('exports every layer’s live parameters and every growable’s unit ids and multipliers', async () => {
    const trained = await openTrainedSeed(seq, { arm: 'rnn', seed: 1 });
    const network = JSON.parse(JSON.stringify(exportNetwork(trained)));
    const N = trained.setup.model.growables[0].size;
    expect(network).to.include({ format: 'diffstruct-network', version: 1 });
    expect(network.run).to.deep.equal({ experiment: 'seq', arm: 'rnn', seed: 1, cycles: 400 });
    expect(network.model.type).to.equal('char-rnn');
    expect(network.model.options).to.include({ hidden: 4, unroll: 40 });
    expect(network.task).to.deep.include({ type: 'easy', kind: 'sequence', inputSize: 4, vocabulary: trained.setup.task.shape.vocabulary });
    const shapes = network.layers.flatMap((l: { id: string; parameters: { name: string; rows: number; cols: number; values: number[] }[] }) =>
      l.parameters.map((p) => [l.id, p.name, p.rows, p.cols, p.values.length]),
    );
    expect(shapes).to.deep.equal([
      ['hidden', 'Wxh', N, 4, 4 * N],
      ['hidden', 'Whh', N, N, N * N],
      ['hidden', 'bh', N, 1, N],
      ['hidden', 'm', N, 1, N],
      ['output', 'Why', 4, N, 4 * N],
      ['output', 'by', 4, 1, 4],
    ]);
    const m = network.layers[0].parameters[3].values;
    expect(network.growables).to.deep.equal([
      { id: 'hidden', family: 'hidden', units: Array.from({ length: N }, (_, i) => trained.setup.model.growables[0].unitId(i)), multipliers: m },
    ]);
  });

  it('refuses what has no final network, listing what there is', async () => {
    const refusals: [Promise<unknown>, string][] = [
      [openTrainedSeed(join(dir, 'nothing')), `${join(dir, 'nothing')}: not a run folder (no such folder)`],
      [openTrainedSeed(seq), `${seq}: the run has 2 arms (rnn, gated); say which with --arm`],
      [openTrainedSeed(seq, { arm: 'lstm' }), `--arm lstm: ${seq} has no such arm; its arms: rnn, gated`],
      [openTrainedSeed(seq, { arm: 'rnn', seed: 7 }), `--seed 7: ${seq} has no such seed of arm rnn; its seeds: 0, 1 (finished seeds of arm rnn: 0, 1)`],
    ];
    for (const [promise, message] of refusals) await expectRefusal(promise, message);
    const trainedTable = await openTrainedSeed(table);
    expect(() => sampleText(trainedTable, { length: 5, temperature: 1, randomSeed: 1 })).to.throw('sample draws text from a sequence model');
    const trainedRnn = await openTrainedSeed(seq, { arm: 'rnn' });
    expect(() => predictRows(trainedRnn, join(dir, 'rows.csv'))).to.throw('predict reads rows for a table model');
    const result = join(seq, 'gated', 'seed-0', 'result.json');
    writeFileSync(result, JSON.stringify({ ...JSON.parse(readFileSync(result, 'utf8')), finished: false, cycles: 200, error: 'diverged' }));
    await expectRefusal(
      openTrainedSeed(seq, { arm: 'gated', seed: 0 }),
      '--seed 0: seed 0 of arm gated did not finish (it stopped at cycle 200 of 400: diverged); only a finished seed has a final network (finished seeds of arm gated: 1)',
    );
    expect((await openTrainedSeed(seq, { arm: 'gated' })).seed).to.equal(1);
    writeFileSync(join(dir, 'rows.csv'), 'x,y,dir\n1,2,up\n3,4,down\n');
    await expectRefusal(
      openTrainedSeed(table),
      `${table}: the run was trained on other inputs than it would be rebuilt from:\n  ${join(dir, 'rows.csv')}: its contents changed`,
    );
  });
});

async function expectRefusal(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error?.constructor.name, message).to.equal('DiffstructError');
  expect(error?.message).to.contain(message);
}
