import { expect } from 'chai';
import { Parameter } from '@diffstruct/core';
import { createWasmMemory, MemoryArrays, type WasmMemory } from '@diffstruct/layers';
import { Adagrad, adagradStep } from './adagrad.js';
import { clipBound } from './clip.js';
import { SimdAdagrad } from './simd-adagrad.js';

/** A reproducible stream in [−1, 1). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 1073741824 - 1;
  };
}

/** Equal entry by entry, NaN to NaN and −0 to −0 (Object.is), with the first difference named. */
function expectSame(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  const at = actual.findIndex((a, i) => !Object.is(a, expected[i]));
  expect(at, `${what}: first difference at ${at}: ${actual[at]} against ${expected[at]}`).to.equal(-1);
}

describe('Adagrad in WebAssembly SIMD', () => {
  it('equals the TypeScript loop bit for bit: odd and even sizes, clipped entries, NaN, ±Infinity, −0, with and without a clip', () => {
    const next = numbers(7);
    for (const clip of [5, 0]) {
      const kernel = new SimdAdagrad();
      for (const count of [0, 1, 2, 3, 17, 1000, 10_003]) {
        const value = Float64Array.from({ length: count }, () => next());
        const memory = Float64Array.from({ length: count }, () => Math.abs(next()) * 3);
        const grads = Array.from({ length: 3 }, () => Float64Array.from({ length: count }, () => next() * 12));
        if (count > 5) grads[1].set([Number.NaN, Infinity, -Infinity, -0, 5]);
        const ours = { value: value.slice(), memory: memory.slice() };
        const theirs = { value: value.slice(), memory: memory.slice() };
        for (const grad of grads) {
          const [g1, g2] = [grad.slice(), grad.slice()];
          kernel.step(ours.value, g1, ours.memory, count, 0.1, 1e-8, clipBound(clip));
          adagradStep(theirs.value, g2, theirs.memory, count, 0.1, 1e-8, clipBound(clip));
          expectSame(g1, g2, `clip ${clip}, ${count} entries: the clipped gradient`);
        }
        expectSame(ours.value, theirs.value, `clip ${clip}, ${count} entries: the value`);
        expectSame(ours.memory, theirs.memory, `clip ${clip}, ${count} entries: the memory`);
      }
    }
  });

  it('updates in place, bit for bit as the TypeScript loop, arrays that live in one WebAssembly memory (and copies those split across memories)', () => {
    const next = numbers(5);
    const kernel = new SimdAdagrad();
    const count = 1001;
    const memory = createWasmMemory(2);
    const arrays = new MemoryArrays(memory, 64, 2 * 65536);
    const other = new MemoryArrays(createWasmMemory(1), 0, 65536);
    // Filled in place: `map` would return a plain array.
    const filled = (array: Float64Array, draw: () => number) => {
      for (let i = 0; i < array.length; i++) array[i] = draw();
      return array;
    };
    // A spec's look inside: the regions of the optimizer's own memory exist once it has copied something.
    const copiedSomething = () => (kernel as unknown as { regions?: unknown }).regions !== undefined;
    for (const split of [false, true]) {
      const value = filled(arrays.allocate(count), next);
      const grad = filled(arrays.allocate(count), () => next() * 12);
      const accumulated = filled((split ? other : arrays).allocate(count), () => Math.abs(next()));
      const expected = { value: value.slice(), grad: grad.slice(), memory: accumulated.slice() };
      kernel.step(value, grad, accumulated, count, 0.1, 1e-8, 5);
      expect(copiedSomething(), split ? 'split: copied' : 'one memory: in place').to.equal(split);
      adagradStep(expected.value, expected.grad, expected.memory, count, 0.1, 1e-8, 5);
      expectSame(value, expected.value, `${split ? 'split' : 'one memory'}: the value`);
      expectSame(grad, expected.grad, `${split ? 'split' : 'one memory'}: the clipped gradient`);
      expectSame(accumulated, expected.memory, `${split ? 'split' : 'one memory'}: the memory`);
    }
  });

  it('stays in place and bit for bit with parameters of two memories in turn, and never writes through arrays a growth emptied', () => {
    const next = numbers(9);
    const kernel = new SimdAdagrad();
    const count = 33;
    const copiedSomething = () => (kernel as unknown as { regions?: unknown }).regions !== undefined;
    type Triple = [Float64Array, Float64Array, Float64Array];
    /** Two parameters (value, gradient, Adagrad's memory) carved from the memory. */
    const carve = (memory: WasmMemory): Triple[] => {
      const arrays = new MemoryArrays(memory, 0, memory.buffer.byteLength);
      const triple = (): Triple => [arrays.allocate(count), arrays.allocate(count), arrays.allocate(count)];
      return [triple(), triple()];
    };
    const stepAndCompare = ([value, grad, accumulated]: Triple, what: string) => {
      for (let i = 0; i < count; i++) [value[i], grad[i], accumulated[i]] = [next(), next() * 12, Math.abs(next())];
      const expected = { value: value.slice(), grad: grad.slice(), memory: accumulated.slice() };
      kernel.step(value, grad, accumulated, count, 0.1, 1e-8, 5);
      adagradStep(expected.value, expected.grad, expected.memory, count, 0.1, 1e-8, 5);
      expectSame(value, expected.value, `${what}: the value`);
      expectSame(accumulated, expected.memory, `${what}: the memory`);
    };
    const first = createWasmMemory(1);
    const second = createWasmMemory(1);
    let [a, b] = [carve(first), carve(second)];
    // Each memory's second parameter follows its first: found, then the one kept.
    for (let round = 0; round < 3; round++) for (const [k, p] of [...a, ...b].entries()) stepAndCompare(p, `round ${round}, parameter ${k}`);
    stepAndCompare(a[0], 'the first memory last');
    expect(copiedSomething(), 'every update in place').to.equal(false);
    // Growing replaces the memory's buffer and empties every array carved from the old one.
    (first as WasmMemory & { grow(pages: number): number }).grow(1);
    const before = new Uint8Array(first.buffer).slice();
    const [value, grad, accumulated] = a[1];
    try {
      kernel.step(value, grad, accumulated, count, 0.1, 1e-8, 5);
    } catch {
      // Refusing is as good as doing nothing: what must not happen is a write at address 0.
    }
    expect(Buffer.from(first.buffer).equals(Buffer.from(before)), 'the grown memory untouched').to.equal(true);
    a = carve(first);
    for (const [k, p] of [...a, ...b].entries()) stepAndCompare(p, `after growth, parameter ${k}`);
  });

  it('touches only the first count entries of arrays with room to spare', () => {
    const kernel = new SimdAdagrad();
    const value = new Float64Array(9).fill(1);
    const grad = new Float64Array(9).fill(2);
    const memory = new Float64Array(9).fill(3);
    kernel.step(value, grad, memory, 5, 0.1, 1e-8, 5);
    expect([...value.subarray(5)]).to.deep.equal([1, 1, 1, 1]);
    expect([...grad.subarray(5)]).to.deep.equal([2, 2, 2, 2]);
    expect([...memory.subarray(5)]).to.deep.equal([3, 3, 3, 3]);
    expect(value[4]).to.equal(1 - (0.1 * 2) / Math.sqrt(7 + 1e-8));
  });

  it('follows parameters that grow and shrink, each with its own memory, as the TypeScript loop does', () => {
    const next = numbers(11);
    const make = () => [new Parameter('W', 3, 4), new Parameter('b', 3, 1)];
    const [ours, theirs] = [make(), make()];
    const optimizer = new Adagrad({ learningRate: 0.1, epsilon: 1e-8, clip: 5 });
    const reference = (ps: Parameter[]) => {
      for (const p of ps) adagradStep(p.value.data, p.grad.data, p.slot('adagrad').data, p.length, 0.1, 1e-8, 5);
    };
    for (let cycle = 0; cycle < 40; cycle++) {
      if (cycle === 10) for (const p of [...ours, ...theirs]) p.insertRows(1, 40); // more room: new arrays
      if (cycle === 25) for (const p of [...ours, ...theirs]) p.removeRows([0, 2, 5]);
      for (let k = 0; k < ours.length; k++) {
        for (let i = 0; i < ours[k].length; i++) ours[k].grad.data[i] = theirs[k].grad.data[i] = next() * 8;
      }
      optimizer.step(ours);
      reference(theirs);
    }
    for (let k = 0; k < ours.length; k++) {
      expectSame(ours[k].value.toArray(), theirs[k].value.toArray(), `${ours[k].name}: the value`);
      expectSame(ours[k].slot('adagrad').toArray(), theirs[k].slot('adagrad').toArray(), `${ours[k].name}: the memory`);
    }
  });
});
