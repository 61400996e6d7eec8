import { ContainerModule } from 'inversify';
import { PolicyContribution, UnitInitContribution } from '@diffstruct/core';
import { minMultiplierBelowThreshold, RESERVE_OPTIONS, type ReserveOptions, ReservePolicy, SHUFFLED_ORDER } from '@diffstruct/policy-threshold';
import { InheritedInit, type InheritedInitOptions, POOL_OPTIONS } from './inherited-init.js';

export * from './inherited-init.js';

/** `init: { type: inherited }`: usable by any reserve policy (threshold, age-biased, ...). */
export const inheritedInitContribution: UnitInitContribution = {
  type: 'inherited',
  description: 'new units take the weights of a recently deleted unit from a bounded pool (random when it is empty)',
  optionsSchema: { properties: POOL_OPTIONS },
  create(options: InheritedInitOptions) {
    return new InheritedInit(options);
  },
};

const { init: _, ...reserveOptions } = RESERVE_OPTIONS;

/** `policy: inherited`: the paper's policy with inherited initialisation, its pool options at the top. */
export const inheritedPolicyContribution: PolicyContribution = {
  type: 'inherited',
  description: "the paper's policy, but new units inherit the weights of deleted ones (shorthand for threshold with init: inherited)",
  optionsSchema: { properties: { ...POOL_OPTIONS, ...reserveOptions } },
  check: minMultiplierBelowThreshold,
  create(options: ReserveOptions & InheritedInitOptions) {
    return new ReservePolicy('inherited', options, SHUFFLED_ORDER, new InheritedInit(options));
  },
};

export default new ContainerModule(({ bind }) => {
  bind(UnitInitContribution).toConstantValue(inheritedInitContribution);
  bind(PolicyContribution).toConstantValue(inheritedPolicyContribution);
});
