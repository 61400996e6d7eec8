// The loss of softmaxStepsForward (src/softmax-steps.ts) one step at a time, for the WebAssembly
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
  let max = -Infinity;
  for (let v = 0; v < V; v++) {
    const y = load<f64>(ps + <usize>v * 8);
    if (y > max) max = y;
  }
  targetMargin += load<f64>(ps + <usize>target * 8) - max;
  let sum: f64 = 0;
  let v = 0;
  const shift = v128.splat<f64>(max);
  for (; v + 2 <= V; v += 2) {
    const e = exp64x2(v128.sub<f64>(v128.load(ps + <usize>v * 8), shift));
    v128.store(ps + <usize>v * 8, e);
    sum += v128.extract_lane<f64>(e, 0) + v128.extract_lane<f64>(e, 1);
  }
  for (; v < V; v++) {
    const e = Math.exp(load<f64>(ps + <usize>v * 8) - max);
    store<f64>(ps + <usize>v * 8, e);
    sum += e;
  }
  for (let u = 0; u < V; u++) store<f64>(ps + <usize>u * 8, load<f64>(ps + <usize>u * 8) / sum);
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
