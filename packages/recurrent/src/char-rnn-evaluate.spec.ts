import { expect } from 'chai';
import type { EvaluationTally, SequenceExample } from '@diffstruct/core';
import { consecutiveWindows, trainedBytes } from '@diffstruct/layers/testing';
import type { CharRnnModel } from './char-rnn-model.js';
import { RNN_KERNELS } from './rnn-kernel.js';
import { smallModel, V } from './test-support.js';

/**
 * The char RNN of docs/method.md#forward-pass written out once more, apart from every kernel: from
 * a zero state through consecutive windows, the summed loss, the steps whose most probable symbol
 * is the target, and the state at the end.
 */
function plainEvaluation(model: CharRnnModel, windows: readonly SequenceExample[]): EvaluationTally {
  const [Wxh, Whh, bh, m] = model.hiddenLayer.parameters().map((p) => p.value.toArray());
  const [Why, by] = model.layers[1].parameters().map((p) => p.value.toArray());
  const N = model.size;
  let h = new Array<number>(N).fill(0);
  const tally = { loss: 0, predictions: 0, correct: 0 };
  for (const { symbols } of windows) {
    for (let t = 0; t + 1 < symbols.length; t++) {
      h = h.map((_, i) => Math.tanh(Wxh[i * V + symbols[t]] + bh[i] + h.reduce((sum, hj, j) => sum + Whh[i * N + j] * hj, 0)));
      const y = Array.from({ length: V }, (_, v) => by[v] + h.reduce((sum, hj, j) => sum + Why[v * N + j] * m[j] * hj, 0));
      const logSum = Math.log(y.reduce((sum, yv) => sum + Math.exp(yv), 0));
      tally.loss += logSum - y[symbols[t + 1]];
      tally.predictions++;
      if (y.indexOf(Math.max(...y)) === symbols[t + 1]) tally.correct++;
    }
  }
  return tally;
}

const evaluateAll = (model: CharRnnModel, windows: readonly SequenceExample[]): EvaluationTally => {
  const tally = { loss: 0, predictions: 0, correct: 0 };
  windows.forEach((window, i) => model.evaluate(window, tally, i > 0));
  return tally;
};

// float32 keeps about 7 digits: over 3 windows of 12 steps the summed loss (~50 nats) agrees to 1e-4 relative.
const TOLERANCE = { reference: 1e-12, 'simd-f64': 1e-12, 'simd-f32': 1e-4 };

describe('CharRnnModel.evaluate', () => {
  for (const kernel of RNN_KERNELS) {
    it(`sums the loss, predictions and right guesses of consecutive windows from a zero state, as the forward pass written out plainly (${kernel} kernel)`, () => {
      const model = smallModel(7, 5, 12, { kernel });
      const windows = consecutiveWindows(7, 3, 13, V);
      const expected = plainEvaluation(model, windows);
      const tally = evaluateAll(model, windows);
      expect(tally.loss).to.be.closeTo(expected.loss, TOLERANCE[kernel] * expected.loss);
      expect(tally.predictions).to.equal(36);
      expect(tally.correct).to.equal(expected.correct);
      expect(expected.correct).to.be.within(1, 35);
    });

    it(`starts afresh when not continued, and continues its own state when continued (${kernel} kernel)`, () => {
      const model = smallModel(8, 4, 6, { kernel });
      const windows = consecutiveWindows(8, 2, 7, V);
      const tally = () => ({ loss: 0, predictions: 0, correct: 0 });
      const [fresh, afterFirst, again] = [tally(), tally(), tally()];
      model.evaluate(windows[1], fresh, false);
      model.evaluate(windows[0], tally(), false);
      model.evaluate(windows[1], afterFirst, true);
      model.evaluate(windows[1], again, false);
      expect(afterFirst.loss).to.be.closeTo(plainEvaluation(model, windows).loss - plainEvaluation(model, windows.slice(0, 1)).loss, 1e-4);
      expect(afterFirst.loss).not.to.equal(fresh.loss);
      expect(again).to.deep.equal(fresh);
    });

    it(`evaluates window by window with batch 3 as with batch 1: the same tally from the same weights, its training kernel left alone (${kernel} kernel)`, () => {
      const one = smallModel(11, 5, 8, { kernel });
      const parameters = (model: CharRnnModel) => model.layers.flatMap((l) => [...l.parameters()]);
      const withWeightsOfOne = (model: CharRnnModel) => {
        parameters(one).forEach((p, i) => parameters(model)[i].value.data.set(p.value.data));
        return model;
      };
      const three = withWeightsOfOne(smallModel(11, 5, 8, { kernel, batch: 3 }));
      const windows = consecutiveWindows(11, 4, 9, V);
      const expected = evaluateAll(one, windows);
      expect(evaluateAll(three, windows)).to.deep.equal(expected);
      // Training between evaluations (3 windows a cycle) changes neither side: the held-out figures stay, and so do the trained bytes.
      const training = consecutiveWindows(12, 4, 27, V);
      const plain = withWeightsOfOne(smallModel(11, 5, 8, { kernel, batch: 3 }));
      const state = (model: CharRnnModel) => () => model.hiddenLayer.state.toArray();
      const tally = { loss: 0, predictions: 0, correct: 0 };
      const withEvaluations = trainedBytes(three, training, state(three), () => windows.forEach((w, i) => three.evaluate(w, tally, i > 0)));
      expect(withEvaluations).to.equal(trainedBytes(plain, training, state(plain)));
      expect(tally.predictions).to.equal(4 * 4 * 8);
    });

    it(`leaves training alone: the same weights, gradients and carried state, byte for byte, with evaluations between the steps (${kernel} kernel)`, () => {
      const training = consecutiveWindows(9, 6, 9, V);
      const heldOut = consecutiveWindows(10, 2, 9, V);
      const plain = smallModel(9, 6, 8, { kernel });
      const evaluated = smallModel(9, 6, 8, { kernel });
      const state = (model: CharRnnModel) => () => model.hiddenLayer.state.toArray();
      const tally = { loss: 0, predictions: 0, correct: 0 };
      const withEvaluations = trainedBytes(evaluated, training, state(evaluated), (step) =>
        heldOut.forEach((window, i) => evaluated.evaluate(window, tally, step > 0 || i > 0)),
      );
      expect(withEvaluations).to.equal(trainedBytes(plain, training, state(plain)));
      expect(tally.predictions).to.equal(6 * 2 * 8);
    });
  }
});
