import { HELD_OUT_COLUMNS, type MetricsTable } from '@diffstruct/core/host';
import { type Quartiles, type Summary, shownEntropyFloor } from '@diffstruct/report';

/** At most this many points per curve are sent: a chart is no wider, and a 10⁶-row metrics.csv stays cheap to aggregate. */
export const MAX_POINTS = 1000;

/** The page's title of each held-out column core's runs log (the page holds no list of its own). */
export const HELD_OUT_TITLES: Readonly<Record<string, string>> = Object.freeze({
  [HELD_OUT_COLUMNS.loss]: 'validation loss',
  [HELD_OUT_COLUMNS.accuracy]: 'validation accuracy',
  [HELD_OUT_COLUMNS.bitsPerSymbol]: 'validation bits per symbol',
});

/** A median line and its inter-quartile band, one value per cycle; null where a seed logged nothing (not evaluated). */
export interface Band {
  readonly median: (number | null)[];
  readonly q25: (number | null)[];
  readonly q75: (number | null)[];
}

/** One arm's curves over its seeds, as the page draws them. */
export interface ArmSeries {
  readonly name: string;
  readonly seeds: number;
  readonly cycles: number;
  readonly cycle: number[];
  readonly smoothLoss: Band;
  readonly units: Band;
  readonly growables: Record<string, Band>;
  readonly heldOut: Record<string, Band>;
  readonly switches: readonly number[];
  readonly entropyFloor?: number;
}

/** The power-of-two row step that keeps `rows` at most MAX_POINTS: powers of two, so the rows kept stay the same as the file grows. */
export function rowStep(rows: number): number {
  let step = 1;
  while (Math.ceil(rows / step) > MAX_POINTS) step *= 2;
  return step;
}

/**
 * Every `step`-th row of a table, and its last row when that is the arm's last (`lastRow`): the same
 * rows of every seed of an arm (seeds log at the same cycles), so report's per-row quartiles still
 * compare like with like.
 */
export function thinRows(table: MetricsTable, step: number, lastRow: number): MetricsTable {
  if (step === 1) return table;
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r += step) rows.push(r);
  if (lastRow < table.rows && lastRow % step) rows.push(lastRow);
  const values = Object.fromEntries(table.columns.map((c) => [c, Float64Array.from(rows, (r) => table.values[c][r])]));
  return { columns: table.columns, values, rows: rows.length };
}

const finite = (value: number | undefined): number | null => (value === undefined || !Number.isFinite(value) ? null : value);

function band(points: readonly (Quartiles | undefined)[]): Band {
  return { median: points.map((q) => finite(q?.median)), q25: points.map((q) => finite(q?.q25)), q75: points.map((q) => finite(q?.q75)) };
}

/** report's summary (medians and quartiles per logged row) as columns, one array per line. */
export function armSeries(summary: Summary): ArmSeries[] {
  return summary.arms.map((arm) => {
    const families = Object.keys(arm.curve[0]?.growables ?? {});
    const heldOut = [...new Set(arm.curve.flatMap((p) => Object.keys(p.heldOut ?? {})))];
    return {
      name: arm.name,
      seeds: arm.seeds,
      cycles: arm.cycles,
      cycle: arm.curve.map((p) => p.cycle),
      smoothLoss: band(arm.curve.map((p) => p.loss)),
      units: band(arm.curve.map((p) => p.units)),
      growables: Object.fromEntries(families.map((f) => [f, band(arm.curve.map((p) => p.growables[f]))])),
      heldOut: Object.fromEntries(heldOut.map((c) => [c, band(arm.curve.map((p) => p.heldOut?.[c]))])),
      switches: arm.switches,
      ...(shownEntropyFloor(arm) === undefined ? {} : { entropyFloor: shownEntropyFloor(arm) }),
    };
  });
}

/** One seed's columns (every step-th row), for its curves on demand; null for NaN (rows not evaluated). */
export function seedColumns(table: MetricsTable): Record<string, (number | null)[]> {
  const thinned = thinRows(table, rowStep(table.rows), table.rows - 1);
  return Object.fromEntries(thinned.columns.map((c) => [c, Array.from(thinned.values[c], (v) => finite(v))]));
}
