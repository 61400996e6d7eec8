// Modulatory and learned links (src/reference-links.ts, docs/method.md#links) for the SIMD kernel
// of char-rnn.ts, generic over F like it. With r = the recurrent input of step row k:
//   forward   s = Wxh[:, x] + bh + α ⊙ (Whh·r),  κ = tanh(Mhh·r),  h = tanh((1 + β ⊙ κ) ⊙ s)
//   backward  ds = (1 + β ⊙ κ) ⊙ dz (left in char-rnn's draw row: bh, Wxh and Whh gradients are
//             summed from it there, Whh's scaled by α once at the end), dq = (1 − κ²) ⊙ β ⊙ s ⊙ dz
//             kept per step for Mhh's gradient, δ_next = Mhhᵀ·dq + Whhᵀ·(α ⊙ ds).
// Modulatory: α = 0, β = 1, no Whh product; learned: α = σ(mix), β = 1 − α. This module owns the
// links' regions; char-rnn.ts lays them out after its own and calls in at each step.

import { tanhRowOf } from '@diffstruct/layers/assembly/simd-math';
import { broadcastSum, dotRows, outerSumPair, rowFrom64, rowTo64 } from '@diffstruct/layers/assembly/simd-rows';
import { Region } from '../src/simd-regions';

// `links` as the kernel receives it (src/simd-kernel.ts's LINK_CODES).
const ADDITIVE = 0;
const MODULATORY = 1;
const LEARNED = 2;

let kind: i32 = ADDITIVE;
// Inputs and outputs, float64 unpadded: Mhh N × N, mix N.
let inMhh: usize, inMix: usize, outMhh: usize, outMix: usize;
// Working copies in F, rows padded: Mhh, each unit's α and β, the gradients of Mhh and mix.
let Mhh: usize, alpha: usize, beta: usize, gMhh: usize, gmix: usize;
// Per step row (T·B rows): κ, the drive s, Whh·r (learned only), dq; and one row of α ⊙ ds.
let modulation: usize, drive: usize, additive: usize, dmod: usize, dadd: usize;

let top: usize = 0;
function take(bytes: usize): usize {
  const at = top;
  top += (bytes + 15) & ~15;
  return at;
}

/** Lays the links' regions out from `at` (nothing with additive links); returns where they end. */
export function layoutLinks(links: i32, n: i32, np: i32, elementSize: i32, rows: i32, at: usize): usize {
  kind = links;
  top = at;
  if (links == ADDITIVE) return top;
  const S = <usize>elementSize;
  const width = <usize>np * S;
  inMhh = take(<usize>(n * n) * 8);
  inMix = take(<usize>n * 8);
  outMhh = take(<usize>(n * n) * 8);
  outMix = take(<usize>n * 8);
  Mhh = take(<usize>n * width);
  alpha = take(width);
  beta = take(width);
  gMhh = take(<usize>n * width);
  gmix = take(width);
  modulation = take(<usize>rows * width);
  drive = take(<usize>rows * width);
  additive = links == LEARNED ? take(<usize>rows * width) : 0;
  dmod = take(<usize>rows * width);
  dadd = take(width);
  return top;
}

/** Whether the recurrent step is this module's (links other than additive). */
export function usesLinks(): bool {
  return kind != ADDITIVE;
}

/** Whether there are additive links Whh (all but modulatory links). */
export function usesWhh(): bool {
  return kind != MODULATORY;
}

export function linksRegionOf(region: Region): usize {
  switch (region) {
    case Region.Mhh: return inMhh;
    case Region.mix: return inMix;
    case Region.gMhh: return outMhh;
    case Region.gmix: return outMix;
    default: return 0;
  }
}

/** Points a links weight or gradient region at `address` (see char-rnn.ts's `bind`). */
export function bindLinksRegion(region: Region, address: usize): void {
  switch (region) {
    case Region.Mhh: inMhh = address; break;
    case Region.mix: inMix = address; break;
    case Region.gMhh: outMhh = address; break;
    case Region.gmix: outMix = address; break;
  }
}

/** Unit i's additive share α_i, in float64 whatever F is. */
export function additiveShareOf(i: i32): f64 {
  return kind == LEARNED ? 1 / (1 + Math.exp(-load<f64>(inMix + <usize>i * 8))) : 0;
}

/** Copies Mhh into its padded rows and sets α and β (their padding stays 0: padded units' drive is 0). */
export function prepareLinks<F>(n: i32, np: i32): void {
  const S = sizeof<F>();
  const width = <usize>np * S;
  for (let i = 0; i < n; i++) {
    rowFrom64<F>(Mhh + <usize>i * width, inMhh + <usize>(i * n) * 8, n);
    const a = additiveShareOf(i);
    store<F>(alpha + <usize>i * S, <F>a);
    store<F>(beta + <usize>i * S, <F>(1 - a));
  }
}

