import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import type { Container, ContainerModule } from 'inversify';
import { DiffstructError } from '../errors.js';

/** Why a named plugin package could not be loaded; `index` is its place in the `plugins` list. */
export class PluginLoadError extends DiffstructError {
  constructor(
    readonly index: number,
    readonly packageName: string,
    readonly reason: string,
  ) {
    super(`plugin "${packageName}": ${reason}`);
  }
}

/**
 * Imports each named package and loads its default-exported `ContainerModule` into `container`.
 * Names resolve from `resolveFrom` (a file or folder path), then from diffstruct's own install.
 * Only names the user wrote are ever imported.
 */
export async function loadPluginPackages(container: Container, names: readonly string[], resolveFrom: string): Promise<void> {
  const loaded = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (loaded.has(name)) continue;
    loaded.add(name);
    const url = resolvePackage(name, resolveFrom);
    if (!url) {
      const installed = installedPluginPackages(resolveFrom);
      const list = installed.length ? `installed plugin packages: ${installed.join(', ')}` : 'no plugin package is installed';
      throw new PluginLoadError(index, name, `is not an installed package (npm install it, or check the name); ${list}`);
    }
    let exported: unknown;
    try {
      exported = (await import(url)).default;
    } catch (error) {
      throw new PluginLoadError(index, name, `failed to load: ${(error as Error).message}`);
    }
    if (!isContainerModule(exported)) {
      throw new PluginLoadError(index, name, 'does not default-export an inversify ContainerModule');
    }
    container.load(exported);
  }
}

function resolvePackage(name: string, resolveFrom: string): string | undefined {
  for (const base of [resolveFrom, import.meta.url]) {
    try {
      const require = createRequire(base.startsWith('file:') ? base : pathToFileURL(base).href);
      return pathToFileURL(require.resolve(name)).href;
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

/** Keyword in package.json that marks a diffstruct plugin package. */
export const PLUGIN_KEYWORD = 'diffstruct-plugin';

/** Plugin packages (keyword `diffstruct-plugin`) in every node_modules above `from` and above diffstruct's own install. */
export function installedPluginPackages(from: string): string[] {
  const found = new Set<string>();
  for (const start of [from.startsWith('file:') ? fileURLToPath(from) : from, fileURLToPath(import.meta.url)]) {
    for (let dir = dirname(start); ; dir = dirname(dir)) {
      for (const pkg of packagesIn(join(dir, 'node_modules'))) if (isPlugin(pkg.file)) found.add(pkg.name);
      if (dirname(dir) === dir) break;
    }
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

function isPlugin(packageJson: string): boolean {
  try {
    const keywords = (JSON.parse(readFileSync(packageJson, 'utf8')) as { keywords?: unknown }).keywords;
    return Array.isArray(keywords) && keywords.includes(PLUGIN_KEYWORD);
  } catch {
    return false;
  }
}
