import { expect } from 'chai';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { Parameter } from '@diffstruct/core';
import { Adagrad, adagradStep } from './adagrad.js';
import { clipBound } from './clip.js';

describe('Adagrad', () => {
  it('clips each gradient entry, accumulates its square and scales the step by it', () => {
    const p = new Parameter('w', 1, 3);
    p.value.data.set([1, 1, 1]);
    p.grad.data.set([7, -0.5, -9]);
    new Adagrad({ learningRate: 0.1, epsilon: 1e-8, clip: 5 }).step([p]);
    expect([...p.grad.toArray()]).to.deep.equal([5, -0.5, -5]);
    expect([...p.slot('adagrad').toArray()]).to.deep.equal([25, 0.25, 25]);
    const expected = [1 - (0.1 * 5) / Math.sqrt(25 + 1e-8), 1 + (0.1 * 0.5) / Math.sqrt(0.25 + 1e-8), 1 + (0.1 * 5) / Math.sqrt(25 + 1e-8)];
    expect([...p.value.toArray()]).to.deep.equal(expected);
  });

  it('takes smaller steps as squared gradients accumulate', () => {
    const p = new Parameter('w', 1, 1);
    const optimizer = new Adagrad({ learningRate: 0.1, epsilon: 1e-8, clip: 5 });
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = p.value.data[0];
      p.grad.data[0] = 1;
      optimizer.step([p]);
      steps.push(before - p.value.data[0]);
    }
    expect(steps[0]).to.be.closeTo(0.1, 1e-9);
    expect(steps[1]).to.be.closeTo(0.1 / Math.SQRT2, 1e-9);
    expect(steps[2]).to.be.closeTo(0.1 / Math.sqrt(3), 1e-9);
  });

  it('does not clip when clip is 0', () => {
    const p = new Parameter('w', 1, 1);
    p.grad.data[0] = 100;
    new Adagrad({ learningRate: 0.1, epsilon: 0, clip: 0 }).step([p]);
    expect(p.slot('adagrad').data[0]).to.equal(10000);
  });

  it('allocates nothing per entry once compiled, nor does the TypeScript loop (a heap number per entry was a young-generation collection every few steps)', async () => {
    const p = new Parameter('w', 1000, 100);
    for (let i = 0; i < p.length; i++) p.grad.data[i] = Math.sin(i) * 8;
    for (const [name, clip] of [
      ['Adagrad', 5],
      ['Adagrad', 0],
      ['adagradStep', 5],
      ['adagradStep', 0],
    ] as const) {
      const optimizer = new Adagrad({ learningRate: 0.1, epsilon: 1e-8, clip });
      const memory = p.slot('adagrad').data;
      const step = () => (name === 'Adagrad' ? optimizer.step([p]) : adagradStep(p.value.data, p.grad.data, memory, p.length, 0.1, 1e-8, clipBound(clip)));
      for (let k = 0; k < 50; k++) step(); // compiled by now
      let collections = 0;
      // Young-generation collections only: a full one may come from what earlier tests left.
      const minor = (e: PerformanceEntry) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
      const observer = new PerformanceObserver((list) => {
        collections += list.getEntries().filter(minor).length;
      });
      observer.observe({ entryTypes: ['gc'] });
      // Boxed, 100 steps of 10⁵ entries would allocate 160 MB: dozens of collections (67 measured).
      for (let k = 0; k < 100; k++) step();
      await new Promise((resolve) => setTimeout(resolve, 20));
      observer.disconnect();
      expect(collections, `${name}, clip ${clip}`).to.be.below(10);
    }
  });
});
