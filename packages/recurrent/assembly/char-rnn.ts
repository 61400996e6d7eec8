// The char RNN of src/char-rnn-kernel.ts (the reference) in WebAssembly SIMD, generic over the
// element type F (f64: two lanes, f32: four). Rows are padded to whole vectors with zeros, so
// every N²-sized loop runs on full vectors and padding stays zero through tanh and products.
//   forward   h_t = tanh(Wxh[:, x_t] + bh + Whh·r_{t-1}) as Σ_j column_j · r_{t-1}[j] (broadcast form)
//   backward  Whhᵀ·draw as Σ_i row_i · draw[i]; weight gradients summed over time once per cycle.
// JS writes the weights unpadded into the `in*` regions and reads gradients from the `out*` ones.

let N: i32 = 0;
let V: i32 = 0;
let T: i32 = 0;
let NP: i32 = 0; // N rounded up to whole vectors
let onRecurrent: bool = false;
let layoutElementSize: i32 = 0;

// Inputs (unpadded, row-major like the JS parameters).
let inWhh: usize, inWxh: usize, inBh: usize, inM: usize, inWhy: usize, inBy: usize, inH0: usize, inSymbols: usize;
// Outputs (unpadded gradients).
let outWhh: usize, outWxh: usize, outBh: usize, outM: usize, outWhy: usize, outBy: usize;
// Padded working copies and activations.
let W: usize, WT: usize, WxT: usize, bh: usize, m: usize, Why: usize;
let HS: usize, OSX: usize, PS: usize, DY: usize, D: usize, dnext: usize, zero: usize;
let gW: usize, gWxT: usize, gbh: usize, gm: usize;

let top: usize = 0;

function take(bytes: i32): usize {
  const at = top;
  top += ((<usize>bytes + 15) & ~15);
  return at;
}

/** Lays out every region for these sizes, zeroed; returns the bytes used. */
function layout<F>(n: i32, v: i32, t: i32, recurrentMultiplier: i32): i32 {
  const S = <i32>sizeof<F>();
  const L = 16 / S;
  N = n;
  V = v;
  T = t;
  NP = ((n + L - 1) / L) * L;
  onRecurrent = recurrentMultiplier != 0;
  layoutElementSize = S;
  top = (__heap_base + 15) & ~15;
  const start = top;
  inWhh = take(n * n * S);
  inWxh = take(n * v * S);
  inBh = take(n * S);
  inM = take(n * S);
  inWhy = take(v * n * S);
  inBy = take(v * S);
  inH0 = take(n * S);
  inSymbols = take((t + 1) * 4);
  outWhh = take(n * n * S);
  outWxh = take(n * v * S);
  outBh = take(n * S);
  outM = take(n * S);
  outWhy = take(v * n * S);
  outBy = take(v * S);
  W = take(n * NP * S);
  WT = take(n * NP * S);
  WxT = take(v * NP * S);
  bh = take(NP * S);
  m = take(NP * S);
  Why = take(v * NP * S);
  HS = take((t + 1) * NP * S);
  OSX = take((t + 1) * NP * S);
  PS = take(t * v * 8);
  DY = take(t * v * S);
  D = take(t * NP * S);
  dnext = take(NP * S);
  zero = take(NP * S);
  gW = take(n * NP * S);
  gWxT = take(v * NP * S);
  gbh = take(NP * S);
  gm = take(NP * S);
  const pages = <i32>((top + 0xffff) >> 16);
  if (pages > memory.size()) memory.grow(pages - memory.size());
  memory.fill(start, 0, top - start);
  return <i32>(top - start);
}

export function layout64(n: i32, v: i32, t: i32, recurrentMultiplier: i32): i32 {
  return layout<f64>(n, v, t, recurrentMultiplier);
}
export function layout32(n: i32, v: i32, t: i32, recurrentMultiplier: i32): i32 {
  return layout<f32>(n, v, t, recurrentMultiplier);
}

