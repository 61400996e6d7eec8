// Batched dense algebra (affine and its backward pass) as WebAssembly SIMD, float64. Every sum is
// taken in the order of the TypeScript reference (src/dense.ts) — the lanes run across outputs or
// features, never along a sum — and each step is a separate multiply and add (no fused
// multiply-add), so the results are the reference's bit for bit, on every machine.
// The JS side (src/simd-dense-kernel.ts) copies operands into this memory at addresses it lays out
// above `heapBase()`, after `reserve`; matrices are row-major and unpadded (loads are unaligned).

export { heapBase, reserve } from './heap';

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * z[r, o] = b[o] + Σ_i x[r, i] · W[o, i] for `batch` rows (b = 0: none). W is first transposed
 * into Wt (inSize × outSize), so that two outputs sit in one vector's lanes; rows go two at a
 * time, outputs four at a time (four accumulators), and each sum runs over i in order.
 */
export function affine(x: usize, batch: i32, inSize: i32, W: usize, outSize: i32, b: usize, z: usize, Wt: usize): void {
  for (let o = 0; o < outSize; o++) for (let i = 0; i < inSize; i++) store<f64>(at(Wt, i * outSize + o), load<f64>(at(W, o * inSize + i)));
  const zero = f64x2.splat(0);
  let r = 0;
  for (; r + 2 <= batch; r += 2) {
    const x0 = at(x, r * inSize);
    const x1 = x0 + (<usize>inSize << 3);
    const z0 = at(z, r * outSize);
    const z1 = z0 + (<usize>outSize << 3);
    let o = 0;
    for (; o + 4 <= outSize; o += 4) {
      let a0 = b ? v128.load(at(b, o)) : zero;
      let a1 = b ? v128.load(at(b, o), 16) : zero;
      let c0 = a0;
      let c1 = a1;
      let p = at(Wt, o);
      for (let i = 0; i < inSize; i++) {
        const w0 = v128.load(p);
        const w1 = v128.load(p, 16);
        const s = v128.load64_splat(at(x0, i));
        const u = v128.load64_splat(at(x1, i));
        a0 = f64x2.add(a0, f64x2.mul(s, w0));
        a1 = f64x2.add(a1, f64x2.mul(s, w1));
        c0 = f64x2.add(c0, f64x2.mul(u, w0));
        c1 = f64x2.add(c1, f64x2.mul(u, w1));
        p += <usize>outSize << 3;
      }
      v128.store(at(z0, o), a0);
      v128.store(at(z0, o), a1, 16);
      v128.store(at(z1, o), c0);
      v128.store(at(z1, o), c1, 16);
    }
    for (; o < outSize; o++) {
      store<f64>(at(z0, o), rowDot(x0, W, o, inSize, b));
      store<f64>(at(z1, o), rowDot(x1, W, o, inSize, b));
    }
  }
  for (; r < batch; r++) {
    const xr = at(x, r * inSize);
    const zr = at(z, r * outSize);
    let o = 0;
    for (; o + 2 <= outSize; o += 2) {
      let a0 = b ? v128.load(at(b, o)) : zero;
      let p = at(Wt, o);
      for (let i = 0; i < inSize; i++) {
        a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(xr, i)), v128.load(p)));
        p += <usize>outSize << 3;
      }
      v128.store(at(zr, o), a0);
    }
    for (; o < outSize; o++) store<f64>(at(zr, o), rowDot(xr, W, o, inSize, b));
  }
}

/** b[o] + Σ_i x[i] · W[o, i], one output in scalar: the tail of a row. */
@inline function rowDot(x: usize, W: usize, o: i32, inSize: i32, b: usize): f64 {
  let sum = b ? load<f64>(at(b, o)) : 0;
  const w = at(W, o * inSize);
  for (let i = 0; i < inSize; i++) sum += load<f64>(at(x, i)) * load<f64>(at(w, i));
  return sum;
}

/**
 * The backward pass of `affine`: dW = dzᵀ x and db = Σ_r dz (b = 0: none), and dx = dz W when
 * dx is not 0. Each entry is summed from 0 in the reference's order (over rows r for dW and db,
 * over outputs o for dx); the reference skips terms whose dz is 0, which adds nothing to a sum
 * that starts at +0 (finite operands), so the results agree bit for bit.
 */
