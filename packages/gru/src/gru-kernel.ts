/**
 * The gated recurrent layer as pure loops on typed arrays (row-major, row stride = columns). With
 * r_{t-1} the recurrent input, h_{t-1} or m ⊙ h_{t-1} (the multiplier on the recurrent path):
 *   z_t = σ(Wz[:, x_t] + Uz r_{t-1} + bz)              update gate
 *   g_t = σ(Wr[:, x_t] + Ur r_{t-1} + br)              reset gate
 *   n_t = tanh(Wn[:, x_t] + Un (g_t ⊙ r_{t-1}) + bn)   candidate
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1},  o_t = m ⊙ h_t (read by the output layer)
 * Inputs are one-hot symbols, so W·[:, x] is a column. Nothing here allocates.
 */
export interface GruWeights {
  readonly Wz: Float64Array; // N × V
  readonly Wr: Float64Array; // N × V
  readonly Wn: Float64Array; // N × V
  readonly Uz: Float64Array; // N × N
  readonly Ur: Float64Array; // N × N
  readonly Un: Float64Array; // N × N
  readonly bz: Float64Array; // N
  readonly br: Float64Array; // N
  readonly bn: Float64Array; // N
  readonly m: Float64Array; // N
}

/** The parameter names of `GruWeights` by role, once (module constants: a loop over them allocates nothing). */
export const GRU_INPUT = ['Wz', 'Wr', 'Wn'] as const satisfies readonly (keyof GruWeights)[];
export const GRU_RECURRENT = ['Uz', 'Ur', 'Un'] as const satisfies readonly (keyof GruWeights)[];
export const GRU_BIASES = ['bz', 'br', 'bn'] as const satisfies readonly (keyof GruWeights)[];
export const GRU_WEIGHTS = [...GRU_INPUT, ...GRU_RECURRENT, ...GRU_BIASES, 'm'] as const satisfies readonly (keyof GruWeights)[];

export interface GruDims {
  readonly N: number;
  readonly V: number;
  /** Time steps: inputs are symbols[0 .. T). */
  readonly T: number;
  readonly multiplierOnRecurrent: boolean;
}

/** Every step's activations, and scratch for the backward pass, sized for `capacity` units. */
export class GruBuffers {
  readonly hs: Float64Array; // (T + 1) × N: hs[0] is the carried state
  readonly rs: Float64Array; // T × N: r_{t-1}, the recurrent input of step t
  readonly zs: Float64Array; // T × N
  readonly gs: Float64Array; // T × N
  readonly ns: Float64Array; // T × N
  readonly os: Float64Array; // T × N: m ⊙ h_t
  readonly dos: Float64Array; // T × N: ∂loss/∂o_t, from the output layer
  readonly dnext: Float64Array; // N: ∂loss/∂h_t through the steps after t
  readonly dr: Float64Array; // N: ∂loss/∂r_{t-1}
  readonly dgr: Float64Array; // N: ∂loss/∂(g_t ⊙ r_{t-1})
  readonly az: Float64Array; // N: ∂loss/∂(z_t's pre-activation)
  readonly ag: Float64Array; // N
  readonly an: Float64Array; // N

  constructor(
    readonly capacity: number,
    readonly steps: number,
  ) {
    const [N, T] = [capacity, steps];
    this.hs = new Float64Array((T + 1) * N);
    [this.rs, this.zs, this.gs, this.ns, this.os, this.dos] = Array.from({ length: 6 }, () => new Float64Array(T * N));
    [this.dnext, this.dr, this.dgr, this.az, this.ag, this.an] = Array.from({ length: 6 }, () => new Float64Array(N));
  }

  /** These buffers if they fit `d`, else new ones with room to grow. */
  static fitting(b: GruBuffers | undefined, d: GruDims): GruBuffers {
    if (b && b.capacity >= d.N && b.steps >= d.T) return b;
    // Room to grow only when the units outgrew it (not when only the steps did).
    const capacity = b && b.capacity >= d.N ? b.capacity : Math.max(d.N, 2 * (b?.capacity ?? 0), 8);
    return new GruBuffers(capacity, d.T);
  }
}

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

