import { ContainerModule } from 'inversify';
import { PolicyContribution, reservePolicyContribution, type ReserveOptions } from '@diffstruct/core';
import { AgeOrder, type DeletionOrder } from './age-order.js';

export * from './age-order.js';

export type AgeBiasedOptions = ReserveOptions & { readonly order: DeletionOrder; readonly softness: number };

export const ageBiasedPolicyContribution = reservePolicyContribution<AgeBiasedOptions>({
  type: 'age-biased',
  description: 'the reserve policy with deletion biased by age: which sub-threshold units stay is chosen by how long they have lived',
  options: {
    order: { enum: ['youngest-first', 'oldest-first', 'random'], default: 'youngest-first', description: 'which sub-threshold units are deleted first' },
    softness: { type: 'number', minimum: 0, maximum: 1000, default: 0, description: 'τ: 0 follows the order strictly; larger values pick by weight e^(-rank/τ)' },
  },
  order: (options) => new AgeOrder(options.order, options.softness),
});

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(ageBiasedPolicyContribution);
});
