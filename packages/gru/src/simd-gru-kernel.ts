import { instantiateWasm, LeadingParts, weightViews, type SoftmaxOutputLayer, type WasmMemory } from '@diffstruct/layers';
import { GRU_WEIGHTS, type GruDims, type GruWeights } from './gru-kernel.js';
import type { GruKernel } from './gru-kernels.js';
import { Region } from './gru-regions.js';

interface SimdExports {
  readonly memory: WasmMemory;
  layout(n: number, v: number, t: number, recurrentMultiplier: number): number;
  regionOf(region: Region): number;
  forward(): number;
  backward(): void;
}

// A weight's region is Region[key], its gradient's Region['g' + key]: the names in gru-regions.ts.
const GATED = GRU_WEIGHTS;
const WEIGHTS = [...GATED, 'Why', 'by'] as const;
type Weight = (typeof WEIGHTS)[number];

type Views = {
  readonly inputs: Record<Weight, Float64Array>;
  readonly outputs: Record<Weight, Float64Array>;
  readonly h0: Float64Array;
  readonly lastState: Float64Array;
  readonly symbols: Int32Array;
  readonly ps: Float64Array;
};

/** The WebAssembly SIMD kernel (assembly/gru.ts): one instance (and memory) per model; weights are copied in every cycle. */
export class SimdGruKernel implements GruKernel {
  readonly name = 'simd-f64';
  private readonly wasm: SimdExports;
  private shape?: GruDims;
  private views?: Views;
  private readonly leading = new LeadingParts();

  constructor(private readonly output: SoftmaxOutputLayer) {
    this.wasm = instantiateWasm<SimdExports>(new URL('./gru.wasm', import.meta.url));
  }

  forward(w: GruWeights, d: GruDims, symbols: Int32Array, h0: Float64Array): number {
    const { inputs, h0: h0View, symbols: symbolsView } = this.layoutFor(d);
    for (const key of GATED) inputs[key].set(this.leading.of(w[key], inputs[key].length));
    inputs.Why.set(this.leading.of(this.output.W.value.data, inputs.Why.length));
    inputs.by.set(this.leading.of(this.output.b.value.data, inputs.by.length));
    // Loops, not subarray views: h0 is the training state or the evaluation's in turn, each cycle's example may
    // bring a new array, and this allocates nothing.
    for (let j = 0; j < d.N; j++) h0View[j] = h0[j];
    for (let t = 0; t <= d.T; t++) symbolsView[t] = symbols[t];
    return this.wasm.forward();
  }

  backward(_w: GruWeights, g: GruWeights): void {
    this.wasm.backward();
    const { outputs } = this.views!;
    for (const key of GATED) g[key].set(outputs[key]);
    this.output.W.grad.data.set(outputs.Why);
    this.output.b.grad.data.set(outputs.by);
  }

  finalState(into: Float64Array): void {
    into.set(this.views!.lastState);
  }

  probabilities(): Float64Array {
    return this.views!.ps;
  }

  private layoutFor(d: GruDims): Views {
    const shape = this.shape;
    if (this.views && shape && shape.N === d.N && shape.V === d.V && shape.T === d.T && shape.multiplierOnRecurrent === d.multiplierOnRecurrent)
      return this.views;
    if (this.wasm.layout(d.N, d.V, d.T, d.multiplierOnRecurrent ? 1 : 0) < 0)
      throw new Error(`the GRU's SIMD kernel cannot grow its memory to ${d.N} units over ${d.T} steps (WebAssembly's 4 GB)`);
    const buffer = this.wasm.memory.buffer;
    const sizes = sizesOf(d);
    const view = (region: Region, length: number) => new Float64Array(buffer, this.wasm.regionOf(region), length);
    this.views = {
      ...weightViews(buffer, (name) => this.wasm.regionOf(Region[name as keyof typeof Region]), WEIGHTS, sizes),
      h0: view(Region.h0, d.N),
      lastState: view(Region.lastState, d.N),
      symbols: new Int32Array(buffer, this.wasm.regionOf(Region.symbols), d.T + 1),
      ps: view(Region.ps, d.T * d.V),
    };
    this.shape = { ...d };
    return this.views;
  }
}

function sizesOf(d: GruDims): Record<Weight, number> {
  const { N, V } = d;
  return { Wz: N * V, Wr: N * V, Wn: N * V, Uz: N * N, Ur: N * N, Un: N * N, bz: N, br: N, bn: N, m: N, Why: V * N, by: V };
}
