import { ConfigLoader, ConfigSource, type ExperimentConfig } from '@diffstruct/core/host';
import { createContainer } from './container.js';

export function config(text: string): ExperimentConfig {
  return createContainer().get(ConfigLoader).resolve(ConfigSource.parse(text, 'test.yaml'));
}
