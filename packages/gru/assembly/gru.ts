// The GRU of src/gru-kernel.ts (the reference) and its softmax output layer (@diffstruct/layers'
// softmaxSteps*) in WebAssembly SIMD, float64 (two lanes): the whole cycle, since at N = 20 the
// output layer in TypeScript alone took 60 % as long as all of this. Rows are padded to whole
// vectors with zeros (NP columns), so every N²-sized loop runs on full vectors; padding lanes of
// h, n, r and every gradient stay zero (those of z and g are ½ and only ever meet zeros).
//   forward   [z; g] = σ([Wz; Wr][:, x] + [bz; br] + [Uz; Ur]·r): one product for both gates, six
//             rows at a time; n = tanh(Wn[:, x] + bn + Un·(g ⊙ r))
//   backward  Unᵀ·an and [Uz; Ur]ᵀ·[az; ag] in broadcast form (no transposed copy); the three
//             recurrent weight gradients summed over time once per cycle, two rows at a time,
//             instead of an outer product per step.
// JS writes the weights unpadded into the `in*` regions and reads gradients from the `out*` ones.
// The region numbers are src/gru-regions.ts's, shared with the JS side.

import { sigmoidRow64, tanhRow64 } from '@diffstruct/layers/assembly/simd-math';
import { addRowToBoth, broadcastSum, dotRows, outerSumPair } from '@diffstruct/layers/assembly/simd-rows';
import { softmaxLoss, softmaxLossStart, softmaxLossStep } from '@diffstruct/layers/assembly/softmax-steps';
import { Region } from '../src/gru-regions';

let N: i32 = 0;
let V: i32 = 0;
let T: i32 = 0;
let NP: i32 = 0; // N rounded up to whole vectors
let W: usize = 0; // bytes of a padded row: NP · 8
let onRecurrent: bool = false;

// Inputs and outputs (unpadded, row-major like the JS parameters).
let inWz: usize, inWr: usize, inWn: usize, inUz: usize, inUr: usize, inUn: usize, inBz: usize, inBr: usize, inBn: usize, inM: usize;
let inWhy: usize, inBy: usize, inH0: usize, inSymbols: usize;
let outWz: usize, outWr: usize, outWn: usize, outUz: usize, outUr: usize, outUn: usize, outBz: usize, outBr: usize, outBn: usize, outM: usize;
let outWhy: usize, outBy: usize;
// Working copies, padded. The two gates are stacked: Uzr is Uz (rows 0..N) over Ur (rows NP..NP+N),
// zero rows between; WzrT row x is [Wz[:, x] | Wr[:, x]] (the input columns made contiguous rows),
// bzr is [bz | br]; WnT row x is Wn[:, x].
let Uzr: usize, Un: usize, WzrT: usize, WnT: usize, bzr: usize, bn: usize, m: usize, Why: usize;
// Activations: hs and os have T + 1 rows (os[t] = m ⊙ hs[t], so that os[0] can be step 0's
// recurrent input); zgs rows are [z | g]; grs rows g ⊙ r; pre the gates' pre-activations.
let hs: usize, os: usize, zgs: usize, ns: usize, grs: usize, ps: usize, pre: usize;
// Backward: every step's dy, [az | ag] and an are kept (weight gradients are summed over time after
// the loop); zeros is a row of zeros, to add nothing.
let dy: usize, dzgs: usize, dns: usize, dnext: usize, dgr: usize, dr: usize, zeros: usize;
// Gradients, padded like the working copies.
let gUzr: usize, gUn: usize, gWzrT: usize, gWnT: usize, gbzr: usize, gbn: usize, gm: usize, gWhy: usize;

let top: usize = 0;

function take(bytes: usize): usize {
  const at = top;
  top += (bytes + 15) & ~15;
  return at;
}

