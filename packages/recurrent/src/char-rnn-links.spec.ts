import { expect } from 'chai';
import type { EvaluationTally, Parameter, SequenceExample } from '@diffstruct/core';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { consecutiveWindows, samplerLoss } from '@diffstruct/layers/testing';
import { charRnnContribution } from './char-rnn-contribution.js';
import type { CharRnnModel, CharRnnOptions } from './char-rnn-model.js';
import { RNN_KERNELS, RNN_LINKS, type RnnLinks } from './rnn-kernel.js';
import { randomSymbols, smallModel, V } from './test-support.js';

const NEW_LINKS = ['modulatory', 'learned'] as const;
const parametersOf = (model: CharRnnModel): Parameter[] => model.layers.flatMap((l) => [...l.parameters()]);
const byName = (model: CharRnnModel) => Object.fromEntries(parametersOf(model).map((p) => [p.name, p.value.toArray()]));
const linked = (seed: number, N: number, T: number, links: RnnLinks, extra: Partial<CharRnnOptions> = {}) =>
  smallModel(seed, N, T, { kernel: 'reference', links, ...extra });

/** Parameter entries of the model: the additive ones, plus N² for each recurrent matrix more and N for the shares. */
function entryCount(N: number, links: RnnLinks): number {
  const recurrent = { additive: N * N, modulatory: N * N, learned: 2 * N * N + N }[links];
  return N * V + recurrent + N + N + V * N + V;
}

/**
 * docs/method.md#links written out once more, apart from the kernel: from a zero state through
 * consecutive windows, the summed loss and the steps whose most probable symbol is the target.
 */
function plainEvaluation(model: CharRnnModel, links: RnnLinks, windows: readonly SequenceExample[]): EvaluationTally {
  const w = byName(model);
  const N = model.size;
  const share = (i: number) => ({ additive: 1, modulatory: 0, learned: 1 / (1 + Math.exp(-(w.mix?.[i] ?? 0))) })[links];
  const dot = (M: Float64Array | undefined, i: number, r: number[]) => (M ? r.reduce((sum, rj, j) => sum + M[i * N + j] * rj, 0) : 0);
  let h = new Array<number>(N).fill(0);
  const tally = { loss: 0, predictions: 0, correct: 0 };
  for (const { symbols } of windows) {
    for (let t = 0; t + 1 < symbols.length; t++) {
      const r = h;
      h = h.map((_, i) => {
        const drive = w.Wxh[i * V + symbols[t]] + w.bh[i] + share(i) * dot(w.Whh, i, r);
        const gain = links === 'additive' ? 1 : 1 + (1 - share(i)) * Math.tanh(dot(w.Mhh, i, r));
        return Math.tanh(gain * drive);
      });
      const y = Array.from({ length: V }, (_, v) => w.by[v] + h.reduce((sum, hj, j) => sum + w.Why[v * N + j] * w.m[j] * hj, 0));
      const logSum = Math.log(y.reduce((sum, yv) => sum + Math.exp(yv), 0));
      tally.loss += logSum - y[symbols[t + 1]];
      tally.predictions++;
      if (y.indexOf(Math.max(...y)) === symbols[t + 1]) tally.correct++;
    }
  }
  return tally;
}

/**
 * After one training step from the carried state (which is then put back), every parameter's
 * gradient against finite differences of the loss on the same example, and every entry checked.
 */
function expectGradientsMatch(model: CharRnnModel, seed: number, N: number, T: number, batch: number, links: RnnLinks): void {
  const example = randomSymbols(seed, batch * (T + 1));
  const carried = model.hiddenLayer.state.toArray();
  model.trainStep(example);
  model.hiddenLayer.state.data.set(carried);
  const result = checkGradients(parametersOf(model), () => model.evaluateLoss(example));
  expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
  expect(result.checked).to.equal(entryCount(N, links));
}

