import { ContainerModule } from 'inversify';
import { OptimizerContribution } from '@diffstruct/core';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, type AdamOptions } from './adam.js';

export * from './adagrad.js';
export * from './adam.js';

export const adagradContribution: OptimizerContribution = {
  type: 'adagrad',
  description: 'Adagrad with elementwise gradient clipping (the paper\'s optimizer)',
  optionsSchema: {
    properties: {
      learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.1, description: 'step size' },
      epsilon: { type: 'number', minimum: 0, maximum: 1, default: 1e-8, description: 'added under the square root' },
      clip: { type: 'number', minimum: 0, default: 5, description: 'gradients are clipped to [-clip, clip]; 0 for none' },
    },
  },
  create(options: AdagradOptions) {
    return new Adagrad(options);
  },
};

export const adamContribution: OptimizerContribution = {
  type: 'adam',
  description: 'Adam with elementwise gradient clipping; bias correction per entry, so new units start afresh',
  optionsSchema: {
    properties: {
      learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 100, default: 0.001, description: 'step size' },
      beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'decay of the gradient average' },
      beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'decay of the squared-gradient average' },
      epsilon: { type: 'number', minimum: 0, maximum: 1, default: 1e-8, description: 'added to the denominator' },
      clip: { type: 'number', minimum: 0, default: 5, description: 'gradients are clipped to [-clip, clip]; 0 for none' },
    },
  },
  create(options: AdamOptions) {
    return new Adam(options);
  },
};

export default new ContainerModule(({ bind }) => {
  bind(OptimizerContribution).toConstantValue(adagradContribution);
  bind(OptimizerContribution).toConstantValue(adamContribution);
});
