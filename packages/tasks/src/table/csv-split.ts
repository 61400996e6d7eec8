import { DiffstructError, type HeldOutSplit, RandomStream } from '@diffstruct/core';
import type { CsvTable } from './csv-table.js';

/** The csv task's `split`: fractions of the rows held out. */
export interface CsvSplit {
  readonly validation: number;
  readonly test: number;
}

/** How many rows each part holds: the training rows first in the (shuffled) table, then validation, then test. */
export interface CsvSplitSizes {
  readonly training: number;
  readonly validation: number;
  readonly test: number;
}

/** Each fraction of `rows` rounded to whole rows; the rest train. Refuses a split that leaves no training row, naming `file`. */
export function csvSplitSizes(rows: number, split: CsvSplit | undefined, file: string): CsvSplitSizes {
  if (!split) return { training: rows, validation: 0, test: 0 };
  const validation = Math.round(split.validation * rows);
  const test = Math.round(split.test * rows);
  const training = rows - validation - test;
  if (training < 1)
    throw new DiffstructError(
      `${file}: split leaves no row to train on (${rows} rows: ${validation} for validation, ${test} for test); hold out smaller fractions`,
    );
  return { training, validation, test };
}

/** Where a held-out split's rows start in the shuffled table. */
export function heldOutStart(sizes: CsvSplitSizes, split: HeldOutSplit): number {
  return split === 'validation' ? sizes.training : sizes.training + sizes.validation;
}

/**
 * Shuffles the table's rows in place with a stream of their own (`seed`, not the run's: every run
 * seed sees the same split), so that training rows come first, then validation, then test.
 */
export function shuffleRows(table: CsvTable, seed: number): void {
  const { rows, features, labels, values } = table;
  const width = table.featureNames.length;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const random = new RandomStream(seed, 'csv-split');
  for (let i = rows - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const permute = <T extends Float64Array | Int32Array>(array: T, stride: number) => {
    if (!array.length) return;
    const copy = array.slice();
    for (let r = 0; r < rows; r++) array.set(copy.subarray(order[r] * stride, (order[r] + 1) * stride), r * stride);
  };
  permute(features, width);
  permute(labels, 1);
  permute(values, 1);
}
