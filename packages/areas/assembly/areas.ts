// The areas network of src/areas-pass.ts (the reference) in WebAssembly SIMD, float64. Every
// step's pre-activation is a sum of BLOCKS: an area's own Whh reading its h_{t-1}, each link
// L_jk reading s^j_{t-1} = a_j m_j ⊙ h^j_{t-1}; with its bias and the symbol's column of Wx. The
// output y_t = by + Σ Wy_k s^k_t is the same kind of sum. A block is (matrix, rows, source area,
// whether it reads h or s, target area), so one loop runs any graph:
//   forward   pre_k += W·x_from, six rows at a time (dotRows), then tanh and s = (a m) ⊙ h;
//   backward  the same blocks transposed in broadcast form (broadcastSum): Wᵀdz_{t+1} adds to
//             dH (Whh) or dS (a link) of its source; dz = (1 − h²) ⊙ (a m ⊙ dS + dH); every
//             weight gradient summed over time once per cycle (outerSumPair), as in the char RNN.
// Each area's rows are padded to whole vectors (NP = N rounded up to even) with zeros, which stay
// zero through tanh and products. JS writes the weights unpadded into the input regions and reads
// gradients from the output ones; region numbers are src/areas-regions.ts's. The layout is
// described by int32s JS writes at the spec region (src/simd-areas-kernel.ts), then `layout`.

import { tanhRow64 } from '@diffstruct/layers/assembly/simd-math';
import { addRowToBoth, broadcastSum, dotRows, outerSumPair } from '@diffstruct/layers/assembly/simd-rows';
import { softmaxLoss, softmaxLossStart, softmaxLossStep } from '@diffstruct/layers/assembly/softmax-steps';
import { AreaRegion, BlockRegion, Region } from '../src/areas-regions';

/** One area: unpadded inputs and outputs (`in*`, `out*`, 0 when absent), then padded working rows. */
@unmanaged class Area {
  N: i32;
  NP: i32;
  inWx: usize;
  inB: usize;
  inM: usize;
  inWy: usize;
  inH0: usize;
  outWx: usize;
  outB: usize;
  outM: usize;
  outWy: usize;
  /** Wx transposed (V × NP, the symbol's column a row), or 0. */
  WxT: usize;
  b: usize;
  m: usize;
  /** a · m, what h is scaled by when sent. */
  am: usize;
  /** V × NP, or 0. */
  Wy: usize;
  /** (T + 1) × NP: h_t and s_t, row 0 the carried state. */
  hs: usize;
  ss: usize;
  /** T × NP: row t − 1 holds dz_t. */
  dz: usize;
  /** ∂loss/∂s and ∂loss/∂h (through Whh) at the current step of the backward pass. */
  dS: usize;
  dH: usize;
  /** Σ_t dS_t ⊙ h_t: gm = a · acc, ga = m · acc. */
  acc: usize;
  gWxT: usize;
  gb: usize;
  gWy: usize;
}

/** A block: W (rows of the target × NP of the source) reading the source's h (Whh) or s (a link). */
@unmanaged class Block {
  from: i32;
  to: i32;
  readsState: i32;
  inW: usize;
  outW: usize;
  W: usize;
  gW: usize;
}

/** Bytes of the spec JS wrote last (`specRegion`): sized per layout, not fixed, since links grow with the square of the areas. */
let specBytes: usize = 0;

let K: i32 = 0;
let V: i32 = 0;
let T: i32 = 0;
let nBlocks: i32 = 0;
let areas: usize = 0;
let blocks: usize = 0;
let inA: usize, inBy: usize, inSymbols: usize, outA: usize, outBy: usize;
let by: usize, ps: usize, dy: usize, zeros: usize, sink: usize;
let top: usize = 0;

@inline function specBase(): usize {
  return (__heap_base + 15) & ~15;
}

function take(bytes: i32): usize {
  const at = top;
  top += (<usize>bytes + 15) & ~15;
  return at;
}

@inline function areaAt(k: i32): Area {
  return changetype<Area>(areas + <usize>k * offsetof<Area>());
}

@inline function blockAt(i: i32): Block {
  return changetype<Block>(blocks + <usize>i * offsetof<Block>());
}

@inline function specInt(i: i32): i32 {
  return load<i32>(specBase() + <usize>i * 4);
}

@inline function row(base: usize, r: i32, NP: i32): usize {
  return base + <usize>(r * NP) * 8;
}

