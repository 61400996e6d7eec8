import type { NestedSlot, OptionProblem, OptionsSchema, PluginOptions } from '../plugins/contribution.js';
import type { ReserveOptions } from './reserve-policy.js';

/** The paper's values (SPEC §2): the defaults of every reserve policy's options. */
export const RESERVE_DEFAULTS: ReserveOptions = Object.freeze({
  reserve: 1,
  threshold: 0.05,
  addProbability: 0.05,
  deleteProbability: 0.25,
  spontaneousAddProbability: 1e-4,
  l1: 3e-5,
  minMultiplier: 0.025,
});
const d = RESERVE_DEFAULTS;

const probability = (value: number, description: string) => ({ type: 'number', minimum: 0, maximum: 1, default: value, description });

/** L1 pressure and the multiplier floor (SPEC §1): every multiplier policy has them. */
export const REGULARIZATION_OPTIONS: OptionsSchema['properties'] = {
  l1: { type: 'number', minimum: 0, maximum: 1, default: d.l1, description: 'L1 strength on the multipliers, per time step (A_L1)' },
  minMultiplier: { type: 'number', minimum: 0, maximum: 10, default: d.minMultiplier, description: 'multipliers are raised to this after each update (M_min)' },
};

/** The options of a `ReservePolicy` (SPEC §2 defaults), `init` (a unit initialisation) included. */
export const RESERVE_OPTIONS: OptionsSchema['properties'] = {
  reserve: { type: 'integer', minimum: 0, maximum: 1000, default: d.reserve, description: 'k, sub-threshold units kept in reserve' },
  threshold: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: d.threshold, description: 'T_D, the deletion threshold; new units start here' },
  addProbability: probability(d.addProbability, 'P_add, chance of adding a unit when the reserve is short'),
  deleteProbability: probability(d.deleteProbability, 'P_del, chance of deleting each excess sub-threshold unit'),
  spontaneousAddProbability: probability(d.spontaneousAddProbability, 'chance per cycle of adding a unit regardless'),
  init: { $ref: '#/$defs/unitInit', default: { type: 'random' }, description: 'how new units start: a unit initialisation (random, inherited, ...)' },
  ...REGULARIZATION_OPTIONS,
};

/** Where a reserve policy's options nest a plugin: `init`. */
export const RESERVE_NESTED_SLOTS: readonly NestedSlot[] = [{ path: ['init'], point: 'unitInit' }];

/** New units start at T_D and the floor must leave them deletable: M_min < T_D. */
export function minMultiplierBelowThreshold(options: PluginOptions): OptionProblem[] {
  const { minMultiplier, threshold } = options as { minMultiplier: number; threshold: number };
  return minMultiplier < threshold ? [] : [{ path: ['minMultiplier'], expected: `a value below threshold (${threshold})`, found: String(minMultiplier) }];
}
