// Row-major matrix loops for the WebAssembly SIMD kernels of models, generic over the element type
// F (f64: two lanes, f32: four). Import it as '@diffstruct/layers/assembly/simd-rows'. A row is
// `rowBytes` long, a multiple of 16 (rows padded to whole vectors with zeros), passed in rather
// than read from a kernel's globals. Everything is @inline: inlined into the caller, these compile
// to the same code as loops written in the kernel itself. Each loop keeps six independent
// vector accumulators in registers (the char RNN's kernel 4–7 % faster than with four; eight
// measured slower: V8 spills them): tiles of six rows or vectors, then four, three, two and one
// (outerSumPair: two rows of three vectors, then two, then one). A lone row or vector at the end
// is one chain of dependent adds: the tiles of three and two keep N = 27's last rows side by side.
// Each output is summed in the same order whatever the tile, so results do not change with it.

/** The lanes of v summed in float64 (an f32 row's dot product is summed, then rounded once). */
@inline function hsum<F>(v: v128): f64 {
  if (sizeof<F>() == 8) return v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1);
  return <f64>v128.extract_lane<f32>(v, 0) + <f64>v128.extract_lane<f32>(v, 1) + <f64>v128.extract_lane<f32>(v, 2) + <f64>v128.extract_lane<f32>(v, 3);
}

/** x[0] in every lane, in one instruction. */
@inline function splatLoad<F>(ptr: usize): v128 {
  if (sizeof<F>() == 8) return v128.load64_splat(ptr);
  return v128.load32_splat(ptr);
}

@inline function addRowSum<F>(out: usize, a: usize, b: usize, at: usize, sum: v128): void {
  store<F>(out + at, <F>(<f64>load<F>(a + at) + <f64>load<F>(b + at) + hsum<F>(sum)));
}

/**
 * out[i] = a[i] + b[i] + M[i]·x for the first `count` rows of M: six rows at a time. Its tiles are
 * written out: through one tile function, as broadcastSum's, the char RNN's kernel ran 1 % slower
 * at N = 100.
 */
@inline export function dotRows<F>(M: usize, rowBytes: usize, x: usize, count: i32, a: usize, b: usize, out: usize): void {
  const S = sizeof<F>();
  const z = v128.splat<F>(<F>0);
  let i = 0;
  for (; i + 6 <= count; i += 6) {
    const r = M + <usize>i * rowBytes;
    let a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = v128.load(x + c);
      const p = r + c;
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), v));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p + rowBytes), v));
      a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p + 2 * rowBytes), v));
      a3 = v128.add<F>(a3, v128.mul<F>(v128.load(p + 3 * rowBytes), v));
      a4 = v128.add<F>(a4, v128.mul<F>(v128.load(p + 4 * rowBytes), v));
      a5 = v128.add<F>(a5, v128.mul<F>(v128.load(p + 5 * rowBytes), v));
    }
    const at = <usize>i * S;
    addRowSum<F>(out, a, b, at, a0);
    addRowSum<F>(out, a, b, at + S, a1);
    addRowSum<F>(out, a, b, at + 2 * S, a2);
    addRowSum<F>(out, a, b, at + 3 * S, a3);
    addRowSum<F>(out, a, b, at + 4 * S, a4);
    addRowSum<F>(out, a, b, at + 5 * S, a5);
  }
  for (; i + 4 <= count; i += 4) {
    const r = M + <usize>i * rowBytes;
    let a0 = z, a1 = z, a2 = z, a3 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = v128.load(x + c);
      const p = r + c;
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), v));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p + rowBytes), v));
      a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p + 2 * rowBytes), v));
      a3 = v128.add<F>(a3, v128.mul<F>(v128.load(p + 3 * rowBytes), v));
    }
    const at = <usize>i * S;
    addRowSum<F>(out, a, b, at, a0);
    addRowSum<F>(out, a, b, at + S, a1);
    addRowSum<F>(out, a, b, at + 2 * S, a2);
    addRowSum<F>(out, a, b, at + 3 * S, a3);
  }
  if (i + 3 <= count) {
    const r = M + <usize>i * rowBytes;
    let a0 = z, a1 = z, a2 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = v128.load(x + c);
      const p = r + c;
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), v));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p + rowBytes), v));
      a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p + 2 * rowBytes), v));
    }
    const at = <usize>i * S;
    addRowSum<F>(out, a, b, at, a0);
    addRowSum<F>(out, a, b, at + S, a1);
    addRowSum<F>(out, a, b, at + 2 * S, a2);
    i += 3;
  }
  if (i + 2 <= count) {
    const r = M + <usize>i * rowBytes;
    let a0 = z, a1 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const v = v128.load(x + c);
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(r + c), v));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(r + c + rowBytes), v));
    }
    const at = <usize>i * S;
    addRowSum<F>(out, a, b, at, a0);
    addRowSum<F>(out, a, b, at + S, a1);
    i += 2;
  }
  for (; i < count; i++) {
    const r = M + <usize>i * rowBytes;
    let a0 = z;
    for (let c: usize = 0; c < rowBytes; c += 16) a0 = v128.add<F>(a0, v128.mul<F>(v128.load(r + c), v128.load(x + c)));
    addRowSum<F>(out, a, b, <usize>i * S, a0);
  }
}

