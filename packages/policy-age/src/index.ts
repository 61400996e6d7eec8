import { type OptionsOf, optionsSchema, PolicyContribution } from '@diffstruct/core';
import { type ReserveOptions, reservePolicyContribution } from '@diffstruct/policy-threshold';
import { ContainerModule } from 'inversify';
import { AgeOrder, DELETION_ORDERS } from './age-order.js';

export * from './age-order.js';

/** The options `age-biased` adds to the reserve mechanism's. */
export const AGE_OPTIONS = optionsSchema({
  order: { enum: DELETION_ORDERS, default: 'youngest-first', description: 'which sub-threshold units are deleted first' },
  softness: { type: 'number', minimum: 0, maximum: 1000, default: 0, description: 'τ: 0 follows the order strictly; larger values pick by weight e^(-rank/τ)' },
}).properties;

export type AgeBiasedOptions = ReserveOptions & OptionsOf<{ properties: typeof AGE_OPTIONS }>;

export const ageBiasedPolicyContribution = reservePolicyContribution({
  type: 'age-biased',
  description: 'the reserve policy with deletion biased by age: which sub-threshold units stay is chosen by how long they have lived',
  options: AGE_OPTIONS,
  order: (options) => new AgeOrder(options.order, options.softness),
});

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(ageBiasedPolicyContribution);
});
