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

  for (const kernel of ['reference', 'simd-f64'] as const)
    for (const multiplierOnRecurrent of [false, true])
      for (const [N, T, batch] of [
        [1, 3, 2],
        [3, 4, 3],
        [5, 9, 4],
      ]) {
        it(`match finite differences with ${batch} windows a cycle, the ${kernel} kernel (N=${N}, T=${T}${multiplierOnRecurrent ? ', multiplier on the recurrent path' : ''})`, () => {
          const seed = 100 * N + T + batch;
          const model = smallModel(seed, N, T, { multiplierOnRecurrent, kernel, batch });
          const example = randomSymbols(seed, batch * (T + 1));
          const carried = model.hiddenLayer.state.toArray();
          model.trainStep(example);
          model.hiddenLayer.state.data.set(carried);
          const parameters = model.layers.flatMap((l) => [...l.parameters()]);
          const result = checkGradients(parameters, () => model.evaluateLoss(example));
          expect(result.maxRelativeError, JSON.stringify(result.worst)).to.be.below(1e-6);
          expect(result.checked).to.equal(N * 4 + N * N + N + N + 4 * N + 4);
        });
      }

  it('with B windows: the mean of B one-window models’ losses and gradients, each window carrying its own state', () => {
    const [N, T, batch] = [4, 5, 3];
    const model = smallModel(7, N, T, { batch, kernel: 'reference' });
    const example = randomSymbols(7, batch * (T + 1));
    const states = model.hiddenLayer.state.toArray();
    const loss = model.trainStep(example);
    const gradients = model.layers.flatMap((l) => l.parameters().map((p) => p.grad.toArray()));
    let meanLoss = 0;
    const meanGradients = gradients.map((g) => new Float64Array(g.length));
    for (let w = 0; w < batch; w++) {
      const one = smallModel(7, N, T, { kernel: 'reference' });
      for (const [i, p] of model.layers.flatMap((l) => [...l.parameters()]).entries())
        one.layers.flatMap((l) => [...l.parameters()])[i].value.data.set(p.value.toArray());
      for (let i = 0; i < N; i++) one.hiddenLayer.state.data[i] = states[i * batch + w];
      meanLoss += one.trainStep({ symbols: example.symbols.slice(w * (T + 1), (w + 1) * (T + 1)) }) / batch;
      one.layers.flatMap((l) => l.parameters().map((p) => p.grad.toArray())).forEach((g, k) => g.forEach((x, i) => (meanGradients[k][i] += x / batch)));
      for (let i = 0; i < N; i++) expect(model.hiddenLayer.state.data[i * batch + w], `window ${w}'s state`).to.equal(one.hiddenLayer.state.data[i]);
    }
    expect(loss).to.be.closeTo(meanLoss, 1e-12 * meanLoss);
    gradients.forEach((g, k) => g.forEach((x, i) => expect(x).to.be.closeTo(meanGradients[k][i], 1e-12 * (1 + Math.abs(x)))));
    expect(model.exampleRequest).to.deep.equal({ length: T + 1, sequences: batch });
    expect(smallModel(7, N, T).exampleRequest).to.deep.equal({ length: T + 1 });
  });

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
growableModelConformance('char-rnn, 2 windows a cycle', (seed) => ({ model: smallModel(seed, 3, 5, { batch: 2 }), example: randomSymbols(seed, 12) }));
