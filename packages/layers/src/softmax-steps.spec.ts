import { expect } from 'chai';
import { Parameter, RandomStream } from '@diffstruct/core';
import { checkGradients } from '@diffstruct/core/testing';
import { SoftmaxOutputLayer } from './softmax-output-layer.js';
import { softmaxStepsCorrect } from './softmax-steps.js';
import { randomSymbols } from './testing.js';

/** A layer reading N units over T steps, with random weights and unit outputs (os as a parameter, to check ∂loss/∂os too). */
function fixture(seed: number, N: number, V: number, T: number) {
  const layer = new SoftmaxOutputLayer({ vocabularySize: V, units: N, capacity: N });
  const os = new Parameter('os', T, N);
  const r = new RandomStream(seed, 'fixture');
  for (const p of [layer.W, layer.b, os]) for (let i = 0; i < p.length; i++) p.value.data[i] = r.normal();
  const { symbols } = randomSymbols(seed, T + 1, V);
  return { layer, os, symbols };
}

describe('SoftmaxOutputLayer (softmaxSteps forward and backward)', () => {
  it('computes gradients of W, b and the unit outputs that match finite differences', () => {
    for (const [seed, N, V, T] of [
      [1, 3, 4, 5],
      [2, 1, 7, 1],
      [3, 6, 2, 9],
    ]) {
      const { layer, os, symbols } = fixture(seed, N, V, T);
      layer.forward(os.value.data, T, symbols, 1);
      layer.backward(os.value.data, T, symbols, 1, os.grad.data);
      const result = checkGradients([layer.W, layer.b, os], () => layer.forward(os.value.data, T, symbols, 1));
      expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-7);
    }
  });

  it('sums −log p(target) over the steps, each step predicting the symbol at offset', () => {
    const { layer, os, symbols } = fixture(4, 2, 3, 4);
    layer.W.value.fill(0);
    layer.b.value.fill(0);
    // With zero weights every step is a uniform guess: T · log V whatever the targets.
    expect(layer.forward(os.value.data, 4, symbols, 1)).to.be.closeTo(4 * Math.log(3), 1e-12);
    layer.b.value.data[symbols[1]] = 50;
    const steps = Array.from({ length: 4 }, (_, t) => symbols[t + 1] === symbols[1]);
    const loss = layer.forward(os.value.data, 4, symbols, 1);
    // A step whose target has the big bias costs ≈ 0; any other ≈ 50.
    expect(loss).to.be.closeTo(50 * steps.filter((hit) => !hit).length, 1e-9);
  });

  it('follows the units it reads as they grow', () => {
    const { layer, symbols } = fixture(5, 2, 3, 3);
    layer.W.insertColumns(1, 2);
    const r = new RandomStream(5, 'grown');
    for (let i = 0; i < layer.W.length; i++) layer.W.value.data[i] ||= r.normal();
    const os = new Parameter('os', 3, layer.W.cols);
    for (let i = 0; i < os.length; i++) os.value.data[i] = r.normal();
    layer.forward(os.value.data, 3, symbols, 1);
    layer.backward(os.value.data, 3, symbols, 1, os.grad.data);
    const result = checkGradients([layer.W, layer.b, os], () => layer.forward(os.value.data, 3, symbols, 1));
    expect(result.maxRelativeError).to.be.below(1e-7);
  });

  it('counts the steps whose most probable symbol is the target, the first of a tie', () => {
    const { layer, os, symbols } = fixture(6, 3, 5, 40);
    layer.forward(os.value.data, 40, symbols, 1);
    const ps = layer.probabilities;
    // Independently: a step is right when no symbol is more probable than the target and none before it as probable.
    let expected = 0;
    for (let t = 0; t < 40; t++) {
      const row = [...ps.subarray(t * 5, t * 5 + 5)];
      const target = symbols[t + 1];
      if (row.every((p, v) => p < row[target] || (p === row[target] && v >= target))) expected++;
    }
    expect(expected).to.be.within(1, 39);
    expect(softmaxStepsCorrect(ps, { V: 5, T: 40 }, symbols, 1)).to.equal(expected);
    const tie = new Float64Array([0.4, 0.4, 0.2, 0.5, 0.25, 0.25]);
    expect(softmaxStepsCorrect(tie, { V: 3, T: 2 }, Int32Array.from([9, 1, 0]), 1)).to.equal(1);
  });
});
