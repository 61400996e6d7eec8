import type { AreasPass } from './areas-pass.js';
import { areasBackward, areasForward } from './areas-pass.js';
import { SimdAreasKernel } from './simd-areas-kernel.js';

/**
 * Which implementation runs the areas network's forward and backward passes in training and
 * held-out evaluation (the sampler runs the reference loops, one step at a time):
 * - `simd-f64`: WebAssembly SIMD in float64 (equal to the reference up to the order of additions);
 * - `reference`: plain TypeScript loops (areas-pass.ts), the definition the other is tested against.
 */
export type AreasKernelName = 'simd-f64' | 'reference';
export const AREAS_KERNELS: readonly AreasKernelName[] = ['simd-f64', 'reference'];

/**
 * The passes over the network `pass` describes (its areas, their parameters and links, a and by,
 * read afresh every call: growth and checkpoints never see the kernel).
 */
export interface AreasKernel {
  readonly name: AreasKernelName;
  /** Forward pass from the carried states h0[k] (one per area); returns the loss summed over the T steps. */
  forward(pass: AreasPass, symbols: Int32Array, h0: readonly Float64Array[]): number;
  /** After `forward`: overwrites every gradient (each area's parameters and the links into it, a into `ga`, by into `gby`). */
  backward(pass: AreasPass, symbols: Int32Array, ga: Float64Array, gby: Float64Array): void;
  /** After `forward`: h_T of each area into `into[k]`. */
  finalStates(pass: AreasPass, into: readonly Float64Array[]): void;
  /** After `forward`: each step's softmax over the V symbols (T × V; a view the next `forward` overwrites). */
  probabilities(): Float64Array;
}

export function createAreasKernel(name: AreasKernelName, V: number, T: number): AreasKernel {
  return name === 'reference' ? new ReferenceAreasKernel(V, T) : new SimdAreasKernel();
}

/** The loops of areas-pass.ts on each area's own arrays. */
export class ReferenceAreasKernel implements AreasKernel {
  readonly name = 'reference';
  private readonly ps: Float64Array;
  private readonly dy: Float64Array;

  constructor(V: number, T: number) {
    this.ps = new Float64Array(T * V);
    this.dy = new Float64Array(V);
  }

  forward(pass: AreasPass, symbols: Int32Array, h0: readonly Float64Array[]): number {
    return areasForward(pass, symbols, h0, this.ps);
  }

  backward(pass: AreasPass, symbols: Int32Array, ga: Float64Array, gby: Float64Array): void {
    areasBackward(pass, symbols, this.ps, ga, gby, this.dy);
  }

  finalStates(pass: AreasPass, into: readonly Float64Array[]): void {
    const { areas, T } = pass;
    for (let k = 0; k < areas.length; k++) {
      const { hs, size } = areas[k];
      const state = into[k];
      for (let j = 0; j < size; j++) state[j] = hs[T * size + j];
    }
  }

  probabilities(): Float64Array {
    return this.ps;
  }
}
