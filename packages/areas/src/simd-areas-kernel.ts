import type { Parameter } from '@diffstruct/core';
import { instantiateWasm, LeadingParts, type WasmMemory } from '@diffstruct/layers';
import type { Area, Link } from './area.js';
import type { AreasKernel } from './areas-kernel.js';
import type { AreasPass } from './areas-pass.js';
import { AreaRegion, BlockRegion, Region } from './areas-regions.js';

interface AreasExports {
  readonly memory: WasmMemory;
  specRegion(ints: number): number;
  layout(): number;
  regionOf(region: Region): number;
  areaRegionOf(k: number, region: AreaRegion): number;
  blockRegionOf(block: number, region: BlockRegion): number;
  forward(): number;
  backward(): void;
}

/** A parameter copied into the kernel's memory every cycle and its gradient out of it. */
interface Copied {
  readonly parameter: Parameter;
  readonly input: Float64Array;
  readonly output: Float64Array;
}

/** The views of one layout, and what it was made for. */
interface Layout {
  readonly areas: readonly Area[];
  readonly sizes: Int32Array;
  /** Every area's incoming links in order: the blocks after its Whh. */
  readonly links: readonly Link[];
  readonly V: number;
  readonly T: number;
  readonly copied: readonly Copied[];
  readonly h0: readonly Float64Array[];
  readonly lastStates: readonly Float64Array[];
  readonly a: Float64Array;
  readonly by: Float64Array;
  readonly ga: Float64Array;
  readonly gby: Float64Array;
  readonly symbols: Int32Array;
  readonly ps: Float64Array;
}

/**
 * The WebAssembly SIMD kernel (assembly/areas.ts): one instance (and memory) per model. Each area's
 * Whh and each link is a block of the pass; the parameters stay in their `Parameter`s and are
 * copied in (gradients out) every cycle. Memory is laid out again only when an area's size, the
 * areas or the links change; nothing is allocated per cycle otherwise.
 */
export class SimdAreasKernel implements AreasKernel {
  readonly name = 'simd-f64';
  private readonly wasm: AreasExports;
  private current?: Layout;
  private readonly leading = new LeadingParts();

  constructor() {
    this.wasm = instantiateWasm<AreasExports>(new URL('./areas.wasm', import.meta.url));
  }

  forward(pass: AreasPass, symbols: Int32Array, h0: readonly Float64Array[]): number {
    const layout = this.layoutFor(pass);
    const K = pass.areas.length;
    for (const { parameter, input } of layout.copied) input.set(this.leading.of(parameter.value.data, input.length));
    layout.a.set(this.leading.of(pass.a, K));
    layout.by.set(this.leading.of(pass.by, pass.V));
    // Loops, not subarray views: h0 is the training state or the evaluation's, in turn.
    for (let k = 0; k < K; k++) {
      const from = h0[k];
      const into = layout.h0[k];
      for (let j = 0; j < into.length; j++) into[j] = from[j];
    }
    const into = layout.symbols;
    for (let t = 0; t < into.length; t++) into[t] = symbols[t];
    return this.wasm.forward();
  }

  backward(_pass: AreasPass, _symbols: Int32Array, ga: Float64Array, gby: Float64Array): void {
    this.wasm.backward();
    const layout = this.current!;
    for (const { parameter, output } of layout.copied) parameter.grad.data.set(output);
    ga.set(layout.ga);
    gby.set(layout.gby);
  }

  finalStates(_pass: AreasPass, into: readonly Float64Array[]): void {
    const { lastStates } = this.current!;
    for (let k = 0; k < lastStates.length; k++) {
      const from = lastStates[k];
      const state = into[k];
      for (let j = 0; j < from.length; j++) state[j] = from[j];
    }
  }

  probabilities(): Float64Array {
    return this.current!.ps;
  }

  private fits(pass: AreasPass): boolean {
    const layout = this.current;
    if (!layout || layout.areas !== pass.areas || layout.V !== pass.V || layout.T !== pass.T) return false;
    let l = 0;
    for (let k = 0; k < pass.areas.length; k++) {
      const area = pass.areas[k];
      if (area.size !== layout.sizes[k]) return false;
      for (const link of area.incoming) if (layout.links[l++] !== link) return false;
    }
    return l === layout.links.length;
  }

  private layoutFor(pass: AreasPass): Layout {
    if (this.fits(pass)) return this.current!;
    const { areas, V, T } = pass;
    const K = areas.length;
    const links = areas.flatMap((area) => area.incoming);
    // The spec assembly/areas.ts reads: [K, V, T, blocks, (N, readsInput, feedsOutput) per area, (from, to, readsState) per block].
    const blocks = areas.flatMap((area, k) => [[k, k, 1], ...area.incoming.map((link) => [areas.indexOf(link.from), k, 0])]);
    const spec = [K, V, T, blocks.length, ...areas.flatMap((area) => [area.size, area.Wx ? 1 : 0, area.Wy ? 1 : 0]), ...blocks.flat()];
    const at = this.wasm.specRegion(spec.length); // first: it may grow the memory, replacing its buffer
    new Int32Array(this.wasm.memory.buffer, at, spec.length).set(spec);
    this.wasm.layout();
    // After layout: the memory may have grown, which replaces its buffer.
    const buffer = this.wasm.memory.buffer;
    const f64 = (at: number, length: number) => new Float64Array(buffer, at, length);
    const copied: Copied[] = [];
    const copy = (parameter: Parameter, input: number, output: number) =>
      copied.push({ parameter, input: f64(input, parameter.length), output: f64(output, parameter.length) });
    let block = 0;
    areas.forEach((area, k) => {
      const region = (r: AreaRegion) => this.wasm.areaRegionOf(k, r);
      if (area.Wx) copy(area.Wx, region(AreaRegion.Wx), region(AreaRegion.gWx));
      copy(area.b, region(AreaRegion.b), region(AreaRegion.gb));
      copy(area.m, region(AreaRegion.m), region(AreaRegion.gm));
      if (area.Wy) copy(area.Wy, region(AreaRegion.Wy), region(AreaRegion.gWy));
      for (const W of [area.Whh, ...area.incoming.map((link) => link.W)]) {
        copy(W, this.wasm.blockRegionOf(block, BlockRegion.W), this.wasm.blockRegionOf(block, BlockRegion.gW));
        block++;
      }
    });
    this.current = {
      areas,
      sizes: Int32Array.from(areas, (area) => area.size),
      links,
      V,
      T,
      copied,
      h0: areas.map((area, k) => f64(this.wasm.areaRegionOf(k, AreaRegion.h0), area.size)),
      lastStates: areas.map((area, k) => f64(this.wasm.areaRegionOf(k, AreaRegion.lastState), area.size)),
      a: f64(this.wasm.regionOf(Region.a), K),
      by: f64(this.wasm.regionOf(Region.by), V),
      ga: f64(this.wasm.regionOf(Region.ga), K),
      gby: f64(this.wasm.regionOf(Region.gby), V),
      symbols: new Int32Array(buffer, this.wasm.regionOf(Region.symbols), T + 1),
      ps: f64(this.wasm.regionOf(Region.ps), T * V),
    };
    return this.current;
  }
}
