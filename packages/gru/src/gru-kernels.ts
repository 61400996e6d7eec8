import type { SoftmaxOutputLayer } from '@diffstruct/layers';
import { GruBuffers, type GruDims, type GruWeights, gruBackward, gruForward } from './gru-kernel.js';
import { SimdGruKernel } from './simd-gru-kernel.js';

/**
 * Which implementation runs the GRU's forward and backward passes, output layer included:
 * - `simd-f64`: WebAssembly SIMD in float64 (equal to the reference up to rounding);
 * - `reference`: plain TypeScript loops (gru-kernel.ts and the output layer's), the definition the other is tested against.
 */
export type GruKernelName = 'simd-f64' | 'reference';
export const GRU_KERNELS: readonly GruKernelName[] = ['simd-f64', 'reference'];

export interface GruKernel {
  readonly name: GruKernelName;
  /** Forward pass from the carried state `h0`, through the output layer; returns the loss summed over the T steps. */
  forward(w: GruWeights, d: GruDims, symbols: Int32Array, h0: Float64Array): number;
  /** After `forward`: overwrites every gradient in `g`, and the output layer's. */
  backward(w: GruWeights, g: GruWeights, d: GruDims, symbols: Int32Array): void;
  /** After `forward`: copies h_T (length N) into `into`. */
  finalState(into: Float64Array, d: GruDims): void;
  /** After `forward`: each step's softmax over the V symbols (T × V; a view the next `forward` overwrites). */
  probabilities(d: GruDims): Float64Array;
}

/** A kernel for the gated layer feeding `output`, whose parameters it reads and whose gradients it writes. */
export function createGruKernel(name: GruKernelName, output: SoftmaxOutputLayer): GruKernel {
  return name === 'reference' ? new ReferenceGruKernel(output) : new SimdGruKernel(output);
}

/** The reference loops and the output layer's own forward and backward, owning their buffers. */
export class ReferenceGruKernel implements GruKernel {
  readonly name = 'reference';
  private buffers?: GruBuffers;

  constructor(private readonly output: SoftmaxOutputLayer) {}

  forward(w: GruWeights, d: GruDims, symbols: Int32Array, h0: Float64Array): number {
    const b = GruBuffers.fitting(this.buffers, d);
    this.buffers = b;
    gruForward(w, d, symbols, h0, b);
    return this.output.forward(b.os, d.T, symbols, 1);
  }

  backward(w: GruWeights, g: GruWeights, d: GruDims, symbols: Int32Array): void {
    const b = this.buffers!;
    this.output.backward(b.os, d.T, symbols, 1, b.dos);
    gruBackward(w, g, d, symbols, b);
  }

  probabilities(): Float64Array {
    return this.output.probabilities;
  }

  finalState(into: Float64Array, d: GruDims): void {
    // A loop, not a subarray view: no allocation.
    const hs = this.buffers!.hs;
    for (let j = 0, at = d.T * d.N; j < d.N; j++) into[j] = hs[at + j];
  }
}