// Region addresses, for the JS side's typed-array views.
export function regionOf(name: i32): usize {
  switch (name) {
    case 0: return inWhh;
    case 1: return inWxh;
    case 2: return inBh;
    case 3: return inM;
    case 4: return inWhy;
    case 5: return inBy;
    case 6: return inH0;
    case 7: return inSymbols;
    case 8: return outWhh;
    case 9: return outWxh;
    case 10: return outBh;
    case 11: return outM;
    case 12: return outWhy;
    case 13: return outBy;
    case 14: return HS + <usize>(T * NP * layoutElementSize); // the last hidden state
    default: return 0;
  }
}

@inline function row<F>(base: usize, r: i32): usize {
  return base + <usize>(r * NP) * sizeof<F>();
}

@inline function hsum<F>(v: v128): f64 {
  if (sizeof<F>() == 8) return v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1);
  return <f64>v128.extract_lane<f32>(v, 0) + <f64>v128.extract_lane<f32>(v, 1) + <f64>v128.extract_lane<f32>(v, 2) + <f64>v128.extract_lane<f32>(v, 3);
}

@inline function tanhOf<F>(x: F): F {
  if (sizeof<F>() == 8) return <F>Math.tanh(<f64>x);
  return <F>Mathf.tanh(<f32>x);
}

/**
 * out = a + b + Σ_{k<count} M[k] · x[k] over padded rows of M (count rows, stride NP), in tiles of
 * four vectors held in registers across the whole sum.
 */
@inline function broadcastSum<F>(M: usize, x: usize, count: i32, a: usize, b: usize, out: usize): void {
  const S = sizeof<F>();
  const rowBytes = <usize>NP * S;
  const width = rowBytes;
  let c: usize = 0;
  for (; c + 64 <= width; c += 64) {
    let a0 = v128.add<F>(v128.load(a + c), v128.load(b + c));
    let a1 = v128.add<F>(v128.load(a + c, 16), v128.load(b + c, 16));
    let a2 = v128.add<F>(v128.load(a + c, 32), v128.load(b + c, 32));
    let a3 = v128.add<F>(v128.load(a + c, 48), v128.load(b + c, 48));
    let p = M + c;
    for (let k = 0; k < count; k++) {
      const s = v128.splat<F>(load<F>(x + <usize>k * S));
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), s));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p, 16), s));
      a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p, 32), s));
      a3 = v128.add<F>(a3, v128.mul<F>(v128.load(p, 48), s));
      p += rowBytes;
    }
    v128.store(out + c, a0);
    v128.store(out + c, a1, 16);
    v128.store(out + c, a2, 32);
    v128.store(out + c, a3, 48);
  }
  for (; c < width; c += 16) {
    let a0 = v128.add<F>(v128.load(a + c), v128.load(b + c));
    let p = M + c;
    for (let k = 0; k < count; k++) {
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), v128.splat<F>(load<F>(x + <usize>k * S))));
      p += rowBytes;
    }
    v128.store(out + c, a0);
  }
}

/** Copies the unpadded inputs into the padded (and transposed) working layouts. */
function prepare<F>(): void {
  const S = sizeof<F>();
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const w = load<F>(inWhh + <usize>(i * N + j) * S);
      store<F>(row<F>(W, i) + <usize>j * S, w);
      store<F>(row<F>(WT, j) + <usize>i * S, w);
    }
    for (let v = 0; v < V; v++) store<F>(row<F>(WxT, v) + <usize>i * S, load<F>(inWxh + <usize>(i * V + v) * S));
    store<F>(bh + <usize>i * S, load<F>(inBh + <usize>i * S));
    const mi = load<F>(inM + <usize>i * S);
    const h0 = load<F>(inH0 + <usize>i * S);
    store<F>(m + <usize>i * S, mi);
    store<F>(HS + <usize>i * S, h0);
    store<F>(OSX + <usize>i * S, <F>(mi * h0));
  }
  for (let v = 0; v < V; v++) {
    for (let j = 0; j < N; j++) store<F>(row<F>(Why, v) + <usize>j * S, load<F>(inWhy + <usize>(v * N + j) * S));
  }
}

