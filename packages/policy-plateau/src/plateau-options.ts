import { type OptionProblem, type OptionsOf, optionsSchema, REGULARIZATION_OPTIONS } from '@diffstruct/core';

export const PLATEAU_OPTIONS = optionsSchema({
  window: { type: 'integer', minimum: 20, maximum: 100000000, multipleOf: 20, default: 500, description: 'W, cycles over which the smooth loss must improve' },
  minImprovement: {
    type: 'number',
    minimum: 0,
    maximum: 1000,
    default: 1,
    description: 'add a unit when the smooth loss fell by less than this over W cycles',
  },
  threshold: {
    type: 'number',
    exclusiveMinimum: 0,
    maximum: 10,
    default: 0.05,
    description: 'T_D: new units start here; units older than W at or below it may go',
  },
  deleteProbability: { type: 'number', minimum: 0, maximum: 1, default: 0.25, description: 'P_del, chance per cycle of deleting each unit that may go' },
  ...REGULARIZATION_OPTIONS,
});

export type PlateauOptions = OptionsOf<typeof PLATEAU_OPTIONS>;

/** A unit kept at the floor must be deletable: M_min < T_D. */
export function floorBelowThreshold({ minMultiplier, threshold }: PlateauOptions): OptionProblem[] {
  return minMultiplier < threshold ? [] : [{ message: '{minMultiplier} must be below {threshold}' }];
}