/** Lays out every region for the spec JS wrote, zeroed; returns the bytes used. */
export function layout(): i32 {
  K = specInt(0);
  V = specInt(1);
  T = specInt(2);
  nBlocks = specInt(3);
  top = specBase() + specBytes;
  const start = top;
  areas = take(K * <i32>offsetof<Area>());
  blocks = take(nBlocks * <i32>offsetof<Block>());
  ensureMemory();
  // The tables, filled below, are left out of the zeroing at the end.
  const regions = top;
  let widest = V;
  // Sizes first (a block's padded width is its source's).
  for (let k = 0; k < K; k++) {
    const n = specInt(4 + 3 * k);
    const area = changetype<Area>(areas + <usize>k * offsetof<Area>());
    area.N = n;
    area.NP = (n + 1) & ~1;
    if (area.NP > widest) widest = area.NP;
  }
  for (let k = 0; k < K; k++) {
    const area = areaAt(k);
    const n = area.N;
    const NP = area.NP;
    const readsInput = specInt(5 + 3 * k) != 0;
    const feedsOutput = specInt(6 + 3 * k) != 0;
    area.inWx = readsInput ? take(n * V * 8) : 0;
    area.inB = take(n * 8);
    area.inM = take(n * 8);
    area.inWy = feedsOutput ? take(V * n * 8) : 0;
    area.inH0 = take(n * 8);
    area.outWx = readsInput ? take(n * V * 8) : 0;
    area.outB = take(n * 8);
    area.outM = take(n * 8);
    area.outWy = feedsOutput ? take(V * n * 8) : 0;
    area.WxT = readsInput ? take(V * NP * 8) : 0;
    area.b = take(NP * 8);
    area.m = take(NP * 8);
    area.am = take(NP * 8);
    area.Wy = feedsOutput ? take(V * NP * 8) : 0;
    area.hs = take((T + 1) * NP * 8);
    area.ss = take((T + 1) * NP * 8);
    area.dz = take(T * NP * 8);
    area.dS = take(NP * 8);
    area.dH = take(NP * 8);
    area.acc = take(NP * 8);
    area.gWxT = take(V * NP * 8);
    area.gb = take(NP * 8);
    area.gWy = feedsOutput ? take(V * NP * 8) : 0;
  }
  const blockSpec = 4 + 3 * K;
  for (let i = 0; i < nBlocks; i++) {
    const block = blockAt(i);
    block.from = specInt(blockSpec + 3 * i);
    block.to = specInt(blockSpec + 3 * i + 1);
    block.readsState = specInt(blockSpec + 3 * i + 2);
    const rows = areaAt(block.to).N;
    const from = areaAt(block.from);
    block.inW = take(rows * from.N * 8);
    block.outW = take(rows * from.N * 8);
    block.W = take(rows * from.NP * 8);
    block.gW = take(rows * from.NP * 8);
  }
  inA = take(K * 8);
  outA = take(K * 8);
  inBy = take(V * 8);
  outBy = take(V * 8);
  inSymbols = take((T + 1) * 4);
  by = take(V * 8);
  ps = take(T * V * 8);
  dy = take(T * V * 8);
  zeros = take(widest * 8);
  sink = take(widest * 8);
  ensureMemory();
  memory.fill(regions, 0, top - regions);
  return <i32>(top - start);
}

