import { ContainerModule } from 'inversify';
import { ModelContribution } from '@diffstruct/core';
import { gruContribution } from './gru-contribution.js';

export * from './gru-contribution.js';
export * from './gru-kernel.js';
export * from './gru-kernels.js';
export * from './gru-model.js';
export * from './gru-options.js';

export default new ContainerModule(({ bind }) => {
  bind(ModelContribution).toConstantValue(gruContribution);
});
