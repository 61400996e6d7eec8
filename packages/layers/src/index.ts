// The pieces every model re-writes, for models inside and outside this repository.
export * from './activation.js';
export * from './dense.js';
export * from './losses.js';
export * from './memory-arrays.js';
export * from './parameter-arrays.js';
export * from './simd-dense-kernel.js';
export * from './softmax-output-layer.js';
export * from './softmax-steps.js';
export * from './table-loss.js';
export * from './unit-weights.js';
export * from './wasm-kernel.js';
export { BYTES_PER_ACTIVATION, BYTES_PER_WEIGHT, estimateModelBytes } from './memory-estimate.js';
