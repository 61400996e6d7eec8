import { expect } from 'chai';
import { type EvaluationTally, type Parameter, RandomStream } from '@diffstruct/core';
import { memoryOf } from '@diffstruct/layers';
import { Adagrad } from '@diffstruct/optimizers';
import { type CharRnnModel, type CharRnnOptions, IN_PLACE_BYTES } from './char-rnn-model.js';
import { createRnnKernel, type RnnKernel, type RnnWeights } from './rnn-kernel.js';
import { Region } from './simd-regions.js';
import { randomSymbols, smallModel } from './test-support.js';

const parametersOf = (model: CharRnnModel): Parameter[] => model.layers.flatMap((l) => [...l.parameters()]);

/** maxHidden whose parameters exceed IN_PLACE_BYTES: the model keeps plain arrays (Whh's value, gradient and slot alone pass it). */
const PAST_IN_PLACE = Math.ceil(Math.sqrt(IN_PLACE_BYTES / 24));

/** `cycles` Adagrad cycles, adding a unit every 7th and removing one every 11th; every parameter's values after each, then a held-out window's tally. */
function train(options: Partial<CharRnnOptions>, cycles: number): { model: CharRnnModel; values: Float64Array[]; tally: EvaluationTally } {
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
  // With batch > 1 evaluation runs on a kernel of its own, whose memory does not hold the parameters: copied in.
  const tally = { loss: 0, predictions: 0, correct: 0 };
  model.evaluate(randomSymbols(99, 7), tally, false);
  return { model, values, tally };
}

/** The address the kernel reads `region` from: a spec's look inside (the WebAssembly module is private). */
const regionAddress = (kernel: RnnKernel, region: Region): number =>
  (kernel as unknown as { wasm: { regionOf(region: Region): number } }).wasm.regionOf(region);

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
        expect(inPlace.tally).to.deep.equal(plain.tally);
      });

  it('the kernel reads the weights and writes the gradients where the arrays are, and gives what it gives copying them', () => {
    const d = { N: 5, V: 4, T: 6, multiplierOnRecurrent: false };
    const kernel = createRnnKernel('simd-f64');
    const arrays = kernel.inPlaceArrays!(d, 4096)!;
    const r = new RandomStream(3, 'weights');
    const draw = (length: number) => {
      const array = arrays.allocate(length);
      for (let i = 0; i < length; i++) array[i] = r.normal() * 0.5;
      return array;
    };
    const w: RnnWeights = { Whh: draw(25), Wxh: draw(20), bh: draw(5), m: draw(5), Why: draw(20), by: draw(4) };
    const g: RnnWeights = {
      Whh: arrays.allocate(25),
      Wxh: arrays.allocate(20),
      bh: arrays.allocate(5),
      m: arrays.allocate(5),
      Why: arrays.allocate(20),
      by: arrays.allocate(4),
    };
    const symbols = Int32Array.from({ length: 7 }, (_, t) => (t * 3) % 4);
    const h0 = new Float64Array(5).fill(0.25);
    const loss = kernel.forward(w, d, symbols, h0);
    kernel.backward(w, g, d, symbols);
    expect(regionAddress(kernel, Region.Whh)).to.equal(w.Whh!.byteOffset);
    expect(regionAddress(kernel, Region.gWhy)).to.equal(g.Why!.byteOffset);
    const copied = createRnnKernel('simd-f64');
    const plain = (x: RnnWeights) => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, Float64Array.from(v as Float64Array)])) as unknown as RnnWeights;
    const g2 = plain(g);
    expect(copied.forward(plain(w), d, symbols, h0)).to.equal(loss);
    copied.backward(plain(w), g2, d, symbols);
    for (const key of Object.keys(g) as (keyof RnnWeights)[]) expect([...g[key]!], key).to.deep.equal([...g2[key]!]);
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
    w.fill(0.1);
    const before = kernel.forward(weights, d(6), new Int32Array(6), new Float64Array(6));
    expect(() => kernel.forward(weights, d(7), new Int32Array(6), new Float64Array(7))).to.throw(/laid out for fewer units than 7/);
    expect(w.buffer).to.equal(memory!.buffer);
    expect(w.length).to.equal(36);
    // The refused layout moved the kernel's regions: the next cycle lays them out again, over nothing of the parameters'.
    expect(kernel.forward(weights, d(6), new Int32Array(6), new Float64Array(6))).to.equal(before);
    expect([...w]).to.deep.equal(new Array(36).fill(0.1));
  });
});