/**
 * Vectors c to c + W − 1 (W from 1 to 6, a constant) of broadcastSum's row, W accumulators in
 * registers. Every `if (W > …)` is decided when the function is inlined: each width compiles to
 * its own loop.
 */
@inline function broadcastTile<F>(R: usize, rowBytes: usize, d: usize, dStride: usize, count: i32, init: usize, out: usize, c: usize, W: i32): void {
  const z = v128.splat<F>(<F>0);
  let a0 = v128.load(init + c);
  let a1 = W > 1 ? v128.load(init + c, 16) : z;
  let a2 = W > 2 ? v128.load(init + c, 32) : z;
  let a3 = W > 3 ? v128.load(init + c, 48) : z;
  let a4 = W > 4 ? v128.load(init + c, 64) : z;
  let a5 = W > 5 ? v128.load(init + c, 80) : z;
  let p = R + c;
  let q = d;
  for (let k = 0; k < count; k++) {
    const s = splatLoad<F>(q);
    a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), s));
    if (W > 1) a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p, 16), s));
    if (W > 2) a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p, 32), s));
    if (W > 3) a3 = v128.add<F>(a3, v128.mul<F>(v128.load(p, 48), s));
    if (W > 4) a4 = v128.add<F>(a4, v128.mul<F>(v128.load(p, 64), s));
    if (W > 5) a5 = v128.add<F>(a5, v128.mul<F>(v128.load(p, 80), s));
    p += rowBytes;
    q += dStride;
  }
  v128.store(out + c, a0);
  if (W > 1) v128.store(out + c, a1, 16);
  if (W > 2) v128.store(out + c, a2, 32);
  if (W > 3) v128.store(out + c, a3, 48);
  if (W > 4) v128.store(out + c, a4, 64);
  if (W > 5) v128.store(out + c, a5, 80);
}

/**
 * out = init + Σ_{k<count} R[k] · d[k·dStride] (a row; init may be out, or a row of zeros): Rᵀ·d
 * in broadcast form, from the row-major R without a transposed copy; six vectors at a time, then
 * the rest side by side.
 */
@inline export function broadcastSum<F>(R: usize, rowBytes: usize, d: usize, dStride: usize, count: i32, init: usize, out: usize): void {
  let c: usize = 0;
  for (; c + 96 <= rowBytes; c += 96) broadcastTile<F>(R, rowBytes, d, dStride, count, init, out, c, 6);
  if (c + 64 <= rowBytes) {
    broadcastTile<F>(R, rowBytes, d, dStride, count, init, out, c, 4);
    c += 64;
  }
  if (c + 48 <= rowBytes) {
    broadcastTile<F>(R, rowBytes, d, dStride, count, init, out, c, 3);
    c += 48;
  }
  if (c + 32 <= rowBytes) {
    broadcastTile<F>(R, rowBytes, d, dStride, count, init, out, c, 2);
    c += 32;
  }
  if (c < rowBytes) broadcastTile<F>(R, rowBytes, d, dStride, count, init, out, c, 1);
}

/**
 * Two rows of Σ_k d_k ⊗ R_k at once (rows 0 and 1 of `out` from d_k[0] and d_k[1], d_k at
 * d + k·dStride): a weight gradient summed over the steps in one pass; each loaded vector of R
 * feeds two accumulators, halving the loads per multiply-add; three vectors a row at a time.
 */
