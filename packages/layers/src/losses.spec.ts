import { expect } from 'chai';
import { Parameter, RandomStream, type TaskShape } from '@diffstruct/core';
import { checkGradients } from '@diffstruct/core/testing';
import { correctClasses } from './losses.js';
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

  it('tallies held-out rows: the summed per-row loss, a prediction per row, rows whose largest logit is the label', () => {
    const classes = shapes[0];
    const example = randomRows(6, classes, 4);
    const logits = new Float64Array(4 * 5);
    // Rows 0 and 2 put their largest logit on the label, rows 1 and 3 elsewhere.
    for (let r = 0; r < 4; r++) logits[r * 5 + ((example.labels[r] + (r % 2)) % 5)] = 3;
    expect(correctClasses(logits, example.labels, 4, 5)).to.equal(2);
    const tally = { loss: 1, predictions: 10, correct: 3 };
    const loss = new TableLoss(classes);
    loss.tally(logits, example, tally);
    expect(tally).to.deep.equal({ loss: 1 + 4 * loss.of(logits, example, null), predictions: 14, correct: 5 });
    const values = shapes[1];
    const rows = randomRows(7, values, 4);
    const valueTally = { loss: 0, predictions: 0, correct: 0 };
    new TableLoss(values).tally(
      Float64Array.from(rows.targets, (t) => t + 0.5),
      rows,
      valueTally,
    );
    expect(valueTally.loss).to.be.closeTo(4 * 0.25, 1e-14);
    expect(valueTally).to.include({ predictions: 4, correct: 0 });
  });
});
