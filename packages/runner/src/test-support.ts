import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigLoader, ConfigSource, type ExperimentConfig, loadExperiment } from '@diffstruct/core/host';
import { createContainer } from './container.js';
import { runExperiment } from './experiment-runner.js';

export function config(text: string): ExperimentConfig {
  return createContainer().get(ConfigLoader).resolve(ConfigSource.parse(text, 'test.yaml'));
}

/** Writes `yaml` as `<dir>/<name>.yaml` and runs it (one worker) into `<dir>/<name>`, as `diffstruct run` would; returns the run folder. */
export async function tinyRun(dir: string, name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, name);
  const { config, plugins, taskData, dataFiles } = await loadExperiment(file, createContainer());
  await runExperiment(config, { out, workers: 1, resolveFrom: file, plugins, taskData, dataFiles });
  return out;
}
