import { Container } from 'inversify';
import { ConfigError, type ConfigProblem } from '../config/config-error.js';
import { ConfigLoader } from '../config/config-loader.js';
import { ConfigSource } from '../config/config-source.js';
import { ConfigDefaults, type ExperimentConfig } from '../config/experiment-config.js';
import { coreModule } from '../plugins/core-module.js';
import { testPluginsModule } from './test-plugins.js';

export function testContainer(): Container {
  const container = new Container();
  container.load(coreModule, testPluginsModule);
  container.bind(ConfigDefaults).toConstantValue({
    model: { type: 'test-model' },
    policy: { type: 'test-threshold' },
    optimizer: { type: 'test-sgd' },
  });
  return container;
}

let sharedLoader: ConfigLoader | undefined;

/** Resolves a config text with one shared loader (its compiled schemas are reused across tests). */
export function resolveText(text: string): ExperimentConfig {
  sharedLoader ??= testContainer().get(ConfigLoader);
  return sharedLoader.resolve(ConfigSource.parse(text, 'exp.yaml'));
}

/** The problems a config text has; fails if it has none or throws anything but a ConfigError. */
export function problemsOf(load: () => unknown): readonly ConfigProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

export function problemsOfText(text: string): readonly ConfigProblem[] {
  return problemsOf(() => resolveText(text));
}
