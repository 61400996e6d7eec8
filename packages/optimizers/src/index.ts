import { ContainerModule } from 'inversify';
import { OptimizerContribution } from '@diffstruct/core';
import { ADAGRAD_OPTIONS, Adagrad, type AdagradOptions } from './adagrad.js';
import { ADAM_OPTIONS, Adam, type AdamOptions } from './adam.js';

export * from './adagrad.js';
export * from './adam.js';

export const adagradContribution: OptimizerContribution = {
  type: 'adagrad',
  description: "Adagrad with elementwise gradient clipping (the paper's optimizer)",
  optionsSchema: ADAGRAD_OPTIONS,
  create(options: AdagradOptions) {
    return new Adagrad(options);
  },
};

export const adamContribution: OptimizerContribution = {
  type: 'adam',
  description: 'Adam with elementwise gradient clipping; bias correction per entry, so new units start afresh',
  optionsSchema: ADAM_OPTIONS,
  create(options: AdamOptions) {
    return new Adam(options);
  },
};

export default new ContainerModule(({ bind }) => {
  bind(OptimizerContribution).toConstantValue(adagradContribution);
  bind(OptimizerContribution).toConstantValue(adamContribution);
});
