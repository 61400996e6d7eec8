import type { ConfigProblem } from './config-error.js';
import { describeValue } from './config-error.js';
import type { ConfigPath, ConfigSource } from './config-source.js';
import { type Plain, setAt } from './plain-data.js';
import { plural } from '../plural.js';

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

/** One path of a sweep and the values it takes (with their places in the sweep's list). */
interface Axis {
  readonly key: string;
  readonly path: readonly string[];
  readonly values: readonly { readonly value: Scalar; readonly index: number }[];
}

/**
 * `sweep: { policy.threshold: [0.02, 0.05], model.hidden: [1, 5] }` → every arm × every point of
 * the grid (the last path varying fastest), named `<arm>_<key>-<value>...`. Values are set in
 * the arm's override, so they win over the arm's and the top level's own. Paths and values that
 * are refused are left out of the grid, so the arms of the rest are still checked in the same pass.
 */
export function expandSweep(
  source: ConfigSource,
  sweep: unknown,
  arms: readonly Plain[],
  explicitArms: boolean,
  /** Why a swept `cycles` value is refused, by the schema `cycles` has where an arm writes it (plugin options are checked per arm). */
  cyclesProblem: (value: unknown) => string | undefined,
): { arms: ExpandedArm[]; problems: ConfigProblem[] } {
  if (sweep === undefined) return { arms: arms.map((override, i) => ({ override, fromArm: i, swept: [] })), problems: [] };
  const { axes, problems } = sweepAxes(source, sweep, cyclesProblem);
  // Nothing left to expand: the declared arms alone would be checked against values the sweep meant to replace.
  if (!axes.length) return { arms: [], problems };
  const points = axes.reduce<SweptValue[][]>(
    (grid, axis) => grid.flatMap((point) => axis.values.map(({ value, index }) => [...point, { path: axis.path, value, at: ['sweep', axis.key, index] }])),
    [[]],
  );
  if (points.length * arms.length > MAX_SWEPT_ARMS) {
    const total = points.length * arms.length;
    problems.push(
      source.problem(
        ['sweep'],
        `expected at most ${MAX_SWEPT_ARMS} arms in all, found ${plural(arms.length, 'arm')} × ${plural(points.length, 'sweep point')} = ${total}`,
      ),
    );
    return { arms: [], problems };
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
  return { arms: expanded, problems };
}

/** The sweep's paths with their acceptable values, and a problem for each path or value refused. */
function sweepAxes(source: ConfigSource, sweep: unknown, cyclesProblem: (value: unknown) => string | undefined): { axes: Axis[]; problems: ConfigProblem[] } {
  if (sweep === null || typeof sweep !== 'object' || Array.isArray(sweep)) {
    const problem = source.problem(['sweep'], `expected a mapping from config paths (e.g. policy.threshold) to lists of values, found ${describeValue(sweep)}`);
    return { axes: [], problems: [problem] };
  }
  const axes: Axis[] = [];
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
    if (path[path[0] === 'policies' ? 2 : 1] === 'type') {
      problems.push(source.problem(['sweep', key], 'expected an option path: compare plugin types with arms, not a sweep'));
      continue;
    }
    if (!Array.isArray(values) || values.length === 0) {
      problems.push(source.problem(['sweep', key], `expected a non-empty list of values, found ${describeValue(values)}`));
      continue;
    }
    const accepted: { value: Scalar; index: number }[] = [];
    values.forEach((value: unknown, index) => {
      const refused = path[0] === 'cycles' ? cyclesProblem(value) : scalarProblem(value);
      if (refused) problems.push(source.problem(['sweep', key, index], refused));
      else accepted.push({ value: value as Scalar, index });
    });
    if (accepted.length) axes.push({ key, path, values: accepted });
  }
  return { axes, problems };
}

function scalarProblem(value: unknown): string | undefined {
  return ['number', 'string', 'boolean'].includes(typeof value) ? undefined : `expected a number, string or boolean, found ${describeValue(value)}`;
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
