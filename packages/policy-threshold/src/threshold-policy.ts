import { ReservePolicy, SHUFFLED_ORDER, type ReserveOptions, type UnitInitializer } from '@diffstruct/core';

export type ThresholdOptions = ReserveOptions;

/** The paper's initialisation: fresh random weights (drawn by the model), the multiplier at T_D. */
export const randomInit: UnitInitializer = {
  type: 'random',
  next: (multiplier) => ({ init: 'random', multiplier }),
};

/** The paper's threshold/k policy (SPEC §2): the reserve mechanism with a shuffled order. */
export function thresholdPolicy(options: ThresholdOptions, init: UnitInitializer = randomInit): ReservePolicy {
  return new ReservePolicy('threshold', options, SHUFFLED_ORDER, init);
}
