import { expect } from 'chai';
import { createTableExample, defaultsOf, RandomStream, type TableExample, type TaskShape } from '@diffstruct/core';
import { growableModelConformance } from '@diffstruct/core/testing';
import { __CONSTANT___OPTIONS, __Class__ } from './model.js';

const defaults = defaultsOf(__CONSTANT___OPTIONS);
const SHAPE: TaskShape = { kind: 'table', inputSize: 3, outputSize: 4, targets: 'classes' };

/** A batch of random rows with random classes. */
function randomRows(seed: number, rows = 5): TableExample {
  const random = new RandomStream(seed, 'rows');
  const example = createTableExample(SHAPE, rows);
  for (let i = 0; i < example.inputs.length; i++) example.inputs[i] = random.normal();
  for (let i = 0; i < rows; i++) example.labels[i] = random.int(SHAPE.outputSize);
  return example;
}

describe('__type__', () => {
  it('learns: the loss on a fixed batch falls under plain gradient descent', () => {
    const model = new __Class__({ ...defaults, hidden: 8 }, SHAPE, new RandomStream(1, 'init'));
    const example = randomRows(2, 16);
    const before = model.evaluateLoss(example);
    for (let step = 0; step < 200; step++) {
      model.trainStep(example);
      for (const p of model.layers[0].parameters()) for (let i = 0; i < p.length; i++) p.value.data[i] -= 0.5 * p.grad.data[i];
    }
    expect(model.evaluateLoss(example)).to.be.below(before / 2);
  });

  it('refuses a task whose examples it cannot read', () => {
    expect(() => new __Class__(defaults, { kind: 'sequence', inputSize: 3, outputSize: 3 }, new RandomStream(1, 'init'))).to.throw('needs a table task');
  });
});

// The contract every growable model keeps: arrays that follow every addition and removal,
// gradients that match finite differences (also after growth), unique ids, a checkpoint that
// restores it to continue bit for bit, no trace of a removed unit.
growableModelConformance('__type__', (seed) => ({
  model: new __Class__({ ...defaults, hidden: 3, maxHidden: 6 }, SHAPE, new RandomStream(seed, 'init')),
  example: randomRows(seed),
}));
