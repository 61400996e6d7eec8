import { expect } from 'chai';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armSettingsHash, seedFolder } from '@diffstruct/core/host';
import { readCheckpoint, seedIdentity, writeCheckpoint, type CheckpointIdentity } from './checkpoint-file.js';
import { runExperiment } from './experiment-runner.js';
import { CHECKPOINT_FILE } from './seed-run.js';
import { config } from './test-support.js';

/** The experiment's keys above its arms: a config of some of its arms gives their seeds the same files. */
const EXPERIMENT = ['name: resumable', 'seeds: 1', 'cycles: 4000', 'log: { every: 100 }', 'checkpoint: { every: 400 }', 'arms:'];
const HARD = '  - { name: hard, task: hard }';
// Blocks come and go with their own width growables, policies and Adam state.
const DEPTH = [
  '  - name: depth',
  '    task: { type: checkerboard, cells: 3 }',
  '    model: { type: residual, width: 4, blockWidth: 2, growWidth: true, batchSize: 8 }',
  '    policy: { type: threshold, l1: 0.002 }',
  '    policies: { blocks: { type: inherited, poolSize: 3, l1: 0.002 } }',
  '    optimizer: adam',
];
const CONFIG = config(
  [
    ...EXPERIMENT,
    HARD,
    '  - { name: gru, task: hard, model: { type: gru, multiplierOnRecurrent: true } }',
    '  - { name: switch, task: { type: schedule, phases: [ { task: easy, until: 800 }, { task: hard } ] } }',
    '  - { name: inherit, task: hard, policy: { type: inherited, poolSize: 5 } }',
    // Three windows a cycle, each with its own stream and hidden state, across a task switch.
    '  - { name: batch, task: { type: schedule, phases: [ { task: easy, until: 800 }, { task: hard } ] }, model: { type: char-rnn, batch: 3 } }',
    ...DEPTH,
    '  - { name: width, task: spirals, model: { type: feedforward, hidden: [2, 2], batchSize: 8 }, policy: { type: threshold, l1: 0.002 } }',
    // Modulatory and learned links (docs/method.md#links), on the default SIMD kernel: Mhh and the shares are checkpointed with their units.
    '  - { name: modulatory, task: hard, model: { type: char-rnn, links: modulatory } }',
    '  - { name: learned, task: hard, model: { type: char-rnn, links: learned, batch: 2 } }',
    // Areas added and deleted as units, each with a neuron growable of its own (docs/beyond.md#areas).
    '  - { name: areas, task: hard, model: { type: areas, areas: [ { name: a, hidden: 2 }, { name: b, hidden: 1 } ], links: [ { from: input, to: a }, { from: a, to: b }, { from: b, to: a }, { from: a, to: output }, { from: b, to: output } ], areaTemplate: b }, policies: { areas: { type: threshold, addProbability: 0.5 } } }',
    // A text read window after window from a random point: the task's position is checkpointed.
    '  - { name: text, task: { type: text, corpus: moby-dick }, model: { type: char-rnn, unroll: 20 } }',
    // Three readers of the text, each its own position and hidden state.
    '  - { name: text-batch, task: { type: text, corpus: moby-dick }, model: { type: char-rnn, unroll: 20, batch: 3 } }',
  ].join('\n'),
);

const ARMS = CONFIG.arms.map((a) => a.name);

