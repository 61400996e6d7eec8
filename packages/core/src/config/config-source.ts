import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, Pair, parseDocument, Scalar, visit, YAMLMap, type Document, type Node } from 'yaml';
import { FileReadError, readFileCapped } from '../read-capped.js';
import { SLOT_KEYS } from '../plugins/extension-points.js';
import { ConfigError, describeValue, formatPath, type ConfigProblem } from './config-error.js';

export type ConfigPath = readonly (string | number)[];

/** A value given from outside the file (`run --set model.kernel=simd-f32`), as if written there at `path`. */
export interface ConfigSetting {
  readonly path: ConfigPath;
  readonly value: unknown;
  /** How it was given (`--set model.kernel=simd-f32`): its problems name it in place of a line of the file. */
  readonly written: string;
}

/** A setting as made: `created` is the shortest path it made or replaced (a problem there or below is the setting's). */
interface MadeSetting extends ConfigSetting {
  readonly created: ConfigPath;
}

/** Largest config file read; a config is a page of YAML, so anything bigger is a mistake. */
export const MAX_CONFIG_BYTES = 1 << 20;
/** Aliases expanded at most; a "billion laughs" document is refused before it expands. */
const MAX_ALIAS_COUNT = 100;

/** A parsed YAML config: its plain data and where each value stands in the file. */
export class ConfigSource {
  private constructor(
    readonly file: string,
    readonly data: Readonly<Record<string, unknown>>,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly settings: readonly MadeSetting[] = [],
  ) {}

  static read(file: string): ConfigSource {
    return ConfigSource.parse(readText(file), file);
  }

  static parse(text: string, file: string): ConfigSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
    const at = (offset: number, message: string, path = ''): ConfigProblem => ({ file, ...lines.linePos(offset), path, message });
    const problems: ConfigProblem[] = doc.errors.map((e) => at(e.pos[0], `YAML syntax: ${firstLine(e.message)}`));
    problems.push(...keyProblems(doc, at, lines));
    if (problems.length) throw new ConfigError(problems);
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
      throw new ConfigError([{ file, line: 1, col: 1, path: '', message: 'expected a mapping with at least `name` and `task`, found an empty file' }]);
    }
    if (!isMap(doc.contents)) {
      const node = doc.contents;
      const found = isSeq(node) ? 'a list' : isAlias(node) ? 'an alias' : isScalar(node) ? describeValue(node.value) : 'something else';
      throw new ConfigError([at(node.range?.[0] ?? 0, `expected a mapping of config keys at the top level, found ${found}`)]);
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const message = (error as Error).message;
      const bomb = /excessive alias count/i.test(message);
      const reason = bomb ? `refused: YAML aliases expand too much (over ${MAX_ALIAS_COUNT}), as in an alias bomb` : `YAML: ${firstLine(message)}`;
      throw new ConfigError([at(firstAliasOffset(doc), reason)]);
    }
    // An alias inside the node it names (`&a {k: *a}`) makes the data a cycle that nothing could walk.
    if (hasCycle(data, [])) throw new ConfigError([at(firstAliasOffset(doc), 'refused: a YAML alias inside the node it refers to (a cycle)')]);
    return new ConfigSource(file, data as Record<string, unknown>, doc, lines);
  }

  /**
   * This config with each setting's value in place of the file's (a mapping on the way there is
   * made when the file has none), as if written in the file: arms inherit a top-level one as they
   * do the file's. A problem found under a setting's path names the setting, not a line.
   */
  withSettings(settings: readonly ConfigSetting[]): ConfigSource {
    if (!settings.length) return this;
    const doc = this.doc.clone() as Document.Parsed;
    // Each alias becomes a copy of its node, so a setting changes the one place it names, never a node other places share.
    unalias(doc);
    const made: MadeSetting[] = [];
    for (const setting of settings) {
      // `model: char-rnn` on the way to `model.kernel` is `model: { type: char-rnn }`, as the loader reads it.
      expandSlotNames(doc, setting.path);
      const problem = settingProblem(doc, setting);
      if (problem) throw new ConfigError([{ file: setting.written, line: 0, col: 0, path: formatPath(setting.path), message: problem }]);
      const present = depthIn(doc, setting.path);
      doc.setIn(setting.path, doc.createNode(setting.value));
      made.push({ ...setting, created: setting.path.slice(0, present + 1) });
    }
    const data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    return new ConfigSource(this.file, data, doc, this.lines, [...this.settings, ...made]);
  }

  /** Line and column of the value at `path`, or of its nearest ancestor present in the file. */
  position(path: ConfigPath): { line: number; col: number } {
    return this.lines.linePos(this.nodeAt(path).range?.[0] ?? 0);
  }

  /** Line and column of the key `key` in the mapping at `path` (for unknown keys). */
  keyPosition(path: ConfigPath, key: string): { line: number; col: number } {
    if (this.settingOf([...path, key])) return { line: 0, col: 0 };
    const node = this.doc.getIn(path, true);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair && isNode(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]);
    }
    return this.position(path);
  }

  /** How many leading parts of `path` exist in the file. */
  depthPresent(path: ConfigPath): number {
    return depthIn(this.doc, path);
  }

  problem(path: ConfigPath, message: string, shownPath: ConfigPath = path): ConfigProblem {
    const setting = this.settingOf(path);
    if (setting) return { file: setting.written, line: 0, col: 0, path: formatPath(shownPath), message };
    return { file: this.file, ...this.position(path), path: formatPath(shownPath), message };
  }

  /** The last setting that made `path` or a mapping above it (a problem there is the setting's). */
  private settingOf(path: ConfigPath): ConfigSetting | undefined {
    const holds = (s: MadeSetting) => s.created.length <= path.length && s.created.every((part, i) => String(part) === String(path[i]));
    return [...this.settings].reverse().find(holds);
  }

  private nodeAt(path: ConfigPath): Node {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return node;
    }
    return this.doc.contents as Node;
  }
}

