import { expect } from 'chai';
import { checkGradients, growableModelConformance } from '@diffstruct/core/testing';
import { randomSymbols, smallModel } from './test-support.js';

describe('CharRnnModel gradients', () => {
  for (const kernel of ['reference', 'simd-f64'] as const)
    for (const multiplierOnRecurrent of [false, true]) {
      for (const N of [1, 2, 3, 5, 8]) {
        for (const T of [1, 4, 9]) {
          it(`match finite differences with the ${kernel} kernel (N=${N}, T=${T}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`, () => {
            const seed = 100 * N + T;
            const model = smallModel(seed, N, T, { multiplierOnRecurrent, kernel });
            const example = randomSymbols(seed, T + 1);
            const carried = model.hiddenLayer.state.toArray();
            model.trainStep(example);
            model.hiddenLayer.state.data.set(carried);
            const parameters = model.layers.flatMap((l) => [...l.parameters()]);
            const result = checkGradients(parameters, () => model.evaluateLoss(example));
            expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
            expect(result.checked).to.equal(N * 4 + N * N + N + N + 4 * N + 4);
          });
        }
      }
    }

  it('carry the hidden state from one cycle to the next and forget it on reset', () => {
    const model = smallModel(1, 3, 5);
    const example = randomSymbols(1, 6);
    const first = model.evaluateLoss(example);
    model.trainStep(example);
    expect(model.evaluateLoss(example)).to.not.equal(first);
    model.resetState();
    expect([...model.hiddenLayer.state.toArray()]).to.deep.equal([0, 0, 0]);
  });
});

growableModelConformance('char-rnn', (seed) => ({ model: smallModel(seed, 3, 5), example: randomSymbols(seed, 6) }));
growableModelConformance('char-rnn, multiplier on the recurrent path', (seed) => ({
  model: smallModel(seed, 3, 5, { multiplierOnRecurrent: true }),
  example: randomSymbols(seed, 6),
}));
