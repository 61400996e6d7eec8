import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Container, ContainerModule, type ContainerModuleLoadOptions, type ServiceIdentifier } from 'inversify';
import { DiffstructError } from '../errors.js';
import { EXTENSION_POINTS, type ExtensionPoint } from './extension-points.js';

/** Why a named plugin package could not be loaded; `index` is its place in the `plugins` list. */
export class PluginLoadError extends DiffstructError {
  constructor(
    readonly index: number,
    readonly packageName: string,
    readonly reason: string,
    /** What the package should have been, for a config error: 'an installed plugin package' or 'a plugin package'. */
    readonly expected = 'a plugin package',
  ) {
    super(`plugin "${packageName}": ${reason}`);
  }
}

/** Where each loaded plugin package's entry file is: package name → absolute file path (a run folder's plugins.json). */
export type PluginLocations = Readonly<Record<string, string>>;

/** What every error about a package that loads but is no plugin says a plugin is. */
const WHAT_A_PLUGIN_EXPORTS =
  'a plugin package must default-export an inversify ContainerModule that binds at least one contribution to a token of @diffstruct/core ' +
  `(${EXTENSION_POINTS.map((p) => p.token.description?.replace('diffstruct.', '')).join(', ')}), ` +
  'e.g. export default new ContainerModule(({ bind }) => { bind(PolicyContribution).toConstantValue(myPolicy); })';

/**
 * Imports each named package and loads its default-exported `ContainerModule` into `container`.
 * A name found in `recorded` (where an earlier session loaded it) is imported from there while
 * that file exists; other names resolve from `resolveFrom` (a file or folder path), then from
 * diffstruct's own install. Only names the user wrote are ever imported. Returns where each
 * package was loaded from.
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
    const entry = locatePackage(index, name, resolveFrom, recorded);
    let exported: unknown;
    try {
      exported = (await import(pathToFileURL(entry).href)).default;
    } catch (error) {
      throw new PluginLoadError(index, name, `failed to load (${entry}): ${(error as Error).message}`);
    }
    loadContributions(container, index, name, exported);
    locations[name] = entry;
  }
  return locations;
}

function locatePackage(index: number, name: string, resolveFrom: string, recorded: PluginLocations): string {
  const before = Object.hasOwn(recorded, name) ? recorded[name] : undefined;
  if (before !== undefined && existsSync(before)) return before;
  const entry = resolvePackage(name, resolveFrom);
  if (entry) return entry;
  const gone = before === undefined ? '' : `was loaded from ${before} before, which no longer exists, and `;
  throw new PluginLoadError(
    index,
    name,
    `${gone}is not an installed package (npm install it, or check the name); ${pluginPackagesNote(resolveFrom)}`,
    'an installed plugin package',
  );
}

function resolvePackage(name: string, resolveFrom: string): string | undefined {
  for (const base of [resolveFrom, import.meta.url]) {
    try {
      return createRequire(base.startsWith('file:') ? base : pathToFileURL(base).href).resolve(name);
    } catch {
      // not resolvable from here: try the next base
    }
  }
  return undefined;
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
function pluginPackagesNote(resolveFrom: string): string {
  const start = resolveFrom.startsWith('file:') ? fileURLToPath(resolveFrom) : resolveFrom;
  const fromConfig = pluginPackagesResolvableFrom(start);
  const fromInstall = pluginPackagesResolvableFrom(fileURLToPath(import.meta.url)).filter((name) => !fromConfig.includes(name));
  const parts = [];
  if (fromConfig.length) parts.push(`plugin packages resolvable from ${dirname(start)}: ${fromConfig.join(', ')}`);
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

interface Manifest {
  readonly name?: unknown;
  readonly keywords?: unknown;
  readonly exports?: unknown;
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function isPlugin(manifest: Manifest): boolean {
  return Array.isArray(manifest.keywords) && manifest.keywords.includes(PLUGIN_KEYWORD);
}
