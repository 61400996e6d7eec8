import { expect } from 'chai';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { randomSymbols } from '@diffstruct/layers/testing';
import { GRU_KERNELS } from './gru-kernels.js';
import { smallGru, V } from './test-support.js';

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
            // The reset gate's gradients are small (~1e-7) beside a loss of ~10, whose round-off puts
            // ~1e-15/step of noise on every finite difference: at a step of 1e-4 and the default floor
            // (1e-7) that alone exceeds 1e-6 (N=3, multiplier on the recurrent path). A step of 3e-4
            // and a floor of 1e-5 (below it, errors count as absolute: 1e-11) keep truncation and round-off below 1e-6.
            const result = checkGradients(parameters, () => model.evaluateLoss(example), 3e-4, 1e-5);
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

  growableModelConformance(`gru (${kernel} kernel)`, (seed) => ({ model: smallGru(seed, 3, 5, { kernel }), example: randomSymbols(seed, 6, V) }));
  growableModelConformance(`gru (${kernel} kernel), multiplier on the recurrent path`, (seed) => ({
    model: smallGru(seed, 3, 5, { multiplierOnRecurrent: true, kernel }),
    example: randomSymbols(seed, 6, V),
  }));
}
