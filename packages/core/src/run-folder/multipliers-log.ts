import type { GrowableView } from '../contracts/growable.js';

/**
 * Significant digits of a multiplier in multipliers.jsonl: a colour scale reads 3 at most, and a
 * full double (17 digits) would triple the file. `toPrecision` is exactly specified, so the
 * rounding is the same on every machine (the file stays byte-identical).
 */
export const MULTIPLIER_DIGITS = 4;

/** One growable's live units at a logged cycle: ids and multipliers, index by index. */
export interface GrowableMultipliers {
  /** The growable's family, only when it is not the id (a residual block's neurons: `block-width`). */
  readonly family?: string;
  readonly ids: readonly number[];
  readonly multipliers: readonly number[];
}

/** A line of multipliers.jsonl: every growable's live units (by growable id) at one logged cycle. */
export interface MultipliersRow {
  readonly cycle: number;
  readonly growables: Readonly<Record<string, GrowableMultipliers>>;
}

/**
 * The line of multipliers.jsonl for `cycle` (no newline): `{"cycle":C,"growables":{"<id>":{"ids":[…],"multipliers":[…]}}}`,
 * the growables in the model's order, `"family"` first in a growable's entry when it is not the id.
 * Built as one string, without an object per unit.
 */
export function multipliersLine(cycle: number, growables: readonly GrowableView[]): string {
  let line = `{"cycle":${cycle},"growables":{`;
  for (let g = 0; g < growables.length; g++) {
    const growable = growables[g];
    let ids = '';
    let multipliers = '';
    for (let i = 0; i < growable.size; i++) {
      const separator = i ? ',' : '';
      ids += separator + growable.unitId(i);
      multipliers += separator + roundedMultiplier(growable.multiplier(i));
    }
    const family = growable.family === undefined || growable.family === growable.id ? '' : `"family":${JSON.stringify(growable.family)},`;
    line += `${g ? ',' : ''}${JSON.stringify(growable.id)}:{${family}"ids":[${ids}],"multipliers":[${multipliers}]}`;
  }
  return line + '}}';
}

/** A multiplier as multipliers.jsonl writes it; a non-finite one (a diverged seed) as null, as JSON would. */
function roundedMultiplier(m: number): string {
  return Number.isFinite(m) ? String(Number(m.toPrecision(MULTIPLIER_DIGITS))) : 'null';
}

/**
 * Parses one line of multipliers.jsonl, or says what is wrong with it (`LINE: expected …`); `line`
 * counts from 1 for the message.
 */
export function parseMultipliersLine(text: string, line: number): MultipliersRow | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `${line}: expected a JSON object, found "${text.slice(0, 40)}"`;
  }
  const row = data as { cycle?: unknown; growables?: unknown } | null;
  if (typeof row !== 'object' || row === null || typeof row.cycle !== 'number' || typeof row.growables !== 'object' || row.growables === null)
    return `${line}: expected {"cycle": number, "growables": {…}}`;
  for (const [id, entry] of Object.entries(row.growables)) {
    const { ids, multipliers, family } = (entry ?? {}) as { ids?: unknown; multipliers?: unknown; family?: unknown };
    if (family !== undefined && typeof family !== 'string') return `${line}: growable "${id}": expected "family" to be a string`;
    if (!Array.isArray(ids) || !Array.isArray(multipliers) || ids.length !== multipliers.length || !ids.every(Number.isInteger))
      return `${line}: growable "${id}": expected "ids" (integers) and "multipliers" of the same length`;
  }
  return row as MultipliersRow;
}
