import { softmaxStepsBackward, softmaxStepsForward } from '@diffstruct/layers';
import type { RnnDims, RnnKernel, RnnWeights } from './rnn-kernel.js';

/**
 * The char RNN of docs/method.md#forward-pass (and #backpropagation-through-time) as pure loops on typed arrays (row-major, row stride = columns):
 *   h_t = tanh(Wxh x_t + Whh r_{t-1} + bh),  r = h (default) or m ⊙ h (multiplier on the recurrent path)
 *   y_t = Why (m ⊙ h_t) + by,  loss = Σ_t −log softmax(y_t)[target_t]   (@diffstruct/layers' softmaxSteps*)
 * Nothing here allocates: every buffer comes from `RnnBuffers`. This is the definition the other
 * kernels are tested against, so it favours plainness over speed.
 */

/** Scratch space sized for a capacity of hidden units; see `ensureBuffers`. */
export interface RnnBuffers {
  readonly capacity: number;
  readonly hs: Float64Array; // (T + 1) × N: hs[0] is the carried state
  readonly os: Float64Array; // T × N: m ⊙ h_t
  readonly ps: Float64Array; // T × V: softmax outputs
  readonly dnext: Float64Array; // N: ∂loss/∂h_t from the steps after t
  readonly draw: Float64Array; // N: ∂loss/∂(pre-tanh sum) at step t
  readonly dpost: Float64Array; // T × N: ∂loss/∂(m ⊙ h_t) through the outputs
  readonly dy: Float64Array; // V: ∂loss/∂y_t
}

export function ensureBuffers(b: RnnBuffers | undefined, dims: RnnDims): RnnBuffers {
  if (b && b.capacity >= dims.N && b.ps.length >= dims.T * dims.V && b.dpost.length >= dims.T * dims.N) return b;
  const capacity = Math.max(dims.N, 2 * (b?.capacity ?? 0), 8);
  const { T, V } = dims;
  return {
    capacity,
    hs: new Float64Array((T + 1) * capacity),
    os: new Float64Array(T * capacity),
    ps: new Float64Array(T * V),
    dnext: new Float64Array(capacity),
    draw: new Float64Array(capacity),
    dpost: new Float64Array(T * capacity),
    dy: new Float64Array(V),
  };
}

/** Forward pass from carried state `h0` (length N); fills hs, os, ps; returns the summed loss. */
export function rnnForward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array, b: RnnBuffers): number {
  const { N, V, T, multiplierOnRecurrent } = d;
  const { Wxh, Whh, bh, m, Why, by } = w;
  const { hs, os, ps } = b;
  for (let j = 0; j < N; j++) hs[j] = h0[j];
  for (let t = 0; t < T; t++) {
    const x = symbols[t];
    const prev = t * N;
    const cur = prev + N;
    for (let i = 0; i < N; i++) {
      let a = Wxh[i * V + x] + bh[i];
      const row = i * N;
      if (multiplierOnRecurrent) for (let j = 0; j < N; j++) a += Whh[row + j] * m[j] * hs[prev + j];
      else for (let j = 0; j < N; j++) a += Whh[row + j] * hs[prev + j];
      hs[cur + i] = Math.tanh(a);
    }
    const o = t * N;
    for (let j = 0; j < N; j++) os[o + j] = m[j] * hs[cur + j];
  }
  return softmaxStepsForward(Why, by, os, d, symbols, 1, ps);
}

/** Backpropagation through time after `rnnForward`: overwrites every gradient in `g`. */
export function rnnBackward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array, b: RnnBuffers): void {
  const { N, V, T, multiplierOnRecurrent } = d;
  const { Whh, m, Why } = w;
  const { hs, os, ps, dnext, draw, dpost, dy } = b;
  softmaxStepsBackward(Why, os, ps, d, symbols, 1, g.Why, g.by, dpost, dy);
  g.Wxh.fill(0, 0, N * V);
  g.Whh.fill(0, 0, N * N);
  g.bh.fill(0, 0, N);
  g.m.fill(0, 0, N);
  dnext.fill(0, 0, N);
  for (let t = T - 1; t >= 0; t--) {
    const prev = t * N;
    const cur = prev + N;
    const o = t * N;
    for (let j = 0; j < N; j++) {
      const h = hs[cur + j];
      g.m[j] += dpost[o + j] * h;
      draw[j] = (1 - h * h) * (dpost[o + j] * m[j] + dnext[j]);
    }
    const x = symbols[t];
    dnext.fill(0, 0, N);
    for (let i = 0; i < N; i++) {
      const di = draw[i];
      g.bh[i] += di;
      g.Wxh[i * V + x] += di;
      const row = i * N;
      if (multiplierOnRecurrent) for (let j = 0; j < N; j++) g.Whh[row + j] += di * m[j] * hs[prev + j];
      else for (let j = 0; j < N; j++) g.Whh[row + j] += di * hs[prev + j];
      for (let j = 0; j < N; j++) dnext[j] += Whh[row + j] * di;
    }
    if (multiplierOnRecurrent) {
      for (let j = 0; j < N; j++) {
        g.m[j] += dnext[j] * hs[prev + j];
        dnext[j] *= m[j];
      }
    }
  }
}

/** The reference loops as an `RnnKernel`, owning their buffers. */
export class ReferenceRnnKernel implements RnnKernel {
  readonly name = 'reference';
  private buffers?: RnnBuffers;

  forward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array): number {
    this.buffers = ensureBuffers(this.buffers, d);
    return rnnForward(w, d, symbols, h0, this.buffers);
  }

  backward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array): void {
    rnnBackward(w, g, d, symbols, this.buffers!);
  }

  probabilities(): Float64Array {
    return this.buffers!.ps;
  }

  finalState(into: Float64Array, d: RnnDims): void {
    // A loop, not a subarray view: no allocation.
    const hs = this.buffers!.hs;
    for (let j = 0, at = d.T * d.N; j < d.N; j++) into[j] = hs[at + j];
  }
}
