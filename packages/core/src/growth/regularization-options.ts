import { optionsSchema } from '../plugins/options-schema.js';

/**
 * L1 pressure on the multipliers and the floor they are raised to (docs/method.md#l1-penalty):
 * every policy that trains multipliers has these options; the defaults are the paper's.
 */
export const REGULARIZATION_OPTIONS = optionsSchema({
  l1: { type: 'number', minimum: 0, maximum: 1, default: 3e-5, description: 'L1 strength on the multipliers, per time step (A_L1)' },
  minMultiplier: { type: 'number', minimum: 0, maximum: 10, default: 0.025, description: 'multipliers are raised to this after each update (M_min)' },
}).properties;
