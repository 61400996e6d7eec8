import { ContainerModule } from 'inversify';
import {
  minMultiplierBelowThreshold,
  PolicyContribution,
  ReservePolicy,
  RESERVE_NESTED_SLOTS,
  RESERVE_OPTIONS,
  type PluginRef,
  type PolicyCreateContext,
  type ReserveOptions,
} from '@diffstruct/core';
import { SmallestFirstOrder } from './smallest-first-order.js';

export * from './smallest-first-order.js';

export type SmallestFirstOptions = ReserveOptions & { readonly init: PluginRef };

export const smallestFirstPolicy: PolicyContribution = {
  type: 'smallest-first',
  description: 'the reserve policy, deleting the sub-threshold units with the smallest multipliers first',
  optionsSchema: { properties: RESERVE_OPTIONS },
  nestedSlots: RESERVE_NESTED_SLOTS,
  check: minMultiplierBelowThreshold,
  create(options: SmallestFirstOptions, { unitInits }: PolicyCreateContext) {
    const init = unitInits.get(options.init.type).create(options.init, {});
    return new ReservePolicy('smallest-first', options, new SmallestFirstOrder(), init);
  },
};

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(smallestFirstPolicy);
});
