import { ContainerModule } from 'inversify';
import { OptimizerContribution } from '@diffstruct/core';
import { Adagrad, type AdagradOptions } from './adagrad.js';

export * from './adagrad.js';

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

export default new ContainerModule(({ bind }) => {
  bind(OptimizerContribution).toConstantValue(adagradContribution);
});
