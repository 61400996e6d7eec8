import type { PolicyContribution } from '@diffstruct/core';
import { FixedSizePolicy } from './fixed-size-policy.js';
import { minMultiplierBelowThreshold, REGULARIZATION_OPTIONS, type RegularizationOptions } from './regularization-options.js';
import { ThresholdPolicy, type ThresholdOptions } from './threshold-policy.js';

const probability = (defaultValue: number, description: string) => ({ type: 'number', minimum: 0, maximum: 1, default: defaultValue, description });

export const thresholdPolicyContribution: PolicyContribution = {
  type: 'threshold',
  description: "the paper's policy: keep k sub-threshold units in reserve, delete the excess, add when short",
  optionsSchema: {
    properties: {
      reserve: { type: 'integer', minimum: 0, maximum: 1000, default: 1, description: 'k, sub-threshold units kept in reserve' },
      threshold: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: 0.05, description: 'T_D, the deletion threshold; new units start here' },
      addProbability: probability(0.05, 'P_add, chance of adding a unit when the reserve is short'),
      deleteProbability: probability(0.25, 'P_del, chance of deleting each excess sub-threshold unit'),
      spontaneousAddProbability: probability(1e-4, 'chance per cycle of adding a unit regardless'),
      ...REGULARIZATION_OPTIONS,
    },
  },
  check: minMultiplierBelowThreshold,
  create(options: ThresholdOptions) {
    return new ThresholdPolicy(options);
  },
};

export const fixedSizePolicyContribution: PolicyContribution = {
  type: 'none',
  description: 'no growth: a fixed-size network (multipliers still under L1)',
  optionsSchema: { properties: { ...REGULARIZATION_OPTIONS } },
  create(options: RegularizationOptions) {
    return new FixedSizePolicy(options);
  },
};
