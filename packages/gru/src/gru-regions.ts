// The memory regions the SIMD kernel lays out (assembly/gru.ts, compiled by asc) and the JS side
// views (simd-gru-kernel.ts, compiled by tsc). Both import this one enum, so the two cannot
// disagree on a region's number; keep it plain enum syntax that both compilers accept.
// Names follow the reference (gru-kernel.ts; Why and by are the output layer's W and b): a
// weight's name, `g` + name for its gradient.
export enum Region {
  // Inputs, written by JS: float64 (symbols int32), unpadded, row-major like the parameters.
  Wz,
  Wr,
  Wn,
  Uz,
  Ur,
  Un,
  bz,
  br,
  bn,
  m,
  Why,
  by,
  h0,
  symbols,
  // Gradients, read by JS: float64, unpadded.
  gWz,
  gWr,
  gWn,
  gUz,
  gUr,
  gUn,
  gbz,
  gbr,
  gbn,
  gm,
  gWhy,
  gby,
  // h_T after the forward pass (the carried state of the next cycle).
  lastState,
  // After the forward pass: each step's softmax over the vocabulary, float64 (T × V), for held-out accuracy.
  ps,
}
