import { createWasmMemory, instantiateWasm, LeadingParts, memoryOf, type WasmMemory } from '@diffstruct/layers';

interface AdagradExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  reserve(bytes: number): boolean;
  step(value: number, grad: number, memory: number, count: number, learningRate: number, epsilon: number, bound: number): void;
}

/** Three regions of the kernel's memory, as many entries each. */
interface Regions {
  readonly value: Float64Array;
  readonly grad: Float64Array;
  readonly memory: Float64Array;
}

const MODULE = new URL('./adagrad.wasm', import.meta.url);
const instantiate = (memory: WasmMemory) => instantiateWasm<AdagradExports>(MODULE, { env: { memory } });

/**
 * Adagrad's update in WebAssembly SIMD (assembly/adagrad.ts), bit for bit `adagradStep`'s. A
 * parameter whose value, gradient and memory all live in one WebAssembly memory (a model's
 * kernel's, @diffstruct/layers' MemoryArrays) is updated there in place, by an instance sharing
 * that memory. Any other is copied into a memory of this optimizer's own and back (the copies
 * cost less than two entries an instruction save). The arrays stay the parameter's either way, so
 * growth and checkpoints do not know this exists; nothing is allocated per step once the sizes
 * and memories have been seen.
 */
export class SimdAdagrad {
  private readonly wasm = instantiate(createWasmMemory());
  private readonly base = this.wasm.heapBase();
  /** An instance for each memory parameters were found in. */
  private readonly inPlace = new WeakMap<WasmMemory, AdagradExports>();
  /** Entries each region holds (even, so every region starts on 16 bytes). */
  private room = 0;
  private regions?: Regions;
  private readonly leading = new LeadingParts();
  /** The buffer of the last parameter updated in place, and the instance on its memory (two fields: no record to allocate). */
  private lastBuffer?: ArrayBufferLike;
  private lastWasm?: AdagradExports;

  /** `adagradStep`'s update of the first `count` entries of the arrays (grad is left clipped). */
  step(value: Float64Array, grad: Float64Array, memory: Float64Array, count: number, learningRate: number, epsilon: number, bound: number): void {
    const wasm = this.inPlaceFor(value, grad, memory);
    if (wasm) {
      wasm.step(value.byteOffset, grad.byteOffset, memory.byteOffset, count, learningRate, epsilon, bound);
      return;
    }
    const regions = this.regionsFor(count);
    regions.value.set(this.leading.of(value, count));
    regions.grad.set(this.leading.of(grad, count));
    regions.memory.set(this.leading.of(memory, count));
    this.wasm.step(regions.value.byteOffset, regions.grad.byteOffset, regions.memory.byteOffset, count, learningRate, epsilon, bound);
    this.leading.of(value, count).set(this.leading.of(regions.value, count));
    this.leading.of(grad, count).set(this.leading.of(regions.grad, count));
    this.leading.of(memory, count).set(this.leading.of(regions.memory, count));
  }

  /** The instance on the memory all three arrays live in, if they do (one memory, its current buffer). */
  private inPlaceFor(value: Float64Array, grad: Float64Array, memory: Float64Array): AdagradExports | undefined {
    const buffer = value.buffer;
    if (grad.buffer !== buffer || memory.buffer !== buffer) return undefined;
    // The last buffer found in place, while no growth has emptied it: the lookups below were
    // 3–6 % of a small model's cycle. (It keeps that one memory alive as long as this lives.)
    if (this.lastBuffer === buffer && buffer.byteLength !== 0) return this.lastWasm;
    const shared = memoryOf(value);
    // The memory's buffer now (it is replaced, and old views emptied, if the memory ever grows).
    if (!shared || shared.buffer !== buffer) return undefined;
    let wasm = this.inPlace.get(shared);
    if (!wasm) {
      wasm = instantiate(shared);
      this.inPlace.set(shared, wasm);
    }
    this.lastBuffer = buffer;
    this.lastWasm = wasm;
    return wasm;
  }

  private regionsFor(count: number): Regions {
    if (this.regions && count <= this.room) return this.regions;
    const room = Math.max(count + (count & 1), 2 * this.room);
    if (!this.wasm.reserve(3 * 8 * room)) throw new Error(`Adagrad's SIMD kernel cannot grow its memory to ${3 * 8 * room} bytes (WebAssembly's 4 GB)`);
    // Growing the memory replaces its buffer: every view is made again.
    const buffer = this.wasm.memory.buffer;
    const region = (k: number) => new Float64Array(buffer, this.base + 8 * k * room, room);
    this.regions = { value: region(0), grad: region(1), memory: region(2) };
    this.room = room;
    return this.regions;
  }
}
