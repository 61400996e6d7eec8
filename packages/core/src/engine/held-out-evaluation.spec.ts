import { expect } from 'chai';
import type { EvaluationTally, Model } from '../contracts/model.js';
import { createTableExample, type HeldOutSplit, type SequenceExample, type TableExample, type Task, type TaskShape } from '../contracts/task.js';
import { HeldOutEvaluation } from './held-out-evaluation.js';

/** What the fake model saw: each example's first value, its size, `continued`, and the buffer itself. */
interface Seen {
  readonly first: number;
  readonly size: number;
  readonly continued: boolean;
  readonly buffer: unknown;
}

/** A task whose held-out example `i` starts with the value 100·(split index) + i; `sizes` per split. */
function fakeTask(shape: TaskShape, sizes: Partial<Record<HeldOutSplit, number>>): Task {
  const base = (split: HeldOutSplit) => (split === 'validation' ? 100 : 200);
  return {
    type: 'fake',
    shape,
    entropyFloor: () => undefined,
    createExample: (request) =>
      shape.kind === 'table' ? createTableExample(shape, request.batchSize!) : ({ symbols: new Int32Array(request.length!) } satisfies SequenceExample),
    next: () => undefined,
    phase: () => 'fake',
    saveState: () => null,
    loadState: () => undefined,
    heldOutSize: (split) => sizes[split] ?? 0,
    fillHeldOut: (split, example, first) => {
      if (shape.kind === 'table') (example as TableExample).inputs.fill(base(split) + first);
      else (example as SequenceExample).symbols[0] = base(split) + first;
    },
  };
}

/** A model whose every prediction costs 1 + the example's first value, the first of its predictions right. */
function fakeModel(kind: 'table' | 'sequence', seen: Seen[], withEvaluate = true): Model {
  const request = kind === 'table' ? { batchSize: 4 } : { length: 5 };
  return {
    type: 'fake-model',
    layers: [],
    growables: [],
    exampleRequest: request,
    chanceLoss: 1,
    trainStep: () => 0,
    evaluateLoss: () => 0,
    resetState: () => undefined,
    ...(withEvaluate
      ? {
          evaluate: (example: unknown, tally: EvaluationTally, continued: boolean) => {
            const table = kind === 'table' ? (example as TableExample) : undefined;
            const first = table ? table.inputs[0] : (example as SequenceExample).symbols[0];
            const predictions = table ? table.batchSize : 4;
            seen.push({ first, size: predictions, continued, buffer: example });
            tally.loss += predictions * (1 + first);
            tally.predictions += predictions;
            tally.correct += 1;
          },
        }
      : {}),
  };
}

const TABLE: TaskShape = { kind: 'table', inputSize: 1, outputSize: 3, targets: 'classes' };
const SEQUENCE: TaskShape = { kind: 'sequence', inputSize: 4, outputSize: 4 };

describe('HeldOutEvaluation', () => {
  it('goes through a table split in batches of the model, the last one smaller, into the same buffers each time', () => {
    const seen: Seen[] = [];
    const evaluation = new HeldOutEvaluation(fakeTask(TABLE, { validation: 10, test: 8 }), fakeModel('table', seen));
    expect(evaluation.columns).to.deep.equal(['valLoss', 'valAccuracy']);
    const figures = evaluation.evaluate('validation');
    expect(seen.map((s) => [s.first, s.size, s.continued])).to.deep.equal([
      [100, 4, false],
      [104, 4, false],
      [108, 2, false],
    ]);
    expect(figures).to.deep.equal({ loss: (4 * 101 + 4 * 105 + 2 * 109) / 10, accuracy: 3 / 10 });
    const buffers = seen.map((s) => s.buffer);
    evaluation.evaluate('validation');
    expect(seen.slice(3).map((s) => s.buffer)).to.deep.equal(buffers);
    expect(seen[3].buffer).to.equal(buffers[0]);
    expect(seen[5].buffer).to.equal(buffers[2]);
    expect(evaluation.evaluate('test')).to.deep.equal({ loss: (4 * 201 + 4 * 205) / 8, accuracy: 2 / 8 });
  });

  it('goes through a sequence split window by window, continued after the first, in bits per symbol too', () => {
    const seen: Seen[] = [];
    const evaluation = new HeldOutEvaluation(fakeTask(SEQUENCE, { validation: 5 }), fakeModel('sequence', seen), 3);
    expect(evaluation.columns).to.deep.equal(['valLoss', 'valAccuracy', 'valBitsPerSymbol']);
    expect(evaluation.has('test')).to.equal(false);
    const figures = evaluation.evaluate('validation');
    expect(seen.map((s) => [s.first, s.continued])).to.deep.equal([
      [100, false],
      [101, true],
      [102, true],
    ]);
    expect(figures.loss).to.equal(102);
    expect(figures.accuracy).to.equal(3 / 12);
    expect(figures.bitsPerSymbol).to.equal(102 / Math.LN2);
    expect(evaluation.cells(undefined)).to.deep.equal({ valLoss: NaN, valAccuracy: NaN, valBitsPerSymbol: NaN });
  });

  it('refuses a task without a validation split and a model that cannot evaluate, naming them', () => {
    expect(() => new HeldOutEvaluation(fakeTask(TABLE, { test: 4 }), fakeModel('table', []))).to.throw(
      'eval: the fake task has no validation split; give it one (its split option, if it has one) or remove eval',
    );
    expect(() => new HeldOutEvaluation(fakeTask(TABLE, { validation: 4 }), fakeModel('table', [], false))).to.throw(
      'eval: the fake-model model cannot evaluate held-out data (it has no evaluate); remove eval or use another model',
    );
  });
});
