import { expect } from 'chai';
import type { EvaluationTally, Model, TableExample } from '@diffstruct/core';
import { CLASSES, randomBatch, smallFeedforward, smallResidual, VALUES } from './test-support.js';

/** The first `rows` rows of `example` from row `from`, as an example of their own. */
function rowsOf(example: TableExample, from: number, rows: number, inputSize: number, outputSize: number): TableExample {
  return {
    batchSize: rows,
    inputs: example.inputs.slice(from * inputSize, (from + rows) * inputSize),
    labels: example.labels.slice(from, from + rows),
    targets: example.targets.slice(from * outputSize, (from + rows) * outputSize),
  };
}

const tallyOf = (model: Model<TableExample>, ...examples: TableExample[]): EvaluationTally => {
  const tally = { loss: 0, predictions: 0, correct: 0 };
  for (const example of examples) model.evaluate!(example, tally, false);
  return tally;
};

describe('evaluate of the table models', () => {
  const models = [
    ['feedforward', (seed: number, shape = CLASSES) => smallFeedforward(seed, shape)],
    ['residual', (seed: number, shape = CLASSES) => smallResidual(seed, shape)],
  ] as const;
  for (const [name, make] of models) {
    it(`${name}: sums the training loss of each row, whatever the batches (5 rows as 3 + 2)`, () => {
      for (const shape of [CLASSES, VALUES]) {
        const model = make(3, shape);
        const example = randomBatch(4, shape);
        const whole = tallyOf(model, example);
        expect(whole.loss).to.be.closeTo(5 * model.evaluateLoss(example), 1e-12);
        const parts = tallyOf(model, rowsOf(example, 0, 3, shape.inputSize, shape.outputSize), rowsOf(example, 3, 2, shape.inputSize, shape.outputSize));
        expect(parts.loss).to.be.closeTo(whole.loss, 1e-12);
        expect(parts).to.include({ predictions: 5, correct: whole.correct });
      }
    });

    it(`${name}: counts a row correct exactly when its largest output is its label`, () => {
      const model = make(5);
      const example = randomBatch(6, CLASSES);
      const correct = tallyOf(model, example).correct;
      // Relabel every row with a class its outputs do not favour most, then with the one they do.
      const outputs = Array.from({ length: 5 }, (_, r) => {
        const row = rowsOf(example, r, 1, CLASSES.inputSize, CLASSES.outputSize);
        const losses = [0, 1, 2, 3].map((label) => model.evaluateLoss({ ...row, labels: Int32Array.of(label) }));
        return losses.indexOf(Math.min(...losses));
      });
      const right = { ...example, labels: Int32Array.from(outputs) };
      const wrong = { ...example, labels: Int32Array.from(outputs, (c) => (c + 1) % 4) };
      expect(tallyOf(model, right).correct).to.equal(5);
      expect(tallyOf(model, wrong).correct).to.equal(0);
      expect(correct).to.equal(outputs.filter((c, r) => c === example.labels[r]).length);
    });
  }
});
