import { PolicyContribution, UnitInitContribution } from '@diffstruct/core';
import { ContainerModule } from 'inversify';
import { fixedSizePolicyContribution, randomInitContribution, thresholdPolicyContribution } from './contributions.js';

export { fixedSizePolicyContribution, randomInitContribution, thresholdPolicyContribution } from './contributions.js';
export { FixedSizePolicy } from './fixed-size-policy.js';
export { minMultiplierBelowThreshold, RESERVE_DEFAULTS, RESERVE_NESTED_SLOTS, RESERVE_OPTIONS, type ReserveOptions } from './reserve-options.js';
export { type ReserveOrder, SHUFFLED_ORDER } from './reserve-order.js';
export { ReservePolicy } from './reserve-policy.js';
export { type ReservePolicySpec, reservePolicyContribution } from './reserve-policy-contribution.js';
export { randomInit, thresholdPolicy } from './threshold-policy.js';

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(thresholdPolicyContribution);
  bind(PolicyContribution).toConstantValue(fixedSizePolicyContribution);
  bind(UnitInitContribution).toConstantValue(randomInitContribution);
});
