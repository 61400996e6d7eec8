import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArmConfig, ConfigError, loadExperiment, loadExperimentConfig, PluginRegistries, seedFolder } from '@diffstruct/core/host';
import { buildSetup } from './build-setup.js';
import { createContainer } from './container.js';
import { runExperiment } from './experiment-runner.js';

describe('configs of table tasks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-table-config-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'mine.csv'), 'a,b,label\n1,2,x\n3,4,y\n');

  it("resolve a CSV file from the config file's folder and keep it absolute for resumes", async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'name: mine\ntask: { type: csv, file: data/mine.csv }\nmodel: feedforward\n');
    const config = await loadExperimentConfig(file, createContainer());
    expect(config.arms[0].task.file).to.equal(join(dir, 'data', 'mine.csv'));
  });

  it('refuse a CSV file that does not exist, at its line', async () => {
    const file = join(dir, 'missing.yaml');
    writeFileSync(file, 'name: mine\nmodel: feedforward\ntask:\n  type: csv\n  file: data/other.csv\n');
    const error = await loadExperimentConfig(file, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain(
      `${file}:5:9: task.file: expected an existing file (looked for ${join(dir, 'data', 'other.csv')}), found "data/other.csv"`,
    );
  });

  it('refuse a policies: key the model does not have, naming the ones it has', async () => {
    const file = join(dir, 'families.yaml');
    writeFileSync(file, 'name: f\ntask: spirals\nmodel: { type: residual, growWidth: true }\npolicies: { block: none }\n');
    const error = await loadExperimentConfig(file, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.contain('policies.block: expected a growable family of the residual model (blocks, block-width), found "block"');
  });

  it("refuse a schedule whose phases' kind the model does not accept, knowing the kind without creating a task", async () => {
    const schedule = (first: string, second: string) => `task:\n  type: schedule\n  phases:\n    - { task: ${first}, until: 10 }\n    - { task: ${second} }\n`;
    const refused = join(dir, 'schedule-refused.yaml');
    writeFileSync(refused, `name: s\nmodel: feedforward\n${schedule('easy', 'hard')}`);
    const error = await loadExperimentConfig(refused, createContainer()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal(
      `${refused}:2:8: model.type: the feedforward model accepts table tasks, but the schedule task gives sequence examples (models that accept sequence tasks: areas, char-rnn, gru)`,
    );
    const accepted = join(dir, 'schedule-accepted.yaml');
    writeFileSync(accepted, `name: s\nmodel: feedforward\n${schedule('parity', '{ type: parity, bits: 4 }')}`);
    expect((await loadExperimentConfig(accepted, createContainer())).arms[0].model.type).to.equal('feedforward');
  });

  it('refuse to build a model on a created task of a kind it does not accept (an arm that did not come through the config loader)', async () => {
    const file = join(dir, 'rows.yaml');
    writeFileSync(file, 'name: rows\ntask: parity\nmodel: feedforward\n');
    const config = await loadExperimentConfig(file, createContainer());
    const arm: ArmConfig = { ...config.arms[0], model: { type: 'char-rnn', hidden: 1, maxHidden: 100, unroll: 40 } };
    expect(() => buildSetup(createContainer().get(PluginRegistries), arm, 0, 1000)).to.throw(
      'model: the char-rnn model accepts sequence tasks, but the parity task gives table examples (models that accept table tasks: feedforward, residual)',
    );
  });

  it('fail, not read the file for itself, when the host prepared data but none for this task', async () => {
    const file = join(dir, 'unprepared.yaml');
    writeFileSync(file, 'name: unprepared\ntask: { type: csv, file: data/mine.csv }\nmodel: feedforward\n');
    const { config, taskData } = await loadExperiment(file, createContainer());
    const registries = createContainer().get(PluginRegistries);
    expect(() => buildSetup(registries, config.arms[0], 0, 1000, dir, taskData)).not.to.throw();
    expect(() => buildSetup(registries, config.arms[0], 0, 1000, dir, {})).to.throw('no data prepared for the task options');
  });

  describe('every data error and model/task mismatch found as the config loads, before any seed starts', () => {
    const refusal = async (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const error = await loadExperiment(file, createContainer()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error, name).to.be.instanceOf(ConfigError);
      return { file, message: error!.message, code: (error as ConfigError).exitCode };
    };
    const csvConfig = (csv: string, options = '') => `name: bad\nmodel: feedforward\ntask: { type: csv, file: data/${csv}${options} }\n`;
    writeFileSync(join(dir, 'data', 'text-cell.csv'), 'a,b,label\n1,2,x\n3,four,y\n');
    writeFileSync(join(dir, 'data', 'one-class.csv'), 'a,b,label\n1,2,x\n3,4,x\n');
    const data = (csv: string) => join(dir, 'data', csv);

    it('a cell that is not a number: the config line of the task, the CSV file and line', async () => {
      const { file, message, code } = await refusal('text-cell.yaml', csvConfig('text-cell.csv'));
      expect(message).to.equal(`${file}:3:7: task: ${data('text-cell.csv')}:3: column "b": expected a number, found "four"`);
      expect(code).to.equal(2);
    });

    it('a label column with one class, and a label column that does not exist', async () => {
      const one = await refusal('one-class.yaml', csvConfig('one-class.csv'));
      expect(one.message).to.equal(`${one.file}:3:7: task: ${data('one-class.csv')}:1: expected at least two classes in the label column, found only "x"`);
      const missing = await refusal('no-label.yaml', csvConfig('mine.csv', ', label: kind'));
      expect(missing.message).to.equal(
        `${missing.file}:3:7: task: ${data('mine.csv')}:1: expected a column named "kind" for the label; the columns: a, b, label`,
      );
    });

    it('char-rnn on a schedule with a table phase after a sequence one, at the line of the model', async () => {
      const { file, message } = await refusal(
        'mixed.yaml',
        'name: mixed\nmodel: char-rnn\ntask: { type: schedule, phases: [ { task: easy, until: 10 }, { task: parity } ] }\n',
      );
      expect(message).to.equal(
        `${file}:2:8: model.type: the char-rnn model accepts sequence tasks, but the parity task gives table examples (models that accept table tasks: feedforward, residual)`,
      );
    });

    it('phases of one kind but different shapes, at the line of the task', async () => {
      const { file, message } = await refusal(
        'shapes.yaml',
        'name: shapes\nmodel: feedforward\ntask: { type: schedule, phases: [ { task: parity, until: 10 }, { task: { type: parity, bits: 6 } } ] }\n',
      );
      expect(message).to.equal(`${file}:3:7: task: every phase of a schedule must produce examples of the same shape`);
    });
  });

  describe('sizes that cannot fit a worker refused as the config loads, with the estimate and the limit', () => {
    it('a feedforward model of thousands of units on batches of 65536 rows, and a residual one swept to that batch', async () => {
      const file = join(dir, 'huge.yaml');
      writeFileSync(file, 'name: huge\ntask: parity\nmodel: { type: feedforward, hidden: [4000, 4000], maxHidden: 4096, batchSize: 65536 }\n');
      const error = await loadExperiment(file, createContainer()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).to.equal(
        `${file}:3:37: model.hidden: the feedforward model with these options needs about 16.5 GiB per worker at its largest ` +
          "(estimated from its options and the task's 4 inputs and 2 outputs), over the limit of 1 GiB; make it smaller (sizes, caps, batchSize)",
      );
      const swept = join(dir, 'swept.yaml');
      writeFileSync(swept, 'name: swept\ntask: parity\nmodel: { type: residual, width: 2000 }\nsweep: { model.batchSize: [32, 65536] }\n');
      const sweptError = await loadExperiment(swept, createContainer()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(sweptError?.message).to.match(
        new RegExp(`^${swept}:4:32: sweep\\.model\\.batchSize\\[1\\]: the residual model .* over the limit of 1 GiB; .*\\(in arm batchSize-65536\\)$`),
      );
    });
  });

  it('read a CSV once as the config loads, into shared arrays that every seed uses instead of reading the file', async function () {
    this.timeout(60000);
    const csv = join(dir, 'data', 'shared.csv');
    writeFileSync(csv, ['a,b,label', ...Array.from({ length: 200 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'odd' : 'even'}`)].join('\n'));
    const file = join(dir, 'shared.yaml');
    writeFileSync(file, 'name: shared\nseeds: 2\ncycles: 200\nlog: { every: 100 }\ntask: { type: csv, file: data/shared.csv }\nmodel: feedforward\n');
    const { config, taskData } = await loadExperiment(file, createContainer());
    const [table] = Object.values(taskData) as { features: Float64Array; labels: Int32Array }[];
    expect(table.features.buffer).to.be.instanceOf(SharedArrayBuffer);
    expect(table.labels.buffer).to.be.instanceOf(SharedArrayBuffer);
    const straight = join(dir, 'shared-straight');
    await runExperiment(config, { out: straight, workers: 2, resolveFrom: file });
    // The workers must not read the file again: with it broken, they still run on what the main thread read.
    writeFileSync(csv, 'broken\n');
    const out = join(dir, 'shared-run');
    const results = await runExperiment(config, { out, workers: 2, resolveFrom: file, taskData });
    expect(results.map((r) => r.finished)).to.deep.equal([true, true]);
    for (const seed of [0, 1])
      expect(readFileSync(join(seedFolder(out, config, 'shared', seed), 'metrics.csv'), 'utf8')).to.equal(
        readFileSync(join(seedFolder(straight, config, 'shared', seed), 'metrics.csv'), 'utf8'),
      );
  });
});
