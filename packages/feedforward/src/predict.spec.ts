import { expect } from 'chai';
import type { Model, TableExample, TaskShape } from '@diffstruct/core';
import { CLASSES, randomBatch, smallFeedforward, smallResidual, VALUES } from './test-support.js';

/** The loss the model's predictions give, computed from them alone: mean −log p(label), or mean squared error. */
function lossOfPredictions(model: Model<TableExample>, example: TableExample, shape: TaskShape): { loss: number; worstSum: number } {
  const outputs = new Float64Array(example.batchSize * shape.outputSize);
  model.predict!(example, outputs);
  let loss = 0;
  let worstSum = 0;
  for (let r = 0; r < example.batchSize; r++) {
    const row = outputs.subarray(r * shape.outputSize, (r + 1) * shape.outputSize);
    if (shape.targets === 'classes') {
      loss -= Math.log(row[example.labels[r]]);
      worstSum = Math.max(worstSum, Math.abs(row.reduce((a, b) => a + b, 0) - 1));
    } else row.forEach((y, k) => (loss += (y - example.targets[r * shape.outputSize + k]) ** 2 / shape.outputSize));
  }
  return { loss: loss / example.batchSize, worstSum };
}

describe('feedforward and residual predict', () => {
  for (const [name, make] of [
    ['feedforward', smallFeedforward],
    ['residual', smallResidual],
  ] as const)
    for (const shape of [CLASSES, VALUES])
      it(`${name}: its outputs (${shape.targets === 'classes' ? 'probabilities' : 'values'}) give the model's own loss`, () => {
        const model = make(11, shape);
        const example = randomBatch(11, shape, 7);
        const expected = model.evaluateLoss(example);
        const { loss, worstSum } = lossOfPredictions(model, example, shape);
        expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
        expect(worstSum).to.be.below(1e-12);
      });
});
