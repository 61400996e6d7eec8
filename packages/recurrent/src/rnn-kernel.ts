import type { ArrayAllocator } from '@diffstruct/core';
import { ReferenceRnnKernel } from './reference-kernel.js';
import { SimdRnnKernel } from './simd-kernel.js';

/**
 * How a unit's output acts on the units it feeds (docs/method.md#links): `additive` (the paper's
 * RNN: recurrent input adds to the drive), `modulatory` (it scales the drive's gain), `learned`
 * (both links, mixed by a learned additive share per unit).
 */
export type RnnLinks = 'additive' | 'modulatory' | 'learned';
export const RNN_LINKS: readonly RnnLinks[] = ['additive', 'modulatory', 'learned'];

/** The char RNN's parameters (row-major, row stride = columns): see reference-kernel.ts for the function they define. */
export interface RnnWeights {
  readonly Wxh: Float64Array; // N × V
  /** Additive recurrent links; absent with `links: modulatory`. */
  readonly Whh?: Float64Array; // N × N
  /** Modulatory recurrent links (`links: modulatory | learned` only). */
  readonly Mhh?: Float64Array; // N × N
  /** Each unit's additive share α = σ(mix) of its recurrent input (`links: learned` only). */
  readonly mix?: Float64Array; // N
  readonly bh: Float64Array; // N
  readonly m: Float64Array; // N
  readonly Why: Float64Array; // V × N
  readonly by: Float64Array; // V
}

export interface RnnDims {
  readonly N: number;
  readonly V: number;
  /** Time steps: each window holds T + 1 symbols. */
  readonly T: number;
  readonly multiplierOnRecurrent: boolean;
  /** Default `additive`. */
  readonly links?: RnnLinks;
  /** Windows per cycle (default 1), one after another in `symbols`, each with its own carried state. */
  readonly B?: number;
}

/**
 * Which implementation runs the char RNN's forward and backward passes:
 * - `simd-f64`: WebAssembly SIMD in float64 (equal to the reference up to the order of additions);
 * - `simd-f32`: WebAssembly SIMD in float32 (twice the lanes; weights and optimizer stay float64);
 * - `reference`: plain TypeScript loops, the definition the others are tested against.
 */
export type RnnKernelName = 'simd-f64' | 'simd-f32' | 'reference';
export const RNN_KERNELS: readonly RnnKernelName[] = ['simd-f64', 'simd-f32', 'reference'];

/**
 * With B windows the loss and every gradient are the mean over the windows of one window's (a
 * window's loss stays summed over its T steps), so L1 per window and the loss's scale are those
 * of B = 1 (docs/method.md#minibatches). States are N × B, unit-major: h[i · B + b] is unit i of
 * window b (the model's carried state, whose rows are units).
 */
export interface RnnKernel {
  readonly name: RnnKernelName;
  /** Forward pass from the carried state `h0` (N × B); returns the loss summed over the T steps (its mean over the windows). */
  forward(w: RnnWeights, d: RnnDims, symbols: Int32Array, h0: Float64Array): number;
  /** After `forward`: overwrites every gradient in `g`. */
  backward(w: RnnWeights, g: RnnWeights, d: RnnDims, symbols: Int32Array): void;
  /** After `forward`: copies h_T (N × B) into `into`. */
  finalState(into: Float64Array, d: RnnDims): void;
  /** After a one-window `forward` (B = 1, as evaluation runs): each step's softmax over the V symbols (T × V; a view the next `forward` overwrites). */
  probabilities(d: RnnDims): Float64Array;
  /**
   * Room for `bytes` of parameters in the kernel's own memory, beside its layout for `largest`
   * (the most units the model will have): parameters the allocator places there are read and
   * written in place, not copied every cycle. Undefined when the memory cannot grow by that
   * much. Once per kernel: afterwards dims beyond `largest` are refused with an error, and a
   * second call gives undefined (or that error).
   */
  inPlaceArrays?(largest: RnnDims, bytes: number): ArrayAllocator | undefined;
}

export function createRnnKernel(name: RnnKernelName): RnnKernel {
  return name === 'reference' ? new ReferenceRnnKernel() : new SimdRnnKernel(name);
}
