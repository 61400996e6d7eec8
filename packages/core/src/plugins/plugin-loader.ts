import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Container, ContainerModule, type ContainerModuleLoadOptions, type ServiceIdentifier } from 'inversify';
import { DiffstructError } from '../errors.js';
import { EXTENSION_POINTS, type ExtensionPoint } from './extension-points.js';
import { EXPECTED_PACKAGE_NAME, findInstalledPackage, type Manifest, packageNameProblem, readManifest } from './installed-package.js';

/** Why a named plugin package could not be loaded; `index` is its place in the `plugins` list. */
export class PluginLoadError extends DiffstructError {
  constructor(
    readonly index: number,
    readonly packageName: string,
    readonly reason: string,
    /** What the package should have been, for a config error: a package name, an installed plugin package, a plugin package. */
    readonly expected = 'a plugin package',
  ) {
    super(`plugin "${packageName}": ${reason}`);
  }
}

/**
 * Where each loaded plugin package was found: package name → the folder its name was resolved
 * from (a run folder's plugins.json). Never a file to import: the name is resolved again from
 * there, under the same rules.
 */
export type PluginLocations = Readonly<Record<string, string>>;

/** What every error about a package that loads but is no plugin says a plugin is. */
const WHAT_A_PLUGIN_EXPORTS =
  'a plugin package must default-export an inversify ContainerModule that binds at least one contribution to a token of @diffstruct/core ' +
  `(${EXTENSION_POINTS.map((p) => p.token.description?.replace('diffstruct.', '')).join(', ')}), ` +
  'e.g. export default new ContainerModule(({ bind }) => { bind(PolicyContribution).toConstantValue(myPolicy); })';

/** Where diffstruct itself is installed: names resolve from here when the config's folder has no such package. */
const INSTALL_FOLDER = dirname(fileURLToPath(import.meta.url));

/**
 * Imports each named package and loads its default-exported `ContainerModule` into `container`.
 * Only npm package names are accepted, never file paths; each resolves as Node resolves a
 * package (see `findInstalledPackage`) from the folder `recorded` names for it (where an earlier
 * session found it), else from the folder of `resolveFrom` (the config file's path or URL), else from
 * diffstruct's own install. Only names the user wrote are ever imported. Returns the folder each
 * package was found from.
 */
export async function loadPluginPackages(
  container: Container,
  names: readonly string[],
  resolveFrom: string,
  recorded: PluginLocations = {},
): Promise<PluginLocations> {
  const locations: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    if (Object.hasOwn(locations, name)) continue;
    const { entry, from } = locatePackage(index, name, dirname(resolveFrom.startsWith('file:') ? fileURLToPath(resolveFrom) : resolveFrom), recorded);
    let exported: unknown;
    try {
      exported = (await import(pathToFileURL(entry).href)).default;
    } catch (error) {
      throw new PluginLoadError(index, name, `failed to load (${entry}): ${(error as Error).message}`);
    }
    loadContributions(container, index, name, exported);
    locations[name] = from;
  }
  return locations;
}

function locatePackage(index: number, name: string, configFolder: string, recorded: PluginLocations): { entry: string; from: string } {
  const nameProblem = packageNameProblem(name);
  if (nameProblem) throw new PluginLoadError(index, name, nameProblem, EXPECTED_PACKAGE_NAME);
  const before = Object.hasOwn(recorded, name) ? startFolder(recorded[name]) : undefined;
  for (const from of new Set([...(before === undefined ? [] : [before]), configFolder, INSTALL_FOLDER])) {
    const found = findInstalledPackage(name, from);
    if (found && 'refused' in found) throw new PluginLoadError(index, name, `${found.refused}, as resolved from ${from}`, 'an installed plugin package');
    if (found) return { entry: found.entry, from };
  }
  const gone = before === undefined ? '' : `was found from ${before} before, where it no longer resolves, and `;
  throw new PluginLoadError(
    index,
    name,
    `${gone}is not an installed package (npm install it, or check the name); ${pluginPackagesNote(configFolder)}`,
    'an installed plugin package',
  );
}

/** A recorded folder; plugins.json files written before it recorded folders name the entry file, whose folder serves. */
function startFolder(recorded: string): string {
  return existsSync(recorded) && !statSync(recorded).isDirectory() ? dirname(recorded) : recorded;
}

/** Duck-typed, so a plugin built against another copy of inversify still loads. */
function isContainerModule(value: unknown): value is ContainerModule {
  const candidate = value as Partial<ContainerModule> | null | undefined;
  return typeof candidate?.load === 'function' && typeof candidate.id === 'number';
}

