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
  /** The arms the problem was found in, when the config has arms or a sweep. */
  readonly arms?: ArmScope;
}

/** Arms of a config that share one problem. */
export interface ArmScope {
  readonly names: readonly string[];
  /** Whether the names are all the config's arms (more than one). */
  readonly every: boolean;
}

/** Arms named in a problem's line at most; a sweep's hundreds would bury the message. */
const MAX_NAMED_ARMS = 5;
/** Problems listed in a ConfigError's message at most; the rest are counted (`problems` holds them all). */
export const MAX_LISTED_PROBLEMS = 50;

export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const text = p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
  return p.arms ? `${text} (in ${describeArms(p.arms)})` : text;
}

function describeArms({ names, every }: ArmScope): string {
  if (every) return 'every arm';
  const named = names.slice(0, MAX_NAMED_ARMS).join(', ');
  const more = names.length - MAX_NAMED_ARMS;
  return `${names.length === 1 ? 'arm' : 'arms'} ${named}${more > 0 ? ` and ${more} more` : ''}`;
}

/** The problems several arms share (one place, one message) as one that names those arms. */
export function scopeToArms(found: readonly { problem: ConfigProblem; arm: string }[], armCount: number): ConfigProblem[] {
  const shared = new Map<string, { problem: ConfigProblem; names: string[] }>();
  for (const { problem, arm } of found) {
    const key = `${problem.line}:${problem.col}:${problem.path}:${problem.message}`;
    const entry = shared.get(key) ?? { problem, names: [] };
    shared.set(key, entry);
    if (!entry.names.includes(arm)) entry.names.push(arm);
  }
  return [...shared.values()].map(({ problem, names }) => ({ ...problem, arms: { names, every: armCount > 1 && names.length === armCount } }));
}

/** A config that cannot be used; the message lists its problems, one a line, in file order. */
export class ConfigError extends DiffstructError {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
    const lines = sorted.slice(0, MAX_LISTED_PROBLEMS).map(formatProblem);
    const unlisted = sorted.length - lines.length;
    if (unlisted > 0) lines.push(`... and ${unlisted} more problem${unlisted === 1 ? '' : 's'} after these`);
    super(lines.join('\n'));
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
