// Row-major float64 matrix loops on rows padded to whole vectors (two lanes), as in
// @diffstruct/recurrent's char-rnn kernel: a row is `rowBytes` long, a multiple of 16. Each keeps
// four independent vector accumulators in registers (more spill in V8); one-vector tiles take
// the rest of a row.

@inline function hsum(v: v128): f64 {
  return v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1);
}

@inline function addRowSum(out: usize, a: usize, b: usize, at: usize, sum: v128): void {
  store<f64>(out + at, load<f64>(a + at) + load<f64>(b + at) + hsum(sum));
}

/** out[i] = a[i] + b[i] + M[i]·x for the first `count` rows of M: four rows at a time. */
@inline export function dotRows(M: usize, rowBytes: usize, x: usize, count: i32, a: usize, b: usize, out: usize): void {
  const z = v128.splat<f64>(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r = M + <usize>i * rowBytes;
    let a0 = z, a1 = z, a2 = z, a3 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = v128.load(x + c);
      const p = r + c;
      a0 = v128.add<f64>(a0, v128.mul<f64>(v128.load(p), v));
      a1 = v128.add<f64>(a1, v128.mul<f64>(v128.load(p + rowBytes), v));
      a2 = v128.add<f64>(a2, v128.mul<f64>(v128.load(p + 2 * rowBytes), v));
      a3 = v128.add<f64>(a3, v128.mul<f64>(v128.load(p + 3 * rowBytes), v));
    }
    const at = <usize>i * 8;
    addRowSum(out, a, b, at, a0);
    addRowSum(out, a, b, at + 8, a1);
    addRowSum(out, a, b, at + 16, a2);
    addRowSum(out, a, b, at + 24, a3);
  }
  for (; i < count; i++) {
    const r = M + <usize>i * rowBytes;
    let a0 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) a0 = v128.add<f64>(a0, v128.mul<f64>(v128.load(r + c), v128.load(x + c)));
    addRowSum(out, a, b, <usize>i * 8, a0);
  }
}

/**
 * out = init + Σ_{k<count} R[k] · d[k·dStride] (a row; init may be out): Rᵀ·d in broadcast
 * form, from the row-major R without a transposed copy; four vectors at a time.
 */
@inline export function broadcastSum(R: usize, rowBytes: usize, d: usize, dStride: usize, count: i32, init: usize, out: usize): void {
  let c: usize = 0;
  for (; c + 64 <= rowBytes; c += 64) {
    let a0 = v128.load(init + c);
    let a1 = v128.load(init + c, 16);
    let a2 = v128.load(init + c, 32);
    let a3 = v128.load(init + c, 48);
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const s = v128.load64_splat(q);
      a0 = v128.add<f64>(a0, v128.mul<f64>(v128.load(p), s));
      a1 = v128.add<f64>(a1, v128.mul<f64>(v128.load(p, 16), s));
      a2 = v128.add<f64>(a2, v128.mul<f64>(v128.load(p, 32), s));
      a3 = v128.add<f64>(a3, v128.mul<f64>(v128.load(p, 48), s));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
    v128.store(out + c, a1, 16);
    v128.store(out + c, a2, 32);
    v128.store(out + c, a3, 48);
  }
  for (; c < rowBytes; c += 16) {
    let a0 = v128.load(init + c);
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      a0 = v128.add<f64>(a0, v128.mul<f64>(v128.load(p), v128.load64_splat(q)));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
  }
}

/**
 * Two rows of Σ_k d_k ⊗ R_k at once (rows 0 and 1 of `out` from d_k[0] and d_k[1], d_k at
 * d + k·dStride): a weight gradient summed over the steps in one pass; each loaded vector of R
 * feeds two accumulators, halving the loads per multiply-add.
 */
@inline export function outerSumPair(R: usize, rowBytes: usize, d: usize, dStride: usize, count: i32, out: usize): void {
  const z = v128.splat<f64>(0);
  let c: usize = 0;
  for (; c + 32 <= rowBytes; c += 32) {
    let a0 = z, a1 = z, b0 = z, b1 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const s = v128.load64_splat(q);
      const u = v128.load64_splat(q + 8);
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      a0 = v128.add<f64>(a0, v128.mul<f64>(x0, s));
      a1 = v128.add<f64>(a1, v128.mul<f64>(x1, s));
      b0 = v128.add<f64>(b0, v128.mul<f64>(x0, u));
      b1 = v128.add<f64>(b1, v128.mul<f64>(x1, u));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
    v128.store(out + c, a1, 16);
    v128.store(out + rowBytes + c, b0);
    v128.store(out + rowBytes + c, b1, 16);
  }
  for (; c < rowBytes; c += 16) {
    let a0 = z, b0 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const x0 = v128.load(p);
      a0 = v128.add<f64>(a0, v128.mul<f64>(x0, v128.load64_splat(q)));
      b0 = v128.add<f64>(b0, v128.mul<f64>(x0, v128.load64_splat(q + 8)));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
    v128.store(out + rowBytes + c, b0);
  }
}
