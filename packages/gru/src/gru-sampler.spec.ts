import { expect } from 'chai';
import { randomSymbols, samplerLoss } from '@diffstruct/layers/testing';
import { smallGru, V } from './test-support.js';

describe('gru sequenceSampler', () => {
  for (const kernel of ['reference', 'simd-f64'] as const)
    for (const multiplierOnRecurrent of [false, true])
      it(`gives the probabilities the model's loss is made of, step by step from a zero state (${kernel}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`, () => {
        const T = 12;
        const model = smallGru(7, 6, T, { kernel, multiplierOnRecurrent });
        const { symbols } = randomSymbols(7, T + 1, V);
        model.resetState();
        const expected = model.evaluateLoss({ symbols });
        const { loss, worstSum } = samplerLoss(model, symbols, V);
        // The reference sums in the kernel's order; SIMD in another: float64 rounding only.
        expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
        expect(worstSum).to.be.below(1e-12);
      });
});
