import type { ArrayAllocator } from '@diffstruct/core';
import { instantiateWasm, LeadingParts, MemoryArrays, weightViews, type WasmMemory } from '@diffstruct/layers';
import type { RnnDims, RnnKernel, RnnLinks, RnnWeights } from './rnn-kernel.js';
import { Region } from './simd-regions.js';

interface SimdExports {
  readonly memory: WasmMemory;
  layout64(n: number, v: number, t: number, b: number, recurrentMultiplier: number, links: number): number;
  layout32(n: number, v: number, t: number, b: number, recurrentMultiplier: number, links: number): number;
  rowLength(): number;
  regionOf(region: Region): number;
  reserveAbove(bytes: number): number;
  bind(region: Region, address: number): void;
  forward64(): number;
  forward32(): number;
  backward64(): void;
  backward32(): void;
}

type Weight = keyof RnnWeights;
/** A weight's region and its gradient's (simd-regions.ts). */
const REGIONS: Readonly<Record<Weight, { readonly weight: Region; readonly gradient: Region }>> = {
  Whh: { weight: Region.Whh, gradient: Region.gWhh },
  Wxh: { weight: Region.Wxh, gradient: Region.gWxh },
  bh: { weight: Region.bh, gradient: Region.gbh },
  m: { weight: Region.m, gradient: Region.gm },
  Why: { weight: Region.Why, gradient: Region.gWhy },
  by: { weight: Region.by, gradient: Region.gby },
  Mhh: { weight: Region.Mhh, gradient: Region.gMhh },
  mix: { weight: Region.mix, gradient: Region.gmix },
};
/** The weights each kind of links has (RnnWeights), read in place or copied in (their gradients out) every cycle. */
const WEIGHTS: Readonly<Record<RnnLinks, readonly Weight[]>> = {
  additive: ['Whh', 'Wxh', 'bh', 'm', 'Why', 'by'],
  modulatory: ['Wxh', 'bh', 'm', 'Why', 'by', 'Mhh'],
  learned: ['Whh', 'Wxh', 'bh', 'm', 'Why', 'by', 'Mhh', 'mix'],
};
/** `links` as assembly/char-rnn-links.ts reads it. */
const LINK_CODES: Readonly<Record<RnnLinks, number>> = { additive: 0, modulatory: 1, learned: 2 };

type Views = {
  readonly weights: readonly Weight[];
  readonly inputs: Partial<Record<Weight, Float64Array>>;
  readonly outputs: Partial<Record<Weight, Float64Array>>;
  readonly h0: Float64Array;
  /** In the kernel's precision: B rows of `rowLength` (N padded). */
  readonly lastState: Float64Array | Float32Array;
  readonly rowLength: number;
  readonly symbols: Int32Array;
  readonly ps: Float64Array;
};

/**
 * The WebAssembly SIMD kernel: one instance (and memory) per model. A weight or gradient whose
 * array lives in this memory (`inPlaceArrays`) is read or written where it is; any other is
 * copied in or out every cycle.
 */
export class SimdRnnKernel implements RnnKernel {
  private readonly wasm: SimdExports;
  private readonly float64: boolean;
  private shape?: RnnDims;
  private views?: Views;
  private readonly leading = new LeadingParts();
  /** The parameter array each region reads or writes in place, by Region, since the last layout (which points every region back at its own). */
  private readonly boundTo: (Float64Array | undefined)[] = [];

  constructor(readonly name: 'simd-f64' | 'simd-f32') {
    this.wasm = instantiateWasm<SimdExports>(new URL('./char-rnn.wasm', import.meta.url));
    this.float64 = name === 'simd-f64';
  }

