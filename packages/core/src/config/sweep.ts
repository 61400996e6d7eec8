import type { ConfigProblem } from './config-error.js';
import { describeValue } from './config-error.js';
import type { ConfigPath, ConfigSource } from './config-source.js';
import type { Plain } from './plain-data.js';

type Scalar = number | string | boolean;

/** Most arms a sweep may expand into: beyond this a typo is likelier than intent. */
export const MAX_SWEPT_ARMS = 1000;
const SWEEPABLE_ROOTS = ['task', 'model', 'policy', 'optimizer', 'policies', 'cycles'];

/** One swept value in an expanded arm, and where the config file wrote it. */
export interface SweptValue {
  readonly path: readonly string[];
  readonly value: Scalar;
  readonly at: ConfigPath;
}

/** An arm override after expansion, with the arm it came from and the swept values it received. */
export interface ExpandedArm {
  readonly override: Plain;
  readonly fromArm: number;
  readonly swept: readonly SweptValue[];
}

/**
 * `sweep: { policy.threshold: [0.02, 0.05], model.hidden: [1, 5] }` → every arm × every point of
 * the grid (the last path varying fastest), named `<arm>_<key>-<value>...`. Values are set in
 * the arm's override, so they win over the arm's and the top level's own.
 */
export function expandSweep(
  source: ConfigSource,
  sweep: unknown,
  arms: readonly Plain[],
  explicitArms: boolean,
): { arms: ExpandedArm[]; problems: ConfigProblem[] } {
  const unchanged = { arms: arms.map((override, i) => ({ override, fromArm: i, swept: [] })), problems: [] };
  if (sweep === undefined) return unchanged;
  const problems = sweepProblems(source, sweep);
  if (problems.length) return { arms: [], problems };
  const axes = Object.entries(sweep as Record<string, Scalar[]>).map(([key, values]) => ({ key, path: key.split('.'), values }));
  const points = axes.reduce<SweptValue[][]>(
    (grid, axis) => grid.flatMap((point) => axis.values.map((value, i) => [...point, { path: axis.path, value, at: ['sweep', axis.key, i] }])),
    [[]],
  );
  if (points.length * arms.length > MAX_SWEPT_ARMS) {
    return {
      arms: [],
      problems: [
        source.problem(
          ['sweep'],
          `expected at most ${MAX_SWEPT_ARMS} arms in all, found ${arms.length} arm(s) × ${points.length} sweep points = ${points.length * arms.length}`,
        ),
      ],
    };
  }
  const labels = labelKeys(axes.map((a) => a.path));
  const expanded = arms.flatMap((arm, fromArm) =>
    points.map((swept) => {
      const override = structuredClone(arm);
      for (const { path, value } of swept) setAt(override, path, value);
      const label = swept.map((s, i) => `${labels[i]}-${String(s.value)}`).join('_');
      override.name = safeName(explicitArms ? `${String(arm.name)}_${label}` : label);
      override.description = swept.map((s) => `${s.path.join('.')} = ${String(s.value)}`).join(', ');
      return { override, fromArm, swept };
    }),
  );
  return { arms: expanded, problems: [] };
}

function sweepProblems(source: ConfigSource, sweep: unknown): ConfigProblem[] {
  if (sweep === null || typeof sweep !== 'object' || Array.isArray(sweep)) {
    return [source.problem(['sweep'], `expected a mapping from config paths (e.g. policy.threshold) to lists of values, found ${describeValue(sweep)}`)];
  }
  const problems: ConfigProblem[] = [];
  for (const [key, values] of Object.entries(sweep)) {
    const path = key.split('.');
    if (
      !SWEEPABLE_ROOTS.includes(path[0]) ||
      path.some((segment) => segment === '') ||
      (path[0] !== 'cycles' && path.length < (path[0] === 'policies' ? 3 : 2)) ||
      (path[0] === 'cycles' && path.length > 1)
    ) {
      problems.push(
        source.problem(
          ['sweep', key],
          `expected a path into ${SWEEPABLE_ROOTS.slice(0, 4).join(', ')} (e.g. policy.threshold), policies.<family> or "cycles", found "${key}"`,
        ),
      );
      continue;
    }
    if (path[path[0] === 'policies' ? 2 : 1] === 'type')
      problems.push(source.problem(['sweep', key], 'expected an option path: compare plugin types with arms, not a sweep'));
    else if (!Array.isArray(values) || values.length === 0)
      problems.push(source.problem(['sweep', key], `expected a non-empty list of values, found ${describeValue(values)}`));
    else
      values.forEach((value, i) => {
        if (!['number', 'string', 'boolean'].includes(typeof value))
          problems.push(source.problem(['sweep', key, i], `expected a number, string or boolean, found ${describeValue(value)}`));
      });
  }
  return problems;
}

/** The last segment of each path, or the whole path where two last segments are equal. */
function labelKeys(paths: readonly (readonly string[])[]): string[] {
  const last = paths.map((p) => p[p.length - 1]);
  return paths.map((p, i) => (last.filter((l) => l === last[i]).length > 1 ? p.join('.') : last[i]));
}

function safeName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 64);
}

function setAt(target: Plain, path: readonly string[], value: Scalar): void {
  let holder = target;
  for (const segment of path.slice(0, -1)) {
    const next = holder[segment];
    if (typeof next === 'string') holder[segment] = { type: next };
    else if (next === null || typeof next !== 'object') holder[segment] = {};
    holder = holder[segment] as Plain;
  }
  holder[path[path.length - 1]] = value;
}
