import type { OptionProblem, OptionsSchema, PluginOptions } from '@diffstruct/core';

/** Options every multiplier policy shares: L1 pressure and the multiplier floor (SPEC §1). */
export const REGULARIZATION_OPTIONS: OptionsSchema['properties'] = {
  l1: { type: 'number', minimum: 0, maximum: 1, default: 3e-5, description: 'L1 strength on the multipliers, per time step (A_L1)' },
  minMultiplier: { type: 'number', minimum: 0, maximum: 10, default: 0.025, description: 'multipliers are raised to this after each update (M_min)' },
};

export type RegularizationOptions = {
  readonly l1: number;
  readonly minMultiplier: number;
};

export function minMultiplierBelowThreshold(options: PluginOptions): OptionProblem[] {
  const { minMultiplier, threshold } = options as { minMultiplier: number; threshold: number };
  return minMultiplier < threshold ? [] : [{ path: ['minMultiplier'], expected: `a value below threshold (${threshold})`, found: String(minMultiplier) }];
}