/** Grows the memory to hold everything up to `top`. */
function ensureMemory(): void {
  const pages = <i32>((top + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
}

/**
 * Where JS writes the spec of `ints` int32s, before `layout`: [K, V, T, blocks, (N, readsInput,
 * feedsOutput) per area, (from, to, readsState) per block]. The regions start after it.
 */
export function specRegion(ints: i32): usize {
  specBytes = (<usize>ints * 4 + 15) & ~15;
  top = specBase() + specBytes;
  ensureMemory();
  return specBase();
}

export function regionOf(region: Region): usize {
  switch (region) {
    case Region.a: return inA;
    case Region.by: return inBy;
    case Region.symbols: return inSymbols;
    case Region.ga: return outA;
    case Region.gby: return outBy;
    case Region.ps: return ps;
    default: return 0;
  }
}

export function areaRegionOf(k: i32, region: AreaRegion): usize {
  const area = areaAt(k);
  switch (region) {
    case AreaRegion.Wx: return area.inWx;
    case AreaRegion.b: return area.inB;
    case AreaRegion.m: return area.inM;
    case AreaRegion.Wy: return area.inWy;
    case AreaRegion.h0: return area.inH0;
    case AreaRegion.gWx: return area.outWx;
    case AreaRegion.gb: return area.outB;
    case AreaRegion.gm: return area.outM;
    case AreaRegion.gWy: return area.outWy;
    case AreaRegion.lastState: return row(area.hs, T, area.NP);
    default: return 0;
  }
}

export function blockRegionOf(i: i32, region: BlockRegion): usize {
  const block = blockAt(i);
  return region == BlockRegion.W ? block.inW : block.outW;
}

/** The unpadded inputs into the padded (and transposed) working rows, and each area's h_0 and s_0. */
function prepare(): void {
  for (let k = 0; k < K; k++) {
    const area = areaAt(k);
    const n = area.N;
    const NP = area.NP;
    const a = load<f64>(inA + <usize>k * 8);
    for (let i = 0; i < n; i++) {
      const at = <usize>i * 8;
      store<f64>(area.b + at, load<f64>(area.inB + at));
      const mi = load<f64>(area.inM + at);
      const ami = a * mi;
      store<f64>(area.m + at, mi);
      store<f64>(area.am + at, ami);
      const h = load<f64>(area.inH0 + at);
      store<f64>(area.hs + at, h);
      store<f64>(area.ss + at, ami * h);
    }
    if (area.WxT) for (let i = 0; i < n; i++) for (let v = 0; v < V; v++) store<f64>(row(area.WxT, v, NP) + <usize>i * 8, load<f64>(area.inWx + <usize>(i * V + v) * 8));
    if (area.Wy) for (let v = 0; v < V; v++) memory.copy(row(area.Wy, v, NP), area.inWy + <usize>(v * n) * 8, <usize>n * 8);
  }
  for (let i = 0; i < nBlocks; i++) {
    const block = blockAt(i);
    const rows = areaAt(block.to).N;
    const from = areaAt(block.from);
    for (let r = 0; r < rows; r++) memory.copy(row(block.W, r, from.NP), block.inW + <usize>(r * from.N) * 8, <usize>from.N * 8);
  }
  memory.copy(by, inBy, <usize>V * 8);
}

@inline function symbolAt(t: i32): i32 {
  return load<i32>(inSymbols + <usize>t * 4);
}

/** What a block reads of its source at step t: h_t (Whh) or s_t (a link). */
@inline function sourceRow(block: Block, t: i32): usize {
  const from = areaAt(block.from);
  return row(block.readsState ? from.hs : from.ss, t, from.NP);
}

export function forward(): f64 {
  prepare();
  softmaxLossStart();
  for (let t = 0; t < T; t++) {
    const x = symbolAt(t);
    for (let k = 0; k < K; k++) {
      const area = areaAt(k);
      const cur = row(area.hs, t + 1, area.NP);
      const input = area.WxT ? row(area.WxT, x, area.NP) : zeros;
      for (let c: usize = 0; c < <usize>area.NP * 8; c += 16) v128.store(cur + c, v128.add<f64>(v128.load(area.b + c), v128.load(input + c)));
    }
    for (let i = 0; i < nBlocks; i++) {
      const block = blockAt(i);
      const to = areaAt(block.to);
      const cur = row(to.hs, t + 1, to.NP);
      dotRows<f64>(block.W, <usize>areaAt(block.from).NP * 8, sourceRow(block, t), to.N, cur, zeros, cur);
    }
    const psRow = ps + <usize>(t * V) * 8;
    memory.copy(psRow, by, <usize>V * 8);
    for (let k = 0; k < K; k++) {
      const area = areaAt(k);
      const width = <usize>area.NP * 8;
      const cur = row(area.hs, t + 1, area.NP);
      const sent = row(area.ss, t + 1, area.NP);
      tanhRow64(cur, cur, width);
      for (let c: usize = 0; c < width; c += 16) v128.store(sent + c, v128.mul<f64>(v128.load(area.am + c), v128.load(cur + c)));
      if (area.Wy) dotRows<f64>(area.Wy, width, sent, V, psRow, zeros, psRow);
    }
    softmaxLossStep(psRow, V, symbolAt(t + 1));
  }
  return softmaxLoss();
}

/** dS and dH of every area from the blocks reading step τ (dz_{τ+1} of their targets, row τ of dz), added to what is there. */
function blocksBackward(tau: i32): void {
  for (let i = 0; i < nBlocks; i++) {
    const block = blockAt(i);
    const to = areaAt(block.to);
    const from = areaAt(block.from);
    const into = block.readsState ? from.dH : from.dS;
    broadcastSum<f64>(block.W, <usize>from.NP * 8, row(to.dz, tau, to.NP), 8, to.N, into, into);
  }
}

export function backward(): void {
  for (let k = 0; k < K; k++) {
    const area = areaAt(k);
    const width = <usize>area.NP * 8;
    memory.fill(area.acc, 0, width);
    memory.fill(area.gb, 0, width);
    memory.fill(area.gWxT, 0, <usize>V * width);
  }
  for (let tau = T; tau >= 0; tau--) {
    for (let k = 0; k < K; k++) {
      const area = areaAt(k);
      memory.fill(area.dS, 0, <usize>area.NP * 8);
      memory.fill(area.dH, 0, <usize>area.NP * 8);
    }
    const dyRow = dy + <usize>((tau - 1) * V) * 8;
    if (tau > 0) {
      const psRow = ps + <usize>((tau - 1) * V) * 8;
      memory.copy(dyRow, psRow, <usize>V * 8);
      const target = dyRow + <usize>symbolAt(tau) * 8;
      store<f64>(target, load<f64>(target) - 1);
    }
    if (tau < T) blocksBackward(tau);
    for (let k = 0; k < K; k++) {
      const area = areaAt(k);
      const NP = area.NP;
      const width = <usize>NP * 8;
      if (tau > 0 && area.Wy) broadcastSum<f64>(area.Wy, width, dyRow, 8, V, area.dS, area.dS);
      const h = row(area.hs, tau, NP);
      for (let c: usize = 0; c < width; c += 16) {
        const ds = v128.load(area.dS + c);
        const hc = v128.load(h + c);
        v128.store(area.acc + c, v128.add<f64>(v128.load(area.acc + c), v128.mul<f64>(ds, hc)));
      }
      if (tau == 0) continue;
      const dz = row(area.dz, tau - 1, NP);
      const one = v128.splat<f64>(1);
      for (let c: usize = 0; c < width; c += 16) {
        const hc = v128.load(h + c);
        const upstream = v128.add<f64>(v128.mul<f64>(v128.load(area.am + c), v128.load(area.dS + c)), v128.load(area.dH + c));
        v128.store(dz + c, v128.mul<f64>(v128.sub<f64>(one, v128.mul<f64>(hc, hc)), upstream));
      }
    }
  }
  // Weight gradients, each summed over the T steps in registers: gW[i] = Σ_t dz^to_t[i] · x^from_{t-1}.
  for (let i = 0; i < nBlocks; i++) {
    const block = blockAt(i);
    const to = areaAt(block.to);
    const from = areaAt(block.from);
    const width = <usize>from.NP * 8;
    const source = sourceRow(block, 0);
    const dzStride = <usize>to.NP * 8;
    let r = 0;
    for (; r + 2 <= to.N; r += 2) outerSumPair<f64>(source, width, to.dz + <usize>r * 8, dzStride, T, row(block.gW, r, from.NP));
    for (; r < to.N; r++) broadcastSum<f64>(source, width, to.dz + <usize>r * 8, dzStride, T, zeros, row(block.gW, r, from.NP));
    for (let q = 0; q < to.N; q++) memory.copy(block.outW + <usize>(q * from.N) * 8, row(block.gW, q, from.NP), <usize>from.N * 8);
  }
  for (let k = 0; k < K; k++) {
    const area = areaAt(k);
    const n = area.N;
    const NP = area.NP;
    const width = <usize>NP * 8;
    for (let t = 0; t < T; t++) addRowToBoth<f64>(row(area.dz, t, NP), area.gb, area.WxT ? row(area.gWxT, symbolAt(t), NP) : sink, width);
    const a = load<f64>(inA + <usize>k * 8);
    let ga: f64 = 0;
    for (let j = 0; j < n; j++) {
      const at = <usize>j * 8;
      const acc = load<f64>(area.acc + at);
      ga += load<f64>(area.m + at) * acc;
      store<f64>(area.outM + at, a * acc);
      store<f64>(area.outB + at, load<f64>(area.gb + at));
    }
    store<f64>(outA + <usize>k * 8, ga);
    if (area.WxT) for (let i = 0; i < n; i++) for (let v = 0; v < V; v++) store<f64>(area.outWx + <usize>(i * V + v) * 8, load<f64>(row(area.gWxT, v, NP) + <usize>i * 8));
    if (area.Wy) {
      for (let v = 0; v < V; v++) {
        broadcastSum<f64>(row(area.ss, 1, NP), width, dy + <usize>v * 8, <usize>V * 8, T, zeros, row(area.gWy, v, NP));
        memory.copy(area.outWy + <usize>(v * n) * 8, row(area.gWy, v, NP), <usize>n * 8);
      }
    }
  }
  for (let v = 0; v < V; v++) {
    let g: f64 = 0;
    for (let t = 0; t < T; t++) g += load<f64>(dy + <usize>(t * V + v) * 8);
    store<f64>(outBy + <usize>v * 8, g);
  }
}
