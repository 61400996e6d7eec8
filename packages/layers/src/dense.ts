/** Batched dense algebra on row-major typed arrays; nothing here allocates. */

/** z[r, o] = b[o] + Σ_i x[r, i] · W[o, i], for the first `batch` rows (b may be absent). */
export function affine(x: Float64Array, batch: number, inSize: number, W: Float64Array, outSize: number, b: Float64Array | null, z: Float64Array): void {
  for (let r = 0; r < batch; r++) {
    const xr = r * inSize;
    const zr = r * outSize;
    for (let o = 0; o < outSize; o++) {
      const wo = o * inSize;
      let sum = b ? b[o] : 0;
      for (let i = 0; i < inSize; i++) sum += x[xr + i] * W[wo + i];
      z[zr + o] = sum;
    }
  }
}

/**
 * The backward pass of `affine`: dW = dzᵀ x and db = Σ_r dz (overwritten), and dx = dz W when
 * `dx` is given (overwritten too).
 */
export function affineBackward(
  dz: Float64Array,
  batch: number,
  outSize: number,
  x: Float64Array,
  inSize: number,
  W: Float64Array,
  dW: Float64Array,
  db: Float64Array | null,
  dx: Float64Array | null,
): void {
  dW.fill(0, 0, outSize * inSize);
  if (db) db.fill(0, 0, outSize);
  if (dx) dx.fill(0, 0, batch * inSize);
  for (let r = 0; r < batch; r++) {
    const xr = r * inSize;
    const zr = r * outSize;
    for (let o = 0; o < outSize; o++) {
      const d = dz[zr + o];
      if (d === 0) continue;
      if (db) db[o] += d;
      const wo = o * inSize;
      for (let i = 0; i < inSize; i++) dW[wo + i] += d * x[xr + i];
      if (dx) for (let i = 0; i < inSize; i++) dx[xr + i] += d * W[wo + i];
    }
  }
}

/**
 * What computes `affine` and `affineBackward`: the plain TypeScript above (`REFERENCE_DENSE`), or a
 * faster kernel with the same results (`SimdDenseKernel`, WebAssembly SIMD), chosen by a model option.
 */
export interface DenseKernel {
  readonly name: DenseKernelName;
  readonly affine: typeof affine;
  readonly affineBackward: typeof affineBackward;
}

/** The dense kernels a model may choose between (`kernel:`); `simd-f64` reproduces `reference` bit for bit. */
export const DENSE_KERNELS = ['simd-f64', 'reference'] as const;
export type DenseKernelName = (typeof DENSE_KERNELS)[number];

/** The plain TypeScript loops: the definition every faster kernel is tested against. */
export const REFERENCE_DENSE: DenseKernel = { name: 'reference', affine, affineBackward };

/** A typed array of at least `length` entries: `current` if big enough, else a new one twice as big. */
export function atLeast(current: Float64Array, length: number): Float64Array {
  return current.length >= length ? current : new Float64Array(Math.max(length, 2 * current.length));
}
