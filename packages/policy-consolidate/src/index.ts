import { type PluginRef, PolicyContribution, type PolicyCreateContext } from '@diffstruct/core';
import { minMultiplierBelowThreshold, RESERVE_NESTED_SLOTS, RESERVE_OPTIONS } from '@diffstruct/policy-threshold';
import { ContainerModule } from 'inversify';
import { CONSOLIDATE_OPTIONS, type ConsolidateOptions } from './consolidate-options.js';
import { ConsolidatePolicy } from './consolidate-policy.js';

export * from './consolidate-options.js';
export * from './consolidate-policy.js';

export const consolidatePolicyContribution: PolicyContribution = {
  type: 'consolidate',
  description:
    "the paper's policy that shrinks when a task proves easier: once the loss has settled after a switch below where it stood, L1 × boost and no unit added, until the loss rises by the tolerance",
  optionsSchema: { properties: { ...CONSOLIDATE_OPTIONS, ...RESERVE_OPTIONS } },
  nestedSlots: RESERVE_NESTED_SLOTS,
  check: minMultiplierBelowThreshold,
  create(options: ConsolidateOptions & { init: PluginRef }, { unitInits }: PolicyCreateContext) {
    return new ConsolidatePolicy(options, unitInits.get(options.init.type).create(options.init, {}));
  },
};

export default new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(consolidatePolicyContribution);
});
