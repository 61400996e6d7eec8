// exp, tanh and the logistic sigmoid of two float64 lanes without a call per element, for the
// WebAssembly SIMD kernels of models (AssemblyScript, compiled with --enable simd). Import it as
// '@diffstruct/layers/assembly/simd-math': asc looks the path up in node_modules, in this
// repository and in a package that depends on @diffstruct/layers alike.
// e^y: Cody–Waite reduction and a degree-13 Taylor polynomial (remainder < 1e-17 relative).
// tanh: |x| < 0.1 by its odd Taylor series to x¹⁵ (next term < 1e-19 relative), else
// 1 − 2 / (e^{2|x|} + 1). ~1 ulp from Math's.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/** e^y in two float64 lanes: y clamped to at most 700, and 0 below −708 (where e^y leaves the normal range). */
@inline export function exp64x2(x: v128): v128 {
  const y = v128.max<f64>(v128.min<f64>(x, v128.splat<f64>(700)), v128.splat<f64>(-708));
  const k = v128.nearest<f64>(v128.mul<f64>(y, v128.splat<f64>(LOG2E)));
  const r = v128.sub<f64>(v128.sub<f64>(y, v128.mul<f64>(k, v128.splat<f64>(LN2_HI))), v128.mul<f64>(k, v128.splat<f64>(LN2_LO)));
  let p = v128.splat<f64>(1.0 / 6227020800.0);
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 479001600.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 39916800.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 3628800.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 362880.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 40320.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 5040.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 720.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 120.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 24.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0 / 6.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(0.5));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0));
  p = v128.add<f64>(v128.mul<f64>(p, r), v128.splat<f64>(1.0));
  const exponent = v128.extend_low<i32>(v128.trunc_sat_zero<i32>(k));
  const e = v128.mul<f64>(p, v128.shl<i64>(v128.add<i64>(exponent, v128.splat<i64>(1023)), 52));
  return v128.andnot(e, v128.lt<f64>(x, v128.splat<f64>(-708)));
}

/** tanh in two float64 lanes. */
@inline export function tanh64x2(x: v128): v128 {
  const sign = v128.and(x, v128.splat<i64>(0x8000000000000000));
  const a = v128.abs<f64>(x);
  const one = v128.splat<f64>(1);
  const e = exp64x2(v128.add<f64>(a, a));
  const large = v128.sub<f64>(one, v128.div<f64>(v128.splat<f64>(2), v128.add<f64>(e, one)));
  const x2 = v128.mul<f64>(a, a);
  let q = v128.splat<f64>(-929569.0 / 638512875.0);
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(21844.0 / 6081075.0));
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(-1382.0 / 155925.0));
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(62.0 / 2835.0));
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(-17.0 / 315.0));
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(2.0 / 15.0));
  q = v128.add<f64>(v128.mul<f64>(q, x2), v128.splat<f64>(-1.0 / 3.0));
  const small = v128.add<f64>(a, v128.mul<f64>(v128.mul<f64>(a, x2), q));
  const t = v128.bitselect(small, large, v128.lt<f64>(a, v128.splat<f64>(0.1)));
  return v128.or(t, sign);
}

/** The logistic sigmoid 1 / (1 + e^{−x}) in two float64 lanes (≈ 1e-304 below −700, where Math's formula gives less or 0). */
@inline export function sigmoid64x2(x: v128): v128 {
  const one = v128.splat<f64>(1);
  return v128.div<f64>(one, v128.add<f64>(one, exp64x2(v128.neg<f64>(x))));
}