export function affineBackward(dz: usize, batch: i32, outSize: i32, x: usize, inSize: i32, W: usize, dW: usize, db: usize, dx: usize): void {
  // dW[o, i..i+3] over rows in order, two outputs at a time; x's rows give the lanes.
  const zero = f64x2.splat(0);
  let o = 0;
  for (; o + 2 <= outSize; o += 2) {
    const w0 = at(dW, o * inSize);
    const w1 = w0 + (<usize>inSize << 3);
    let i = 0;
    for (; i + 4 <= inSize; i += 4) {
      let a0 = zero, a1 = zero, c0 = zero, c1 = zero;
      for (let r = 0; r < batch; r++) {
        const d = at(dz, r * outSize + o);
        const s = v128.load64_splat(d);
        const u = v128.load64_splat(d + 8);
        const p = at(x, r * inSize + i);
        const x0 = v128.load(p);
        const x1 = v128.load(p, 16);
        a0 = f64x2.add(a0, f64x2.mul(s, x0));
        a1 = f64x2.add(a1, f64x2.mul(s, x1));
        c0 = f64x2.add(c0, f64x2.mul(u, x0));
        c1 = f64x2.add(c1, f64x2.mul(u, x1));
      }
      v128.store(at(w0, i), a0);
      v128.store(at(w0, i), a1, 16);
      v128.store(at(w1, i), c0);
      v128.store(at(w1, i), c1, 16);
    }
    for (; i < inSize; i++) {
      store<f64>(at(w0, i), columnDot(dz, outSize, o, x, inSize, i, batch));
      store<f64>(at(w1, i), columnDot(dz, outSize, o + 1, x, inSize, i, batch));
    }
  }
  for (; o < outSize; o++) {
    const w0 = at(dW, o * inSize);
    for (let i = 0; i < inSize; i++) store<f64>(at(w0, i), columnDot(dz, outSize, o, x, inSize, i, batch));
  }
  if (db) {
    for (let k = 0; k < outSize; k++) {
      let sum = 0.0;
      for (let r = 0; r < batch; r++) sum += load<f64>(at(dz, r * outSize + k));
      store<f64>(at(db, k), sum);
    }
  }
  if (dx) inputGradient(dz, batch, outSize, W, inSize, dx);
}

/** Σ_r dz[r, o] · x[r, i] in order of r: a scalar entry of dW. */
@inline function columnDot(dz: usize, outSize: i32, o: i32, x: usize, inSize: i32, i: i32, batch: i32): f64 {
  let sum = 0.0;
  for (let r = 0; r < batch; r++) sum += load<f64>(at(dz, r * outSize + o)) * load<f64>(at(x, r * inSize + i));
  return sum;
}

/** dx[r, i] = Σ_o dz[r, o] · W[o, i] in order of o: two rows at a time, four features (W's row gives the lanes). */
function inputGradient(dz: usize, batch: i32, outSize: i32, W: usize, inSize: i32, dx: usize): void {
  const zero = f64x2.splat(0);
  let r = 0;
  for (; r + 2 <= batch; r += 2) {
    const d0 = at(dz, r * outSize);
    const d1 = d0 + (<usize>outSize << 3);
    const x0 = at(dx, r * inSize);
    const x1 = x0 + (<usize>inSize << 3);
    let i = 0;
    for (; i + 4 <= inSize; i += 4) {
      let a0 = zero, a1 = zero, c0 = zero, c1 = zero;
      let p = at(W, i);
      for (let o = 0; o < outSize; o++) {
        const s = v128.load64_splat(at(d0, o));
        const u = v128.load64_splat(at(d1, o));
        const w0 = v128.load(p);
        const w1 = v128.load(p, 16);
        a0 = f64x2.add(a0, f64x2.mul(s, w0));
        a1 = f64x2.add(a1, f64x2.mul(s, w1));
        c0 = f64x2.add(c0, f64x2.mul(u, w0));
        c1 = f64x2.add(c1, f64x2.mul(u, w1));
        p += <usize>inSize << 3;
      }
      v128.store(at(x0, i), a0);
      v128.store(at(x0, i), a1, 16);
      v128.store(at(x1, i), c0);
      v128.store(at(x1, i), c1, 16);
    }
    for (; i < inSize; i++) {
      store<f64>(at(x0, i), weightColumnDot(d0, W, outSize, inSize, i));
      store<f64>(at(x1, i), weightColumnDot(d1, W, outSize, inSize, i));
    }
  }
  for (; r < batch; r++) {
    const d0 = at(dz, r * outSize);
    const x0 = at(dx, r * inSize);
    for (let i = 0; i < inSize; i++) store<f64>(at(x0, i), weightColumnDot(d0, W, outSize, inSize, i));
  }
}

/** Σ_o d[o] · W[o, i] in order of o: a scalar entry of dx. */
@inline function weightColumnDot(d: usize, W: usize, outSize: i32, inSize: i32, i: i32): f64 {
  let sum = 0.0;
  for (let o = 0; o < outSize; o++) sum += load<f64>(at(d, o)) * load<f64>(at(W, o * inSize + i));
  return sum;
}
