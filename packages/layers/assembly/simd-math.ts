// exp, tanh and the logistic sigmoid of two float64 lanes (and tanh of four float32 ones) without a call per element, for the
// WebAssembly SIMD kernels of models (AssemblyScript, compiled with --enable simd). Import it as
// '@diffstruct/layers/assembly/simd-math': asc looks the path up in node_modules, in this
// repository and in a package that depends on @diffstruct/layers alike.
// e^y: Cody–Waite reduction and a degree-13 Taylor polynomial (remainder < 1e-17 relative).
// tanh: |x| < 0.1 by its odd Taylor series to x¹⁵ (next term < 1e-19 relative), else
// 1 − 2 / (e^{2|x|} + 1). ~1 ulp from Math's.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;
// 1.5 · 2^52: adding it rounds a double below 2^51 in magnitude to an integer (ties to even, as
// `nearest`), which then sits in the low bits of the sum's representation.
const ROUND: f64 = 6755399441055744.0;

// Every constant as a whole vector in a static table: V8 rebuilds a v128 constant at each use
// inside a loop (three instructions), and loads this in one. Rows of two equal lanes, in order:
const F64 = memory.data<f64>(
  [
    700, 700, -708, -708, LOG2E, LOG2E, ROUND, ROUND, LN2_HI, LN2_HI, LN2_LO, LN2_LO, 1, 1, 2, 2, 0.1, 0.1,
    // e^r's Taylor coefficients, 1/13! down to 1/2!, then 1 (twice: 1/1! and 1/0!)
    1.0 / 6227020800.0, 1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 39916800.0,
    1.0 / 3628800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 5040.0,
    1.0 / 720.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 6.0, 0.5, 0.5,
    // tanh's odd Taylor coefficients, of x¹⁵ down to x³
    -929569.0 / 638512875.0, -929569.0 / 638512875.0, 21844.0 / 6081075.0, 21844.0 / 6081075.0, -1382.0 / 155925.0, -1382.0 / 155925.0,
    62.0 / 2835.0, 62.0 / 2835.0, -17.0 / 315.0, -17.0 / 315.0, 2.0 / 15.0, 2.0 / 15.0, -1.0 / 3.0, -1.0 / 3.0,
  ],
  16,
);
// ROUND's representation less the exponent bias (k + 1023 from the rounded sum in one subtraction), and the sign bit.
const I64 = memory.data<i64>([0x4338000000000000 - 1023, 0x4338000000000000 - 1023, 0x8000000000000000, 0x8000000000000000], 16);

@inline function f(row: i32): v128 {
  return v128.load(F64 + <usize>row * 16);
}
/** p · x + c: one step of Horner's scheme. */
@inline function horner(p: v128, x: v128, c: v128): v128 {
  return v128.add<f64>(v128.mul<f64>(p, x), c);
}
const MAX = 0, MIN = 1, LOG2E_ = 2, ROUND_ = 3, LN2_HI_ = 4, LN2_LO_ = 5, ONE = 6, TWO = 7, SMALL = 8, EXP = 9, TANH = 21;

/** e^y in two float64 lanes for y in [−708, 700] or NaN: `exp64x2` after its clamps, for callers whose y is in range already. */
@inline function expInRange64x2(y: v128): v128 {
  // k = nearest(y · log2 e), and k as an int64 from the same sum (instead of a truncating conversion).
  const rounded = v128.add<f64>(v128.mul<f64>(y, f(LOG2E_)), f(ROUND_));
  const k = v128.sub<f64>(rounded, f(ROUND_));
  const r = v128.sub<f64>(v128.sub<f64>(y, v128.mul<f64>(k, f(LN2_HI_))), v128.mul<f64>(k, f(LN2_LO_)));
  let p = f(EXP);
  p = horner(p, r, f(EXP + 1));
  p = horner(p, r, f(EXP + 2));
  p = horner(p, r, f(EXP + 3));
  p = horner(p, r, f(EXP + 4));
  p = horner(p, r, f(EXP + 5));
  p = horner(p, r, f(EXP + 6));
  p = horner(p, r, f(EXP + 7));
  p = horner(p, r, f(EXP + 8));
  p = horner(p, r, f(EXP + 9));
  p = horner(p, r, f(EXP + 10));
  p = horner(p, r, f(EXP + 11));
  p = horner(p, r, f(ONE));
  p = horner(p, r, f(ONE));
  const biased = v128.sub<i64>(rounded, v128.load(I64));
  return v128.mul<f64>(p, v128.shl<i64>(biased, 52));
}

