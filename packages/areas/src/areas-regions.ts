// The memory regions the areas' SIMD kernel lays out (assembly/areas.ts, compiled by asc) and the
// JS side views (simd-areas-kernel.ts, compiled by tsc). Both import these enums, so the two
// cannot disagree on a region's number; keep them plain enum syntax that both compilers accept.
// Inputs are written by JS and gradients read by it: float64, unpadded, row-major like the parameters.

/** Regions of the whole network. */
export enum Region {
  a,
  by,
  symbols,
  ga,
  gby,
  // After the forward pass: each step's softmax over the vocabulary (T × V).
  ps,
}

/** Regions of one area (the Wx and Wy ones only when it reads the symbol or feeds the output). */
export enum AreaRegion {
  Wx,
  b,
  m,
  Wy,
  h0,
  gWx,
  gb,
  gm,
  gWy,
  // h_T after the forward pass (the carried state of the next cycle).
  lastState,
}

/** Regions of one block: an area's own Whh, or a link into it. */
export enum BlockRegion {
  W,
  gW,
}
