import { expect } from 'chai';
import { defaultsOf, RandomStream } from '@diffstruct/core';
import { taskConformance } from '@diffstruct/core/testing';
import { __CONSTANT___OPTIONS, __Class__ } from './task.js';

const defaults = defaultsOf(__CONSTANT___OPTIONS);

describe('__type__', () => {
  it('classes each point by its distance from the centre', () => {
    const task = new __Class__({ radius: 0.5 }, new RandomStream(1, 'data'));
    const example = task.createExample({ batchSize: 200 });
    task.next(example);
    for (let row = 0; row < 200; row++) {
      const [x, y] = example.inputs.subarray(2 * row, 2 * row + 2);
      expect(example.labels[row], `row ${row}`).to.equal(x * x + y * y < 0.25 ? 1 : 0);
    }
  });
});

// The contract every task keeps: its shape, valid examples of the requested size, the same
// examples for the same stream, and exact continuation from saved state.
taskConformance('__type__', (random) => new __Class__(defaults, random));
