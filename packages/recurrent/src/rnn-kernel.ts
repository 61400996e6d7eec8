import { ReferenceRnnKernel } from './reference-kernel.js';
import { SimdRnnKernel } from './simd-kernel.js';

/** The char RNN's parameters (row-major, row stride = columns): see reference-kernel.ts for the function they define. */
export interface RnnWeights {
  readonly Wxh: Float64Array; // N × V
  readonly Whh: Float64Array; // N × N
  readonly bh: Float64Array; // N
  readonly m: Float64Array; // N
  readonly Why: Float64Array; // V × N
  readonly by: Float64Array; // V
}

export interface RnnDims {
  readonly N: number;
  readonly V: number;
  /** Time steps: the example holds T + 1 symbols. */
  readonly T: number;
  readonly multiplierOnRecurrent: boolean;
}

/**
 * Which implementation runs the char RNN's forward and backward passes:
 * - `simd-f64`: WebAssembly SIMD in float64 (equal to the reference up to the order of additions);
 * - `simd-f32`: WebAssembly SIMD in float32 (twice the lanes; weights and optimizer stay float64);
 * - `reference`: plain TypeScript loops, the definition the others are tested against.
 */
export type RnnKernelName = 'simd-f64' | 'simd-f32' | 'reference';
export const RNN_KERNELS: readonly RnnKernelName[] = ['simd-f64', 'simd-f32', 'reference'];

export interface RnnKernel {
  readonly name: RnnKernelName;
  /** Forward pass from the carried state `h0`; returns the loss summed over the T steps. */
  forward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array): number;
  /** After `forward`: overwrites every gradient in `g`. */
  backward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array): void;
  /** After `forward`: copies h_T (length N) into `into`. */
  finalState(into: Float64Array, d: RnnDims): void;
  /** After `forward`: each step's softmax over the V symbols (T × V; a view the next `forward` overwrites). */
  probabilities(d: RnnDims): Float64Array;
}

export function createRnnKernel(name: RnnKernelName): RnnKernel {
  return name === 'reference' ? new ReferenceRnnKernel() : new SimdRnnKernel(name);
}