/** Forward from the carried state `h0` (length N): fills hs, rs, zs, gs, ns and os. */
export function gruForward(w: GruWeights, d: GruDims, symbols: Int32Array, h0: Float64Array, b: GruBuffers): void {
  const { N, V, T, multiplierOnRecurrent } = d;
  const { Wz, Wr, Wn, Uz, Ur, Un, bz, br, bn, m } = w;
  const { hs, rs, zs, gs, ns, os } = b;
  for (let j = 0; j < N; j++) hs[j] = h0[j];
  for (let t = 0; t < T; t++) {
    const x = symbols[t];
    const prev = t * N;
    const cur = prev + N;
    for (let j = 0; j < N; j++) rs[prev + j] = multiplierOnRecurrent ? m[j] * hs[prev + j] : hs[prev + j];
    for (let i = 0; i < N; i++) {
      let az = Wz[i * V + x] + bz[i];
      let ag = Wr[i * V + x] + br[i];
      const row = i * N;
      for (let j = 0; j < N; j++) {
        az += Uz[row + j] * rs[prev + j];
        ag += Ur[row + j] * rs[prev + j];
      }
      zs[prev + i] = sigmoid(az);
      gs[prev + i] = sigmoid(ag);
    }
    for (let i = 0; i < N; i++) {
      let an = Wn[i * V + x] + bn[i];
      const row = i * N;
      for (let j = 0; j < N; j++) an += Un[row + j] * gs[prev + j] * rs[prev + j];
      const n = Math.tanh(an);
      const z = zs[prev + i];
      ns[prev + i] = n;
      hs[cur + i] = (1 - z) * n + z * hs[prev + i];
      os[prev + i] = m[i] * hs[cur + i];
    }
  }
}

/** After `gruForward` and the output layer's backward (which filled `dos`): overwrites every gradient in `g`. */
export function gruBackward(w: GruWeights, g: GruWeights, d: GruDims, symbols: Int32Array, b: GruBuffers): void {
  const { N, V, T, multiplierOnRecurrent } = d;
  const { Uz, Ur, Un, m } = w;
  const { hs, rs, zs, gs, ns, dos, dnext, dr, dgr, az, ag, an } = b;
  for (const key of GRU_INPUT) g[key].fill(0, 0, N * V);
  for (const key of GRU_RECURRENT) g[key].fill(0, 0, N * N);
  for (const key of GRU_BIASES) g[key].fill(0, 0, N);
  g.m.fill(0, 0, N);
  dnext.fill(0, 0, N);
  for (let t = T - 1; t >= 0; t--) {
    const prev = t * N;
    const cur = prev + N;
    // Through h_t = (1 − z) n + z h_{t-1}; dnext becomes the direct path to h_{t-1}.
    for (let i = 0; i < N; i++) {
      const h = hs[cur + i];
      g.m[i] += dos[prev + i] * h;
      const dh = dos[prev + i] * m[i] + dnext[i];
      const z = zs[prev + i];
      const n = ns[prev + i];
      an[i] = dh * (1 - z) * (1 - n * n);
      az[i] = dh * (hs[prev + i] - n) * z * (1 - z);
      dnext[i] = dh * z;
    }
    // The candidate: ∂/∂(g ⊙ r) = Unᵀ an.
    dgr.fill(0, 0, N);
    for (let i = 0; i < N; i++) {
      const a = an[i];
      const row = i * N;
      for (let j = 0; j < N; j++) {
        g.Un[row + j] += a * gs[prev + j] * rs[prev + j];
        dgr[j] += Un[row + j] * a;
      }
    }
    for (let j = 0; j < N; j++) {
      const gate = gs[prev + j];
      ag[j] = dgr[j] * rs[prev + j] * gate * (1 - gate);
      dr[j] = dgr[j] * gate;
    }
    // Both gates, and every input column and bias.
    const x = symbols[t];
    for (let i = 0; i < N; i++) {
      const dz = az[i];
      const dg = ag[i];
      g.Wz[i * V + x] += dz;
      g.Wr[i * V + x] += dg;
      g.Wn[i * V + x] += an[i];
      g.bz[i] += dz;
      g.br[i] += dg;
      g.bn[i] += an[i];
      const row = i * N;
      for (let j = 0; j < N; j++) {
        const r = rs[prev + j];
        g.Uz[row + j] += dz * r;
        g.Ur[row + j] += dg * r;
        dr[j] += Uz[row + j] * dz + Ur[row + j] * dg;
      }
    }
    // r_{t-1} = h_{t-1} or m ⊙ h_{t-1}.
    for (let j = 0; j < N; j++) {
      if (multiplierOnRecurrent) {
        g.m[j] += dr[j] * hs[prev + j];
        dnext[j] += dr[j] * m[j];
      } else dnext[j] += dr[j];
    }
  }
}
