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
import { AgeOrder, type DeletionOrder } from './age-order.js';

export * from './age-order.js';

export type AgeBiasedOptions = ReserveOptions & { readonly order: DeletionOrder; readonly softness: number; readonly init: PluginRef };

export const ageBiasedPolicyContribution: PolicyContribution = {
  type: 'age-biased',
  description: 'the reserve policy with deletion biased by age: which sub-threshold units stay is chosen by how long they have lived',
  optionsSchema: {
    properties: {
      order: { enum: ['youngest-first', 'oldest-first', 'random'], default: 'youngest-first', description: 'which sub-threshold units are deleted first' },
      softness: { type: 'number', minimum: 0, maximum: 1000, default: 0, description: 'τ: 0 follows the order strictly; larger values pick by weight e^(-rank/τ)' },
      ...RESERVE_OPTIONS,
    },
  },
  nestedSlots: RESERVE_NESTED_SLOTS,
  check: minMultiplierBelowThreshold,
  create(options: AgeBiasedOptions, { unitInits }: PolicyCreateContext) {
    return new ReservePolicy('age-biased', options, new AgeOrder(options.order, options.softness), unitInits.get(options.init.type).create(options.init, {}));
  },
};

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(ageBiasedPolicyContribution);
});
