import type { Parameter } from '@diffstruct/core';
import type { Area } from './area.js';

/**
 * The areas network's forward pass and backpropagation through time, plain loops on each area's
 * preallocated arrays (nothing allocates). With s^k_t = a_k · m_k ⊙ h^k_t what area k sends:
 *   h^k_t = tanh(Wx_k x_t [if input → k] + Whh_k h^k_{t-1} + Σ_{j → k} L_jk s^j_{t-1} + b_k)
 *   y_t   = by + Σ_{k → output} Wy_k s^k_t,   loss = Σ_t −log softmax(y_t)[x_{t+1}]
 * Every area reads the others at the previous step (causal whatever the graph, and the order of
 * areas does not matter); the symbol and the output are read at the same step, as in the char RNN.
 */
export interface AreasPass {
  readonly areas: readonly Area[];
  /** a, one per area. */
  readonly a: Float64Array;
  readonly by: Float64Array;
  readonly V: number;
  readonly T: number;
}

/** Fills every area's hs and ss from the states h0[k] and `ps` (T × V) with each step's softmax; returns the summed loss. */
export function areasForward(pass: AreasPass, symbols: Int32Array, h0: readonly Float64Array[], ps: Float64Array): number {
  const { areas, a, by, V, T } = pass;
  const K = areas.length;
  for (let k = 0; k < K; k++) {
    const area = areas[k];
    const N = area.size;
    const m = area.m.value.data;
    const h = h0[k];
    for (let j = 0; j < N; j++) {
      area.hs[j] = h[j];
      area.ss[j] = a[k] * m[j] * h[j];
    }
  }
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const x = symbols[t];
    for (let k = 0; k < K; k++) {
      const area = areas[k];
      const N = area.size;
      const { hs, pre } = area;
      const Whh = area.Whh.value.data;
      const b = area.b.value.data;
      const Wx = area.Wx?.value.data;
      const prev = t * N;
      for (let i = 0; i < N; i++) {
        let z = b[i];
        if (Wx) z += Wx[i * V + x];
        const row = i * N;
        for (let j = 0; j < N; j++) z += Whh[row + j] * hs[prev + j];
        pre[i] = z;
      }
      // Link by link, each matrix's lookups once a step.
      for (let l = 0; l < area.incoming.length; l++) {
        const link = area.incoming[l];
        const from = link.from.ss;
        const Ns = link.from.size;
        const L = link.W.value.data;
        const at = t * Ns;
        for (let i = 0; i < N; i++) {
          const r = i * Ns;
          let z = 0;
          for (let j = 0; j < Ns; j++) z += L[r + j] * from[at + j];
          pre[i] += z;
        }
      }
      for (let i = 0; i < N; i++) hs[prev + N + i] = Math.tanh(pre[i]);
    }
    for (let k = 0; k < K; k++) {
      const area = areas[k];
      const N = area.size;
      const m = area.m.value.data;
      const cur = (t + 1) * N;
      for (let j = 0; j < N; j++) area.ss[cur + j] = a[k] * m[j] * area.hs[cur + j];
    }
    const p = t * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      let y = by[v];
      for (let k = 0; k < K; k++) {
        const Wy = areas[k].Wy?.value.data;
        if (!Wy) continue;
        const N = areas[k].size;
        const ss = areas[k].ss;
        const cur = (t + 1) * N;
        for (let j = 0; j < N; j++) y += Wy[v * N + j] * ss[cur + j];
      }
      ps[p + v] = y;
      if (y > max) max = y;
    }
    let sum = 0;
    for (let v = 0; v < V; v++) sum += ps[p + v] = Math.exp(ps[p + v] - max);
    for (let v = 0; v < V; v++) ps[p + v] /= sum;
    loss -= Math.log(ps[p + symbols[t + 1]]);
  }
  return loss;
}

/**
 * After `areasForward`: overwrites every gradient (each area's parameters, the links into it, a
 * into `ga`, by into `gby`). `dy` is scratch of length V. From τ = T down to 1, with
 * dz^k_{T+1} = 0:
 *   dS^k_τ = Wy_kᵀ dy_τ + Σ_{k → l} L_klᵀ dz^l_{τ+1}      ∂loss/∂s^k_τ
 *   dz^k_τ = (1 − h²) ⊙ (a_k m_k ⊙ dS^k_τ + Whh_kᵀ dz^k_{τ+1})
 *   dm_k += a_k dS ⊙ h,  da_k += Σ dS ⊙ m_k ⊙ h
 * and at τ = 0 the carried state's s^k_0 (sent with today's m and a) adds its share to dm and da.
 */
