// The memory of a WebAssembly kernel whose JS side lays out its own regions: they start at
// `heapBase()`, and `reserve` grows the memory to fit them. A kernel re-exports both, as
// `export { heapBase, reserve } from '@diffstruct/layers/assembly/heap'`.

/** Where the JS side's regions may start. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Grows the memory to hold `bytes` above `heapBase()`; false if it cannot (WebAssembly's 4 GB). */
export function reserve(bytes: f64): bool {
  const top = <f64>heapBase() + bytes;
  if (top > 4294901760) return false;
  const pages = <i32>((<u64>top + 0xffff) >> 16);
  return pages <= memory.size() || memory.grow(pages - memory.size()) >= 0;
}
