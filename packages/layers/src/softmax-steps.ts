import { argmaxRow } from './losses.js';

/**
 * The output of a sequence model, step by step: y_t = W o_t + b over V symbols from the N unit
 * outputs o_t, and loss = Σ_t −log softmax(y_t)[target_t] (docs/method.md#forward-pass). Row-major
 * typed arrays (W is V × N); step t's target is `targets[t + offset]` (a char model predicting
 * the next symbol passes its window with offset 1). Nothing here allocates.
 */
export interface SoftmaxStepsDims {
  readonly N: number;
  readonly V: number;
  readonly T: number;
}

/** Fills `ps` (T × V) with each step's softmax and returns the loss summed over the steps. */
export function softmaxStepsForward(
  W: Float64Array,
  b: Float64Array,
  os: Float64Array,
  d: SoftmaxStepsDims,
  targets: Int32Array,
  offset: number,
  ps: Float64Array,
): number {
  const { N, V, T } = d;
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const o = t * N;
    const p = t * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      let y = b[v];
      const row = v * N;
      for (let j = 0; j < N; j++) y += W[row + j] * os[o + j];
      ps[p + v] = y;
      if (y > max) max = y;
    }
    let sum = 0;
    for (let v = 0; v < V; v++) sum += ps[p + v] = Math.exp(ps[p + v] - max);
    for (let v = 0; v < V; v++) ps[p + v] /= sum;
    loss -= Math.log(ps[p + targets[t + offset]]);
  }
  return loss;
}

/**
 * After `softmaxStepsForward` (or a kernel that fills `ps` as it does): the steps whose most
 * probable symbol (the first, on a tie) is the target. Held-out accuracy counts these.
 */
export function softmaxStepsCorrect(ps: Float64Array, d: Pick<SoftmaxStepsDims, 'V' | 'T'>, targets: Int32Array, offset: number): number {
  const { V, T } = d;
  let correct = 0;
  for (let t = 0; t < T; t++) {
    const p = t * V;
    if (argmaxRow(ps, p, V) === targets[t + offset]) correct++;
  }
  return correct;
}

/**
 * After `softmaxStepsForward`: overwrites gW and gb, and writes ∂loss/∂o_t into `dos` (T × N).
 * Steps run last to first, the order backpropagation through time consumes them; `dy` is
 * scratch of length V.
 */
export function softmaxStepsBackward(
  W: Float64Array,
  os: Float64Array,
  ps: Float64Array,
  d: SoftmaxStepsDims,
  targets: Int32Array,
  offset: number,
  gW: Float64Array,
  gb: Float64Array,
  dos: Float64Array,
  dy: Float64Array,
): void {
  const { N, V, T } = d;
  gW.fill(0, 0, V * N);
  gb.fill(0, 0, V);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * N;
    for (let v = 0; v < V; v++) dy[v] = ps[t * V + v];
    dy[targets[t + offset]] -= 1;
    dos.fill(0, o, o + N);
    for (let v = 0; v < V; v++) {
      const dv = dy[v];
      gb[v] += dv;
      const row = v * N;
      for (let j = 0; j < N; j++) {
        gW[row + j] += dv * os[o + j];
        dos[o + j] += W[row + j] * dv;
      }
    }
  }
}
