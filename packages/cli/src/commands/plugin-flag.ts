import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Container } from 'inversify';
import { DiffstructError } from '@diffstruct/core';
import { EXPECTED_PACKAGE_NAME, packageNameProblem, PluginLoadError } from '@diffstruct/core/host';
import { createContainerWith } from '@diffstruct/runner';

/** The parser of a repeatable `--plugin <package...>`: each value must be a package name (never a file path), checked before anything is imported. */
export function pluginFlag(value: string, previous: readonly string[] = []): string[] {
  const problem = packageNameProblem(value);
  if (problem) throw new InvalidArgumentError(`--plugin: expected ${EXPECTED_PACKAGE_NAME}, found "${value}", which ${problem}`);
  return [...previous, value];
}

/**
 * The built-ins and the `--plugin` packages: a name resolves from the working directory (the
 * command line is written there, as a config's plugins: list resolves from the config's
 * folder), then from diffstruct's install, under the same rules as a config's.
 */
export async function containerWithPluginFlags(names: readonly string[]): Promise<Container> {
  try {
    return await createContainerWith(names, join(process.cwd(), 'package.json'));
  } catch (error) {
    if (!(error instanceof PluginLoadError)) throw error;
    throw new DiffstructError(`--plugin ${error.packageName}: expected ${error.expected}, found "${error.packageName}", which ${error.reason}`);
  }
}