describe('char-rnn links', () => {
  it('keeps the additive model as it was: no new parameter, and `links: additive` computes what no `links` does, bit for bit', () => {
    for (const kernel of ['reference', 'simd-f64'] as const) {
      const before = smallModel(3, 4, 6, { kernel });
      const additive = smallModel(3, 4, 6, { kernel, links: 'additive' });
      expect(parametersOf(additive).map((p) => p.name)).to.deep.equal(['Wxh', 'Whh', 'bh', 'm', 'Why', 'by']);
      const example = randomSymbols(3, 7);
      expect(additive.trainStep(example)).to.equal(before.trainStep(example));
      expect(parametersOf(additive).map((p) => [...p.grad.toArray()])).to.deep.equal(parametersOf(before).map((p) => [...p.grad.toArray()]));
      expect([...additive.additiveShares()]).to.deep.equal([1, 1, 1, 1]);
    }
  });

  it('gives modulatory links Mhh in place of Whh, and learned links both and a share per unit', () => {
    expect(parametersOf(linked(1, 3, 4, 'modulatory')).map((p) => p.name)).to.deep.equal(['Wxh', 'bh', 'm', 'Mhh', 'Why', 'by']);
    expect(parametersOf(linked(1, 3, 4, 'learned')).map((p) => p.name)).to.deep.equal(['Wxh', 'Whh', 'bh', 'm', 'Mhh', 'mix', 'Why', 'by']);
  });

  for (const links of NEW_LINKS) {
    for (const multiplierOnRecurrent of [false, true])
      for (const [N, T, batch] of [
        [1, 1, 1],
        [2, 4, 1],
        [5, 9, 1],
        [8, 4, 1],
        [3, 4, 3],
      ]) {
        const label = `${links} links (N=${N}, T=${T}${batch > 1 ? `, ${batch} windows` : ''}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`;
        it(`match finite differences in every parameter, multipliers included: ${label}`, () => {
          const seed = 100 * N + T + batch;
          expectGradientsMatch(linked(seed, N, T, links, { multiplierOnRecurrent, batch }), seed, N, T, batch, links);
        });
      }

    it(`computes the loss and the right guesses the equations written out plainly give (${links})`, () => {
      const model = linked(7, 5, 12, links);
      const windows = consecutiveWindows(7, 3, 13, V);
      const expected = plainEvaluation(model, links, windows);
      const tally = { loss: 0, predictions: 0, correct: 0 };
      windows.forEach((window, i) => model.evaluate(window, tally, i > 0));
      // The same sums in another order: float64 rounding only.
      expect(tally.loss).to.be.closeTo(expected.loss, 1e-12 * expected.loss);
      expect(tally).to.include({ predictions: 36, correct: expected.correct });
      model.resetState();
      expect(model.evaluateLoss(windows[0])).to.be.closeTo(plainEvaluation(model, links, windows.slice(0, 1)).loss, 1e-12 * expected.loss);
    });

    it(`samples from the probabilities its loss is made of (${links})`, () => {
      const T = 12;
      const model = linked(9, 6, T, links, { multiplierOnRecurrent: true });
      const { symbols } = randomSymbols(9, T + 1);
      model.resetState();
      const expected = model.evaluateLoss({ symbols });
      const { loss, worstSum } = samplerLoss(model, symbols, V);
      expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
      expect(worstSum).to.be.below(1e-12);
    });

    it(`leaves the loss exactly as it was when a unit added just before is removed (${links})`, () => {
      for (let seed = 1; seed <= 5; seed++) {
        const model = linked(seed, 4, 6, links);
        const [g] = model.growables;
        const example = randomSymbols(seed, 7);
        const before = model.evaluateLoss(example);
        const { index } = g.addUnit({ init: 'random', multiplier: 0.05 }, 1);
        expect(model.evaluateLoss(example)).to.not.equal(before);
        g.removeUnits([index]);
        expect(model.evaluateLoss(example)).to.equal(before);
      }
    });

    it(`starts an added unit with its own Mhh row and column drawn, and a share of ½ (${links})`, () => {
      const model = linked(4, 2, 3, links);
      for (const p of parametersOf(model)) p.slot('adagrad').fill(1);
      const { index } = model.growables[0].addUnit({ init: 'random', multiplier: 0.05 }, 7);
      const Mhh = model.hiddenLayer.Mhh!;
      expect(Mhh.value.get(index, 0)).to.not.equal(0);
      expect(Mhh.value.get(0, index)).to.not.equal(0);
      expect(Mhh.slot('adagrad').get(index, 1)).to.equal(0);
      expect(Mhh.slot('adagrad').get(0, 0)).to.equal(1);
      expect(model.additiveShares()[index]).to.equal(links === 'learned' ? 0.5 : 0);
      if (links === 'learned') expect(model.hiddenLayer.mix!.slot('adagrad').get(index, 0)).to.equal(0);
    });
  }

  it('reads each learned unit’s additive share as σ(mix)', () => {
    const model = linked(2, 3, 4, 'learned');
    model.hiddenLayer.mix!.value.data.set([0, Math.log(3), -Math.log(3)]);
    const shares = model.additiveShares();
    [0.5, 0.75, 0.25].forEach((share, i) => expect(shares[i]).to.be.closeTo(share, 1e-15));
    expect([...linked(2, 3, 4, 'modulatory').additiveShares()]).to.deep.equal([0, 0, 0]);
  });

  it('accepts every links with every kernel', () => {
    const options = (links: RnnLinks, kernel: CharRnnOptions['kernel']) =>
      ({ hidden: 1, maxHidden: 100, unroll: 40, initScale: 0.01, initialMultiplier: 1, multiplierOnRecurrent: false, kernel, links }) as const;
    for (const links of RNN_LINKS) for (const kernel of RNN_KERNELS) expect(charRnnContribution.check!(options(links, kernel))).to.deep.equal([]);
  });

  for (const links of NEW_LINKS)
    it(`match finite differences in every parameter through the simd-f64 kernel too (${links} links, 2 windows, multiplier on the recurrent path)`, () => {
      const [N, T, batch] = [6, 5, 2];
      expectGradientsMatch(smallModel(31, N, T, { kernel: 'simd-f64', links, multiplierOnRecurrent: true, batch }), 31, N, T, batch, links);
    });
});

for (const links of NEW_LINKS) {
  growableModelConformance(`char-rnn, ${links} links`, (seed) => ({ model: linked(seed, 3, 5, links), example: randomSymbols(seed, 6) }));
  growableModelConformance(`char-rnn, ${links} links, multiplier on the recurrent path, 2 windows a cycle`, (seed) => ({
    model: linked(seed, 3, 5, links, { multiplierOnRecurrent: true, batch: 2 }),
    example: randomSymbols(seed, 12),
  }));
}