const POINT_OF_TOKEN: ReadonlyMap<ServiceIdentifier, ExtensionPoint> = new Map(EXTENSION_POINTS.map((p) => [p.token, p]));

/**
 * Loads the plugin's module through one of this copy of inversify, watching what it binds: a
 * package whose module binds no contribution token (say, one built against a copy of core whose
 * tokens were not registered symbols) would otherwise load silently and add no type at all, and
 * a contribution bound as a constant that lacks a field the config loader relies on would fail
 * later, with no package named.
 */
function loadContributions(container: Container, index: number, name: string, exported: unknown): void {
  if (!isContainerModule(exported)) throw new PluginLoadError(index, name, `does not default-export an inversify ContainerModule; ${WHAT_A_PLUGIN_EXPORTS}`);
  const bound: ServiceIdentifier[] = [];
  const lacking: string[] = [];
  const watched = new ContainerModule((options: ContainerModuleLoadOptions) =>
    exported.load({
      ...options,
      bind: (id) => {
        bound.push(id);
        const binding = options.bind(id);
        const point = POINT_OF_TOKEN.get(id);
        if (!point?.lacks) return binding;
        const { lacks } = point;
        return watchConstant(binding, (value) => {
          const problem = lacks((value ?? {}) as Readonly<Record<string, unknown>>);
          if (problem) lacking.push(problem);
        });
      },
    }),
  );
  container.load(watched);
  if (lacking.length) throw new PluginLoadError(index, name, lacking.join('; '));
  if (bound.some((id) => POINT_OF_TOKEN.has(id))) return;
  const what = bound.length ? `binds only ${bound.map((id) => String(id)).join(', ')}, no contribution token of this @diffstruct/core` : 'binds nothing';
  throw new PluginLoadError(index, name, `contributes nothing: its ContainerModule ${what}; ${WHAT_A_PLUGIN_EXPORTS}`);
}

/** `binding` with its `toConstantValue` reporting the value to `seen` first. */
function watchConstant<B extends object>(binding: B, seen: (value: unknown) => void): B {
  return new Proxy(binding, {
    get(target, key) {
      const member = Reflect.get(target, key) as unknown;
      if (typeof member !== 'function') return member;
      if (key !== 'toConstantValue') return member.bind(target);
      return (value: unknown) => {
        seen(value);
        return member.call(target, value);
      };
    },
  });
}

/** Keyword in package.json that marks a diffstruct plugin package. */
export const PLUGIN_KEYWORD = 'diffstruct-plugin';

/** Names the plugin packages a config could use instead: those resolvable from its folder, then those of diffstruct's install. */
function pluginPackagesNote(configFolder: string): string {
  const fromConfig = pluginPackagesResolvableFrom(join(configFolder, 'noop.js'));
  const fromInstall = pluginPackagesResolvableFrom(fileURLToPath(import.meta.url)).filter((name) => !fromConfig.includes(name));
  const parts = [];
  if (fromConfig.length) parts.push(`plugin packages resolvable from ${configFolder}: ${fromConfig.join(', ')}`);
  if (fromInstall.length) parts.push(`plugin packages of diffstruct's install: ${fromInstall.join(', ')}`);
  return parts.length ? parts.join('; ') : 'no plugin package is installed';
}

/**
 * Plugin packages (keyword `diffstruct-plugin`) a file at `from` can import by name: those in
 * every node_modules above it, and the package it sits in when that package has `exports` (a
 * package can import itself by name, so a plugin's own configs name it).
 */
export function pluginPackagesResolvableFrom(from: string): string[] {
  const found = new Set<string>();
  let own: string | undefined;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (own === undefined && existsSync(manifest)) {
      own = manifest;
      const self = readManifest(manifest);
      if (self && isPlugin(self) && self.exports !== undefined && typeof self.name === 'string') found.add(self.name);
    }
    for (const pkg of packagesIn(join(dir, 'node_modules'))) {
      const manifestOf = readManifest(pkg.file);
      if (manifestOf && isPlugin(manifestOf)) found.add(pkg.name);
    }
    if (dirname(dir) === dir) break;
  }
  return [...found].sort();
}

function packagesIn(folder: string): { name: string; file: string }[] {
  if (!existsSync(folder)) return [];
  const entries: { name: string; file: string }[] = [];
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith('@')) {
      for (const inner of readdirSync(join(folder, entry))) entries.push({ name: `${entry}/${inner}`, file: join(folder, entry, inner, 'package.json') });
    } else if (!entry.startsWith('.')) entries.push({ name: entry, file: join(folder, entry, 'package.json') });
  }
  return entries;
}

function isPlugin(manifest: Manifest): boolean {
  return Array.isArray(manifest.keywords) && manifest.keywords.includes(PLUGIN_KEYWORD);
}
