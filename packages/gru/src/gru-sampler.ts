import type { SequenceSampler } from '@diffstruct/core';
import { softmaxStepsForward } from '@diffstruct/layers';
import { GruBuffers, type GruDims, type GruWeights, gruForward } from './gru-kernel.js';

/**
 * The GRU one symbol at a time: the reference forward pass with T = 1 from a state of its own,
 * then the softmax output, so a sample comes from the very function the model's loss is.
 */
export class GruSampler implements SequenceSampler {
  private readonly state: Float64Array;
  /** The symbol fed, and a target the softmax needs but whose loss is not used. */
  private readonly symbols = new Int32Array(2);
  private readonly buffers: GruBuffers;
  private readonly step: GruDims;

  constructor(
    private readonly weights: GruWeights,
    private readonly output: { readonly W: Float64Array; readonly b: Float64Array },
    dims: GruDims,
  ) {
    this.step = { ...dims, T: 1 };
    this.state = new Float64Array(dims.N);
    this.buffers = new GruBuffers(dims.N, 1);
  }

  reset(): void {
    this.state.fill(0);
  }

  next(symbol: number, probabilities: Float64Array): void {
    const { N } = this.step;
    this.symbols[0] = symbol;
    gruForward(this.weights, this.step, this.symbols, this.state, this.buffers);
    this.state.set(this.buffers.hs.subarray(N, 2 * N));
    softmaxStepsForward(this.output.W, this.output.b, this.buffers.os, this.step, this.symbols, 1, probabilities);
  }
}
