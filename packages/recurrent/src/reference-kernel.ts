import { softmaxStepsBackward, softmaxStepsForward } from '@diffstruct/layers';
import { type LinkBuffers, linkBuffers, linksBackward, linksForward, usesLinks } from './reference-links.js';
import type { RnnDims, RnnKernel, RnnWeights } from './rnn-kernel.js';

/**
 * The char RNN of docs/method.md#forward-pass (and #backpropagation-through-time) as pure loops on typed arrays (row-major, row stride = columns):
 *   h_t = tanh(Wxh x_t + Whh r_{t-1} + bh),  r = h (default) or m ⊙ h (multiplier on the recurrent path)
 *   y_t = Why (m ⊙ h_t) + by,  loss = Σ_t −log softmax(y_t)[target_t]   (@diffstruct/layers' softmaxSteps*)
 * With `links: modulatory | learned` the recurrent step is that of reference-links.ts instead.
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
  /** With `links: modulatory | learned` only. */
  readonly links?: LinkBuffers;
}

export function ensureBuffers(b: RnnBuffers | undefined, dims: RnnDims): RnnBuffers {
  if (b && b.capacity >= dims.N && b.ps.length >= dims.T * dims.V && b.dpost.length >= dims.T * dims.N && (b.links || !usesLinks(dims))) return b;
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
    ...(usesLinks(dims) ? { links: linkBuffers(T, capacity) } : {}),
  };
}

/**
 * Forward pass of window `window` (of d.B, default 1: symbols from window · (T + 1) on, its carried
 * state h0[j · B + window]); fills hs, os, ps; returns the loss summed over the steps.
 */
export function rnnForward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array, b: RnnBuffers, window = 0): number {
  const { N, V, T, multiplierOnRecurrent } = d;
  const B = d.B ?? 1;
  const { Wxh, bh, m, Why, by } = w;
  const { hs, os, ps } = b;
  const start = window * (T + 1);
  for (let j = 0; j < N; j++) hs[j] = h0[j * B + window];
  if (usesLinks(d)) {
    linksForward(w, d, symbols, start, b);
    return softmaxStepsForward(Why, by, os, d, symbols, start + 1, ps);
  }
  const Whh = w.Whh!;
  for (let t = 0; t < T; t++) {
    const x = symbols[start + t];
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
  return softmaxStepsForward(Why, by, os, d, symbols, start + 1, ps);
}

/** Backpropagation through time of window `window` after its `rnnForward`: overwrites every gradient in `g` with that window's. */
export function rnnBackward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array, b: RnnBuffers, window = 0): void {
  const { N, V, T, multiplierOnRecurrent } = d;
  const { m, Why } = w;
  const { hs, os, ps, dnext, draw, dpost, dy } = b;
  const start = window * (T + 1);
  softmaxStepsBackward(Why, os, ps, d, symbols, start + 1, g.Why, g.by, dpost, dy);
  if (usesLinks(d)) {
    linksBackward(w, g, d, symbols, start, b);
    return;
  }
  const Whh = w.Whh!;
  const gWhh = g.Whh!;
  g.Wxh.fill(0, 0, N * V);
  gWhh.fill(0, 0, N * N);
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
    const x = symbols[start + t];
    dnext.fill(0, 0, N);
    for (let i = 0; i < N; i++) {
      const di = draw[i];
      g.bh[i] += di;
      g.Wxh[i * V + x] += di;
      const row = i * N;
      if (multiplierOnRecurrent) for (let j = 0; j < N; j++) gWhh[row + j] += di * m[j] * hs[prev + j];
      else for (let j = 0; j < N; j++) gWhh[row + j] += di * hs[prev + j];
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

/** The reference loops as an `RnnKernel`, owning their buffers: one window after another, then the mean. */
export class ReferenceRnnKernel implements RnnKernel {
  readonly name = 'reference';
  /** One set per window. */
  private buffers: RnnBuffers[] = [];
  /** One window's gradients, before they are added up (B > 1 only). */
  private windowGradients?: RnnWeights;

  forward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array): number {
    const B = d.B ?? 1;
    if (B === 1) {
      this.buffers[0] = ensureBuffers(this.buffers[0], d);
      return rnnForward(w, d, symbols, h0, this.buffers[0]);
    }
    let loss = 0;
    for (let window = 0; window < B; window++) {
      this.buffers[window] = ensureBuffers(this.buffers[window], d);
      loss += rnnForward(w, d, symbols, h0, this.buffers[window], window);
    }
    return loss / B;
  }

  backward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array): void {
    const B = d.B ?? 1;
    rnnBackward(w, g, d, symbols, this.buffers[0]);
    if (B === 1) return;
    const one = this.gradientsFor(d);
    for (let window = 1; window < B; window++) {
      rnnBackward(w, one, d, symbols, this.buffers[window], window);
      for (const key of WEIGHT_KEYS) {
        const [sum, add] = [g[key], one[key]];
        if (sum && add) for (let i = 0, n = sizeOf(key, d); i < n; i++) sum[i] += add[i];
      }
    }
    for (const key of WEIGHT_KEYS) {
      const sum = g[key];
      if (sum) for (let i = 0, n = sizeOf(key, d); i < n; i++) sum[i] /= B;
    }
  }

  probabilities(): Float64Array {
    return this.buffers[0].ps;
  }

  finalState(into: Float64Array, d: RnnDims): void {
    // A loop, not a subarray view: no allocation.
    const B = d.B ?? 1;
    for (let window = 0; window < B; window++) {
      const hs = this.buffers[window].hs;
      for (let j = 0, at = d.T * d.N; j < d.N; j++) into[j * B + window] = hs[at + j];
    }
  }

  private gradientsFor(d: RnnDims): RnnWeights {
    const g = this.windowGradients;
    // Mhh and mix only for links that have them: at N = 2000 they would hold 32 MB an additive model never reads.
    const linked = (d.links ?? 'additive') !== 'additive';
    if (g && g.bh.length >= d.N && g.Wxh.length >= d.N * d.V && g.by.length >= d.V && (!linked || g.Mhh)) return g;
    const N = Math.max(d.N, 2 * (g?.bh.length ?? 0), 8);
    // Every array these links need: which ones a window writes is the model's (`g`'s) business.
    this.windowGradients = {
      Wxh: new Float64Array(N * d.V),
      Whh: new Float64Array(N * N),
      ...(linked ? { Mhh: new Float64Array(N * N), mix: new Float64Array(N) } : {}),
      bh: new Float64Array(N),
      m: new Float64Array(N),
      Why: new Float64Array(d.V * N),
      by: new Float64Array(d.V),
    };
    return this.windowGradients;
  }
}

const WEIGHT_KEYS = ['Wxh', 'Whh', 'Mhh', 'mix', 'bh', 'm', 'Why', 'by'] as const;

/** The entries of a weight array in use (a switch: no object per call). */
function sizeOf(key: (typeof WEIGHT_KEYS)[number], d: RnnDims): number {
  switch (key) {
    case 'Wxh':
    case 'Why':
      return d.N * d.V;
    case 'Whh':
    case 'Mhh':
      return d.N * d.N;
    case 'by':
      return d.V;
    default:
      return d.N;
  }
}
