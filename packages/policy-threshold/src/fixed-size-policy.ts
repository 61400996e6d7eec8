import { type GrowthDecision, type GrowthPolicy, NO_CHANGE, type Regularization } from '@diffstruct/core';

/** `policy: none`: the network keeps its size; multipliers still train under L1 unless l1 is 0. */
export class FixedSizePolicy implements GrowthPolicy {
  readonly type = 'none';
  constructor(readonly regularization: Regularization) {}

  decide(): GrowthDecision {
    return NO_CHANGE;
  }
}
