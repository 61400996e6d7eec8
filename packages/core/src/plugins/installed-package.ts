import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';

/** An npm package name: `name` or `@scope/name`, each part starting with a letter or digit (so never `.`, `..` or a path). */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
/** npm's limit. */
const MAX_NAME_LENGTH = 214;

/** What a plugin must be named by, as the end of a message: 'expected ' + this. */
export const EXPECTED_PACKAGE_NAME = 'an npm package name (my-plugin or @scope/my-plugin)';

/** Why `name` is no npm package name (a file path, say), or undefined when it is one. */
export function packageNameProblem(name: string): string | undefined {
  if (PACKAGE_NAME.test(name) && name.length <= MAX_NAME_LENGTH) return undefined;
  const path = isAbsolute(name) || /^[.~]|[\\]|^[a-z]:/i.test(name) || name.replace(/^@[^/]*\//, '').includes('/');
  return path
    ? 'is a file path: plugins are loaded only by package name, from the packages installed where the config is (or diffstruct is)'
    : `is not an npm package name (letters, digits, '.', '_', '~', '-', at most ${MAX_NAME_LENGTH} characters; a scope as @scope/)`;
}

/** Where an installed package was found: its folder and the entry file Node resolves its name to. */
export interface InstalledPackage {
  readonly folder: string;
  readonly entry: string;
}

/**
 * The package `name` as Node resolves it from a file in `from` (a folder): the package that
 * folder sits in when that package has this name and `exports` (a package may import itself),
 * else `<dir>/node_modules/<name>` in the nearest folder above that has one. Returns undefined
 * when neither exists, and `refused` when what Node would load is not that package: a file
 * beside it (`node_modules/<name>.js`), a folder whose package.json names another package or
 * none, an entry outside the package folder, or a global folder such as NODE_PATH.
 */
export function findInstalledPackage(name: string, from: string): InstalledPackage | { readonly refused: string } | undefined {
  const folder = ownPackage(name, from) ?? nodeModulesFolders(name, from).find((candidate) => existsSync(candidate));
  if (folder === undefined) return undefined;
  const manifestName = readManifest(join(folder, 'package.json'))?.name;
  if (manifestName !== name) {
    const found = manifestName === undefined ? 'no package.json with a name' : `the package.json of "${String(manifestName)}"`;
    return { refused: `resolves to ${folder}, which holds ${found}, not an installed package "${name}"` };
  }
  let entry: string;
  try {
    entry = realpathSync(createRequire(join(from, 'noop.js')).resolve(name));
  } catch (error) {
    return { refused: `is installed at ${folder}, but its entry does not resolve (${(error as Error).message.split('\n')[0]})` };
  }
  const inside = relative(realpathSync(folder), entry);
  if (inside.startsWith('..') || isAbsolute(inside)) return { refused: `resolves to ${entry}, outside its package folder ${folder}` };
  return { folder, entry };
}

/** The root of the package `from` sits in, when it is `name` with `exports` (Node's self-reference); Node looks no further than a node_modules folder. */
function ownPackage(name: string, from: string): string | undefined {
  for (let dir = from; basename(dir) !== 'node_modules'; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest) return manifest.name === name && manifest.exports !== undefined ? dir : undefined;
    if (dirname(dir) === dir) return undefined;
  }
  return undefined;
}

/** `<dir>/node_modules/<name>` for `from` and every folder above it, nearest first, as Node searches them. */
function nodeModulesFolders(name: string, from: string): string[] {
  const folders: string[] = [];
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') folders.push(join(dir, 'node_modules', name));
    if (dirname(dir) === dir) return folders;
  }
}

export interface Manifest {
  readonly name?: unknown;
  readonly keywords?: unknown;
  readonly exports?: unknown;
}

export function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
