import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { FileReadError, readFileCapped } from '../read-capped.js';
import { ConfigError, describeValue, formatPath, type ConfigProblem } from './config-error.js';
import { applySettings, type ConfigPath, type ConfigSetting, depthIn, type MadeSetting } from './config-settings.js';
import { FORBIDDEN_KEYS, hasCycle } from './yaml-guards.js';

export type { ConfigPath, ConfigSetting } from './config-settings.js';

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
   * do the file's. A problem at what a setting made or below it names the setting, not a line.
   */
  withSettings(settings: readonly ConfigSetting[]): ConfigSource {
    if (!settings.length) return this;
    const doc = this.doc.clone() as Document.Parsed;
    const made = applySettings(doc, settings);
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