/** e^y in two float64 lanes: y clamped to at most 700, and 0 below −708 (where e^y leaves the normal range). */
@inline export function exp64x2(x: v128): v128 {
  // pmin/pmax, not min/max: one instruction each on x86 instead of seven, and the same result
  // here (NaN stays NaN as the first operand; no ±0 ties with the bounds).
  const e = expInRange64x2(v128.pmax<f64>(v128.pmin<f64>(x, f(MAX)), f(MIN)));
  return v128.andnot(e, v128.lt<f64>(x, f(MIN)));
}

/** tanh in two float64 lanes. */
@inline export function tanh64x2(x: v128): v128 {
  const sign = v128.and(x, v128.load(I64, 16));
  const a = v128.abs<f64>(x);
  const one = f(ONE);
  // 2|x| is never negative (NaN passes pmin unchanged), so exp64x2's lower clamp and its underflow
  // mask never act: only the upper clamp is kept, bit for bit.
  const e = expInRange64x2(v128.pmin<f64>(v128.add<f64>(a, a), f(MAX)));
  const large = v128.sub<f64>(one, v128.div<f64>(f(TWO), v128.add<f64>(e, one)));
  const x2 = v128.mul<f64>(a, a);
  let q = f(TANH);
  q = horner(q, x2, f(TANH + 1));
  q = horner(q, x2, f(TANH + 2));
  q = horner(q, x2, f(TANH + 3));
  q = horner(q, x2, f(TANH + 4));
  q = horner(q, x2, f(TANH + 5));
  q = horner(q, x2, f(TANH + 6));
  const small = v128.add<f64>(a, v128.mul<f64>(v128.mul<f64>(a, x2), q));
  const t = v128.bitselect(small, large, v128.lt<f64>(a, f(SMALL)));
  return v128.or(t, sign);
}

/** The logistic sigmoid 1 / (1 + e^{−x}) in two float64 lanes (≈ 1e-304 below −700, where Math's formula gives less or 0). */
@inline export function sigmoid64x2(x: v128): v128 {
  const one = f(ONE);
  return v128.div<f64>(one, v128.add<f64>(one, exp64x2(v128.neg<f64>(x))));
}

// Whole rows: four vectors at a time, whose independent dependency chains V8 interleaves (about
// twice the speed of one vector at a time); the same operations on every lane, so the same results.

/** to[i] = tanh(from[i]) over `bytes` (a multiple of 16) of float64s; `to` may be `from`. */
export function tanhRow64(from: usize, to: usize, bytes: usize): void {
  let c: usize = 0;
  for (; c + 64 <= bytes; c += 64) {
    const a = tanh64x2(v128.load(from + c));
    const b = tanh64x2(v128.load(from + c, 16));
    const d = tanh64x2(v128.load(from + c, 32));
    const e = tanh64x2(v128.load(from + c, 48));
    v128.store(to + c, a);
    v128.store(to + c, b, 16);
    v128.store(to + c, d, 32);
    v128.store(to + c, e, 48);
  }
  // The last two or three vectors side by side too (N = 27 is fourteen vectors: four, four, four
  // and two), not one after another, each waiting on its own long chain.
  const rest = bytes - c;
  if (rest == 48) {
    const a = tanh64x2(v128.load(from + c));
    const b = tanh64x2(v128.load(from + c, 16));
    const d = tanh64x2(v128.load(from + c, 32));
    v128.store(to + c, a);
    v128.store(to + c, b, 16);
    v128.store(to + c, d, 32);
  } else if (rest == 32) {
    const a = tanh64x2(v128.load(from + c));
    const b = tanh64x2(v128.load(from + c, 16));
    v128.store(to + c, a);
    v128.store(to + c, b, 16);
  } else if (rest == 16) v128.store(to + c, tanh64x2(v128.load(from + c)));
}

