import { ContainerModule } from 'inversify';
import { ModelContribution } from '@diffstruct/core';
import { areasContribution } from './areas-contribution.js';

export * from './area.js';
export * from './area-graph.js';
export * from './area-network.js';
export * from './area-options.js';
export * from './areas-contribution.js';
export * from './areas-kernel.js';
export * from './areas-model.js';

export default new ContainerModule(({ bind }) => {
  bind(ModelContribution).toConstantValue(areasContribution);
});
