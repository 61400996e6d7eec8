import { DiffstructError } from '../errors.js';

/** One thing wrong in a config file, at a place in it. */
export interface ConfigProblem {
  readonly file: string;
  /** 1-based; 0 when the problem has no position (e.g. a missing file). */
  readonly line: number;
  readonly col: number;
  /** Dotted path of the key in the config, e.g. 'policy.threshold' or 'arms[1].model.hidden'. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** A config that cannot be used; the message lists every problem, one a line, in file order. */
export class ConfigError extends DiffstructError {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
    super(sorted.map(formatProblem).join('\n'));
    this.problems = sorted;
  }
}

/** `path` as written in messages: keys joined with dots, list indices in brackets. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${part}` : part;
  }
  return text;
}

/** How a value found in a config is shown in messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 37) + '...' : value}" (a string)`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf (or a number too large)' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return `${value} (a boolean)`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
