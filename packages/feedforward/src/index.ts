import { ContainerModule } from 'inversify';
import { ModelContribution } from '@diffstruct/core';
import { feedforwardContribution, residualContribution } from './contributions.js';

export * from './block-stack.js';
export * from './contributions.js';
export * from './feedforward-model.js';
export * from './model-options.js';
export * from './neuron-layer.js';
export * from './residual-block.js';
export * from './residual-model.js';

export default new ContainerModule(({ bind }) => {
  bind(ModelContribution).toConstantValue(feedforwardContribution);
  bind(ModelContribution).toConstantValue(residualContribution);
});
