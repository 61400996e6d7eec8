import { Container, type ContainerModule } from 'inversify';
import { ConfigDefaults, coreModule, PluginRegistries, type PluginRef } from '@diffstruct/core';
import thresholdPolicyModule from '@diffstruct/policy-threshold';

/** Plugins every config gets without naming them. */
export const BUILTIN_MODULES: readonly ContainerModule[] = [thresholdPolicyModule];

/** The paper's choices, used where a config names none (and the plugin is installed). */
const PREFERRED_DEFAULTS: Readonly<Record<'model' | 'policy' | 'optimizer', PluginRef>> = {
  model: { type: 'char-rnn' },
  policy: { type: 'threshold' },
  optimizer: { type: 'adagrad' },
};

export function createContainer(): Container {
  const container = new Container();
  container.load(coreModule, ...BUILTIN_MODULES);
  container.bind(ConfigDefaults).toDynamicValue((context) => {
    const registries = context.get(PluginRegistries);
    const entries = Object.entries(PREFERRED_DEFAULTS).filter(([key, ref]) => registries.at(key as keyof typeof PREFERRED_DEFAULTS).has(ref.type));
    return Object.fromEntries(entries);
  });
  return container;
}
