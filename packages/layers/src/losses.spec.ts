import { expect } from 'chai';
import { Parameter, RandomStream, type TaskShape } from '@diffstruct/core';
import { checkGradients } from '@diffstruct/core/testing';
import { TableLoss } from './table-loss.js';
import { randomRows } from './testing.js';

describe('TableLoss (softmaxCrossEntropy, meanSquaredError)', () => {
  const shapes: TaskShape[] = [
    { kind: 'table', inputSize: 2, outputSize: 5, targets: 'classes' },
    { kind: 'table', inputSize: 2, outputSize: 3, targets: 'values' },
  ];
  for (const shape of shapes)
    it(`gives ∂loss/∂outputs that match finite differences (${shape.targets})`, () => {
      const example = randomRows(3, shape, 4);
      const outputs = new Parameter('outputs', 4, shape.outputSize);
      const r = new RandomStream(3, 'outputs');
      for (let i = 0; i < outputs.length; i++) outputs.value.data[i] = 2 * r.normal();
      const loss = new TableLoss(shape);
      loss.of(outputs.value.data, example, outputs.grad.data);
      const result = checkGradients([outputs], () => loss.of(outputs.value.data, example, null));
      expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-7);
    });

  it('starts from a uniform guess over the classes: log C, the mean over rows of equal logits', () => {
    const shape = shapes[0];
    const loss = new TableLoss(shape);
    expect(loss.chanceLoss).to.equal(Math.log(5));
    expect(loss.of(new Float64Array(4 * 5), randomRows(4, shape, 4), null)).to.be.closeTo(Math.log(5), 1e-15);
  });

  it('is the mean of squared errors for values', () => {
    const shape = shapes[1];
    const example = randomRows(5, shape, 4);
    const outputs = Float64Array.from(example.targets, (t) => t + 0.5);
    expect(new TableLoss(shape).of(outputs, example, null)).to.be.closeTo(0.25, 1e-15);
  });
});
