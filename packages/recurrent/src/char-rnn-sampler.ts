import type { SequenceSampler } from '@diffstruct/core';
import { ensureBuffers, type RnnBuffers, rnnForward } from './reference-kernel.js';
import type { RnnDims, RnnWeights } from './rnn-kernel.js';

/**
 * The char RNN one symbol at a time: the reference forward pass with T = 1 from a state of its own,
 * so a sample comes from the very function the model's loss is (speed does not matter here).
 */
export class RnnSampler implements SequenceSampler {
  private readonly state: Float64Array;
  /** The symbol fed, and a target the forward pass needs but whose loss is not used. */
  private readonly symbols = new Int32Array(2);
  private readonly buffers: RnnBuffers;
  private readonly step: RnnDims;

  constructor(
    private readonly weights: RnnWeights,
    dims: RnnDims,
  ) {
    this.step = { ...dims, T: 1 };
    this.state = new Float64Array(dims.N);
    this.buffers = ensureBuffers(undefined, this.step);
  }

  reset(): void {
    this.state.fill(0);
  }

  next(symbol: number, probabilities: Float64Array): void {
    const { N, V } = this.step;
    this.symbols[0] = symbol;
    rnnForward(this.weights, this.step, this.symbols, this.state, this.buffers);
    this.state.set(this.buffers.hs.subarray(N, 2 * N));
    probabilities.set(this.buffers.ps.subarray(0, V));
  }
}
