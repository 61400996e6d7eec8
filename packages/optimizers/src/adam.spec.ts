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

  it('gives each entry the textbook update of its own step count, bit for bit, when counts are interleaved', () => {
    // Rows added between old ones (and two parameters of other ages) leave step counts that change
    // from entry to entry and back, so a bias correction reused across entries would show here.
    const a = new Parameter('a', 2, 3);
    const b = new Parameter('b', 1, 2);
    const adam = new Adam(options);
    const state = new Map<Parameter, { m: number[]; v: number[]; t: number[]; w: number[] }>();
    const textbookStep = (p: Parameter) => {
      const s = state.get(p)!;
      for (let i = 0; i < p.length; i++) {
        const g = Math.max(-5, Math.min(5, p.grad.data[i]));
        const t = ++s.t[i];
        s.m[i] = 0.9 * s.m[i] + (1 - 0.9) * g;
        s.v[i] = 0.999 * s.v[i] + (1 - 0.999) * g * g;
        s.w[i] -= (0.01 * (s.m[i] / (1 - 0.9 ** t))) / (Math.sqrt(s.v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    };
    const track = (p: Parameter) =>
      state.set(p, { m: Array(p.length).fill(0), v: Array(p.length).fill(0), t: Array(p.length).fill(0), w: [...p.value.toArray()] });
    const gradients = (p: Parameter, k: number) => p.grad.data.forEach((_, i) => (p.grad.data[i] = Math.sin(7 * k + 3 * i) * (1 + i)));
    track(b);
    for (let k = 0; k < 3; k++) {
      gradients(b, k);
      adam.step([b]);
      textbookStep(b);
    }
    track(a);
    for (let k = 0; k < 6; k++) {
      if (k === 2) {
        a.insertRows(1, 1); // a new row between the two old ones
        const s = state.get(a)!;
        for (const list of [s.m, s.v, s.t]) list.splice(3, 0, 0, 0, 0);
        s.w.splice(3, 0, ...a.value.toArray().slice(3, 6));
      }
      gradients(a, k);
      gradients(b, k + 3);
      adam.step([a, b]);
      textbookStep(a);
      textbookStep(b);
    }
    expect([...a.slot('adam.t').toArray()]).to.deep.equal([6, 6, 6, 4, 4, 4, 6, 6, 6]);
    expect([...a.value.toArray()]).to.deep.equal(state.get(a)!.w);
    expect([...b.value.toArray()]).to.deep.equal(state.get(b)!.w);
  });
});
