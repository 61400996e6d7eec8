import { expect } from 'chai';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { randomSymbols } from '@diffstruct/layers/testing';
import { GRU_KERNELS } from './gru-kernels.js';
import { smallGru, V } from './test-support.js';

const GRADIENT_CHECK = { step: 1e-4, relativeFloor: 1e-5 };

for (const kernel of GRU_KERNELS) {
  describe(`GruModel (${kernel} kernel)`, () => {
    for (const multiplierOnRecurrent of [false, true])
      for (const N of [1, 2, 3, 6])
        for (const T of [1, 4, 9])
          it(`computes gradients that match finite differences (N=${N}, T=${T}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`, () => {
            const seed = 100 * N + T;
            const model = smallGru(seed, N, T, { multiplierOnRecurrent, kernel });
            const example = randomSymbols(seed, T + 1, V);
            const carried = model.gated.state.toArray();
            model.trainStep(example);
            model.gated.state.data.set(carried);
            const parameters = model.layers.flatMap((l) => [...l.parameters()]);
            // The smallest reset-gate entries are orders of magnitude below the largest: at the
            // default step (1e-5) the loss's round-off (~1e-16 · loss / step) dominates their
            // finite differences. At 1e-4,
            // truncation and round-off both stay ~1e-12, so the floor can be 1e-5 of the largest
            // entry (not the default 1e-3): an error of 0.1 % in a reset-gate entry of 1e-7 fails.
            const result = checkGradients(parameters, () => model.evaluateLoss(example), GRADIENT_CHECK);
            expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
            // Three N × V input matrices, three N × N recurrent ones, three biases, the multipliers, and the output's V × N + V.
            expect(result.checked).to.equal(3 * N * V + 3 * N * N + 3 * N + N + V * N + V);
          });

    it('with every weight and bias at zero, halves the state each step (z = g = ½, n = 0)', () => {
      const model = smallGru(1, 3, 5, { kernel });
      for (const p of model.layers.flatMap((l) => [...l.parameters()])) if (p.name !== 'm') p.value.fill(0);
      const before = model.gated.state.toArray();
      model.trainStep(randomSymbols(1, 6, V));
      const after = model.gated.state.toArray();
      for (let j = 0; j < 3; j++) expect(after[j]).to.be.closeTo(before[j] / 32, 1e-15);
    });

    it('with the update gate shut (z ≈ 1), carries the state through unchanged', () => {
      const model = smallGru(2, 3, 5, { kernel });
      model.gated.weights.bz.value.fill(50);
      for (const name of ['Wz', 'Uz'] as const) model.gated.weights[name].value.fill(0);
      const before = model.gated.state.toArray();
      model.trainStep(randomSymbols(2, 6, V));
      expect([...model.gated.state.toArray()].map((h, j) => h - before[j]).every((d) => Math.abs(d) < 1e-12)).to.equal(true);
    });

    it('carries the hidden state from one cycle to the next, leaves it alone when evaluating, and forgets it on reset', () => {
      const model = smallGru(3, 3, 5, { kernel });
      const example = randomSymbols(3, 6, V);
      const first = model.evaluateLoss(example);
      expect(model.evaluateLoss(example)).to.equal(first);
      model.trainStep(example);
      expect(model.evaluateLoss(example)).to.not.equal(first);
      model.resetState();
      expect([...model.gated.state.toArray()]).to.deep.equal([0, 0, 0]);
    });
  });

  growableModelConformance(`gru (${kernel} kernel)`, (seed) => ({ model: smallGru(seed, 3, 5, { kernel }), example: randomSymbols(seed, 6, V) }), {
    gradientCheck: GRADIENT_CHECK,
  });
  growableModelConformance(
    `gru (${kernel} kernel), multiplier on the recurrent path`,
    (seed) => ({ model: smallGru(seed, 3, 5, { multiplierOnRecurrent: true, kernel }), example: randomSymbols(seed, 6, V) }),
    { gradientCheck: GRADIENT_CHECK },
  );
}