/** to[i] = σ(from[i]) over `bytes` (a multiple of 16) of float64s; `to` may be `from`. */
export function sigmoidRow64(from: usize, to: usize, bytes: usize): void {
  let c: usize = 0;
  for (; c + 64 <= bytes; c += 64) {
    const a = sigmoid64x2(v128.load(from + c));
    const b = sigmoid64x2(v128.load(from + c, 16));
    const d = sigmoid64x2(v128.load(from + c, 32));
    const e = sigmoid64x2(v128.load(from + c, 48));
    v128.store(to + c, a);
    v128.store(to + c, b, 16);
    v128.store(to + c, d, 32);
    v128.store(to + c, e, 48);
  }
  for (; c < bytes; c += 16) v128.store(to + c, sigmoid64x2(v128.load(from + c)));
}

// tanh of four float32 lanes in float32 arithmetic (Cephes' tanhf, refitted): |x| < 1 by
// x + x³·P(x²), P of degree 7 fitted to the relative error on [0, 1]; else 1 − 2 / (e^{2|x|} + 1),
// e^y by Cody–Waite reduction and Cephes' expf polynomial, |x| clamped at 10 (tanh = 1 in float32
// from 9.01). Within 1.08 float32 steps of the exact tanh, so one step of Math.tanh rounded to
// float32 (tested in @diffstruct/recurrent's simd-kernel.spec.ts).
const F32 = memory.data<f32>(
  [
    10, 10, 10, 10, 1.4426950408889634, 1.4426950408889634, 1.4426950408889634, 1.4426950408889634,
    // 1.5 · 2^23, the float32 counterpart of ROUND; ln 2 in two parts (k · the first is exact for k < 2^15)
    12582912.0, 12582912.0, 12582912.0, 12582912.0, 0.693359375, 0.693359375, 0.693359375, 0.693359375,
    -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, 1, 1, 1, 1, 2, 2, 2, 2,
    // e^r = 1 + r + r²·Q(r), Q's coefficients from r⁵ down
    1.98756915e-4, 1.98756915e-4, 1.98756915e-4, 1.98756915e-4, 1.39819995e-3, 1.39819995e-3, 1.39819995e-3, 1.39819995e-3,
    8.33345191e-3, 8.33345191e-3, 8.33345191e-3, 8.33345191e-3, 4.16657959e-2, 4.16657959e-2, 4.16657959e-2, 4.16657959e-2,
    1.66666655e-1, 1.66666655e-1, 1.66666655e-1, 1.66666655e-1, 5.00000012e-1, 5.00000012e-1, 5.00000012e-1, 5.00000012e-1,
    // P's coefficients, of x¹⁴ down to x⁰
    1.20391873e-4, 1.20391873e-4, 1.20391873e-4, 1.20391873e-4, -8.36785766e-4, -8.36785766e-4, -8.36785766e-4, -8.36785766e-4,
    3.07145878e-3, 3.07145878e-3, 3.07145878e-3, 3.07145878e-3, -8.58901907e-3, -8.58901907e-3, -8.58901907e-3, -8.58901907e-3,
    2.17818469e-2, 2.17818469e-2, 2.17818469e-2, 2.17818469e-2, -5.39523624e-2, -5.39523624e-2, -5.39523624e-2, -5.39523624e-2,
    1.33331910e-1, 1.33331910e-1, 1.33331910e-1, 1.33331910e-1, -3.33333284e-1, -3.33333284e-1, -3.33333284e-1, -3.33333284e-1,
  ],
  16,
);
// The float32 ROUND's representation less the exponent bias, and the sign bit.
const I32 = memory.data<i32>([0x4b400000 - 127, 0x4b400000 - 127, 0x4b400000 - 127, 0x4b400000 - 127, 0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);
const CLAMP32 = 0, LOG2E32 = 1, ROUND32 = 2, LN2_HI32 = 3, LN2_LO32 = 4, ONE32 = 5, TWO32 = 6, EXP32 = 7, TANH32 = 13;

@inline function f32Row(row: i32): v128 {
  return v128.load(F32 + <usize>row * 16);
}
@inline function horner32(p: v128, x: v128, c: v128): v128 {
  return v128.add<f32>(v128.mul<f32>(p, x), c);
}

/** e^y in four float32 lanes, for 0 ≤ y ≤ 20 (tanh's clamped 2|x|): no range checks. */
@inline function exp32x4(y: v128): v128 {
  const rounded = v128.add<f32>(v128.mul<f32>(y, f32Row(LOG2E32)), f32Row(ROUND32));
  const k = v128.sub<f32>(rounded, f32Row(ROUND32));
  const r = v128.sub<f32>(v128.sub<f32>(y, v128.mul<f32>(k, f32Row(LN2_HI32))), v128.mul<f32>(k, f32Row(LN2_LO32)));
  let p = f32Row(EXP32);
  p = horner32(p, r, f32Row(EXP32 + 1));
  p = horner32(p, r, f32Row(EXP32 + 2));
  p = horner32(p, r, f32Row(EXP32 + 3));
  p = horner32(p, r, f32Row(EXP32 + 4));
  p = horner32(p, r, f32Row(EXP32 + 5));
  p = v128.add<f32>(horner32(p, v128.mul<f32>(r, r), r), f32Row(ONE32));
  return v128.mul<f32>(p, v128.shl<i32>(v128.sub<i32>(rounded, v128.load(I32)), 23));
}

/** tanh in four float32 lanes (within one float32 step of Math.tanh). */
@inline export function tanh32x4(x: v128): v128 {
  const sign = v128.and(x, v128.load(I32, 16));
  const a = v128.abs<f32>(x);
  const one = f32Row(ONE32);
  const c = v128.pmin<f32>(a, f32Row(CLAMP32));
  const e = exp32x4(v128.add<f32>(c, c));
  const large = v128.sub<f32>(one, v128.div<f32>(f32Row(TWO32), v128.add<f32>(e, one)));
  const x2 = v128.mul<f32>(a, a);
  let q = f32Row(TANH32);
  q = horner32(q, x2, f32Row(TANH32 + 1));
  q = horner32(q, x2, f32Row(TANH32 + 2));
  q = horner32(q, x2, f32Row(TANH32 + 3));
  q = horner32(q, x2, f32Row(TANH32 + 4));
  q = horner32(q, x2, f32Row(TANH32 + 5));
  q = horner32(q, x2, f32Row(TANH32 + 6));
  q = horner32(q, x2, f32Row(TANH32 + 7));
  const small = v128.add<f32>(v128.mul<f32>(v128.mul<f32>(q, x2), a), a);
  return v128.or(v128.bitselect(small, large, v128.lt<f32>(a, one)), sign);
}

/** to[i] = tanh(from[i]) over `bytes` (a multiple of 16) of float32s; `to` may be `from`. */
export function tanhRow32(from: usize, to: usize, bytes: usize): void {
  let c: usize = 0;
  for (; c + 32 <= bytes; c += 32) {
    const a = tanh32x4(v128.load(from + c));
    const b = tanh32x4(v128.load(from + c, 16));
    v128.store(to + c, a);
    v128.store(to + c, b, 16);
  }
  for (; c < bytes; c += 16) v128.store(to + c, tanh32x4(v128.load(from + c)));
}

/**
 * tanh in place over a padded row of F (f64 or f32) by whole vectors, `bytes` long (a multiple of
 * 16; the padding stays zero: tanh(0) = 0).
 */
@inline export function tanhRowOf<F>(ptr: usize, bytes: usize): void {
  if (sizeof<F>() == 8) tanhRow64(ptr, ptr, bytes);
  else tanhRow32(ptr, ptr, bytes);
}
