// The loss of softmaxStepsForward (src/softmax-steps.ts) one step (or two) at a time, for the WebAssembly
// kernels of sequence models: the same function, up to rounding. Import it as
// '@diffstruct/layers/assembly/softmax-steps'. The running sum lives in this module's globals
// (no allocation: kernels built with --runtime stub own the heap).

import { exp64x2 } from './simd-math';

// Σ_t −log p_t[target] is kept as Σ_t log(sum_t) − Σ_t (y_t[target] − max_t), with the log of a
// running product of the sums (each in [1, V]): one Math.log per 250 orders of magnitude, not per step.
let targetMargin: f64 = 0;
let sums: f64 = 1;
let logSums: f64 = 0;
let underflow = false;

/** Starts a new sum of step losses. */
export function softmaxLossStart(): void {
  targetMargin = 0;
  sums = 1;
  logSums = 0;
  underflow = false;
}

/** `ps` holds step t's V logits (float64): overwrites them with their softmax and adds −log p[target] to the sum. */
export function softmaxLossStep(ps: usize, V: i32, target: i32): void {
  const max = maxOf(ps, V);
  const margin = load<f64>(ps + <usize>target * 8) - max;
  const shift = v128.splat<f64>(max);
  let sum: f64 = 0;
  let v = 0;
  for (; v + 2 <= V; v += 2) {
    const e = exp64x2(v128.sub<f64>(v128.load(ps + <usize>v * 8), shift));
    v128.store(ps + <usize>v * 8, e);
    sum += v128.extract_lane<f64>(e, 0) + v128.extract_lane<f64>(e, 1);
  }
  if (v < V) sum += lastExp(ps, v, max);
  account(ps, V, target, margin, sum);
}

/**
 * softmaxLossStep(ps0, V, target0) then softmaxLossStep(ps1, V, target1), bit for bit, with the
 * two steps' exponentials side by side: each is a long chain, and they are independent. The two
 * rows must not overlap.
 */
export function softmaxLossStepPair(ps0: usize, ps1: usize, V: i32, target0: i32, target1: i32): void {
  const max0 = maxOf(ps0, V);
  const max1 = maxOf(ps1, V);
  const margin0 = load<f64>(ps0 + <usize>target0 * 8) - max0;
  const margin1 = load<f64>(ps1 + <usize>target1 * 8) - max1;
  const shift0 = v128.splat<f64>(max0);
  const shift1 = v128.splat<f64>(max1);
  let sum0: f64 = 0;
  let sum1: f64 = 0;
  let v = 0;
  for (; v + 2 <= V; v += 2) {
    const e0 = exp64x2(v128.sub<f64>(v128.load(ps0 + <usize>v * 8), shift0));
    const e1 = exp64x2(v128.sub<f64>(v128.load(ps1 + <usize>v * 8), shift1));
    v128.store(ps0 + <usize>v * 8, e0);
    v128.store(ps1 + <usize>v * 8, e1);
    sum0 += v128.extract_lane<f64>(e0, 0) + v128.extract_lane<f64>(e0, 1);
    sum1 += v128.extract_lane<f64>(e1, 0) + v128.extract_lane<f64>(e1, 1);
  }
  if (v < V) {
    sum0 += lastExp(ps0, v, max0);
    sum1 += lastExp(ps1, v, max1);
  }
  account(ps0, V, target0, margin0, sum0);
  account(ps1, V, target1, margin1, sum1);
}

@inline function maxOf(ps: usize, V: i32): f64 {
  let max = -Infinity;
  for (let v = 0; v < V; v++) {
    const y = load<f64>(ps + <usize>v * 8);
    if (y > max) max = y;
  }
  return max;
}

/** Replaces logit v (the last of an odd V) by e^(y_v − max), and returns it. */
@inline function lastExp(ps: usize, v: i32, max: f64): f64 {
  const e = Math.exp(load<f64>(ps + <usize>v * 8) - max);
  store<f64>(ps + <usize>v * 8, e);
  return e;
}

/** Normalizes a step's exponentials by their sum (two at a time: the same quotients) and adds its loss to the running sum. */
@inline function account(ps: usize, V: i32, target: i32, margin: f64, sum: f64): void {
  targetMargin += margin;
  const by = v128.splat<f64>(sum);
  let u = 0;
  for (; u + 2 <= V; u += 2) v128.store(ps + <usize>u * 8, v128.div<f64>(v128.load(ps + <usize>u * 8), by));
  if (u < V) store<f64>(ps + <usize>u * 8, load<f64>(ps + <usize>u * 8) / sum);
  // As in softmaxStepsForward, a target probability that underflows makes the loss infinite (divergence).
  if (load<f64>(ps + <usize>target * 8) == 0) underflow = true;
  sums *= sum;
  if (sums > 1e250) {
    logSums += Math.log(sums);
    sums = 1;
  }
}

/** The sum of the step losses since softmaxLossStart. */
export function softmaxLoss(): f64 {
  return underflow ? Infinity : logSums + Math.log(sums) - targetMargin;
}