/** Step row k's hidden state into `cur` from the recurrent input r and the input column `input`. */
@inline export function linksForwardStep<F>(Whh: usize, r: usize, input: usize, bh: usize, cur: usize, k: i32, n: i32, width: usize, zeros: usize): void {
  const at = <usize>k * width;
  const mod = modulation + at;
  const s = drive + at;
  const add = additive + at;
  const learned = kind == LEARNED;
  dotRows<F>(Mhh, width, r, n, zeros, zeros, mod);
  tanhRowOf<F>(mod, width);
  if (learned) dotRows<F>(Whh, width, r, n, zeros, zeros, add);
  const one = v128.splat<F>(<F>1);
  for (let c: usize = 0; c < width; c += 16) {
    let sv = v128.add<F>(v128.load(input + c), v128.load(bh + c));
    if (learned) sv = v128.add<F>(sv, v128.mul<F>(v128.load(alpha + c), v128.load(add + c)));
    v128.store(s + c, sv);
    const gain = v128.add<F>(one, v128.mul<F>(v128.load(beta + c), v128.load(mod + c)));
    v128.store(cur + c, v128.mul<F>(gain, sv));
  }
  tanhRowOf<F>(cur, width);
}

/**
 * Step row k's backward: `delta` holds dpost (Whyᵀ·dy) and leaves with ds; gm gains dpost ⊙ h;
 * `dnextRow` (δ from the steps after) becomes ∂loss/∂r, before the multiplier on the recurrent path.
 */
@inline export function linksBackwardStep<F>(Whh: usize, m: usize, gm: usize, cur: usize, delta: usize, dnextRow: usize, k: i32, n: i32, width: usize, zeros: usize): void {
  const S = sizeof<F>();
  const at = <usize>k * width;
  const mod = modulation + at;
  const s = drive + at;
  const add = additive + at;
  const dq = dmod + at;
  const learned = kind == LEARNED;
  const one = v128.splat<F>(<F>1);
  for (let c: usize = 0; c < width; c += 16) {
    const dpost = v128.load(delta + c);
    const h = v128.load(cur + c);
    v128.store(gm + c, v128.add<F>(v128.load(gm + c), v128.mul<F>(dpost, h)));
    const upstream = v128.add<F>(v128.mul<F>(dpost, v128.load(m + c)), v128.load(dnextRow + c));
    const dz = v128.mul<F>(v128.sub<F>(one, v128.mul<F>(h, h)), upstream);
    const kappa = v128.load(mod + c);
    const b = v128.load(beta + c);
    const ds = v128.mul<F>(v128.add<F>(one, v128.mul<F>(b, kappa)), dz);
    const dgain = v128.mul<F>(v128.load(s + c), dz);
    v128.store(delta + c, ds);
    v128.store(dq + c, v128.mul<F>(v128.mul<F>(v128.sub<F>(one, v128.mul<F>(kappa, kappa)), b), dgain));
    if (learned) {
      const a = v128.load(alpha + c);
      v128.store(dadd + c, v128.mul<F>(a, ds));
      // ∂/∂α of α·(Whh r) and of (1 − α)·κ, through α = σ(mix): σ' = α β.
      const dshare = v128.sub<F>(v128.mul<F>(ds, v128.load(add + c)), v128.mul<F>(dgain, kappa));
      v128.store(gmix + c, v128.add<F>(v128.load(gmix + c), v128.mul<F>(v128.mul<F>(dshare, a), b)));
    }
  }
  broadcastSum<F>(Mhh, width, dq, S, n, zeros, dnextRow);
  if (learned) broadcastSum<F>(Whh, width, dadd, S, n, dnextRow, dnextRow);
}

/** Before a backward pass: mix's gradient starts at 0 (Mhh's is summed whole at the end). */
export function startLinksBackward(width: usize): void {
  memory.fill(gmix, 0, width);
}

/** After the steps: Mhh's gradient Σ_k dq_k ⊗ r_k over the `steps` rows from r0, and mix's, into the outputs × `mean`. */
export function finishLinksBackward<F>(r0: usize, n: i32, width: usize, steps: i32, mean: f64, zeros: usize): void {
  const S = sizeof<F>();
  let i = 0;
  for (; i + 2 <= n; i += 2) outerSumPair<F>(r0, width, dmod + <usize>i * S, width, steps, gMhh + <usize>i * width);
  for (; i < n; i++) broadcastSum<F>(r0, width, dmod + <usize>i * S, width, steps, zeros, gMhh + <usize>i * width);
  for (let i = 0; i < n; i++) {
    rowTo64<F>(outMhh + <usize>(i * n) * 8, gMhh + <usize>i * width, n, mean);
    store<f64>(outMix + <usize>i * 8, <f64>load<F>(gmix + <usize>i * S) * mean);
  }
}
