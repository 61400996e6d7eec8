// Values given outside a config file (`run --set model.kernel=simd-f32`), put into its parsed
// YAML document as if written there (ConfigSource.withSettings).
import { isScalar, isSeq, Pair, Scalar, visit, YAMLMap, type Document, type Node } from 'yaml';
import { SLOT_KEYS } from '../plugins/extension-points.js';
import { ConfigError, describeValue, formatPath } from './config-error.js';
import { FORBIDDEN_KEYS, forbiddenKeyIn, hasCycle } from './yaml-guards.js';

export type ConfigPath = readonly (string | number)[];

/** A value given from outside the file (`run --set model.kernel=simd-f32`), as if written there at `path`. */
export interface ConfigSetting {
  readonly path: ConfigPath;
  readonly value: unknown;
  /** How it was given (`--set model.kernel=simd-f32`): its problems name it in place of a line of the file. */
  readonly written: string;
}

/** A setting as made: `created` is the shortest path it made or replaced (a problem there or below is the setting's). */
export interface MadeSetting extends ConfigSetting {
  readonly created: ConfigPath;
}

/**
 * Puts each setting into `doc` in order, every alias made a copy of its node first (so a setting
 * changes the one place it names, never a node other places share). Throws a ConfigError naming
 * the setting when it cannot be made.
 */
export function applySettings(doc: Document, settings: readonly ConfigSetting[]): MadeSetting[] {
  unalias(doc);
  return settings.map((setting) => {
    // `model: char-rnn` on the way to `model.kernel` is `model: { type: char-rnn }`, as the loader reads it.
    expandSlotNames(doc, setting.path);
    const problem = settingProblem(doc, setting);
    if (problem) throw new ConfigError([{ file: setting.written, line: 0, col: 0, path: formatPath(setting.path), message: problem }]);
    const present = depthIn(doc, setting.path);
    doc.setIn(setting.path, doc.createNode(setting.value));
    return { ...setting, created: setting.path.slice(0, present + 1) };
  });
}

/** How many leading parts of `path` exist in `doc`. */
export function depthIn(doc: Document, path: ConfigPath): number {
  for (let depth = path.length; depth > 0; depth--) {
    if (doc.hasIn(path.slice(0, depth))) return depth;
  }
  return 0;
}

/** Replaces every alias with a copy of the node it names (ranges kept: a problem in a copy points where the node was written). */
function unalias(doc: Document): void {
  visit(doc, {
    Alias(_, alias) {
      const copy = alias.resolve(doc)?.clone() as Node | undefined;
      if (copy) copy.anchor = undefined;
      return copy;
    },
  });
}

/**
 * Writes a plugin named by its type alone at a slot (`model: char-rnn`, `policies: { blocks: age }`)
 * on the way to `path` as `{ type: … }`, the name's node kept, so a problem with it keeps its line.
 */
function expandSlotNames(doc: Document, path: ConfigPath): void {
  for (let depth = 1; depth < path.length; depth++) {
    const at = path.slice(0, depth);
    const key = at[depth - 1];
    const slot = SLOT_KEYS.some((k) => k === key) || at[depth - 2] === 'policies';
    const node = doc.getIn(at, true);
    if (!slot || !isScalar(node) || typeof node.value !== 'string') continue;
    const plugin = new YAMLMap();
    plugin.range = node.range;
    plugin.add(new Pair(new Scalar('type'), node));
    doc.setIn(at, plugin);
  }
}

/** Why a setting cannot be made: a cycle or a key never allowed, a scalar on its way (`seeds: 20`), or a list item the file does not have. */
function settingProblem(doc: Document, { path, value }: ConfigSetting): string | undefined {
  if (hasCycle(value, [])) return 'refused: a YAML alias inside the node it refers to (a cycle)';
  const forbidden = path.find((part) => FORBIDDEN_KEYS.has(String(part))) ?? forbiddenKeyIn(value);
  if (forbidden !== undefined) return `expected a config key, found "${forbidden}", which is never allowed`;
  for (let depth = 1; depth < path.length; depth++) {
    const at = path.slice(0, depth);
    const node = doc.getIn(at, true);
    if (isScalar(node)) return `${formatPath(at)} is ${describeValue(node.value)} here, not a mapping whose keys could be set`;
  }
  for (let depth = 0; depth < path.length; depth++) {
    const part = path[depth];
    const list = doc.getIn(path.slice(0, depth), true);
    if (typeof part === 'number' && !isSeq(list)) return `${formatPath(path.slice(0, depth))} is not a list in the file, so it has no item ${part}`;
    if (isSeq(list) && (typeof part !== 'number' || part >= list.items.length)) {
      return `expected an index below ${list.items.length} after ${formatPath(path.slice(0, depth))}, a list of ${list.items.length}, found "${part}"`;
    }
  }
  return undefined;
}
