import { ContainerModule } from 'inversify';
import { PolicyContribution } from '@diffstruct/core';
import { reservePolicyContribution } from '@diffstruct/policy-threshold';
import { SmallestFirstOrder } from './smallest-first-order.js';

export * from './smallest-first-order.js';

export const smallestFirstPolicy = reservePolicyContribution({
  type: 'smallest-first',
  description: 'the reserve policy, deleting the sub-threshold units with the smallest multipliers first',
  order: () => new SmallestFirstOrder(),
});

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(smallestFirstPolicy);
});
