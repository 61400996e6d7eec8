import type { ServiceIdentifier } from 'inversify';
import { ContributionRegistry } from './contribution-registry.js';
import { type ContributionOf, EXTENSION_POINTS, type ExtensionPoint, type PluginKey } from './extension-points.js';

/** One registry per extension point, by key: `registries.policy.get('threshold')`. */
export type PluginRegistries = { readonly [K in PluginKey]: ContributionRegistry<ContributionOf<K>> };
/** Bound by the core module; resolve it only once every plugin module is loaded. Registered (`Symbol.for`), like every token of core. */
export const PluginRegistries: ServiceIdentifier<PluginRegistries> = Symbol.for('diffstruct.PluginRegistries');

/** The registries of every point in `EXTENSION_POINTS`, each from the contributions `contributionsOf` gives. */
export function createPluginRegistries(contributionsOf: (point: ExtensionPoint) => readonly unknown[]): PluginRegistries {
  const entries = EXTENSION_POINTS.map((point) => [point.key, new ContributionRegistry(point.key, contributionsOf(point) as never[])]);
  return Object.freeze(Object.fromEntries(entries)) as PluginRegistries;
}
