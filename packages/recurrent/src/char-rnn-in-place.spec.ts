import { expect } from 'chai';
import { type Parameter, RandomStream } from '@diffstruct/core';
import { memoryOf } from '@diffstruct/layers';
import { Adagrad } from '@diffstruct/optimizers';
import { type CharRnnModel, type CharRnnOptions, IN_PLACE_BYTES } from './char-rnn-model.js';
import { createRnnKernel } from './rnn-kernel.js';
import { randomSymbols, smallModel } from './test-support.js';

const parametersOf = (model: CharRnnModel): Parameter[] => model.layers.flatMap((l) => [...l.parameters()]);

/** maxHidden whose parameters exceed IN_PLACE_BYTES: the model keeps plain arrays (Whh's value, gradient and slot alone pass it). */
const PAST_IN_PLACE = Math.ceil(Math.sqrt(IN_PLACE_BYTES / 24));

/** `cycles` Adagrad cycles, adding a unit every 7th and removing one every 11th; every parameter's values after each. */
function train(options: Partial<CharRnnOptions>, cycles: number): { model: CharRnnModel; values: Float64Array[] } {
  const model = smallModel(5, 3, 6, options);
  const adagrad = new Adagrad({ learningRate: 0.1, epsilon: 1e-8, clip: 5 });
  const [g] = model.growables;
  const r = new RandomStream(9, 'ops');
  const values: Float64Array[] = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    model.trainStep(randomSymbols(cycle, 6 * (options.batch ?? 1) + (options.batch ?? 1)));
    adagrad.step(parametersOf(model));
    if (cycle % 7 === 0) g.addUnit({ init: 'random', multiplier: 0.5 }, cycle);
    if (cycle % 11 === 0) g.removeUnits([r.int(g.size)]);
    for (const p of parametersOf(model)) values.push(p.value.toArray(), p.slot('adagrad').toArray());
  }
  return { model, values };
}

describe('char RNN parameters in the kernel memory', () => {
  for (const kernel of ['simd-f64', 'simd-f32'] as const)
    for (const links of ['additive', 'modulatory', 'learned'] as const)
      it(`${kernel}, ${links} links: value, gradient and Adagrad's memory live in the kernel's memory, and train bit for bit as plain arrays do, through growth`, () => {
        const options = { kernel, ...(links === 'additive' ? { batch: 2 } : { links }) };
        const inPlace = train(options, 40);
        const plain = train({ ...options, maxHidden: PAST_IN_PLACE }, 40);
        const memories = parametersOf(inPlace.model).flatMap((p) => [p.value.data, p.grad.data, p.slot('adagrad').data].map(memoryOf));
        expect(memories[0]).to.not.equal(undefined);
        expect(new Set(memories).size).to.equal(1);
        for (const p of parametersOf(plain.model)) expect(memoryOf(p.value.data), p.name).to.equal(undefined);
        expect(inPlace.values.length).to.equal(plain.values.length);
        inPlace.values.forEach((v, k) => expect([...v], `array ${k}`).to.deep.equal([...plain.values[k]]));
      });

  it('the reference kernel keeps plain arrays', () => {
    const model = smallModel(5, 3, 6, { kernel: 'reference' });
    for (const p of parametersOf(model)) expect(memoryOf(p.value.data), p.name).to.equal(undefined);
  });

  it('a kernel holding parameters refuses more units than it was laid out for (the memory never grows under them)', () => {
    const kernel = createRnnKernel('simd-f64');
    const d = (N: number) => ({ N, V: 4, T: 5, multiplierOnRecurrent: false });
    const arrays = kernel.inPlaceArrays!(d(6), 4096)!;
    const w = arrays.allocate(36);
    const memory = memoryOf(w);
    const weights = { Whh: w, Wxh: new Float64Array(28), bh: new Float64Array(7), m: new Float64Array(7), Why: new Float64Array(28), by: new Float64Array(4) };
    kernel.forward(weights, d(6), new Int32Array(6), new Float64Array(6));
    expect(() => kernel.forward(weights, d(7), new Int32Array(6), new Float64Array(7))).to.throw(/laid out for fewer units than 7/);
    expect(memoryOf(w)).to.equal(memory);
    expect(w.length).to.equal(36);
  });
});
