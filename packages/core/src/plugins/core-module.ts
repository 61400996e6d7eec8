import { ContainerModule } from 'inversify';
import {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
  UnitInitContribution,
} from './contribution.js';
import { ConfigLoader } from '../config/config-loader.js';
import { PluginRegistries } from './plugin-registries.js';

/** Binds the registries; resolve them only after every plugin module is loaded. */
export const coreModule = new ContainerModule(({ bind }) => {
  bind(PluginRegistries)
    .toDynamicValue(
      (context) =>
        new PluginRegistries({
          task: context.getAll(TaskContribution, { optional: true }),
          model: context.getAll(ModelContribution, { optional: true }),
          policy: context.getAll(PolicyContribution, { optional: true }),
          optimizer: context.getAll(OptimizerContribution, { optional: true }),
          unitInit: context.getAll(UnitInitContribution, { optional: true }),
        }),
    )
    .inSingletonScope();
  bind(ConfigLoader).toSelf().inSingletonScope();
});
