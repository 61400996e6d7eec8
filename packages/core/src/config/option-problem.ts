import type { OptionProblem } from '../plugins/contribution.js';
import { formatPath } from './config-error.js';
import type { ConfigPath } from './config-source.js';
import { valueAt } from './plain-data.js';

/** `{minMultiplier}`, `{hidden[1]}`, `{phases[2].until}`: an option named in an `OptionProblem`'s message. */
const FIELD = /\{([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)\}/g;

/** A problem's message written out for one place in a config, and the options it involves there. */
export interface RenderedOptionProblem {
  readonly message: string;
  /** Full config paths of the options named, in the order the message names them (repeats left out). */
  readonly fields: readonly ConfigPath[];
}

/**
 * `'{minMultiplier} must be below {threshold}'` of the options at `at` (e.g. ['policy']) →
 * `'policy.minMultiplier (0.06) must be below policy.threshold (0.05)'`.
 */
export function renderOptionProblem(problem: OptionProblem, at: ConfigPath, options: unknown): RenderedOptionProblem {
  const fields: ConfigPath[] = [];
  const message = problem.message.replace(FIELD, (_, written: string) => {
    const inOptions = parseFieldPath(written);
    const path = [...at, ...inOptions];
    if (!fields.some((f) => formatPath(f) === formatPath(path))) fields.push(path);
    const value = shownValue(valueAt(options, inOptions));
    return value === undefined ? formatPath(path) : `${formatPath(path)} (${value})`;
  });
  return { message, fields };
}

/** 'phases[2].until' → ['phases', 2, 'until']. */
function parseFieldPath(written: string): ConfigPath {
  return [...written.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1] : Number(m[2])));
}

/** Numbers, strings and booleans are shown beside their option; lists and mappings would only clutter the line. */
function shownValue(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return undefined;
}
