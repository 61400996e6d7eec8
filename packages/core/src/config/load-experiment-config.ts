import { resolve } from 'node:path';
import type { Container } from 'inversify';
import { loadPluginPackages, PluginLoadError } from '../plugins/plugin-loader.js';
import { ConfigError } from './config-error.js';
import { ConfigLoader } from './config-loader.js';
import { ConfigSource } from './config-source.js';
import type { ExperimentConfig } from './experiment-config.js';

/** File → plugins it names loaded into `container` → validated, frozen config. */
export async function loadExperimentConfig(file: string, container: Container): Promise<ExperimentConfig> {
  const source = ConfigSource.read(file);
  const names = ConfigLoader.pluginNames(source);
  try {
    await loadPluginPackages(container, names, resolve(file));
  } catch (error) {
    if (!(error instanceof PluginLoadError)) throw error;
    throw new ConfigError([
      source.problem(['plugins', error.index], `expected an installed plugin package, found "${error.packageName}", which ${error.reason}`),
    ]);
  }
  return container.get(ConfigLoader).resolve(source);
}
