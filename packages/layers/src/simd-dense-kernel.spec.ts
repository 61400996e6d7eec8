import { expect } from 'chai';
import { RandomStream } from '@diffstruct/core';
import { affine, affineBackward } from './dense.js';
import { SimdDenseKernel } from './simd-dense-kernel.js';

/** `length` normal draws, with about one in five set to 0 (as relu's gradients are). */
function draws(r: RandomStream, length: number): Float64Array {
  return Float64Array.from({ length }, () => (r.int(5) === 0 ? 0 : r.normal()));
}

/** Exactly equal, bit for bit (Object.is tells +0 from −0): the stated tolerance of the SIMD kernel is none. */
function expectSameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  expect(actual.length, what).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) expect.fail(`${what}[${i}]: ${actual[i]} ≠ ${expected[i]}`);
}

describe('SimdDenseKernel (WebAssembly SIMD) against the TypeScript reference', () => {
  // Sizes around the kernel's tiles: rows in pairs, outputs in fours and pairs, features in fours.
  const shapes = [
    [1, 1, 1],
    [2, 4, 4],
    [3, 5, 7],
    [7, 13, 6],
    [32, 784, 10],
    [5, 9, 33],
  ];
  const kernel = new SimdDenseKernel();
  for (const [batch, inSize, outSize] of shapes) {
    for (const withBias of [true, false]) {
      it(`gives the reference's bits for ${batch} rows, ${inSize} → ${outSize}${withBias ? '' : ', no bias, no dx'}`, () => {
        const r = new RandomStream(batch * 1000 + inSize * 10 + outSize, 'dense');
        const x = draws(r, batch * inSize);
        const W = draws(r, outSize * inSize);
        const b = withBias ? draws(r, outSize) : null;
        const dz = draws(r, batch * outSize);
        // Arrays longer than used, as layers' buffers are: only the leading entries count.
        const spare = (n: number) => new Float64Array(n + 3).fill(Number.NaN);
        const [z, zRef] = [spare(batch * outSize), spare(batch * outSize)];
        kernel.affine(x, batch, inSize, W, outSize, b, z);
        affine(x, batch, inSize, W, outSize, b, zRef);
        expectSameBits(z.subarray(0, batch * outSize), zRef.subarray(0, batch * outSize), 'z');
        const [dW, dWRef] = [spare(outSize * inSize), spare(outSize * inSize)];
        const [db, dbRef] = withBias ? [spare(outSize), spare(outSize)] : [null, null];
        const [dx, dxRef] = withBias ? [spare(batch * inSize), spare(batch * inSize)] : [null, null];
        kernel.affineBackward(dz, batch, outSize, x, inSize, W, dW, db, dx);
        affineBackward(dz, batch, outSize, x, inSize, W, dWRef, dbRef, dxRef);
        expectSameBits(dW.subarray(0, outSize * inSize), dWRef.subarray(0, outSize * inSize), 'dW');
        if (db && dbRef) expectSameBits(db.subarray(0, outSize), dbRef.subarray(0, outSize), 'db');
        if (dx && dxRef) expectSameBits(dx.subarray(0, batch * inSize), dxRef.subarray(0, batch * inSize), 'dx');
      });
    }
  }

  it('grows its memory for a larger product and still agrees', () => {
    const r = new RandomStream(3, 'grow');
    const [batch, inSize, outSize] = [64, 300, 257];
    const x = draws(r, batch * inSize);
    const W = draws(r, outSize * inSize);
    const [z, zRef] = [new Float64Array(batch * outSize), new Float64Array(batch * outSize)];
    new SimdDenseKernel().affine(x, batch, inSize, W, outSize, null, z);
    affine(x, batch, inSize, W, outSize, null, zRef);
    expectSameBits(z, zRef, 'z');
  });
});
