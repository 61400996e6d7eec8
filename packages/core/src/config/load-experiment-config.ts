import { resolve } from 'node:path';
import type { Container } from 'inversify';
import { loadPluginPackages, PluginLoadError, type PluginLocations } from '../plugins/plugin-loader.js';
import type { PreparedTaskData } from './arm-data.js';
import { ConfigError } from './config-error.js';
import { ConfigLoader } from './config-loader.js';
import { type ConfigSetting, ConfigSource } from './config-source.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { DataFileHashes } from './data-file-reader.js';

/** A loaded config, where each of its plugin packages was found, and a sha256 of each data file its tasks read. */
export interface LoadedExperiment {
  readonly config: ExperimentConfig;
  readonly plugins: PluginLocations;
  /** What the tasks read and checked as the config loaded (their data files), for every seed's job. */
  readonly taskData: PreparedTaskData;
  /** Each data file the tasks read as the config loaded → sha256 of the bytes they read. */
  readonly dataFiles: DataFileHashes;
}

/**
 * File → plugins it names loaded into `container` (from `recorded` where a run folder says an
 * earlier session found them, else resolved from the file's folder) → validated, frozen config,
 * each arm's task created once and its data read (every problem a seed would meet first).
 * `checkPluginNames` may refuse the names the file gives (by throwing) before any is imported.
 * `settings` (`run --set`) take the place of the file's values, as if written there.
 */
export async function loadExperiment(
  file: string,
  container: Container,
  recorded: PluginLocations = {},
  checkPluginNames: (names: readonly string[]) => void = () => undefined,
  settings: readonly ConfigSetting[] = [],
): Promise<LoadedExperiment> {
  const source = ConfigSource.read(file).withSettings(settings);
  const names = ConfigLoader.pluginNames(source);
  // Given the very names about to be loaded, from the one read of the file: nothing is imported before it agrees.
  checkPluginNames(names);
  let plugins: PluginLocations;
  try {
    plugins = await loadPluginPackages(container, names, resolve(file), recorded);
  } catch (error) {
    if (!(error instanceof PluginLoadError)) throw error;
    throw new ConfigError([source.problem(['plugins', error.index], `expected ${error.expected}, found "${error.packageName}", which ${error.reason}`)]);
  }
  const { config, taskData, dataFiles } = container.get(ConfigLoader).resolveWithData(source);
  return { config, plugins, taskData, dataFiles };
}

/** File → plugins it names loaded into `container` → validated, frozen config. */
export async function loadExperimentConfig(file: string, container: Container): Promise<ExperimentConfig> {
  return (await loadExperiment(file, container)).config;
}
