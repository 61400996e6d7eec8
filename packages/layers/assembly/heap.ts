// The memory of a WebAssembly kernel whose JS side lays out its own regions: they start at
// `heapBase()`, and `reserve` grows the memory to fit them. A kernel re-exports both, as
// `export { heapBase, reserve } from '@diffstruct/layers/assembly/heap'`.

/** Where the JS side's regions may start. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Grows the memory to hold `bytes` above `heapBase()`; false if it cannot (WebAssembly's 4 GB). */
export function reserve(bytes: f64): bool {
  return growTo(<f64>heapBase() + bytes);
}

/** Grows the memory to reach byte `end` (a kernel's own layout may call this too); false if it cannot (WebAssembly's 4 GB). */
export function growTo(end: f64): bool {
  if (end > 4294901760) return false;
  const pages = <i32>((<u64>end + 0xffff) >> 16);
  return pages <= memory.size() || memory.grow(pages - memory.size()) >= 0;
}