/** How many leading parts of `path` exist in `doc`. */
function depthIn(doc: Document, path: ConfigPath): number {
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

/** A key never allowed (FORBIDDEN_KEYS) anywhere in a value given as YAML, if any. */
function forbiddenKeyIn(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = FORBIDDEN_KEYS.has(key) ? key : forbiddenKeyIn(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

function hasCycle(value: unknown, ancestors: unknown[]): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (ancestors.includes(value)) return true;
  ancestors.push(value);
  const cyclic = Object.values(value).some((child) => hasCycle(child, ancestors));
  ancestors.pop();
  return cyclic;
}

function readText(file: string): string {
  const problem = (message: string): ConfigError => new ConfigError([{ file, line: 0, col: 0, path: '', message }]);
  let bytes: Buffer;
  try {
    bytes = readFileCapped(file, MAX_CONFIG_BYTES, 'a config file');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    throw problem(error.reason.startsWith('is a folder') ? 'is a folder; expected a YAML config file' : error.reason);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw problem(`is a binary file (a NUL byte at offset ${nul}); expected YAML text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problem('is not UTF-8 text; expected a YAML file in UTF-8');
  }
}

/** Keys that would set an object's prototype when the YAML becomes plain data. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

function keyProblems(doc: Document.Parsed, at: (offset: number, message: string, path?: string) => ConfigProblem, lines: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  visit(doc, {
    Map(_, map, ancestry) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (isNode(pair.key) && !isScalar(pair.key)) {
          problems.push(
            at(pair.key.range?.[0] ?? 0, 'expected a plain key, found a list, mapping or alias used as a key', formatPath(pathOf([...ancestry, map]))),
          );
          continue;
        }
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push(
            at(pair.key.range[0], `expected a config key, found "${key}", which is never allowed`, formatPath([...pathOf([...ancestry, map]), key])),
          );
          continue;
        }
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, pair.key.range[0]);
          continue;
        }
        const path = [...pathOf([...ancestry, map]), key];
        problems.push(at(pair.key.range[0], `duplicate key "${key}" (first on line ${lines.linePos(first).line}); a key may appear once`, formatPath(path)));
      }
    },
  });
  return problems;
}

/** The config path of a node from its ancestry as `visit` gives it. */
function pathOf(ancestry: readonly unknown[]): (string | number)[] {
  const path: (string | number)[] = [];
  for (let i = 0; i < ancestry.length; i++) {
    const node = ancestry[i];
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    else if (isSeq(node) && i + 1 < ancestry.length) path.push(node.items.indexOf(ancestry[i + 1] as never));
  }
  return path;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