/** Lays out every region for these sizes, zeroed; returns the bytes used, or −1 if the memory cannot grow to them. */
export function layout(n: i32, v: i32, t: i32, recurrentMultiplier: i32): i32 {
  N = n;
  V = v;
  T = t;
  NP = (n + 1) & ~1;
  W = <usize>NP * 8;
  onRecurrent = recurrentMultiplier != 0;
  top = (__heap_base + 15) & ~15;
  const start = top;
  const square = <usize>(n * n) * 8;
  const columns = <usize>(n * v) * 8;
  const units = <usize>n * 8;
  const nv = <usize>v;
  const steps = <usize>t;
  inWz = take(columns);
  inWr = take(columns);
  inWn = take(columns);
  inUz = take(square);
  inUr = take(square);
  inUn = take(square);
  inBz = take(units);
  inBr = take(units);
  inBn = take(units);
  inM = take(units);
  inWhy = take(columns);
  inBy = take(nv * 8);
  inH0 = take(units);
  inSymbols = take((steps + 1) * 4);
  outWz = take(columns);
  outWr = take(columns);
  outWn = take(columns);
  outUz = take(square);
  outUr = take(square);
  outUn = take(square);
  outBz = take(units);
  outBr = take(units);
  outBn = take(units);
  outM = take(units);
  outWhy = take(columns);
  outBy = take(nv * 8);
  Uzr = take(2 * <usize>NP * W);
  Un = take(<usize>NP * W);
  WzrT = take(nv * 2 * W);
  WnT = take(nv * W);
  bzr = take(2 * W);
  bn = take(W);
  m = take(W);
  Why = take(nv * W);
  hs = take((steps + 1) * W);
  os = take((steps + 1) * W);
  zgs = take(steps * 2 * W);
  ns = take(steps * W);
  grs = take(steps * W);
  ps = take(steps * nv * 8);
  pre = take(2 * W);
  dy = take(steps * nv * 8);
  dzgs = take(steps * 2 * W);
  dns = take(steps * W);
  dnext = take(W);
  dgr = take(W);
  dr = take(W);
  zeros = take(max<usize>(2 * W, nv * 8));
  gUzr = take(2 * <usize>NP * W);
  gUn = take(<usize>NP * W);
  gWzrT = take(nv * 2 * W);
  gWnT = take(nv * W);
  gbzr = take(2 * W);
  gbn = take(W);
  gm = take(W);
  gWhy = take(nv * W);
  const pages = <i32>((top + 0xffff) >> 16);
  if (pages > memory.size() && memory.grow(pages - memory.size()) < 0) return -1;
  memory.fill(start, 0, top - start);
  return <i32>(top - start);
}

// Region addresses, for the JS side's typed-array views.
export function regionOf(region: Region): usize {
  switch (region) {
    case Region.Wz: return inWz;
    case Region.Wr: return inWr;
    case Region.Wn: return inWn;
    case Region.Uz: return inUz;
    case Region.Ur: return inUr;
    case Region.Un: return inUn;
    case Region.bz: return inBz;
    case Region.br: return inBr;
    case Region.bn: return inBn;
    case Region.m: return inM;
    case Region.Why: return inWhy;
    case Region.by: return inBy;
    case Region.h0: return inH0;
    case Region.symbols: return inSymbols;
    case Region.gWz: return outWz;
    case Region.gWr: return outWr;
    case Region.gWn: return outWn;
    case Region.gUz: return outUz;
    case Region.gUr: return outUr;
    case Region.gUn: return outUn;
    case Region.gbz: return outBz;
    case Region.gbr: return outBr;
    case Region.gbn: return outBn;
    case Region.gm: return outM;
    case Region.gWhy: return outWhy;
    case Region.gby: return outBy;
    case Region.lastState: return hs + <usize>T * W;
    case Region.ps: return ps;
    default: return 0;
  }
}

@inline function row(base: usize, r: i32): usize {
  return base + <usize>r * W;
}

@inline function symbol(t: i32): i32 {
  return load<i32>(inSymbols + <usize>t * 4);
}

/** The recurrent input of step t: r = h_{t-1}, or m ⊙ h_{t-1} when the multiplier is on that path. */
@inline function recurrentInput(t: i32): usize {
  return onRecurrent ? row(os, t) : row(hs, t);
}

@inline function at(base: usize, i: i32): usize {
  return base + <usize>i * 8;
}

