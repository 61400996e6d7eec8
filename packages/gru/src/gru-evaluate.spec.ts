import { expect } from 'chai';
import type { EvaluationTally, SequenceExample } from '@diffstruct/core';
import type { SoftmaxOutputLayer } from '@diffstruct/layers';
import { consecutiveWindows, trainedBytes } from '@diffstruct/layers/testing';
import { GRU_KERNELS } from './gru-kernels.js';
import type { GruModel } from './gru-model.js';
import { smallGru, V } from './test-support.js';

/**
 * What evaluation must add up, from the reference kernel's training pass (its loss, and its
 * output layer's per-step probabilities): a fresh model of the same seed, its carried state zeroed,
 * trained on the windows in turn without any weight update.
 */
function referenceEvaluation(seed: number, N: number, T: number, windows: readonly SequenceExample[]): EvaluationTally {
  const model = smallGru(seed, N, T, { kernel: 'reference' });
  model.resetState();
  const output = model.layers[1] as SoftmaxOutputLayer;
  const tally = { loss: 0, predictions: 0, correct: 0 };
  for (const { symbols } of windows) {
    tally.loss += model.trainStep({ symbols });
    for (let t = 0; t < T; t++) {
      const p = [...output.probabilities.subarray(t * V, (t + 1) * V)];
      tally.predictions++;
      if (p.indexOf(Math.max(...p)) === symbols[t + 1]) tally.correct++;
    }
  }
  return tally;
}

const evaluateAll = (model: GruModel, windows: readonly SequenceExample[]): EvaluationTally => {
  const tally = { loss: 0, predictions: 0, correct: 0 };
  windows.forEach((window, i) => model.evaluate(window, tally, i > 0));
  return tally;
};

describe('GruModel.evaluate', () => {
  for (const kernel of GRU_KERNELS) {
    it(`sums the loss, predictions and right guesses of consecutive windows from a zero state, as the reference kernel's pass does (${kernel} kernel)`, () => {
      const windows = consecutiveWindows(7, 3, 13, V);
      const expected = referenceEvaluation(7, 5, 12, windows);
      const tally = evaluateAll(smallGru(7, 5, 12, { kernel }), windows);
      // SIMD float64 differs from the reference only in the order of additions.
      expect(tally.loss).to.be.closeTo(expected.loss, 1e-12 * expected.loss);
      expect(tally.predictions).to.equal(36);
      expect(tally.correct).to.equal(expected.correct);
      expect(expected.correct).to.be.within(1, 35);
    });

    it(`starts afresh when not continued, and continues its own state when continued (${kernel} kernel)`, () => {
      const model = smallGru(8, 4, 6, { kernel });
      const windows = consecutiveWindows(8, 2, 7, V);
      const tally = () => ({ loss: 0, predictions: 0, correct: 0 });
      const [fresh, afterFirst, again] = [tally(), tally(), tally()];
      model.evaluate(windows[1], fresh, false);
      model.evaluate(windows[0], tally(), false);
      model.evaluate(windows[1], afterFirst, true);
      model.evaluate(windows[1], again, false);
      const both = referenceEvaluation(8, 4, 6, windows).loss;
      expect(afterFirst.loss).to.be.closeTo(both - referenceEvaluation(8, 4, 6, windows.slice(0, 1)).loss, 1e-9);
      expect(afterFirst.loss).not.to.equal(fresh.loss);
      expect(again).to.deep.equal(fresh);
    });

    it(`leaves training alone: the same weights, gradients and carried state, byte for byte, with evaluations between the steps (${kernel} kernel)`, () => {
      const training = consecutiveWindows(9, 6, 9, V);
      const heldOut = consecutiveWindows(10, 2, 9, V);
      const plain = smallGru(9, 6, 8, { kernel });
      const evaluated = smallGru(9, 6, 8, { kernel });
      const state = (model: GruModel) => () => model.gated.state.toArray();
      const tally = { loss: 0, predictions: 0, correct: 0 };
      const withEvaluations = trainedBytes(evaluated, training, state(evaluated), (step) =>
        heldOut.forEach((window, i) => evaluated.evaluate(window, tally, step > 0 || i > 0)),
      );
      expect(withEvaluations).to.equal(trainedBytes(plain, training, state(plain)));
      expect(tally.predictions).to.equal(6 * 2 * 8);
    });
  }
});
