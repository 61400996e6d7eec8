// The memory regions the SIMD kernel lays out (assembly/char-rnn.ts, compiled by asc) and the JS
// side views (simd-kernel.ts, compiled by tsc). Both import this one enum, so the two cannot
// disagree on a region's number; keep it plain enum syntax that both compilers accept.
// Names follow the reference (reference-kernel.ts): a weight's name, `g` + name for its gradient.
export enum Region {
  // Inputs, written by JS: float64 (symbols int32), unpadded, row-major like the parameters.
  Whh,
  Wxh,
  bh,
  m,
  Why,
  by,
  h0,
  symbols,
  // Gradients, read by JS: float64, unpadded.
  gWhh,
  gWxh,
  gbh,
  gm,
  gWhy,
  gby,
  // h_T after the forward pass, in the kernel's element type (the carried state of the next cycle).
  lastState,
  // After the forward pass: each step's softmax over the vocabulary, float64 (T × V), for held-out accuracy.
  ps,
  // With modulatory or learned links only (assembly/char-rnn-links.ts): inputs, then gradients, as above.
  Mhh,
  mix,
  gMhh,
  gmix,
}
