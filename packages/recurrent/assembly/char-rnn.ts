// The char RNN of src/reference-kernel.ts (the reference) in WebAssembly SIMD, generic over the
// element type F (f64: two lanes, f32: four). Rows are padded to whole vectors with zeros, so
// every N²-sized loop runs on full vectors and padding stays zero through tanh and products.
//   forward   h_t = tanh(Wxh[:, x_t] + bh + Whh·r_{t-1}), six rows of Whh against r at a time
//   backward  Whhᵀ·draw as Σ_i row_i · draw[i] (broadcast form, no transposed copy); weight
//             gradients summed over time once per cycle instead of an outer product per step.
//   The row loops are @diffstruct/layers/assembly/simd-rows', shared with the GRU's kernel.
//   Modulatory and learned links replace the recurrent step: char-rnn-links.ts.
// JS writes the weights unpadded into the `in*` regions and reads gradients from the `out*` ones,
// both float64 whatever F is: conversions happen here, not element by element in JS. The region
// numbers are src/simd-regions.ts's, shared with the JS side. A model may keep its parameters in
// this memory, above every layout (`reserveAbove`): `bind` then points a region at a parameter's
// own array, read and written in place, and nothing is copied.
// B windows a cycle (src/rnn-kernel.ts): every activation region holds B rows per step, row
// t·B + w for window w, so the weight gradients' sums over time run over T·B rows at once; the
// loss and the gradients are the mean over the windows.

import { growTo } from '@diffstruct/layers/assembly/heap';
import { tanhRowOf } from '@diffstruct/layers/assembly/simd-math';
import { addRowToBoth, broadcastSum, dotRows, outerSumPair, rowFrom64, rowTo64 } from '@diffstruct/layers/assembly/simd-rows';
import { softmaxLoss, softmaxLossStart, softmaxLossStep, softmaxLossStepPair } from '@diffstruct/layers/assembly/softmax-steps';
import { Region } from '../src/simd-regions';
import {
  additiveShareOf,
  bindLinksRegion,
  finishLinksBackward,
  layoutLinks,
  linksBackwardStep,
  linksForwardStep,
  linksRegionOf,
  prepareLinks,
  startLinksBackward,
  usesLinks,
  usesWhh,
} from './char-rnn-links';

let N: i32 = 0;
let V: i32 = 0;
let T: i32 = 0;
let B: i32 = 1;
let NP: i32 = 0; // N rounded up to whole vectors
let onRecurrent: bool = false;
let layoutElementSize: i32 = 0;

// Inputs (unpadded, row-major like the JS parameters; h0 N × B, unit-major; symbols B windows of T + 1).
let inWhh: usize, inWxh: usize, inBh: usize, inM: usize, inWhy: usize, inBy: usize, inH0: usize, inSymbols: usize;
// Outputs (unpadded gradients).
let outWhh: usize, outWxh: usize, outBh: usize, outM: usize, outWhy: usize, outBy: usize;
// Working copies in F (rows of N padded to NP), named as in the reference (src/reference-kernel.ts).
// WxhT is Wxh transposed, so that the column for input x is one contiguous row.
let Whh: usize, WxhT: usize, bh: usize, m: usize, Why: usize, by: usize;
// Activations, as in the reference but: every step's dy and draw is kept (weight gradients are
// summed over time after the loop); os has T + 1 rows like hs, os[t] = m ⊙ hs[t], so that os[0]
// can be step 0's recurrent input (the reference's os[t] is row t + 1 here); ps stays float64;
// dpost has no region of its own (it waits in step t's draw row). With no reference
// counterpart: logits (y_t before the softmax) and zeros (a row of zeros, to add nothing).
let hs: usize, os: usize, ps: usize, logits: usize, dy: usize, draw: usize, dnext: usize, zeros: usize;
// Gradients, padded (gWxhT transposed like WxhT).
let gWhh: usize, gWxhT: usize, gbh: usize, gm: usize, gWhy: usize;

let top: usize = 0;
// Where the model's parameters start when it keeps them in this memory (0: it does not): no
// layout may reach them, and the memory may not grow any more (its buffer would be replaced).
let reserved: usize = 0;

function take(bytes: i32): usize {
  const at = top;
  top += ((<usize>bytes + 15) & ~15);
  return at;
}