/** Copies the unpadded inputs into the padded (stacked, transposed) working layouts. */
function prepare(): void {
  const rowIn = <usize>N * 8;
  for (let i = 0; i < N; i++) {
    memory.copy(row(Uzr, i), inUz + <usize>i * rowIn, rowIn);
    memory.copy(row(Uzr, NP + i), inUr + <usize>i * rowIn, rowIn);
    memory.copy(row(Un, i), inUn + <usize>i * rowIn, rowIn);
    for (let v = 0; v < V; v++) {
      const k = i * V + v;
      store<f64>(at(row(WzrT, 2 * v), i), load<f64>(at(inWz, k)));
      store<f64>(at(row(WzrT, 2 * v), NP + i), load<f64>(at(inWr, k)));
      store<f64>(at(row(WnT, v), i), load<f64>(at(inWn, k)));
    }
    store<f64>(at(bzr, i), load<f64>(at(inBz, i)));
    store<f64>(at(bzr, NP + i), load<f64>(at(inBr, i)));
    store<f64>(at(bn, i), load<f64>(at(inBn, i)));
    const mi = load<f64>(at(inM, i));
    const h0 = load<f64>(at(inH0, i));
    store<f64>(at(m, i), mi);
    store<f64>(at(hs, i), h0);
    store<f64>(at(os, i), mi * h0);
  }
  for (let v = 0; v < V; v++) memory.copy(row(Why, v), inWhy + <usize>v * rowIn, rowIn);
}

export function forward(): f64 {
  prepare();
  softmaxLossStart();
  const one = v128.splat<f64>(1);
  for (let t = 0; t < T; t++) {
    const x = symbol(t);
    const r = recurrentInput(t);
    const zg = row(zgs, 2 * t);
    dotRows<f64>(Uzr, W, r, NP + N, row(WzrT, 2 * x), bzr, pre);
    sigmoidRow64(pre, zg, 2 * W);
    const gr = row(grs, t);
    for (let c: usize = 0; c < W; c += 16) v128.store(gr + c, v128.mul<f64>(v128.load(zg + W + c), v128.load(r + c)));
    const nRow = row(ns, t);
    dotRows<f64>(Un, W, gr, N, row(WnT, x), bn, nRow);
    tanhRow64(nRow, nRow, W);
    const prev = row(hs, t);
    const cur = row(hs, t + 1);
    const o = row(os, t + 1);
    for (let c: usize = 0; c < W; c += 16) {
      const n = v128.load(nRow + c);
      const z = v128.load(zg + c);
      const h = v128.add<f64>(v128.mul<f64>(v128.sub<f64>(one, z), n), v128.mul<f64>(z, v128.load(prev + c)));
      v128.store(cur + c, h);
      v128.store(o + c, v128.mul<f64>(v128.load(m + c), h));
    }
    const psRow = ps + <usize>(t * V) * 8;
    dotRows<f64>(Why, W, o, V, inBy, zeros, psRow);
    softmaxLossStep(psRow, V, symbol(t + 1));
  }
  return softmaxLoss();
}

export function backward(): void {
  memory.fill(dnext, 0, W);
  memory.fill(gm, 0, W);
  const one = v128.splat<f64>(1);
  for (let t = T - 1; t >= 0; t--) {
    // ∂loss/∂y_t = p_t − onehot(target).
    const target = symbol(t + 1);
    const dyRow = dy + <usize>(t * V) * 8;
    for (let v = 0; v < V; v++) {
      const p = load<f64>(ps + <usize>(t * V + v) * 8);
      store<f64>(at(dyRow, v), v == target ? p - 1 : p);
    }
    // Through o = m ⊙ h and h = (1 − z) n + z h_{t-1}; dnext becomes the direct path to h_{t-1}.
    const cur = row(hs, t + 1);
    const prev = row(hs, t);
    const zg = row(zgs, 2 * t);
    const nRow = row(ns, t);
    const dzg = row(dzgs, 2 * t);
    const dn = row(dns, t);
    // ∂/∂o = Whyᵀ·dy in broadcast form (six vectors at a time), parked in dn until an replaces it.
    broadcastSum<f64>(Why, W, dyRow, 8, V, zeros, dn);
    for (let c: usize = 0; c < W; c += 16) {
      const dos = v128.load(dn + c);
      const h = v128.load(cur + c);
      v128.store(gm + c, v128.add<f64>(v128.load(gm + c), v128.mul<f64>(dos, h)));
      const dh = v128.add<f64>(v128.mul<f64>(dos, v128.load(m + c)), v128.load(dnext + c));
      const z = v128.load(zg + c);
      const n = v128.load(nRow + c);
      const oneMinusZ = v128.sub<f64>(one, z);
      v128.store(dn + c, v128.mul<f64>(v128.mul<f64>(dh, oneMinusZ), v128.sub<f64>(one, v128.mul<f64>(n, n))));
      v128.store(dzg + c, v128.mul<f64>(v128.mul<f64>(v128.mul<f64>(dh, v128.sub<f64>(v128.load(prev + c), n)), z), oneMinusZ));
      v128.store(dnext + c, v128.mul<f64>(dh, z));
    }
    // The candidate: ∂/∂(g ⊙ r) = Unᵀ an; then the reset gate.
    broadcastSum<f64>(Un, W, dn, 8, N, zeros, dgr);
    const r = recurrentInput(t);
    for (let c: usize = 0; c < W; c += 16) {
      const g = v128.load(zg + W + c);
      const d = v128.load(dgr + c);
      v128.store(dzg + W + c, v128.mul<f64>(v128.mul<f64>(v128.mul<f64>(d, v128.load(r + c)), g), v128.sub<f64>(one, g)));
      v128.store(dr + c, v128.mul<f64>(d, g));
    }
    // Both gates at once: dr += [Uz; Ur]ᵀ [az; ag]; then r_{t-1} = h_{t-1} or m ⊙ h_{t-1}.
    broadcastSum<f64>(Uzr, W, dzg, 8, NP + N, dr, dr);
    for (let c: usize = 0; c < W; c += 16) {
      const d = v128.load(dr + c);
      if (onRecurrent) {
        v128.store(gm + c, v128.add<f64>(v128.load(gm + c), v128.mul<f64>(d, v128.load(prev + c))));
        v128.store(dnext + c, v128.add<f64>(v128.load(dnext + c), v128.mul<f64>(d, v128.load(m + c))));
      } else v128.store(dnext + c, v128.add<f64>(v128.load(dnext + c), d));
    }
  }
  weightGradients();
  writeGradients();
}

