import {
  type GrowableView,
  type GrowthDecision,
  type GrowthPolicy,
  NO_CHANGE,
  type OptionsOf,
  optionsSchema,
  type PolicyContext,
  REGULARIZATION_OPTIONS,
  type Regularization,
  type UnitAddition,
} from '@diffstruct/core';

/** The options a config may set under `policy:` (validated, with these defaults filled in). */
export const __CONSTANT___OPTIONS = optionsSchema({
  threshold: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.05, description: 'units whose |multiplier| is at or below this may be deleted' },
  deleteProbability: { type: 'number', minimum: 0, maximum: 1, default: 0.01, description: 'chance per cycle that each unit below threshold is deleted' },
  growEvery: { type: 'integer', minimum: 1, maximum: 1000000, default: 500, description: 'cycles between additions of one unit' },
  // L1 pressure on the multipliers and their floor: the training loop applies them.
  ...REGULARIZATION_OPTIONS,
});
export type __Class__Options = OptionsOf<typeof __CONSTANT___OPTIONS>;

/**
 * Deletes units whose multiplier L1 has pushed to `threshold` or below, each with probability
 * `deleteProbability` per cycle, and adds one unit every `growEvery` cycles while the
 * population stays below its cap. A starting point: make `decide` yours.
 */
export class __Class__ implements GrowthPolicy {
  readonly type = '__type__';
  readonly regularization: Regularization;

  constructor(private readonly options: __Class__Options) {
    this.regularization = { l1: options.l1, minMultiplier: options.minMultiplier };
  }

  /**
   * Reads the cycle and the policy's random stream; the context also carries the loss, the smooth
   * loss, the task's phase, the run's length and each unit's ∂loss/∂m (multiplierGradient[i]).
   */
  decide(growable: GrowableView, context: PolicyContext): GrowthDecision {
    const remove: number[] = [];
    for (let i = 0; i < growable.size; i++) {
      // Every draw comes from context.random, the run's policy stream, so a seed fixes the run.
      if (Math.abs(growable.multiplier(i)) <= this.options.threshold && context.random.uniform() < this.options.deleteProbability) remove.push(i);
    }
    if (remove.length === growable.size) remove.pop(); // never delete the last unit
    const size = growable.size - remove.length;
    const add: UnitAddition[] = [];
    // The population may not reach maxSize: add only while one more unit stays below it.
    if (context.cycle % this.options.growEvery === 0 && size + 1 < growable.maxSize) {
      add.push({ init: 'random', multiplier: this.options.threshold, reason: 'scheduled' });
    }
    return remove.length || add.length ? { remove, removeReason: 'below-threshold', add } : NO_CHANGE;
  }
}
