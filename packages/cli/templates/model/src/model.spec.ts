import { expect } from 'chai';
import { defaultsOf, RandomStream, type TaskShape } from '@diffstruct/core';
import { growableModelConformance } from '@diffstruct/core/testing';
import { perturbParameters, randomRows } from '@diffstruct/layers/testing';
import { __CONSTANT___OPTIONS, __Class__ } from './model.js';

const defaults = defaultsOf(__CONSTANT___OPTIONS);
const CLASSES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 4, targets: 'classes' };
const VALUES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 2, targets: 'values' };

describe('__type__', () => {
  for (const shape of [CLASSES, VALUES])
    it(`learns ${shape.targets}: the loss on a fixed batch falls under plain gradient descent`, () => {
      const model = new __Class__({ ...defaults, hidden: 8 }, shape, new RandomStream(1, 'init'));
      const example = randomRows(2, shape, 16);
      const before = model.evaluateLoss(example);
      for (let step = 0; step < 200; step++) {
        model.trainStep(example);
        for (const p of model.layers[0].parameters()) for (let i = 0; i < p.length; i++) p.value.data[i] -= 0.2 * p.grad.data[i];
      }
      expect(model.evaluateLoss(example)).to.be.below(before / 2);
    });
});

/** A small model with multipliers and biases moved away from 1 and 0, where a wrong gradient term could hide. */
function smallModel(seed: number, shape: TaskShape): __Class__ {
  const model = new __Class__({ ...defaults, hidden: 3, maxHidden: 6 }, shape, new RandomStream(seed, 'init'));
  perturbParameters(model.layers[0].parameters(), seed, { multipliers: ['m'], biases: ['b1', 'b2'] });
  return model;
}

// The contract every growable model keeps: arrays that follow every addition and removal,
// gradients that match finite differences (also after growth), unique ids, a checkpoint that
// restores it to continue bit for bit, no trace of a removed unit.
for (const shape of [CLASSES, VALUES])
  growableModelConformance(`__type__ (${shape.targets})`, (seed) => ({ model: smallModel(seed, shape), example: randomRows(seed, shape, 5) }));
