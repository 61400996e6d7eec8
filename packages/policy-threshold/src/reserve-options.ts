import { defaultsOf, type NestedSlot, type OptionProblem, type OptionsOf, optionsSchema, REGULARIZATION_OPTIONS } from '@diffstruct/core';

const probability = (value: number, description: string) => ({ type: 'number', minimum: 0, maximum: 1, default: value, description }) as const;

/**
 * The options of every reserve policy (docs/method.md#growth-policy), `init` (a unit
 * initialisation) included; the defaults are the paper's.
 */
export const RESERVE_OPTIONS = optionsSchema({
  reserve: { type: 'integer', minimum: 0, maximum: 1000, default: 1, description: 'k, sub-threshold units kept in reserve' },
  threshold: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.05, description: 'T_D, the deletion threshold; new units start here' },
  addProbability: probability(0.05, 'P_add, chance of adding a unit when the reserve is short'),
  deleteProbability: probability(0.25, 'P_del, chance of deleting each excess sub-threshold unit'),
  spontaneousAddProbability: probability(1e-4, 'chance per cycle of adding a unit regardless'),
  init: { $ref: '#/$defs/unitInit', default: { type: 'random' }, description: 'how new units start: a unit initialisation (random, inherited, ...)' },
  ...REGULARIZATION_OPTIONS,
}).properties;

/** The reserve mechanism's numbers: k, T_D, P_add, P_del, the spontaneous addition, L1 and the floor. */
export type ReserveOptions = Omit<OptionsOf<{ properties: typeof RESERVE_OPTIONS }>, 'init'>;

/** The paper's values: the defaults of `RESERVE_OPTIONS`. */
export const RESERVE_DEFAULTS: ReserveOptions = defaultsOf({ properties: RESERVE_OPTIONS });

/** Where a reserve policy's options nest a plugin: `init`. */
export const RESERVE_NESTED_SLOTS: readonly NestedSlot[] = [{ path: ['init'], point: 'unitInit' }];

/** New units start at T_D and the floor must leave them deletable: M_min < T_D. */
export function minMultiplierBelowThreshold(options: ReserveOptions): OptionProblem[] {
  return options.minMultiplier < options.threshold ? [] : [{ message: '{minMultiplier} must be below {threshold}' }];
}
