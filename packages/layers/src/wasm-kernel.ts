/// <reference path="./webassembly.d.ts" />
import { readFileSync } from 'node:fs';

/** What the JS side of a WebAssembly kernel reads of its memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const compiled = new Map<string, WebAssembly.Module>();

/**
 * A new instance of the WebAssembly module at `url` (compiled once per file and process): one
 * instance, and so one memory, per model; `imports` for a module that imports its memory.
 */
export function instantiateWasm<Exports>(url: URL, imports: object = {}): Exports {
  let module = compiled.get(url.href);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(url));
    compiled.set(url.href, module);
  }
  return new WebAssembly.Instance(module, imports).exports as unknown as Exports;
}

/** A new WebAssembly memory of `pages` × 64 KB, for a module that imports its memory. */
export function createWasmMemory(pages = 1): WasmMemory {
  return new WebAssembly.Memory({ initial: pages });
}

/**
 * The leading `length` entries of arrays copied into or out of a kernel's memory every cycle, as
 * views kept between cycles, by array and length: a parameter's array changes only when it grows,
 * so a view is made only then (no allocation per cycle); a dropped array's views go with it.
 */
export class LeadingParts {
  private readonly parts = new WeakMap<Float64Array, Map<number, Float64Array>>();

  of(from: Float64Array, length: number): Float64Array {
    let byLength = this.parts.get(from);
    if (!byLength) {
      byLength = new Map();
      this.parts.set(from, byLength);
    }
    let part = byLength.get(length);
    if (!part) {
      part = from.subarray(0, length);
      byLength.set(length, part);
    }
    return part;
  }
}

/**
 * float64 views of a kernel's weight regions and of their gradients' regions, `sizes[key]`
 * entries each; `addressOf` gives a region's address by name (`key`, and `g` + key for its gradient).
 */
export function weightViews<K extends string>(
  buffer: ArrayBuffer,
  addressOf: (name: string) => number,
  keys: readonly K[],
  sizes: Readonly<Record<K, number>>,
): { inputs: Record<K, Float64Array>; outputs: Record<K, Float64Array> } {
  const views = (name: (key: K) => string) =>
    Object.fromEntries(keys.map((key) => [key, new Float64Array(buffer, addressOf(name(key)), sizes[key])])) as Record<K, Float64Array>;
  return { inputs: views((key) => key), outputs: views((key) => `g${key}`) };
}