/** Every weight gradient, each summed over the T steps in registers: gU[i] = Σ_t δ_t[i] · (its input at t). */
function weightGradients(): void {
  const r0 = recurrentInput(0);
  for (let i = 0; i < N; i += 2) {
    outerSumPair<f64>(r0, W, at(dzgs, i), 2 * W, T, row(gUzr, i));
    outerSumPair<f64>(r0, W, at(dzgs, NP + i), 2 * W, T, row(gUzr, NP + i));
    outerSumPair<f64>(grs, W, at(dns, i), W, T, row(gUn, i));
  }
  memory.fill(gWzrT, 0, <usize>V * 2 * W);
  memory.fill(gWnT, 0, <usize>V * W);
  memory.fill(gbzr, 0, 2 * W);
  memory.fill(gbn, 0, W);
  for (let t = 0; t < T; t++) {
    const x = symbol(t);
    addRowToBoth<f64>(row(dzgs, 2 * t), gbzr, row(gWzrT, 2 * x), 2 * W);
    addRowToBoth<f64>(row(dns, t), gbn, row(gWnT, x), W);
  }
  // The output layer: gWhy[v] = Σ_t dy_t[v] · o_t, gby[v] = Σ_t dy_t[v].
  for (let v = 0; v < V; v++) {
    broadcastSum<f64>(row(os, 1), W, at(dy, v), <usize>V * 8, T, zeros, row(gWhy, v));
    let gby: f64 = 0;
    for (let t = 0; t < T; t++) gby += load<f64>(at(dy, t * V + v));
    store<f64>(at(outBy, v), gby);
  }
}

/** The padded gradients, unpadded into the `out*` regions. */
function writeGradients(): void {
  const rowOut = <usize>N * 8;
  for (let i = 0; i < N; i++) {
    memory.copy(outUz + <usize>i * rowOut, row(gUzr, i), rowOut);
    memory.copy(outUr + <usize>i * rowOut, row(gUzr, NP + i), rowOut);
    memory.copy(outUn + <usize>i * rowOut, row(gUn, i), rowOut);
    for (let v = 0; v < V; v++) {
      const k = i * V + v;
      store<f64>(at(outWz, k), load<f64>(at(row(gWzrT, 2 * v), i)));
      store<f64>(at(outWr, k), load<f64>(at(row(gWzrT, 2 * v), NP + i)));
      store<f64>(at(outWn, k), load<f64>(at(row(gWnT, v), i)));
    }
    store<f64>(at(outBz, i), load<f64>(at(gbzr, i)));
    store<f64>(at(outBr, i), load<f64>(at(gbzr, NP + i)));
    store<f64>(at(outBn, i), load<f64>(at(gbn, i)));
    store<f64>(at(outM, i), load<f64>(at(gm, i)));
  }
  for (let v = 0; v < V; v++) memory.copy(outWhy + <usize>v * rowOut, row(gWhy, v), rowOut);
}
