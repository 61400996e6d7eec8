import type { ConfigPath } from './config-source.js';

/** A YAML mapping as plain data. */
export type Plain = Record<string, unknown>;

export function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `visit(holder, key, at)` for every place `path` reaches in `value` ('*': each list item);
 * `at` is that place's path from `value`, list indices included.
 */
export function forEachAt(
  value: unknown,
  path: readonly string[],
  visit: (holder: Record<string | number, unknown>, key: string | number, at: (string | number)[]) => void,
  at: (string | number)[] = [],
): void {
  if (!path.length || value === null || typeof value !== 'object') return;
  const [head, ...rest] = path;
  const holder = value as Record<string | number, unknown>;
  const keys: (string | number)[] = head === '*' ? (Array.isArray(value) ? value.map((_, i) => i) : []) : [head];
  for (const key of keys) {
    if (!(key in holder)) continue;
    if (rest.length) forEachAt(holder[key], rest, visit, [...at, key]);
    else visit(holder, key, [...at, key]);
  }
}

/** The value at `path` in plain data, or undefined where the path leaves it. */
export function valueAt(data: unknown, path: ConfigPath): unknown {
  let here = data;
  for (const part of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[part];
  }
  return here;
}

/** Sets the value at `path`, making mappings on the way; a plugin named by a string becomes `{ type: name }` there, as configs mean it. */
export function setAt(target: Plain, path: readonly string[], value: unknown): void {
  let holder = target;
  for (const segment of path.slice(0, -1)) {
    const next = holder[segment];
    if (typeof next === 'string') holder[segment] = { type: next };
    else if (next === null || typeof next !== 'object') holder[segment] = {};
    holder = holder[segment] as Plain;
  }
  holder[path[path.length - 1]] = value;
}
