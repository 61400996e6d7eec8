import type { SequenceSampler } from '@diffstruct/core';
import { type AreasPass, areasForward } from './areas-pass.js';

/**
 * The areas network one symbol at a time: its forward pass with T = 1 from states of its own, so a
 * sample comes from the very function the model's loss is (speed does not matter here).
 */
export class AreasSampler implements SequenceSampler {
  private readonly states: Float64Array[];
  /** The symbol fed, and a target the forward pass needs but whose loss is not used. */
  private readonly symbols = new Int32Array(2);
  private readonly ps: Float64Array;

  constructor(private readonly step: AreasPass) {
    this.states = step.areas.map((area) => new Float64Array(area.size));
    this.ps = new Float64Array(step.V);
  }

  reset(): void {
    for (const state of this.states) state.fill(0);
  }

  next(symbol: number, probabilities: Float64Array): void {
    this.symbols[0] = symbol;
    areasForward(this.step, this.symbols, this.states, this.ps);
    this.step.areas.forEach((area, k) => this.states[k].set(area.hs.subarray(area.size, 2 * area.size)));
    probabilities.set(this.ps);
  }
}