@inline export function outerSumPair<F>(R: usize, rowBytes: usize, d: usize, dStride: usize, count: i32, out: usize): void {
  const S = sizeof<F>();
  const z = v128.splat<F>(<F>0);
  let c: usize = 0;
  for (; c + 48 <= rowBytes; c += 48) {
    let a0 = z, a1 = z, a2 = z, b0 = z, b1 = z, b2 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const s = splatLoad<F>(q);
      const u = splatLoad<F>(q + S);
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      const x2 = v128.load(p, 32);
      a0 = v128.add<F>(a0, v128.mul<F>(x0, s));
      a1 = v128.add<F>(a1, v128.mul<F>(x1, s));
      a2 = v128.add<F>(a2, v128.mul<F>(x2, s));
      b0 = v128.add<F>(b0, v128.mul<F>(x0, u));
      b1 = v128.add<F>(b1, v128.mul<F>(x1, u));
      b2 = v128.add<F>(b2, v128.mul<F>(x2, u));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
    v128.store(out + c, a1, 16);
    v128.store(out + c, a2, 32);
    v128.store(out + rowBytes + c, b0);
    v128.store(out + rowBytes + c, b1, 16);
    v128.store(out + rowBytes + c, b2, 32);
  }
  for (; c + 32 <= rowBytes; c += 32) {
    let a0 = z, a1 = z, b0 = z, b1 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const s = splatLoad<F>(q);
      const u = splatLoad<F>(q + S);
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      a0 = v128.add<F>(a0, v128.mul<F>(x0, s));
      a1 = v128.add<F>(a1, v128.mul<F>(x1, s));
      b0 = v128.add<F>(b0, v128.mul<F>(x0, u));
      b1 = v128.add<F>(b1, v128.mul<F>(x1, u));
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
      a0 = v128.add<F>(a0, v128.mul<F>(x0, splatLoad<F>(q)));
      b0 = v128.add<F>(b0, v128.mul<F>(x0, splatLoad<F>(q + S)));
      p += rowBytes;
      q += dStride;
    }
    v128.store(out + c, a0);
    v128.store(out + rowBytes + c, b0);
  }
}

/**
 * a += r and b += r over `bytes` (a multiple of 16): a step's δ into a bias gradient and into the
 * input-weight gradient's column of that step's one-hot input, in one pass over δ.
 */
@inline export function addRowToBoth<F>(r: usize, a: usize, b: usize, bytes: usize): void {
  for (let c: usize = 0; c < bytes; c += 16) {
    const d = v128.load(r + c);
    v128.store(a + c, v128.add<F>(v128.load(a + c), d));
    v128.store(b + c, v128.add<F>(v128.load(b + c), d));
  }
}

/** Lanes 2 and 3 of an f32x4 as an f64x2. */
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i64>(v, v, 1, 0));
}

/**
 * to[j] = from[j] for `count` float64s into a row of F (rounded once to float32): a kernel's
 * weights into its working copy, by whole vectors (the same rounding as element by element).
 */
@inline export function rowFrom64<F>(to: usize, from: usize, count: i32): void {
  if (sizeof<F>() == 8) {
    memory.copy(to, from, <usize>count * 8);
    return;
  }
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const p = from + <usize>j * 8;
    const low = f32x4.demote_f64x2_zero(v128.load(p));
    const high = f32x4.demote_f64x2_zero(v128.load(p, 16));
    v128.store(to + <usize>j * 4, v128.shuffle<i64>(low, high, 0, 2));
  }
  for (; j < count; j++) store<f32>(to + <usize>j * 4, <f32>load<f64>(from + <usize>j * 8));
}

/**
 * to[j] = from[j] · scale for `count` entries of a row of F into float64s: a gradient out of a
 * kernel, by whole vectors (each product as element by element: F promoted exactly, one rounding).
 */
@inline export function rowTo64<F>(to: usize, from: usize, count: i32, scale: f64): void {
  const s = v128.splat<f64>(scale);
  let j = 0;
  if (sizeof<F>() == 8) {
    for (; j + 2 <= count; j += 2) v128.store(to + <usize>j * 8, v128.mul<f64>(v128.load(from + <usize>j * 8), s));
  } else {
    for (; j + 4 <= count; j += 4) {
      const v = v128.load(from + <usize>j * 4);
      v128.store(to + <usize>j * 8, v128.mul<f64>(f64x2.promote_low_f32x4(v), s));
      v128.store(to + <usize>j * 8, v128.mul<f64>(promoteHigh(v), s), 16);
    }
  }
  for (; j < count; j++) store<f64>(to + <usize>j * 8, <f64>load<F>(from + <usize>j * sizeof<F>()) * scale);
}