describe('checkpoints and resume', function () {
  this.timeout(60000);
  const base = mkdtempSync(join(tmpdir(), 'diffstruct-resume-'));
  const file = (out: string, arm: string, name: string) => join(seedFolder(out, CONFIG, arm, 0), name);

  it('continue a stopped run to byte-identical metrics, events and multipliers, recomputing rows written after the checkpoint', async () => {
    const straight = join(base, 'straight');
    await runExperiment(CONFIG, { out: straight, workers: 2, resolveFrom: base });

    // Every seed stops at cycle 650, between two checkpoints, whatever the machine's load.
    const stopped = join(base, 'stopped');
    const results = await runExperiment(CONFIG, { out: stopped, workers: ARMS.length, resolveFrom: base, stopAtCycle: 650 });
    for (const r of results) expect(r).to.include({ finished: false, interrupted: true, cycles: 650 });
    for (const arm of ARMS) {
      expect(existsSync(file(stopped, arm, CHECKPOINT_FILE))).to.equal(true);
      // What a SIGKILL in the middle of writing would leave behind the checkpoint:
      appendFileSync(file(stopped, arm, 'metrics.csv'), '99999,1,2,3,4,5\n12345,0.');
      appendFileSync(file(stopped, arm, 'events.jsonl'), '{"type":"unitAdded","cyc');
      appendFileSync(file(stopped, arm, 'multipliers.jsonl'), '{"cycle":700,"growables":{"hidden":{"ids":[0,');
    }

    const resumed = await runExperiment(CONFIG, { out: stopped, workers: 1, resolveFrom: base, resume: true });
    for (const r of resumed) expect(r).to.include({ finished: true, cycles: 4000 });
    for (const arm of ARMS) {
      for (const name of ['metrics.csv', 'events.jsonl', 'multipliers.jsonl'])
        expect(readFileSync(file(stopped, arm, name), 'utf8'), `${arm} ${name}`).to.equal(readFileSync(file(straight, arm, name), 'utf8'));
      expect(existsSync(file(stopped, arm, CHECKPOINT_FILE)), 'a finished seed drops its checkpoint').to.equal(false);
    }
    expect(JSON.parse(readFileSync(file(stopped, 'switch', 'result.json'), 'utf8')).switches).to.deep.equal([800]);
  });

  it('logs the last cycle when it is not a multiple of log.every, the same after a resume from a checkpoint just before it', async () => {
    const short = config(['name: final-row', 'seeds: 1', 'cycles: 450', 'log: { every: 100 }', 'checkpoint: { every: 400 }', 'task: hard'].join('\n'));
    const metrics = (out: string) => readFileSync(join(seedFolder(out, short, 'final-row', 0), 'metrics.csv'), 'utf8');
    const straight = join(base, 'final-straight');
    await runExperiment(short, { out: straight, workers: 1, resolveFrom: base });
    const cycles = metrics(straight)
      .trim()
      .split('\n')
      .slice(1)
      .map((row) => Number(row.split(',')[0]));
    expect(cycles).to.deep.equal([100, 200, 300, 400, 450]);
    const stopped = join(base, 'final-stopped');
    await runExperiment(short, { out: stopped, workers: 1, resolveFrom: base, stopAtCycle: 420 });
    await runExperiment(short, { out: stopped, workers: 1, resolveFrom: base, resume: true });
    expect(metrics(stopped)).to.equal(metrics(straight));
  });

  it('resumes from a checkpoint written before multipliers.jsonl existed: the same metrics and events, multipliers from the resume on', async () => {
    // Two of the arms above, under the same name: their seeds give the same files as in the straight run.
    const older = config([...EXPERIMENT, HARD, ...DEPTH].join('\n'));
    const out = join(base, 'older');
    await runExperiment(older, { out, workers: 2, resolveFrom: base, stopAtCycle: 650 });
    for (const arm of ['hard', 'depth']) {
      const path = file(out, arm, CHECKPOINT_FILE);
      const checkpoint = readCheckpoint(path, seedIdentity(older, older.arms.find((a) => a.name === arm)!, 0))!;
      const { metrics, events } = checkpoint.files;
      writeCheckpoint(path, { ...checkpoint, files: { metrics, events } });
      rmSync(file(out, arm, 'multipliers.jsonl'));
    }
    await runExperiment(older, { out, workers: 2, resolveFrom: base, resume: true });
    const straight = join(base, 'straight');
    for (const arm of ['hard', 'depth']) {
      for (const name of ['metrics.csv', 'events.jsonl'])
        expect(readFileSync(file(out, arm, name), 'utf8'), `${arm} ${name}`).to.equal(readFileSync(file(straight, arm, name), 'utf8'));
      const lines = readFileSync(file(straight, arm, 'multipliers.jsonl'), 'utf8').split('\n');
      const afterResume = lines.filter((line) => line && JSON.parse(line).cycle > 650);
      expect(afterResume.length, arm).to.be.greaterThan(30);
      expect(readFileSync(file(out, arm, 'multipliers.jsonl'), 'utf8'), arm).to.equal(afterResume.join('\n') + '\n');
    }
  });

  it('keeps finished seeds as they are when resuming', async () => {
    const out = join(base, 'straight');
    const metrics = file(out, 'hard', 'metrics.csv');
    const before = statSync(metrics).mtimeMs;
    const results = await runExperiment(CONFIG, { out, resolveFrom: base, resume: true });
    expect(results.every((r) => r.finished)).to.equal(true);
    expect(statSync(metrics).mtimeMs).to.equal(before);
  });

  it('refuse a corrupt, foreign or unknown checkpoint, naming the file', () => {
    const identity: CheckpointIdentity = { experiment: 'e', arm: 'a', seed: 0, configHash: armSettingsHash({ x: 1, log: { every: 100 } }) };
    const path = join(base, 'checkpoint.json');
    writeCheckpoint(path, { identity, cycle: 7, files: { metrics: 1, events: 0 }, state: { w: new Float64Array([0.1, NaN, -Infinity]) } });
    const loaded = readCheckpoint(path, identity)!;
    expect(loaded.cycle).to.equal(7);
    expect([...(loaded.state as { w: Float64Array }).w]).to.deep.equal([0.1, NaN, -Infinity]);

    expect(() => readCheckpoint(path, { ...identity, seed: 1 })).to.throw(`${path}: belongs to another run (seed: 0, expected 1)`);
    expect(() => readCheckpoint(path, { ...identity, configHash: 'other' })).to.throw('belongs to another run (configHash');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"cycle":7', '"cycle":8'));
    expect(() => readCheckpoint(path, identity)).to.throw('corrupt checkpoint (checksum mismatch)');
    writeFileSync(path, text.slice(0, text.length - 20));
    expect(() => readCheckpoint(path, identity)).to.throw('corrupt checkpoint');
    writeFileSync(path, '{"format":"something-else"}\n{}');
    expect(() => readCheckpoint(path, identity)).to.throw('not a diffstruct checkpoint');
    writeFileSync(path, text.replace('"version":1', '"version":99'));
    expect(() => readCheckpoint(path, identity)).to.throw('checkpoint format version 99');
  });

  it('stops a seed whose checkpoint is corrupt with a clear error instead of loading half of it', async () => {
    const out = join(base, 'corrupt');
    await runExperiment(CONFIG, { out, workers: ARMS.length, resolveFrom: base, stopAtCycle: 500 });
    const checkpoint = file(out, 'hard', CHECKPOINT_FILE);
    writeFileSync(checkpoint, readFileSync(checkpoint, 'utf8').replace(/"cycle":(\d+)/, '"cycle":1$1'));
    const [hard, ...others] = await runExperiment(CONFIG, { out, workers: 2, resolveFrom: base, resume: true });
    expect(hard.finished).to.equal(false);
    expect(hard.error).to.contain(`${checkpoint}: corrupt checkpoint (checksum mismatch)`);
    for (const other of others) expect(other.finished).to.equal(true);
  });

  it('stops a diverging seed alone and says why in its result.json', async () => {
    const diverging = config(
      [
        'name: isolation',
        'seeds: 2',
        'cycles: 300',
        'log: { every: 100 }',
        'task: hard',
        'arms:',
        '  - { name: fine }',
        '  - { name: diverges, model: { initScale: 10, initialMultiplier: 100 }, optimizer: { learningRate: 100 } }',
      ].join('\n'),
    );
    const out = join(base, 'isolation');
    const results = await runExperiment(diverging, { out, workers: 2, resolveFrom: base });
    expect(results.map((r) => [r.arm, r.seed, r.finished])).to.deep.equal([
      ['fine', 0, true],
      ['fine', 1, true],
      ['diverges', 0, false],
      ['diverges', 1, false],
    ]);
    expect(results[2].error).to.equal('the loss became Infinity at cycle 0');
    expect(JSON.parse(readFileSync(join(seedFolder(out, diverging, 'diverges', 1), 'result.json'), 'utf8')).error).to.equal(results[3].error);
  });
});
