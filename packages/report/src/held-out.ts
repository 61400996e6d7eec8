import { HELD_OUT_COLUMNS, type HeldOutFigures, metricsColumnKinds } from '@diffstruct/core/host';
import { quartiles, type Quartiles } from './quartiles.js';
import type { SeedData } from './run-data.js';

/** The held-out figures of an arm's seeds (a run with `eval:`), as summary.json holds them. */
export interface HeldOutSummary {
  /** Each held-out column (valLoss, valAccuracy, valBitsPerSymbol) at each seed's last evaluated row. */
  readonly final: Readonly<Record<string, Quartiles>>;
  /** The test split at each seed's end (loss, accuracy, bitsPerSymbol), when the seeds have it. */
  readonly test?: Readonly<Record<string, Quartiles>>;
  /** Each seed's last evaluated values and test figures: the distribution behind the quartiles. */
  readonly bySeed: readonly {
    readonly seed: number;
    readonly cycle: number;
    readonly values: Readonly<Record<string, number>>;
    readonly test?: HeldOutFigures;
  }[];
}

/** A seed's held-out columns at its last evaluated row (NaN cells are rows that were not evaluated), with that row's cycle. */
function lastEvaluated(seed: SeedData, columns: readonly string[]): { cycle: number; values: Record<string, number> } | undefined {
  const { values, rows } = seed.metrics;
  const loss = values[HELD_OUT_COLUMNS.loss];
  for (let r = rows - 1; r >= 0; r--)
    if (!Number.isNaN(loss[r])) return { cycle: values.cycle[r], values: Object.fromEntries(columns.map((c) => [c, values[c][r]])) };
  return undefined;
}

/** The held-out summary of `seeds`, or undefined when their metrics have no held-out columns (a run without `eval:`). */
export function summarizeHeldOut(seeds: readonly SeedData[]): HeldOutSummary | undefined {
  const { heldOut: columns } = metricsColumnKinds(seeds[0].metrics.columns);
  if (!columns.length) return undefined;
  const bySeed = seeds.flatMap((s) => {
    const last = lastEvaluated(s, columns);
    return last ? [{ seed: s.seed, ...last, ...(s.result?.test ? { test: s.result.test } : {}) }] : [];
  });
  const final = Object.fromEntries(columns.map((c) => [c, quartiles(bySeed.map((s) => s.values[c]))]));
  const tested = bySeed.flatMap((s) => (s.test ? [s.test] : []));
  const testKeys = tested.length ? (Object.keys(tested[0]) as (keyof HeldOutFigures)[]) : [];
  const test = Object.fromEntries(testKeys.map((key) => [key, quartiles(tested.map((t) => t[key] ?? NaN))]));
  return { final, ...(testKeys.length ? { test } : {}), bySeed };
}

/** Quartiles of each held-out column at row `r` over the seeds evaluated there; undefined when none was (not an evaluation row). */
export function heldOutAt(seeds: readonly SeedData[], r: number): Record<string, Quartiles> | undefined {
  const { heldOut: columns } = metricsColumnKinds(seeds[0].metrics.columns);
  const evaluated = seeds.filter((s) => r < s.metrics.rows && !Number.isNaN(s.metrics.values[HELD_OUT_COLUMNS.loss]?.[r] ?? NaN));
  if (!columns.length || !evaluated.length) return undefined;
  return Object.fromEntries(columns.map((c) => [c, quartiles(evaluated.map((s) => s.metrics.values[c][r]))]));
}
