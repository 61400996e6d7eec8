import type { ArrayAllocator } from '@diffstruct/core';
import type { WasmMemory } from './wasm-kernel.js';

/** Which memory each carved-from buffer belongs to. */
const holders = new WeakMap<ArrayBuffer, WasmMemory>();

/**
 * Float64 arrays carved from a WebAssembly memory, from byte `from` up to `to` (bytes the memory
 * already holds), for parameters a kernel reads and writes in place: a model hands this to its
 * parameters and no cycle copies them in or out. Past `to`, plain arrays (copied as before, so
 * only slower). The memory must never grow afterwards: growing replaces its buffer, and every
 * array carved from the old one would be left empty.
 */
export class MemoryArrays implements ArrayAllocator {
  private next: number;

  constructor(
    readonly memory: WasmMemory,
    from: number,
    private readonly to: number,
  ) {
    this.next = alignTo16(from);
  }

  allocate(length: number): Float64Array {
    const bytes = alignTo16(8 * length);
    if (this.next + bytes > this.to) return new Float64Array(length);
    const array = new Float64Array(this.memory.buffer, this.next, length).fill(0);
    this.next += bytes;
    holders.set(this.memory.buffer, this.memory);
    return array;
  }
}

/** The WebAssembly memory `array` was carved from by a MemoryArrays, if it was. */
export function memoryOf(array: Float64Array): WasmMemory | undefined {
  return holders.get(array.buffer as ArrayBuffer);
}

/** The bytes `lengths` take carved one after another (each rounded up to 16 bytes, as MemoryArrays does). */
export function carvedBytes(lengths: readonly number[]): number {
  return lengths.reduce((sum, length) => sum + alignTo16(8 * length), 0);
}

function alignTo16(bytes: number): number {
  return (bytes + 15) & ~15;
}
