import { type OptionsOf, optionsSchema } from '@diffstruct/core';
import type { ReserveOptions } from '@diffstruct/policy-threshold';

/** When pressing may begin (docs/open-problems.md#shrinking-back-consolidate). */
export const TRIGGERS = ['easier', 'settled'] as const;

/** The options `consolidate` adds to the reserve mechanism's (docs/open-problems.md#shrinking-back-consolidate). */
export const CONSOLIDATE_OPTIONS = optionsSchema({
  trigger: {
    enum: TRIGGERS,
    default: 'easier',
    description: 'easier: once the loss has settled after a task switch below where it stood at the switch; settled: whenever it has settled',
  },
  window: {
    type: 'integer',
    minimum: 20,
    maximum: 100000000,
    multipleOf: 20,
    default: 2000,
    description: 'W, cycles over which the smooth loss must have settled before pressing (a multiple of 20: it is sampled every W/20 cycles)',
  },
  settled: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    default: 0.005,
    description: 'the loss has settled when it moved by at most this fraction of itself over W cycles',
  },
  tolerance: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    default: 0.005,
    description: 'pressing stops when the smooth loss rises this fraction above its lowest since pressing began',
  },
  boost: { type: 'number', minimum: 1, maximum: 1e6, default: 300, description: 'the L1 strength is multiplied by this while pressing' },
}).properties;

export type ConsolidateOptions = ReserveOptions & OptionsOf<{ properties: typeof CONSOLIDATE_OPTIONS }>;
