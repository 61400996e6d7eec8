import type { RnnBuffers } from './reference-kernel.js';
import type { RnnDims, RnnWeights } from './rnn-kernel.js';

/**
 * The recurrent step with modulatory links (docs/method.md#links), as plain loops. With
 * r = h_{t-1} (or m ⊙ h_{t-1}, multiplier on the recurrent path), for each unit i:
 *   s_i = Wxh[i, x_t] + bh_i + α_i (Whh r)_i      the additive drive
 *   k_i = tanh((Mhh r)_i)                        the modulatory input, in (−1, 1)
 *   h_i = tanh((1 + β_i k_i) · s_i)              the gain 1 + β k lies in (0, 2)
 * modulatory: α = 0, β = 1 (no Whh); learned: α = σ(mix), β = 1 − α, a unit's additive share.
 * Called by rnnForward/rnnBackward (reference-kernel.ts), which own the output layer.
 */

/** Per-step values the backward pass needs, T × capacity each, and one scratch row. */
export interface LinkBuffers {
  readonly drive: Float64Array; // s_t
  readonly modulation: Float64Array; // k_t
  readonly additive: Float64Array; // (Whh r_{t-1}), learned only
  readonly dmod: Float64Array; // N: ∂loss/∂(Mhh r) at step t
  readonly input: Float64Array; // N: r_{t-1}, computed once a step for the N² loops
}

export function linkBuffers(T: number, capacity: number): LinkBuffers {
  return {
    drive: new Float64Array(T * capacity),
    modulation: new Float64Array(T * capacity),
    additive: new Float64Array(T * capacity),
    dmod: new Float64Array(capacity),
    input: new Float64Array(capacity),
  };
}

export const usesLinks = (d: RnnDims): boolean => d.links !== undefined && d.links !== 'additive';

/** The additive share α_i = σ(mix_i) of a learned unit. */
export const additiveShare = (mix: number): number => 1 / (1 + Math.exp(-mix));

/** r_{t-1} into `input`: the state the step reads, scaled by the multipliers when they sit on the recurrent path. */
function recurrentInput(d: RnnDims, m: Float64Array, hs: Float64Array, prev: number, input: Float64Array): void {
  for (let j = 0; j < d.N; j++) input[j] = d.multiplierOnRecurrent ? m[j] * hs[prev + j] : hs[prev + j];
}

/** Fills hs[1..T] and os from hs[0] (the carried state), for symbols from `start`. */
export function linksForward(w: RnnWeights, d: RnnDims, symbols: Int32Array, start: number, b: RnnBuffers): void {
  const { N, V, T } = d;
  const learned = d.links === 'learned';
  const { Wxh, Whh, mix, bh, m } = w;
  const Mhh = w.Mhh!;
  const { hs, os } = b;
  const { drive, modulation, additive, input } = b.links!;
  for (let t = 0; t < T; t++) {
    const x = symbols[start + t];
    const prev = t * N;
    const cur = prev + N;
    const o = t * N;
    recurrentInput(d, m, hs, prev, input);
    for (let i = 0; i < N; i++) {
      const row = i * N;
      let mod = 0;
      for (let j = 0; j < N; j++) mod += Mhh[row + j] * input[j];
      let add = 0;
      if (learned) for (let j = 0; j < N; j++) add += Whh![row + j] * input[j];
      const alpha = learned ? additiveShare(mix![i]) : 0;
      const s = Wxh[i * V + x] + bh[i] + alpha * add;
      const k = Math.tanh(mod);
      drive[o + i] = s;
      modulation[o + i] = k;
      additive[o + i] = add;
      hs[cur + i] = Math.tanh((1 + (1 - alpha) * k) * s);
    }
    for (let j = 0; j < N; j++) os[o + j] = m[j] * hs[cur + j];
  }
}

/** BPTT after `linksForward`, with dpost (∂loss/∂(m ⊙ h_t)) filled by the output layer: overwrites the hidden layer's gradients. */
export function linksBackward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array, start: number, b: RnnBuffers): void {
  const { N, V, T, multiplierOnRecurrent } = d;
  const learned = d.links === 'learned';
  const { Whh, mix, m } = w;
  const Mhh = w.Mhh!;
  const gMhh = g.Mhh!;
  const { hs, dnext, draw, dpost } = b;
  const { drive, modulation, additive, dmod, input } = b.links!;
  g.Wxh.fill(0, 0, N * V);
  gMhh.fill(0, 0, N * N);
  if (learned) {
    g.Whh!.fill(0, 0, N * N);
    g.mix!.fill(0, 0, N);
  }
  g.bh.fill(0, 0, N);
  g.m.fill(0, 0, N);
  dnext.fill(0, 0, N);
  for (let t = T - 1; t >= 0; t--) {
    const prev = t * N;
    const cur = prev + N;
    const o = t * N;
    const x = symbols[start + t];
    for (let i = 0; i < N; i++) {
      const h = hs[cur + i];
      g.m[i] += dpost[o + i] * h;
      const dz = (1 - h * h) * (dpost[o + i] * m[i] + dnext[i]);
      const alpha = learned ? additiveShare(mix![i]) : 0;
      const k = modulation[o + i];
      const s = drive[o + i];
      const ds = (1 + (1 - alpha) * k) * dz;
      const dgain = s * dz;
      g.bh[i] += ds;
      g.Wxh[i * V + x] += ds;
      draw[i] = alpha * ds; // ∂loss/∂(Whh r)_i
      dmod[i] = (1 - k * k) * (1 - alpha) * dgain; // ∂loss/∂(Mhh r)_i
      // ∂/∂α of α·add and of (1 − α)·k, through α = σ(mix).
      if (learned) g.mix![i] += (ds * additive[o + i] - dgain * k) * alpha * (1 - alpha);
    }
    dnext.fill(0, 0, N);
    recurrentInput(d, m, hs, prev, input);
    for (let i = 0; i < N; i++) {
      const row = i * N;
      const dm = dmod[i];
      for (let j = 0; j < N; j++) {
        gMhh[row + j] += dm * input[j];
        dnext[j] += Mhh[row + j] * dm;
      }
      if (!learned) continue;
      const da = draw[i];
      const gWhh = g.Whh!;
      for (let j = 0; j < N; j++) {
        gWhh[row + j] += da * input[j];
        dnext[j] += Whh![row + j] * da;
      }
    }
    if (multiplierOnRecurrent) {
      for (let j = 0; j < N; j++) {
        g.m[j] += dnext[j] * hs[prev + j];
        dnext[j] *= m[j];
      }
    }
  }
}