export function areasBackward(pass: AreasPass, symbols: Int32Array, ps: Float64Array, ga: Float64Array, gby: Float64Array, dy: Float64Array): void {
  const { areas, a, V, T } = pass;
  const K = areas.length;
  ga.fill(0, 0, K);
  gby.fill(0, 0, V);
  for (let k = 0; k < K; k++) {
    const area = areas[k];
    // Parameter by parameter, not through parameters(): no array made per cycle.
    zeroGradient(area.Wx);
    zeroGradient(area.Whh);
    zeroGradient(area.b);
    zeroGradient(area.m);
    zeroGradient(area.Wy);
    for (let l = 0; l < area.incoming.length; l++) zeroGradient(area.incoming[l].W);
    area.dzNext.fill(0, 0, area.size);
  }
  for (let tau = T; tau >= 1; tau--) {
    const p = (tau - 1) * V;
    for (let v = 0; v < V; v++) dy[v] = ps[p + v];
    dy[symbols[tau]] -= 1;
    for (let v = 0; v < V; v++) gby[v] += dy[v];
    for (let k = 0; k < K; k++) ga[k] += sentGradient(areas[k], a[k], tau, dy, V);
    const x = symbols[tau - 1];
    for (let k = 0; k < K; k++) {
      const area = areas[k];
      const N = area.size;
      const { dz, hs } = area;
      const prev = (tau - 1) * N;
      const gb = area.b.grad.data;
      const gWhh = area.Whh.grad.data;
      const gWx = area.Wx?.grad.data;
      for (let i = 0; i < N; i++) {
        const d = dz[i];
        gb[i] += d;
        if (gWx) gWx[i * V + x] += d;
        const row = i * N;
        for (let j = 0; j < N; j++) gWhh[row + j] += d * hs[prev + j];
      }
      for (let l = 0; l < area.incoming.length; l++) {
        const link = area.incoming[l];
        const Ns = link.from.size;
        const from = link.from.ss;
        const gL = link.W.grad.data;
        const at = (tau - 1) * Ns;
        for (let i = 0; i < N; i++) {
          const d = dz[i];
          const r = i * Ns;
          for (let j = 0; j < Ns; j++) gL[r + j] += d * from[at + j];
        }
      }
    }
    for (let k = 0; k < K; k++) {
      const area = areas[k];
      const next = area.dzNext;
      area.dzNext = area.dz;
      area.dz = next;
    }
  }
  for (let k = 0; k < K; k++) ga[k] += sentGradient(areas[k], a[k], 0, null, V);
}

/**
 * Step τ of one area: dS into area.dSent (from the output's dy when given and the links out of it),
 * its share of dm and dWy, and dz into area.dz (unless τ = 0, the carried state); returns its share of da.
 */
function sentGradient(area: Area, ak: number, tau: number, dy: Float64Array | null, V: number): number {
  const N = area.size;
  const { dSent, hs, ss, dz, dzNext } = area;
  const cur = tau * N;
  dSent.fill(0, 0, N);
  const Wy = area.Wy;
  if (dy && Wy) {
    const W = Wy.value.data;
    const gW = Wy.grad.data;
    for (let v = 0; v < V; v++) {
      const dv = dy[v];
      const row = v * N;
      for (let j = 0; j < N; j++) {
        gW[row + j] += dv * ss[cur + j];
        dSent[j] += W[row + j] * dv;
      }
    }
  }
  for (let l = 0; l < area.outgoing.length; l++) {
    const link = area.outgoing[l];
    const Nt = link.to.size;
    const dzTo = link.to.dzNext;
    const L = link.W.value.data;
    for (let i = 0; i < Nt; i++) {
      const d = dzTo[i];
      const row = i * N;
      for (let j = 0; j < N; j++) dSent[j] += L[row + j] * d;
    }
  }
  const m = area.m.value.data;
  const gm = area.m.grad.data;
  let da = 0;
  for (let j = 0; j < N; j++) {
    const h = hs[cur + j];
    gm[j] += ak * dSent[j] * h;
    da += dSent[j] * m[j] * h;
  }
  if (tau === 0) return da;
  for (let j = 0; j < N; j++) dz[j] = ak * m[j] * dSent[j];
  const Whh = area.Whh.value.data;
  for (let i = 0; i < N; i++) {
    const d = dzNext[i];
    const row = i * N;
    for (let j = 0; j < N; j++) dz[j] += Whh[row + j] * d;
  }
  for (let j = 0; j < N; j++) {
    const h = hs[cur + j];
    dz[j] *= 1 - h * h;
  }
  return da;
}

function zeroGradient(p: Parameter | undefined): void {
  p?.grad.data.fill(0, 0, p.length);
}
