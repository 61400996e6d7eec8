import { type DenseKernel, REFERENCE_DENSE } from './dense.js';
import { instantiateWasm, type WasmMemory } from './wasm-kernel.js';

interface DenseExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  reserve(bytes: number): boolean;
  affine(x: number, batch: number, inSize: number, W: number, outSize: number, b: number, z: number, Wt: number): void;
  affineBackward(dz: number, batch: number, outSize: number, x: number, inSize: number, W: number, dW: number, db: number, dx: number): void;
}

/**
 * `affine` and `affineBackward` in WebAssembly SIMD (assembly/dense.ts), bit for bit the
 * reference's. Each call copies its operands into the kernel's memory and its results out, so
 * callers keep their own arrays (parameters that grow, layers' buffers); the copies are
 * O(rows + outputs) per input feature against the product's O(rows × outputs). One instance
 * (one memory) per model; not shared between threads.
 */
export class SimdDenseKernel implements DenseKernel {
  readonly name = 'simd-f64';
  private readonly wasm = instantiateWasm<DenseExports>(new URL('./dense.wasm', import.meta.url));
  private readonly base = this.wasm.heapBase();
  private heap = new Float64Array(0);
  /** Where the next region goes, in float64 entries from the start of memory. */
  private top = 0;

  // Typed by the contract: the reference's parameters, named as there (dense.ts).
  readonly affine: DenseKernel['affine'] = (x, batch, inSize, W, outSize, b, z) => {
    const weights = outSize * inSize;
    this.lay(batch * inSize + 2 * weights + outSize + batch * outSize);
    const xAt = this.copyIn(x, batch * inSize);
    const wAt = this.copyIn(W, weights);
    const bAt = b ? this.copyIn(b, outSize) : 0;
    const zAt = this.take(batch * outSize);
    const tAt = this.take(weights);
    this.wasm.affine(8 * xAt, batch, inSize, 8 * wAt, outSize, 8 * bAt, 8 * zAt, 8 * tAt);
    this.copyOut(zAt, z, batch * outSize);
  };

  readonly affineBackward: DenseKernel['affineBackward'] = (dz, batch, outSize, x, inSize, W, dW, db, dx) => {
    const weights = outSize * inSize;
    this.lay(batch * outSize + 2 * batch * inSize + 2 * weights + outSize);
    const dzAt = this.copyIn(dz, batch * outSize);
    const xAt = this.copyIn(x, batch * inSize);
    const wAt = dx ? this.copyIn(W, weights) : 0;
    const dwAt = this.take(weights);
    const dbAt = db ? this.take(outSize) : 0;
    const dxAt = dx ? this.take(batch * inSize) : 0;
    this.wasm.affineBackward(8 * dzAt, batch, outSize, 8 * xAt, inSize, 8 * wAt, 8 * dwAt, 8 * dbAt, 8 * dxAt);
    this.copyOut(dwAt, dW, weights);
    if (db) this.copyOut(dbAt, db, outSize);
    if (dx) this.copyOut(dxAt, dx, batch * inSize);
  };

  /** Room for regions of `entries` float64s in all (each region rounded up to 16 bytes), from the heap's base. */
  private lay(entries: number): void {
    const bytes = 8 * (entries + 8);
    if (!this.wasm.reserve(bytes)) throw new Error(`the dense SIMD kernel cannot grow its memory to ${bytes} bytes (WebAssembly's 4 GB)`);
    // Growing the memory replaces its buffer: the view follows (rarely: sizes settle after the first cycles).
    if (this.heap.buffer !== this.wasm.memory.buffer) this.heap = new Float64Array(this.wasm.memory.buffer);
    this.top = this.base / 8;
  }

  private take(entries: number): number {
    const at = this.top;
    this.top += entries + (entries & 1);
    return at;
  }

  // Loops, not subarray views: the arrays are a layer's buffers of any capacity, and this allocates nothing.
  private copyIn(from: Float64Array, entries: number): number {
    const at = this.take(entries);
    const heap = this.heap;
    for (let i = 0; i < entries; i++) heap[at + i] = from[i];
    return at;
  }

  private copyOut(at: number, into: Float64Array, entries: number): void {
    const heap = this.heap;
    for (let i = 0; i < entries; i++) into[i] = heap[at + i];
  }
}

/** A new dense kernel by its name: one per model (a SIMD kernel owns its memory). */
export function createDenseKernel(name: DenseKernel['name']): DenseKernel {
  return name === 'reference' ? REFERENCE_DENSE : new SimdDenseKernel();
}
