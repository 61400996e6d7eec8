import { ContainerModule } from 'inversify';
import { ConfigLoader } from '../config/config-loader.js';
import { createPluginRegistries, PluginRegistries } from './plugin-registries.js';

/** Binds the registries (every extension point's bound contributions) and the config loader. */
export const coreModule = new ContainerModule(({ bind }) => {
  bind(PluginRegistries)
    .toDynamicValue((context) => createPluginRegistries((point) => context.getAll(point.token, { optional: true })))
    .inSingletonScope();
  bind(ConfigLoader).toSelf().inSingletonScope();
});
