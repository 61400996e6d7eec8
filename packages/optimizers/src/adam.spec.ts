import { expect } from 'chai';
import { Parameter } from '@diffstruct/core';
import { Adam } from './adam.js';

const options = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, clip: 5 };

describe('Adam', () => {
  it('takes a first step of learningRate · sign(g) (bias-corrected) and clips gradients', () => {
    const p = new Parameter('w', 1, 3);
    p.grad.data.set([7, -0.5, 0.003]);
    new Adam(options).step([p]);
    expect([...p.grad.toArray()]).to.deep.equal([5, -0.5, 0.003]);
    const values = [...p.value.toArray()];
    expect(values[0]).to.be.closeTo(-0.01, 1e-9);
    expect(values[1]).to.be.closeTo(0.01, 1e-9);
    expect(values[2]).to.be.closeTo(-0.01, 1e-7); // ε matters at |g| = 0.003
  });

  it('matches the textbook update over several steps', () => {
    const p = new Parameter('w', 1, 1);
    const adam = new Adam(options);
    let m = 0;
    let v = 0;
    let expected = 0;
    const grads = [1, -2, 0.5, 3];
    grads.forEach((g, k) => {
      p.grad.data[0] = g;
      adam.step([p]);
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const t = k + 1;
      expected -= (0.01 * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-8);
    });
    expect(p.value.data[0]).to.be.closeTo(expected, 1e-12);
  });

  it('counts steps per entry: a unit added later gets an unbiased first step too', () => {
    const p = new Parameter('w', 1, 1);
    const adam = new Adam(options);
    for (let k = 0; k < 5; k++) {
      p.grad.data[0] = 1;
      adam.step([p]);
    }
    p.insertRows(1);
    p.grad.data.set([0, 2]);
    adam.step([p]);
    expect([...p.slot('adam.t').toArray()]).to.deep.equal([6, 1]);
    expect(p.value.data[1]).to.be.closeTo(-0.01, 1e-9);
  });
});
