import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DiffstructError } from '@diffstruct/core';
import type { CsvTaskOptions } from './csv-task.js';

/** What the reader needs of the csv task's options (the label column is the last when absent). */
export type CsvTableOptions = Omit<CsvTaskOptions, 'standardize'>;
export type CsvTargets = CsvTaskOptions['targets'];

/** A CSV file as numbers: features row-major, a class index or a value per row. */
export interface CsvTable {
  readonly rows: number;
  readonly featureNames: readonly string[];
  readonly features: Float64Array;
  readonly labels: Int32Array;
  readonly values: Float64Array;
  readonly classes: readonly string[];
}

/** Most classes a label column may have: more means the wrong column, or `targets: values`. */
export const MAX_CLASSES = 1000;

/** Reads and checks a user's table; every problem names the file and line. */
export function readCsvTable(options: CsvTableOptions): CsvTable {
  const { file } = options;
  const records = parseRecords(file);
  const first = records[0];
  if (!first) throw new DiffstructError(`${file}: expected a header and rows of numbers, found an empty file`);
  const names = options.header ? first.record.map((n) => n.trim()) : first.record.map((_, i) => `column ${i}`);
  const rows = options.header ? records.slice(1) : records;
  if (names.length < 2) throw new DiffstructError(`${file}:${first.line}: expected at least two columns (features and a label), found ${names.length}`);
  const labelAt = labelColumn(options, names, first.line);
  const featureAt = names.map((_, i) => i).filter((i) => i !== labelAt);
  if (rows.length === 0) throw new DiffstructError(`${file}: expected at least one row of data after the header, found none`);

  const features = new Float64Array(rows.length * featureAt.length);
  const rawLabels: string[] = [];
  const values = new Float64Array(options.targets === 'values' ? rows.length : 0);
  rows.forEach(({ record, line }, r) => {
    if (record.length !== names.length)
      throw new DiffstructError(
        `${file}:${line}: expected ${names.length} columns (as the ${options.header ? 'header' : 'first row'}), found ${record.length}`,
      );
    featureAt.forEach((column, k) => (features[r * featureAt.length + k] = number(record[column], file, line, names[column])));
    const label = record[labelAt].trim();
    if (options.targets === 'values') values[r] = number(label, file, line, names[labelAt]);
    else if (label === '') throw new DiffstructError(`${file}:${line}: column "${names[labelAt]}": expected a class label, found an empty field`);
    rawLabels.push(label);
  });

  const classes = options.targets === 'classes' ? classNames(rawLabels, file) : [];
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(options.targets === 'classes' ? rawLabels.map((l) => index.get(l)!) : []);
  return { rows: rows.length, featureNames: featureAt.map((i) => names[i]), features, labels, values, classes };
}

function parseRecords(file: string): { record: string[]; line: number }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DiffstructError(`${file}: cannot read the table (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const parsed = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, comment: '#', trim: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return parsed.map(({ record, info }) => ({ record, line: info.lines }));
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new DiffstructError(`${file}${line ? `:${line}` : ''}: not valid CSV: ${(error as Error).message}`);
  }
}

function labelColumn(options: CsvTableOptions, names: readonly string[], headerLine: number): number {
  const { label, file } = options;
  if (label === undefined) return names.length - 1;
  if (typeof label === 'number') {
    if (label < names.length) return label;
    throw new DiffstructError(`${file}:${headerLine}: expected a label column index below ${names.length}, found ${label}`);
  }
  const at = names.indexOf(label);
  if (at < 0) throw new DiffstructError(`${file}:${headerLine}: expected a column named "${label}" for the label; the columns: ${names.join(', ')}`);
  return at;
}

function number(field: string, file: string, line: number, column: string): number {
  const value = field.trim() === '' ? NaN : Number(field);
  if (!Number.isFinite(value)) throw new DiffstructError(`${file}:${line}: column "${column}": expected a number, found "${field}"`);
  return value;
}

/** Distinct labels, numerically sorted when all are numbers, else alphabetically. */
function classNames(labels: readonly string[], file: string): string[] {
  const distinct = [...new Set(labels)];
  if (distinct.length > MAX_CLASSES)
    throw new DiffstructError(
      `${file}: expected at most ${MAX_CLASSES} classes, found ${distinct.length} distinct labels (for a numeric target use targets: values)`,
    );
  if (distinct.length < 2) throw new DiffstructError(`${file}: expected at least two classes, found only "${distinct[0]}"`);
  const numeric = distinct.every((l) => Number.isFinite(Number(l)));
  return distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}