  forward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array): number {
    const views = this.layoutFor(d);
    for (const key of views.weights) {
      const array = w[key]!;
      const staging = views.inputs[key]!;
      if (!this.bindInPlace(REGIONS[key].weight, array)) {
        staging.set(this.leading.of(array, staging.length));
        this.bindStaging(REGIONS[key].weight, staging);
      }
    }
    // Loops, not subarray views: this allocates nothing (h0 is the training state or the evaluation's, in turn).
    const state = views.h0;
    for (let j = 0; j < state.length; j++) state[j] = h0[j];
    const into = views.symbols;
    for (let t = 0; t < into.length; t++) into[t] = symbols[t];
    return this.float64 ? this.wasm.forward64() : this.wasm.forward32();
  }

  backward(_w: RnnWeights, g: RnnWeights): void {
    const views = this.views!;
    for (const key of views.weights) {
      const { gradient } = REGIONS[key];
      if (!this.bindInPlace(gradient, g[key]!)) this.bindStaging(gradient, views.outputs[key]!);
    }
    if (this.float64) this.wasm.backward64();
    else this.wasm.backward32();
    for (const key of views.weights) {
      const array = g[key]!;
      if (this.boundTo[REGIONS[key].gradient] !== array) array.set(views.outputs[key]!);
    }
  }

  inPlaceArrays(largest: RnnDims, bytes: number): ArrayAllocator | undefined {
    this.layoutFor(largest);
    const from = this.wasm.reserveAbove(bytes);
    // The memory grew: its buffer, and so every view, is new; the next cycle lays out again.
    this.views = undefined;
    this.shape = undefined;
    return from === 0 ? undefined : new MemoryArrays(this.wasm.memory, from, from + bytes);
  }

  /** Points `region` at `array` if it lives in this memory (once per array and layout); false if it does not. */
  private bindInPlace(region: Region, array: Float64Array): boolean {
    if (this.boundTo[region] === array) return true;
    if (array.buffer !== this.wasm.memory.buffer) return false;
    this.wasm.bind(region, array.byteOffset);
    this.boundTo[region] = array;
    return true;
  }

  /** Points `region` back at its own staging region (where a layout leaves it), copied into or out of each cycle. */
  private bindStaging(region: Region, staging: Float64Array): void {
    if (this.boundTo[region] === undefined) return;
    this.wasm.bind(region, staging.byteOffset);
    this.boundTo[region] = undefined;
  }

  finalState(into: Float64Array, d: RnnDims): void {
    const { lastState, rowLength } = this.views!;
    const B = d.B ?? 1;
    for (let w = 0; w < B; w++) for (let j = 0; j < d.N; j++) into[j * B + w] = lastState[w * rowLength + j];
  }

  probabilities(): Float64Array {
    return this.views!.ps;
  }

  private layoutFor(d: RnnDims): Views {
    const shape = this.shape;
    const B = d.B ?? 1;
    if (
      this.views &&
      shape &&
      shape.N === d.N &&
      shape.V === d.V &&
      shape.T === d.T &&
      (shape.B ?? 1) === B &&
      shape.multiplierOnRecurrent === d.multiplierOnRecurrent &&
      (shape.links ?? 'additive') === (d.links ?? 'additive')
    )
      return this.views;
    const flag = d.multiplierOnRecurrent ? 1 : 0;
    const links = d.links ?? 'additive';
    // Forgotten first: a refused layout has moved the kernel's regions all the same.
    this.shape = undefined;
    this.views = undefined;
    this.boundTo.fill(undefined);
    const bytes = (this.float64 ? this.wasm.layout64 : this.wasm.layout32)(d.N, d.V, d.T, B, flag, LINK_CODES[links]);
    if (bytes < 0) throw new Error(`the ${this.name} kernel was laid out for fewer units than ${d.N}, with its parameters above them`);
    const rowLength = this.wasm.rowLength();
    const buffer = this.wasm.memory.buffer;
    const sizes = sizesOf(d);
    const view = (region: Region, length: number) => new Float64Array(buffer, this.wasm.regionOf(region), length);
    this.views = {
      weights: WEIGHTS[links],
      ...weightViews(buffer, (name) => this.wasm.regionOf(Region[name as keyof typeof Region]), WEIGHTS[links], sizes),
      h0: view(Region.h0, d.N * B),
      lastState: new (this.float64 ? Float64Array : Float32Array)(buffer, this.wasm.regionOf(Region.lastState), (B - 1) * rowLength + d.N),
      rowLength,
      symbols: new Int32Array(buffer, this.wasm.regionOf(Region.symbols), B * (d.T + 1)),
      ps: view(Region.ps, d.T * B * d.V),
    };
    this.shape = { ...d };
    return this.views;
  }
}

function sizesOf(d: RnnDims): Record<Weight, number> {
  return { Whh: d.N * d.N, Wxh: d.N * d.V, bh: d.N, m: d.N, Why: d.V * d.N, by: d.V, Mhh: d.N * d.N, mix: d.N };
}
