import { ContainerModule } from 'inversify';
import { PolicyContribution, UnitInitContribution } from '@diffstruct/core';
import { fixedSizePolicyContribution, randomInitContribution, thresholdPolicyContribution } from './contributions.js';

export * from './contributions.js';
export * from './fixed-size-policy.js';
export * from './threshold-policy.js';

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(thresholdPolicyContribution);
  bind(PolicyContribution).toConstantValue(fixedSizePolicyContribution);
  bind(UnitInitContribution).toConstantValue(randomInitContribution);
});
