import { NO_CHANGE, type GrowthDecision, type GrowthPolicy } from '@diffstruct/core';
import type { RegularizationOptions } from './regularization-options.js';

/** `policy: none`: the network keeps its size; multipliers still train under L1 unless l1 is 0. */
export class FixedSizePolicy implements GrowthPolicy {
  readonly type = 'none';
  constructor(readonly regularization: RegularizationOptions) {}

  decide(): GrowthDecision {
    return NO_CHANGE;
  }
}
