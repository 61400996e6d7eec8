import type { GrowableView, GrowthDecision, GrowthPolicy, PolicyContext, UnitAddition } from '@diffstruct/core';
import type { RegularizationOptions } from './regularization-options.js';

export type ThresholdOptions = RegularizationOptions & {
  /** k: how many sub-threshold units are kept as a reserve. */
  readonly reserve: number;
  /** T_D: a unit whose |multiplier| is at most this is sub-threshold; new units start here. */
  readonly threshold: number;
  readonly addProbability: number;
  readonly deleteProbability: number;
  /** Chance per cycle of adding a unit whatever the reserve (the paper's rare addition). */
  readonly spontaneousAddProbability: number;
};

/**
 * The paper's policy (SPEC §2): keep k sub-threshold units in reserve; delete the excess with
 * probability P_del each; add a unit with probability P_add when the reserve runs short.
 */
export class ThresholdPolicy implements GrowthPolicy {
  readonly type = 'threshold';
  readonly regularization: RegularizationOptions;
  private subThreshold = new Int32Array(16);

  constructor(private readonly options: ThresholdOptions) {
    this.regularization = { l1: options.l1, minMultiplier: options.minMultiplier };
  }

  decide(growable: GrowableView, { random }: PolicyContext): GrowthDecision {
    const { reserve, threshold, deleteProbability, addProbability, spontaneousAddProbability } = this.options;
    const size = growable.size;
    if (this.subThreshold.length < size) this.subThreshold = new Int32Array(2 * size);
    const sub = this.subThreshold;
    let subCount = 0;
    for (let i = 0; i < size; i++) if (Math.abs(growable.multiplier(i)) <= threshold) sub[subCount++] = i;

    const remove: number[] = [];
    if (subCount > reserve) {
      random.shuffle(sub, subCount);
      for (let j = reserve; j < subCount; j++) if (random.uniform() < deleteProbability) remove.push(sub[j]);
    }

    const add: UnitAddition[] = [];
    if (size - remove.length < growable.maxSize - 1) {
      const reserveLow = subCount - remove.length < reserve;
      if (reserveLow && random.uniform() < addProbability) add.push(this.newUnit('reserve-low'));
      else if (random.uniform() < spontaneousAddProbability) add.push(this.newUnit('spontaneous'));
    }
    return { remove, removeReason: 'excess-reserve', add };
  }

  private newUnit(reason: string): UnitAddition {
    return { init: 'random', multiplier: this.options.threshold, reason };
  }
}