/** The recurrent input of step t: r_{t} = h_t, or m ⊙ h_t when the multiplier is on that path. */
@inline function recurrentInput<F>(t: i32): usize {
  return onRecurrent ? row<F>(OSX, t) : row<F>(HS, t);
}

function forward<F>(): f64 {
  const S = sizeof<F>();
  const width = <usize>NP * S;
  prepare<F>();
  let loss: f64 = 0;
  for (let t = 0; t < T; t++) {
    const x = load<i32>(inSymbols + <usize>t * 4);
    const cur = row<F>(HS, t + 1);
    broadcastSum<F>(WT, recurrentInput<F>(t), N, row<F>(WxT, x), bh, cur);
    for (let i = 0; i < N; i++) store<F>(cur + <usize>i * S, tanhOf<F>(load<F>(cur + <usize>i * S)));
    const os = row<F>(OSX, t + 1);
    for (let c: usize = 0; c < width; c += 16) v128.store(os + c, v128.mul<F>(v128.load(m + c), v128.load(cur + c)));
    const ps = PS + <usize>(t * V) * 8;
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      const wr = row<F>(Why, v);
      let acc = v128.splat<F>(<F>0);
      for (let c: usize = 0; c < width; c += 16) acc = v128.add<F>(acc, v128.mul<F>(v128.load(wr + c), v128.load(os + c)));
      const y = <f64>load<F>(inBy + <usize>v * S) + hsum<F>(acc);
      store<f64>(ps + <usize>v * 8, y);
      if (y > max) max = y;
    }
    let sum: f64 = 0;
    for (let v = 0; v < V; v++) {
      const e = Math.exp(load<f64>(ps + <usize>v * 8) - max);
      store<f64>(ps + <usize>v * 8, e);
      sum += e;
    }
    for (let v = 0; v < V; v++) store<f64>(ps + <usize>v * 8, load<f64>(ps + <usize>v * 8) / sum);
    loss -= Math.log(load<f64>(ps + <usize>load<i32>(inSymbols + <usize>(t + 1) * 4) * 8));
  }
  return loss;
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
  memory.fill(dnext, 0, width);
  memory.fill(gm, 0, width);
  memory.fill(gbh, 0, width);
  memory.fill(gWxT, 0, <usize>V * width);
  const one = v128.splat<F>(<F>1);
  for (let t = T - 1; t >= 0; t--) {
    const target = load<i32>(inSymbols + <usize>(t + 1) * 4);
    const dy = DY + <usize>(t * V) * S;
    for (let v = 0; v < V; v++) {
      const p = load<f64>(PS + <usize>(t * V + v) * 8);
      store<F>(dy + <usize>v * S, <F>(v == target ? p - 1 : p));
    }
    const cur = row<F>(HS, t + 1);
    const draw = row<F>(D, t);
    for (let c: usize = 0; c < width; c += 16) {
      let dpost = v128.splat<F>(<F>0);
      for (let v = 0; v < V; v++) dpost = v128.add<F>(dpost, v128.mul<F>(v128.load(row<F>(Why, v) + c), v128.splat<F>(load<F>(dy + <usize>v * S))));
      const h = v128.load(cur + c);
      v128.store(gm + c, v128.add<F>(v128.load(gm + c), v128.mul<F>(dpost, h)));
      const upstream = v128.add<F>(v128.mul<F>(dpost, v128.load(m + c)), v128.load(dnext + c));
      v128.store(draw + c, v128.mul<F>(v128.sub<F>(one, v128.mul<F>(h, h)), upstream));
    }
    broadcastSum<F>(W, draw, N, zero, zero, dnext);
    if (onRecurrent) {
      const prev = row<F>(HS, t);
      for (let c: usize = 0; c < width; c += 16) {
        const dn = v128.load(dnext + c);
        v128.store(gm + c, v128.add<F>(v128.load(gm + c), v128.mul<F>(dn, v128.load(prev + c))));
        v128.store(dnext + c, v128.mul<F>(dn, v128.load(m + c)));
      }
    }
  }
  // Weight gradients, each summed over time in registers: dWhh[i] = Σ_t draw_t[i] · r_{t-1}.
  for (let i = 0; i < N; i++) {
    broadcastSumStrided<F>(recurrentInput<F>(0), D + <usize>i * S, T, row<F>(gW, i));
  }
  for (let t = 0; t < T; t++) {
    const draw = row<F>(D, t);
    const wx = row<F>(gWxT, load<i32>(inSymbols + <usize>t * 4));
    for (let c: usize = 0; c < width; c += 16) {
      const d = v128.load(draw + c);
      v128.store(gbh + c, v128.add<F>(v128.load(gbh + c), d));
      v128.store(wx + c, v128.add<F>(v128.load(wx + c), d));
    }
  }
  // Unpadded outputs.
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) store<F>(outWhh + <usize>(i * N + j) * S, load<F>(row<F>(gW, i) + <usize>j * S));
    for (let v = 0; v < V; v++) store<F>(outWxh + <usize>(i * V + v) * S, load<F>(row<F>(gWxT, v) + <usize>i * S));
    store<F>(outBh + <usize>i * S, load<F>(gbh + <usize>i * S));
    store<F>(outM + <usize>i * S, load<F>(gm + <usize>i * S));
  }
  for (let v = 0; v < V; v++) {
    let dby: f64 = 0;
    for (let t = 0; t < T; t++) dby += <f64>load<F>(DY + <usize>(t * V + v) * S);
    store<F>(outBy + <usize>v * S, <F>dby);
    for (let j = 0; j < N; j++) {
      let acc: f64 = 0;
      for (let t = 0; t < T; t++) acc += <f64>load<F>(DY + <usize>(t * V + v) * S) * <f64>load<F>(row<F>(OSX, t + 1) + <usize>j * S);
      store<F>(outWhy + <usize>(v * N + j) * S, <F>acc);
    }
  }
}

