import { expect } from 'chai';
import type { EvaluationTally, SequenceExample } from '@diffstruct/core';
import { consecutiveWindows, samplerLoss, trainedBytes } from '@diffstruct/layers/testing';
import type { AreasModel } from './areas-model.js';
import { CHAIN, smallAreas, V } from './test-support.js';

const evaluateAll = (model: AreasModel, windows: readonly SequenceExample[]): EvaluationTally => {
  const tally = { loss: 0, predictions: 0, correct: 0 };
  windows.forEach((window, i) => model.evaluate(window, tally, i > 0));
  return tally;
};

/** The windows joined into one (each starts with the last symbol of the one before). */
const joined = (windows: readonly SequenceExample[]): SequenceExample => ({
  symbols: Int32Array.from([windows[0].symbols[0], ...windows.flatMap((w) => [...w.symbols.subarray(1)])]),
});

/** How many next symbols the sampler's most probable one is, fed the symbols one by one from a zero state. */
function samplerCorrect(model: AreasModel, symbols: Int32Array): number {
  const sampler = model.sequenceSampler();
  const probabilities = new Float64Array(V);
  let correct = 0;
  sampler.reset();
  for (let t = 0; t + 1 < symbols.length; t++) {
    sampler.next(symbols[t], probabilities);
    if (probabilities.indexOf(Math.max(...probabilities)) === symbols[t + 1]) correct++;
  }
  return correct;
}

describe('AreasModel.evaluate and sequenceSampler', () => {
  it('gives the probabilities the loss is made of, step by step from a zero state', () => {
    const T = 10;
    const model = smallAreas(7, T, CHAIN);
    const [window] = consecutiveWindows(7, 1, T + 1, V);
    model.resetState();
    const expected = model.evaluateLoss(window);
    const { loss, worstSum } = samplerLoss(model, window.symbols, V);
    expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
    expect(worstSum).to.be.below(1e-12);
  });

  it('sums the loss of consecutive windows from a zero state as the sampler does over them joined, counting each prediction', () => {
    const T = 6;
    const model = smallAreas(8, T, CHAIN);
    const windows = consecutiveWindows(8, 3, T + 1, V);
    const tally = evaluateAll(model, windows);
    const { loss } = samplerLoss(model, joined(windows).symbols, V);
    expect(tally.loss).to.be.closeTo(loss, 1e-12 * loss);
    expect(tally.predictions).to.equal(18);
    expect(tally.correct).to.equal(samplerCorrect(model, joined(windows).symbols));
    const fresh = { loss: 0, predictions: 0, correct: 0 };
    model.evaluate(windows[1], fresh, false);
    const again = { loss: 0, predictions: 0, correct: 0 };
    model.evaluate(windows[1], again, false);
    expect(again).to.deep.equal(fresh);
    expect(fresh.loss).to.not.equal(tally.loss / 3);
  });

  it('leaves training alone: the same weights, gradients and carried state, byte for byte, with evaluations between the steps', () => {
    const training = consecutiveWindows(9, 6, 9, V);
    const heldOut = consecutiveWindows(10, 2, 9, V);
    const plain = smallAreas(9, 8, CHAIN);
    const evaluated = smallAreas(9, 8, CHAIN);
    const state = (model: AreasModel) => () => Float64Array.from(model.network.areas.flatMap((a) => [...a.state.toArray()]));
    const tally = { loss: 0, predictions: 0, correct: 0 };
    const withEvaluations = trainedBytes(evaluated, training, state(evaluated), (step) =>
      heldOut.forEach((window, i) => evaluated.evaluate(window, tally, step > 0 || i > 0)),
    );
    expect(withEvaluations).to.equal(trainedBytes(plain, training, state(plain)));
    expect(tally.predictions).to.equal(6 * 2 * 8);
  });
});
