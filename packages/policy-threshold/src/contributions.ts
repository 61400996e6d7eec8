import { type OptionsOf, type PolicyContribution, REGULARIZATION_OPTIONS, type UnitInitContribution } from '@diffstruct/core';
import { FixedSizePolicy } from './fixed-size-policy.js';
import { reservePolicyContribution } from './reserve-policy-contribution.js';
import { SHUFFLED_ORDER } from './reserve-order.js';
import { randomInit } from './threshold-policy.js';

export const thresholdPolicyContribution = reservePolicyContribution({
  type: 'threshold',
  description: "the paper's policy: keep k sub-threshold units in reserve, delete the excess at random, add when short",
  order: () => SHUFFLED_ORDER,
});

export const fixedSizePolicyContribution: PolicyContribution = {
  type: 'none',
  description: 'no growth: a fixed-size network (multipliers still under L1)',
  optionsSchema: { properties: REGULARIZATION_OPTIONS },
  create(options: OptionsOf<{ properties: typeof REGULARIZATION_OPTIONS }>) {
    return new FixedSizePolicy(options);
  },
};

export const randomInitContribution: UnitInitContribution = {
  type: 'random',
  description: "fresh random weights, drawn by the model (the paper's)",
  optionsSchema: { properties: {} },
  create: () => randomInit,
};
