import {
  minMultiplierBelowThreshold,
  REGULARIZATION_OPTIONS,
  RESERVE_NESTED_SLOTS,
  RESERVE_OPTIONS,
  type PluginRef,
  type PolicyContribution,
  type PolicyCreateContext,
  type Regularization,
  type UnitInitContribution,
} from '@diffstruct/core';
import { FixedSizePolicy } from './fixed-size-policy.js';
import { randomInit, thresholdPolicy, type ThresholdOptions } from './threshold-policy.js';

export const thresholdPolicyContribution: PolicyContribution = {
  type: 'threshold',
  description: "the paper's policy: keep k sub-threshold units in reserve, delete the excess at random, add when short",
  optionsSchema: { properties: RESERVE_OPTIONS },
  nestedSlots: RESERVE_NESTED_SLOTS,
  check: minMultiplierBelowThreshold,
  create(options: ThresholdOptions & { init: PluginRef }, { unitInits }: PolicyCreateContext) {
    return thresholdPolicy(options, unitInits.get(options.init.type).create(options.init, {}));
  },
};

export const fixedSizePolicyContribution: PolicyContribution = {
  type: 'none',
  description: 'no growth: a fixed-size network (multipliers still under L1)',
  optionsSchema: { properties: { ...REGULARIZATION_OPTIONS } },
  create(options: Regularization) {
    return new FixedSizePolicy(options);
  },
};

export const randomInitContribution: UnitInitContribution = {
  type: 'random',
  description: "fresh random weights, drawn by the model (the paper's)",
  optionsSchema: { properties: {} },
  create: () => randomInit,
};