/** Lays out every region for these sizes, zeroed; returns the bytes used, or −1 if they would reach the reserved parameters. */
function layout<F>(n: i32, v: i32, t: i32, b: i32, recurrentMultiplier: i32, linkKind: i32): i32 {
  const S = <i32>sizeof<F>();
  const L = 16 / S;
  N = n;
  V = v;
  T = t;
  B = b;
  NP = ((n + L - 1) / L) * L;
  onRecurrent = recurrentMultiplier != 0;
  layoutElementSize = S;
  top = (__heap_base + 15) & ~15;
  const start = top;
  inWhh = take(n * n * 8);
  inWxh = take(n * v * 8);
  inBh = take(n * 8);
  inM = take(n * 8);
  inWhy = take(v * n * 8);
  inBy = take(v * 8);
  inH0 = take(n * b * 8);
  inSymbols = take(b * (t + 1) * 4);
  outWhh = take(n * n * 8);
  outWxh = take(n * v * 8);
  outBh = take(n * 8);
  outM = take(n * 8);
  outWhy = take(v * n * 8);
  outBy = take(v * 8);
  Whh = take(n * NP * S);
  by = take(v * S);
  WxhT = take(v * NP * S);
  bh = take(NP * S);
  m = take(NP * S);
  Why = take(v * NP * S);
  hs = take((t + 1) * b * NP * S);
  os = take((t + 1) * b * NP * S);
  ps = take(t * b * v * 8);
  dy = take(t * b * v * S);
  draw = take(t * b * NP * S);
  dnext = take(b * NP * S);
  zeros = take(max(NP, v) * S);
  logits = take(max(NP, v) * S);
  gWhh = take(n * NP * S);
  gWxhT = take(v * NP * S);
  gbh = take(NP * S);
  gm = take(NP * S);
  gWhy = take(v * NP * S);
  top = layoutLinks(linkKind, n, NP, S, t * b, top);
  if (reserved != 0 && top > reserved) return -1;
  const pages = <i32>((top + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
  memory.fill(start, 0, top - start);
  return <i32>(top - start);
}

export function layout64(n: i32, v: i32, t: i32, b: i32, recurrentMultiplier: i32, linkKind: i32): i32 {
  return layout<f64>(n, v, t, b, recurrentMultiplier, linkKind);
}
export function layout32(n: i32, v: i32, t: i32, b: i32, recurrentMultiplier: i32, linkKind: i32): i32 {
  return layout<f32>(n, v, t, b, recurrentMultiplier, linkKind);
}

/** Elements per padded row (N rounded up to whole vectors): the stride of lastState's B rows. */
export function rowLength(): i32 {
  return NP;
}

/**
 * Grows the memory by `bytes` above the layout in place (lay out the largest sizes first) and
 * keeps them from every later layout: the model's parameters go there. Returns their address, or
 * 0 if the memory cannot grow (WebAssembly's 4 GB) or holds them already.
 */
export function reserveAbove(bytes: f64): usize {
  if (reserved != 0 || !growTo(<f64>top + bytes)) return 0;
  reserved = top;
  return top;
}

/** Points a weight's region (read) or a gradient's (written) at `address`, a parameter's array in this memory, until the next layout. */
export function bind(region: Region, address: usize): void {
  switch (region) {
    case Region.Whh: inWhh = address; break;
    case Region.Wxh: inWxh = address; break;
    case Region.bh: inBh = address; break;
    case Region.m: inM = address; break;
    case Region.Why: inWhy = address; break;
    case Region.by: inBy = address; break;
    case Region.gWhh: outWhh = address; break;
    case Region.gWxh: outWxh = address; break;
    case Region.gbh: outBh = address; break;
    case Region.gm: outM = address; break;
    case Region.gWhy: outWhy = address; break;
    case Region.gby: outBy = address; break;
    default: bindLinksRegion(region, address);
  }
}

// Region addresses, for the JS side's typed-array views.
export function regionOf(region: Region): usize {
  switch (region) {
    case Region.Whh: return inWhh;
    case Region.Wxh: return inWxh;
    case Region.bh: return inBh;
    case Region.m: return inM;
    case Region.Why: return inWhy;
    case Region.by: return inBy;
    case Region.h0: return inH0;
    case Region.symbols: return inSymbols;
    case Region.gWhh: return outWhh;
    case Region.gWxh: return outWxh;
    case Region.gbh: return outBh;
    case Region.gm: return outM;
    case Region.gWhy: return outWhy;
    case Region.gby: return outBy;
    case Region.lastState: return hs + <usize>(T * B * NP * layoutElementSize);
    case Region.ps: return ps;
    default: return linksRegionOf(region);
  }
}

@inline function row<F>(base: usize, r: i32): usize {
  return base + <usize>(r * NP) * sizeof<F>();
}

/** tanh in place over a padded row. */
@inline function tanhRow<F>(ptr: usize): void {
  tanhRowOf<F>(ptr, <usize>NP * sizeof<F>());
}

/** Copies the unpadded inputs into the padded (and transposed) working layouts. */
function prepare<F>(): void {
  const S = sizeof<F>();
  for (let i = 0; i < N; i++) {
    rowFrom64<F>(row<F>(Whh, i), inWhh + <usize>(i * N) * 8, N);
    for (let v = 0; v < V; v++) store<F>(row<F>(WxhT, v) + <usize>i * S, <F>load<f64>(inWxh + <usize>(i * V + v) * 8));
    store<F>(bh + <usize>i * S, <F>load<f64>(inBh + <usize>i * 8));
    const mi = <F>load<f64>(inM + <usize>i * 8);
    store<F>(m + <usize>i * S, mi);
    for (let w = 0; w < B; w++) {
      const h0 = <F>load<f64>(inH0 + <usize>(i * B + w) * 8);
      store<F>(row<F>(hs, w) + <usize>i * S, h0);
      store<F>(row<F>(os, w) + <usize>i * S, <F>(mi * h0));
    }
  }
  for (let v = 0; v < V; v++) {
    rowFrom64<F>(row<F>(Why, v), inWhy + <usize>(v * N) * 8, N);
    store<F>(by + <usize>v * S, <F>load<f64>(inBy + <usize>v * 8));
  }
  if (usesLinks()) prepareLinks<F>(N, NP);
}

/** The recurrent input in row k (= t·B + w): r_t = h_t of window w, or m ⊙ h_t when the multiplier is on that path. */
@inline function recurrentInput<F>(k: i32): usize {
  return onRecurrent ? row<F>(os, k) : row<F>(hs, k);
}

/** Window w's symbol at step t. */
@inline function symbolAt(w: i32, t: i32): i32 {
  return load<i32>(inSymbols + <usize>(w * (T + 1) + t) * 4);
}

/** The target of row k (= t·B + w): window w's symbol at step t + 1. */
@inline function targetOf(k: i32): i32 {
  return symbolAt(k % B, k / B + 1);
}

function forward<F>(): f64 {
  const S = sizeof<F>();
  const width = <usize>NP * S;
  prepare<F>();
  softmaxLossStart();
  for (let t = 0; t < T; t++) {
    for (let w = 0; w < B; w++) {
      const k = t * B + w;
      const cur = row<F>(hs, k + B);
      if (usesLinks()) {
        linksForwardStep<F>(Whh, recurrentInput<F>(k), row<F>(WxhT, symbolAt(w, t)), bh, cur, k, N, width, zeros);
      } else {
        dotRows<F>(Whh, width, recurrentInput<F>(k), N, row<F>(WxhT, symbolAt(w, t)), bh, cur);
        tanhRow<F>(cur);
      }
      const osRow = row<F>(os, k + B);
      for (let c: usize = 0; c < width; c += 16) v128.store(osRow + c, v128.mul<F>(v128.load(m + c), v128.load(cur + c)));
      dotRows<F>(Why, width, osRow, V, by, zeros, logits);
      const psRow = ps + <usize>(k * V) * 8;
      for (let v = 0; v < V; v++) store<f64>(psRow + <usize>v * 8, <f64>load<F>(logits + <usize>v * S));
      // Two steps' softmax at a time, once the second's logits are in: their exponentials side by side.
      if (k & 1) softmaxLossStepPair(psRow - <usize>V * 8, psRow, V, targetOf(k - 1), targetOf(k));
    }
  }
  // An odd number of rows leaves the last one alone.
  if ((T * B) & 1) softmaxLossStep(ps + <usize>((T * B - 1) * V) * 8, V, targetOf(T * B - 1));
  return softmaxLoss() / <f64>B;
}

export function forward64(): f64 {
  return forward<f64>();
}
export function forward32(): f64 {
  return forward<f32>();
}

function backward<F>(): void {
  const S = sizeof<F>();
  const width = <usize>NP * S;
  memory.fill(dnext, 0, <usize>B * width);
  memory.fill(gm, 0, width);
  memory.fill(gbh, 0, width);
  memory.fill(gWxhT, 0, <usize>V * width);
  if (usesLinks()) startLinksBackward(width);
  const one = v128.splat<F>(<F>1);
  for (let t = T - 1; t >= 0; t--) {
    for (let w = 0; w < B; w++) {
      const k = t * B + w;
      const target = symbolAt(w, t + 1);
      const dyRow = dy + <usize>(k * V) * S;
      for (let v = 0; v < V; v++) {
        const p = load<f64>(ps + <usize>(k * V + v) * 8);
        store<F>(dyRow + <usize>v * S, <F>(v == target ? p - 1 : p));
      }
      const cur = row<F>(hs, k + B);
      const drawRow = row<F>(draw, k);
      const dnextRow = row<F>(dnext, w);
      // dpost = Whyᵀ·dy in broadcast form (six vectors at a time), parked in drawRow until draw replaces it.
      broadcastSum<F>(Why, width, dyRow, S, V, zeros, drawRow);
      if (usesLinks()) {
        linksBackwardStep<F>(Whh, m, gm, cur, drawRow, dnextRow, k, N, width, zeros);
      } else {
        for (let c: usize = 0; c < width; c += 16) {
          const dpost = v128.load(drawRow + c);
          const h = v128.load(cur + c);
          v128.store(gm + c, v128.add<F>(v128.load(gm + c), v128.mul<F>(dpost, h)));
          const upstream = v128.add<F>(v128.mul<F>(dpost, v128.load(m + c)), v128.load(dnextRow + c));
          v128.store(drawRow + c, v128.mul<F>(v128.sub<F>(one, v128.mul<F>(h, h)), upstream));
        }
        broadcastSum<F>(Whh, width, drawRow, S, N, zeros, dnextRow);
      }
      if (onRecurrent) {
        const prev = row<F>(hs, k);
        for (let c: usize = 0; c < width; c += 16) {
          const dn = v128.load(dnextRow + c);
          v128.store(gm + c, v128.add<F>(v128.load(gm + c), v128.mul<F>(dn, v128.load(prev + c))));
          v128.store(dnextRow + c, v128.mul<F>(dn, v128.load(m + c)));
        }
      }
    }
  }
  // Weight gradients, each summed over time and windows in registers: gWhh[i] = Σ_k draw_k[i] · r_k (row k = t·B + w).
  // With links draw holds ds, and unit i's Whh gradient is α_i times that sum (none with modulatory links).
  const steps = T * B;
  const withWhh = usesWhh();
  let i = 0;
  if (withWhh) {
    for (; i + 2 <= N; i += 2) outerSumPair<F>(recurrentInput<F>(0), width, draw + <usize>i * S, width, steps, row<F>(gWhh, i));
    for (; i < N; i++) broadcastSum<F>(recurrentInput<F>(0), width, draw + <usize>i * S, width, steps, zeros, row<F>(gWhh, i));
  }
  for (let k = 0; k < steps; k++) addRowToBoth<F>(row<F>(draw, k), gbh, row<F>(gWxhT, symbolAt(k % B, k / B)), width);
  // Unpadded outputs, the mean over the windows (× 1 is exact: one window's gradients are unchanged).
  const mean = 1 / <f64>B;
  if (usesLinks()) finishLinksBackward<F>(recurrentInput<F>(0), N, width, steps, mean, zeros);
  for (let i = 0; i < N; i++) {
    const whhScale = usesLinks() ? additiveShareOf(i) * mean : mean;
    if (withWhh) rowTo64<F>(outWhh + <usize>(i * N) * 8, row<F>(gWhh, i), N, whhScale);
    for (let v = 0; v < V; v++) store<f64>(outWxh + <usize>(i * V + v) * 8, <f64>load<F>(row<F>(gWxhT, v) + <usize>i * S) * mean);
    store<f64>(outBh + <usize>i * 8, <f64>load<F>(gbh + <usize>i * S) * mean);
    store<f64>(outM + <usize>i * 8, <f64>load<F>(gm + <usize>i * S) * mean);
  }
  for (let v = 0; v < V; v++) {
    let gby: f64 = 0;
    for (let k = 0; k < steps; k++) gby += <f64>load<F>(dy + <usize>(k * V + v) * S);
    store<f64>(outBy + <usize>v * 8, <f64><F>gby * mean);
    broadcastSum<F>(row<F>(os, B), width, dy + <usize>v * S, <usize>V * S, steps, zeros, row<F>(gWhy, v));
    rowTo64<F>(outWhy + <usize>(v * N) * 8, row<F>(gWhy, v), N, mean);
  }
}

export function backward64(): void {
  backward<f64>();
}
export function backward32(): void {
  backward<f32>();
}