/** out = Σ_{t<count} R[t] · d[t·NP] over the padded rows R[t] (stride NP); d strided by a row too. */
@inline function broadcastSumStrided<F>(R: usize, d: usize, count: i32, out: usize): void {
  const S = sizeof<F>();
  const rowBytes = <usize>NP * S;
  let c: usize = 0;
  const z = v128.splat<F>(<F>0);
  for (; c + 64 <= rowBytes; c += 64) {
    let a0 = z, a1 = z, a2 = z, a3 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      const s = v128.splat<F>(load<F>(q));
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), s));
      a1 = v128.add<F>(a1, v128.mul<F>(v128.load(p, 16), s));
      a2 = v128.add<F>(a2, v128.mul<F>(v128.load(p, 32), s));
      a3 = v128.add<F>(a3, v128.mul<F>(v128.load(p, 48), s));
      p += rowBytes;
      q += rowBytes;
    }
    v128.store(out + c, a0);
    v128.store(out + c, a1, 16);
    v128.store(out + c, a2, 32);
    v128.store(out + c, a3, 48);
  }
  for (; c < rowBytes; c += 16) {
    let a0 = z;
    let p = R + c;
    let q = d;
    for (let k = 0; k < count; k++) {
      a0 = v128.add<F>(a0, v128.mul<F>(v128.load(p), v128.splat<F>(load<F>(q))));
      p += rowBytes;
      q += rowBytes;
    }
    v128.store(out + c, a0);
  }
}

export function backward64(): void {
  backward<f64>();
}
export function backward32(): void {
  backward<f32>();
}
