import { type ExampleRequest, type OptionsOf, optionsSchema } from '@diffstruct/core';
import { GRU_KERNELS } from './gru-kernels.js';

/** Most units a config may ask for: each N × N matrix takes N² · 8 bytes, and a GRU holds three (with gradients and optimizer slots). */
export const GRU_MAX_UNITS = 1000;

export const GRU_OPTIONS = optionsSchema({
  hidden: { type: 'integer', minimum: 1, maximum: GRU_MAX_UNITS, default: 1, description: 'gated units at the start' },
  maxHidden: { type: 'integer', minimum: 1, maximum: GRU_MAX_UNITS, default: 100, description: 'the size cap (growth stops below maxHidden - 1)' },
  unroll: { type: 'integer', minimum: 1, maximum: 10000, default: 40, description: 'time steps per cycle (T)' },
  initScale: { type: 'number', minimum: 0, maximum: 10, default: 0.01, description: 'standard deviation of initial and added weights' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial units' },
  multiplierOnRecurrent: {
    type: 'boolean',
    default: false,
    description: "apply the multiplier on the recurrent path too (gates and candidate read m ⊙ h), so a unit's multiplier scales all it sends",
  },
  kernel: {
    enum: GRU_KERNELS,
    default: 'simd-f64',
    description: 'forward/backward implementation: simd-f64 (WebAssembly SIMD, float64), reference (plain TypeScript)',
  },
});
export type GruOptions = OptionsOf<typeof GRU_OPTIONS>;

/** The window a GRU with these options trains on: T + 1 symbols, predicting the last T. */
export const gruExampleRequest = (options: GruOptions): ExampleRequest => ({ length: options.unroll + 1 });
