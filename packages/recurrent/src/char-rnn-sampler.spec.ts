import { expect } from 'chai';
import { samplerLoss } from '@diffstruct/layers/testing';
import { randomSymbols, smallModel, V } from './test-support.js';

describe('char-rnn sequenceSampler', () => {
  for (const kernel of ['reference', 'simd-f64'] as const)
    for (const multiplierOnRecurrent of [false, true])
      it(`gives the probabilities the model's loss is made of, step by step from a zero state (${kernel}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`, () => {
        const T = 12;
        const model = smallModel(7, 6, T, { kernel, multiplierOnRecurrent });
        const { symbols } = randomSymbols(7, T + 1);
        model.resetState();
        const expected = model.evaluateLoss({ symbols });
        const { loss, worstSum } = samplerLoss(model, symbols, V);
        // The reference sums in the kernel's order; SIMD in another: float64 rounding only.
        expect(Math.abs(loss - expected) / expected).to.be.below(1e-12);
        expect(worstSum).to.be.below(1e-12);
      });

  it('samples one stream with batch 3 as with batch 1: the same loss from the same weights', () => {
    const one = smallModel(5, 6, 8);
    const three = smallModel(5, 6, 8, { batch: 3 });
    const parameters = (model: typeof one) => model.layers.flatMap((l) => [...l.parameters()]);
    parameters(one).forEach((p, i) => parameters(three)[i].value.data.set(p.value.data));
    const { symbols } = randomSymbols(5, 9);
    expect(samplerLoss(three, symbols, V)).to.deep.equal(samplerLoss(one, symbols, V));
  });

  it('starts again from zero on reset, and leaves the model’s own state alone', () => {
    const model = smallModel(3, 4, 5);
    const before = model.hiddenLayer.state.toArray();
    const { symbols } = randomSymbols(3, 6);
    const first = samplerLoss(model, symbols, V).loss;
    expect(samplerLoss(model, symbols, V).loss).to.equal(first);
    expect([...model.hiddenLayer.state.toArray()]).to.deep.equal([...before]);
  });
});
