import { type ArrayAllocator, type Layer, Parameter, type UnitAxis } from '@diffstruct/core';
import { atLeast } from './dense.js';
import { type SoftmaxStepsDims, softmaxStepsBackward, softmaxStepsForward } from './softmax-steps.js';

export interface SoftmaxOutputOptions {
  /** Symbols predicted at each step (V). */
  readonly vocabularySize: number;
  /** Units read at the start (N). */
  readonly units: number;
  /** Room reserved for this many units, so growth rarely reallocates. */
  readonly capacity: number;
  /** Parameter names in checkpoints; the char model's by default. */
  readonly names?: { readonly weights: string; readonly bias: string };
  /** Where the parameters' arrays go (plain arrays by default). */
  readonly allocator?: ArrayAllocator;
}

/**
 * The softmax output layer of a sequence model, owning its weights (V × N, one column per unit
 * read) and bias, and the scratch its steps need: `softmaxSteps*` with buffers that grow only
 * when the unroll does. A growable hidden layer lists `unitAxis` so that its units own their
 * columns here.
 */
export class SoftmaxOutputLayer implements Layer {
  readonly id = 'output';
  readonly W: Parameter;
  readonly b: Parameter;
  private ps: Float64Array = new Float64Array(0);
  private readonly dy: Float64Array;
  private shape: SoftmaxStepsDims = { N: -1, V: 0, T: 0 };

  constructor(options: SoftmaxOutputOptions) {
    const { vocabularySize: V, units: N } = options;
    const names = options.names ?? { weights: 'Why', bias: 'by' };
    this.W = new Parameter(names.weights, V, N, V * Math.max(N, options.capacity), options.allocator);
    this.b = new Parameter(names.bias, V, 1, V, options.allocator);
    this.dy = new Float64Array(V);
  }

  get vocabularySize(): number {
    return this.W.rows;
  }

  parameters(): readonly Parameter[] {
    return [this.W, this.b];
  }

  /** After `forward`: each step's softmax over the vocabulary (steps × V, row-major). */
  get probabilities(): Float64Array {
    return this.ps;
  }

  /** A unit's column of W, drawn by `draw` for a new unit (see `UnitPopulation`). */
  unitAxis(draw: () => number): UnitAxis {
    return { parameter: this.W, axis: 'column', draw };
  }

  /** Loss summed over `steps` steps of unit outputs `os` (steps × N), step t predicting `targets[t + offset]`. */
  forward(os: Float64Array, steps: number, targets: Int32Array, offset: number): number {
    this.ps = atLeast(this.ps, steps * this.vocabularySize);
    return softmaxStepsForward(this.W.value.data, this.b.value.data, os, this.dims(steps), targets, offset, this.ps);
  }

  /** After `forward` with the same arguments: overwrites W's and b's gradients and writes ∂loss/∂os into `dos`. */
  backward(os: Float64Array, steps: number, targets: Int32Array, offset: number, dos: Float64Array): void {
    softmaxStepsBackward(this.W.value.data, os, this.ps, this.dims(steps), targets, offset, this.W.grad.data, this.b.grad.data, dos, this.dy);
  }

  /** Rebuilt only when the units or the steps changed (no allocation per cycle). */
  private dims(steps: number): SoftmaxStepsDims {
    const N = this.W.cols;
    if (this.shape.N !== N || this.shape.T !== steps) this.shape = { N, V: this.vocabularySize, T: steps };
    return this.shape;
  }
}
