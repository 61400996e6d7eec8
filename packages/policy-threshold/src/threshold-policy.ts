import type { UnitInitializer } from '@diffstruct/core';
import type { ReserveOptions } from './reserve-options.js';
import { SHUFFLED_ORDER } from './reserve-order.js';
import { ReservePolicy } from './reserve-policy.js';

/** The paper's initialisation: fresh random weights (drawn by the model), the multiplier at T_D. */
export const randomInit: UnitInitializer = {
  type: 'random',
  next: (multiplier) => ({ init: 'random', multiplier }),
};

/** The paper's threshold/k policy (docs/method.md#growth-policy): the reserve mechanism with a shuffled order. */
export function thresholdPolicy(options: ReserveOptions, init: UnitInitializer = randomInit): ReservePolicy {
  return new ReservePolicy('threshold', options, SHUFFLED_ORDER, init);
}
