import { Container, type ContainerModule } from 'inversify';
import type { PluginRef } from '@diffstruct/core';
import { ConfigDefaults, coreModule, loadPluginPackages, type PluginLocations, PluginRegistries } from '@diffstruct/core/host';
import areasModule from '@diffstruct/areas';
import feedforwardModule from '@diffstruct/feedforward';
import gruModule from '@diffstruct/gru';
import optimizersModule from '@diffstruct/optimizers';
import agePolicyModule from '@diffstruct/policy-age';
import inheritPolicyModule from '@diffstruct/policy-inherit';
import thresholdPolicyModule from '@diffstruct/policy-threshold';
import recurrentModule from '@diffstruct/recurrent';
import tasksModule from '@diffstruct/tasks';

/** Plugins every config gets without naming them. */
export const BUILTIN_MODULES: readonly ContainerModule[] = [
  tasksModule,
  recurrentModule,
  gruModule,
  areasModule,
  feedforwardModule,
  thresholdPolicyModule,
  agePolicyModule,
  inheritPolicyModule,
  optimizersModule,
];

/** The paper's choices, used where a config names none. */
const PREFERRED_DEFAULTS: Readonly<Record<'model' | 'policy' | 'optimizer', PluginRef>> = {
  model: { type: 'char-rnn' },
  policy: { type: 'threshold' },
  optimizer: { type: 'adagrad' },
};

/** Core, the built-in plugins and the config defaults; load named plugins before resolving anything. */
export function createContainer(): Container {
  const container = new Container();
  container.load(coreModule, ...BUILTIN_MODULES);
  container.bind(ConfigDefaults).toDynamicValue((context) => {
    const registries = context.get(PluginRegistries);
    const entries = Object.entries(PREFERRED_DEFAULTS).filter(([key, ref]) => registries[key as keyof typeof PREFERRED_DEFAULTS].has(ref.type));
    return Object.fromEntries(entries);
  });
  return container;
}

/**
 * A container with the built-ins and the given plugin packages loaded (as a worker needs it):
 * resolved by name from the folder `locations` records for each, else from `resolveFrom`'s folder.
 */
export async function createContainerWith(plugins: readonly string[], resolveFrom: string, locations: PluginLocations = {}): Promise<Container> {
  const container = createContainer();
  await loadPluginPackages(container, plugins, resolveFrom, locations);
  return container;
}
