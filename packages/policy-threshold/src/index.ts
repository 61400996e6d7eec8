import { ContainerModule } from 'inversify';
import { PolicyContribution } from '@diffstruct/core';
import { fixedSizePolicyContribution, thresholdPolicyContribution } from './contributions.js';

export * from './contributions.js';
export * from './fixed-size-policy.js';
export * from './regularization-options.js';
export * from './threshold-policy.js';

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(thresholdPolicyContribution);
  bind(PolicyContribution).toConstantValue(fixedSizePolicyContribution);
});
