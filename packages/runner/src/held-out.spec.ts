import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armSettings, ConfigError, type ExperimentConfig, loadExperimentConfig, parseMetrics, seedFolder } from '@diffstruct/core/host';
import { ContainerModule } from 'inversify';
import { ModelContribution } from '@diffstruct/core';
import { feedforwardContribution } from '@diffstruct/feedforward';
import { createContainer } from './container.js';
import { runExperiment } from './experiment-runner.js';

describe('held-out evaluation (eval:) on a csv task with a split', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-held-out-'));
  // Three classes by the sign pattern of two noisy features: learnable, not trivially.
  const rows = Array.from({ length: 160 }, (_, i) => {
    const a = Math.sin(i * 1.7) * 2;
    const b = Math.cos(i * 0.9) * 2;
    return `${a.toFixed(3)},${b.toFixed(3)},${((i * 37) % 11) / 10},${a > 0.5 ? 'p' : b > 0 ? 'q' : 'r'}`;
  });
  writeFileSync(join(dir, 'rows.csv'), ['a,b,noise,label', ...rows].join('\n') + '\n');
  const lines = (evaluation: string) =>
    [
      'name: held-out',
      'seeds: 2',
      'cycles: 600',
      'log: { every: 100 }',
      'checkpoint: { every: 250 }',
      evaluation,
      'task: { type: csv, file: rows.csv, split: { validation: 0.25, test: 0.2 } }',
      'policy: { type: threshold, l1: 0.002 }',
      'arms:',
      '  - { name: width, model: { type: feedforward, hidden: [4], batchSize: 16 } }',
      '  - { name: depth, model: { type: residual, width: 4, blocks: 2, blockWidth: 3, batchSize: 16 }, optimizer: adam }',
    ].join('\n') + '\n';
  const load = async (name: string, text: string): Promise<ExperimentConfig> => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    return loadExperimentConfig(file, createContainer());
  };
  const run = async (config: ExperimentConfig, out: string, options: { workers?: number; stopAtCycle?: number; resume?: boolean } = {}) =>
    runExperiment(config, { out: join(dir, out), workers: options.workers ?? 1, resolveFrom: join(dir, 'x.yaml'), ...options });
  const read = (config: ExperimentConfig, out: string, arm: string, seed: number, name: string) =>
    readFileSync(join(seedFolder(join(dir, out), config, arm, seed), name), 'utf8');
  const ARMS = ['width', 'depth'];
  let withEval: ExperimentConfig;

  before(async () => {
    withEval = await load('with-eval', lines('eval: { every: 200, examples: 30 }'));
    await run(withEval, 'eval');
  });

  it('adds valLoss and valAccuracy at multiples of eval.every and the last cycle, NaN between, and leaves every training column and event as it was', async () => {
    const without = await load('without-eval', lines(''));
    await run(without, 'plain');
    for (const arm of ARMS) {
      for (const seed of [0, 1]) {
        const evaluated = parseMetrics(read(withEval, 'eval', arm, seed, 'metrics.csv'), arm);
        const plain = parseMetrics(read(without, 'plain', arm, seed, 'metrics.csv'), arm);
        expect(evaluated.columns).to.deep.equal([...plain.columns, 'valLoss', 'valAccuracy']);
        for (const column of plain.columns) expect([...evaluated.values[column]], `${arm} ${column}`).to.deep.equal([...plain.values[column]]);
        expect(read(withEval, 'eval', arm, seed, 'events.jsonl')).to.equal(read(without, 'plain', arm, seed, 'events.jsonl'));
        const evaluatedAt = [...evaluated.values.cycle].filter((_, r) => !Number.isNaN(evaluated.values.valLoss[r]));
        expect(evaluatedAt).to.deep.equal([200, 400, 600]);
        for (const cycle of evaluatedAt) {
          const r = [...evaluated.values.cycle].indexOf(cycle);
          expect(evaluated.values.valLoss[r]).to.be.within(0, 10);
          // 30 rows: accuracy is a whole number of them.
          expect(Math.round(evaluated.values.valAccuracy[r] * 30) / 30).to.be.closeTo(evaluated.values.valAccuracy[r], 1e-12);
        }
        const result = JSON.parse(read(withEval, 'eval', arm, seed, 'result.json'));
        expect(result.test.loss).to.be.within(0, 10);
        expect(result.test.accuracy * 32).to.be.closeTo(Math.round(result.test.accuracy * 32), 1e-9); // 0.2 × 160 test rows
        expect(JSON.parse(read(without, 'plain', arm, seed, 'result.json'))).not.to.have.property('test');
      }
    }
  });

  it('writes the same files with two workers as with one', async () => {
    await run(withEval, 'two-workers', { workers: 2 });
    for (const arm of ARMS)
      for (const seed of [0, 1]) expect(read(withEval, 'two-workers', arm, seed, 'metrics.csv')).to.equal(read(withEval, 'eval', arm, seed, 'metrics.csv'));
  });

  it('resumes to byte-identical metrics and events, and the same test figures', async () => {
    await run(withEval, 'resumed', { stopAtCycle: 300 });
    await run(withEval, 'resumed', { resume: true });
    for (const arm of ARMS)
      for (const seed of [0, 1]) {
        for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl'])
          expect(read(withEval, 'resumed', arm, seed, name), `${arm} ${name}`).to.equal(read(withEval, 'eval', arm, seed, name));
        const test = (out: string) => JSON.parse(read(withEval, out, arm, seed, 'result.json')).test;
        expect(test('resumed')).to.deep.equal(test('eval'));
      }
  });

  it('counts eval in the arm settings only when present, so a resume with other eval settings is refused', async () => {
    const without = await load('settings', lines(''));
    const arm = withEval.arms[0];
    expect(armSettings(arm, withEval)).to.have.deep.property('eval', { every: 200, examples: 30 });
    expect(armSettings(without.arms[0], without)).not.to.have.property('eval');
    const other = await load('other-eval', lines('eval: { every: 100 }'));
    await run(other, 'eval', { resume: true }).then(
      () => expect.fail('resumed with other eval settings'),
      (error: Error) =>
        expect(error.message).to.contain(
          'arm "width" has other settings than the run started with (edited, or a default changed in diffstruct or a plugin): eval.every: 200 then, 100 now',
        ),
    );
  });

  const refusal = async (name: string, slots: string, container = createContainer()) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `name: ${name}\nseeds: 1\ncycles: 100\nlog: { every: 100 }\neval: { every: 100 }\n${slots}\n`);
    const error = await loadExperimentConfig(file, container).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error, name).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).exitCode).to.equal(2);
    return { file, message: error!.message };
  };

  it('refuses, as the config loads and at the eval key, a task with no validation split', async () => {
    writeFileSync(join(dir, 'words.txt'), 'the cat sat on the mat\n'.repeat(50));
    const cases = [
      ['hard', 'task: hard', 'hard'],
      ['text-no-validation', 'task: { type: text, files: [words.txt], split: { validation: 0 } }', 'text'],
      ['csv-no-split', 'task: { type: csv, file: rows.csv }\nmodel: feedforward', 'csv'],
      ['mnist-no-validation', 'task: { type: mnist, split: { validation: 0 } }\nmodel: feedforward', 'mnist'],
    ];
    for (const [name, slots, type] of cases) {
      const { file, message } = await refusal(name, slots);
      expect(message, name).to.equal(
        `${file}:5:7: eval: the ${type} task has no validation split; give it one (its split option, if it has one) or remove eval`,
      );
    }
  });

  it('refuses, as the config loads and at the eval key, a model that cannot evaluate', async () => {
    const container = createContainer();
    const mute: ModelContribution = { ...feedforwardContribution, type: 'mute-feedforward', evaluates: undefined };
    container.load(new ContainerModule(({ bind }) => void bind(ModelContribution).toConstantValue(mute)));
    const { file, message } = await refusal(
      'no-evaluate',
      'task: { type: csv, file: rows.csv, split: { validation: 0.2 } }\nmodel: mute-feedforward',
      container,
    );
    expect(message).to.equal(
      `${file}:5:7: eval: the mute-feedforward model cannot evaluate held-out data (it has no evaluate); remove eval or use another model`,
    );
  });

  it('refuses an eval.every that is not a multiple of log.every, at its line', async () => {
    const error = await load('not-multiple', lines('eval: { every: 150 }')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect(error?.message).to.contain('not-multiple.yaml:6:16: eval.every: expected a multiple of log.every (100), found 150');
  });
});
