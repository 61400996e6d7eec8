import { parse } from 'csv-parse/sync';
import { DiffstructError, type ReadDataFile } from '@diffstruct/core';
import type { CsvTaskOptions } from './csv-task.js';

/** What the reader needs of the csv task's options (the label column is the last when absent). */
export type CsvTableOptions = Omit<CsvTaskOptions, 'standardize'>;
export type CsvTargets = CsvTaskOptions['targets'];

/**
 * A CSV file as numbers: features row-major, a class index or a value per row. The arrays sit
 * in SharedArrayBuffers: sent to worker threads, they are shared, not copied.
 */
export interface CsvTable {
  readonly rows: number;
  readonly featureNames: readonly string[];
  /** The label column: its name and 0-based position in the file. */
  readonly labelName: string;
  readonly labelIndex: number;
  readonly features: Float64Array;
  readonly labels: Int32Array;
  readonly values: Float64Array;
  readonly classes: readonly string[];
  /** Each feature's mean and standard deviation when the task standardised them (`prepareCsvTable`). */
  readonly scaling?: { readonly mean: Float64Array; readonly sd: Float64Array };
}

/** Most classes a label column may have: more means the wrong column, or `targets: values`. */
export const MAX_CLASSES = 1000;
/** Largest table file read, and most rows kept: beyond these a run would spend its memory on data. */
export const MAX_TABLE_BYTES = 256 * (1 << 20);
export const MAX_TABLE_ROWS = 10_000_000;

/**
 * Reads (through `read`) and checks a user's table, row by row into typed arrays (no JS object per
 * row); every problem names the file and line.
 */
export function readCsvTable(options: CsvTableOptions, read: ReadDataFile): CsvTable {
  const { file } = options;
  const reader = new TableReader(options);
  try {
    parse(read(file, { maxBytes: MAX_TABLE_BYTES, what: 'a table' }), {
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      trim: true,
      on_record: (record: string[], info: { lines: number }) => reader.add(record, info.lines),
    });
  } catch (error) {
    if (error instanceof DiffstructError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new DiffstructError(`${file}${line ? `:${line}` : ''}: not valid CSV: ${(error as Error).message}`);
  }
  return reader.table();
}

/** Takes the parsed records one by one, keeping only numbers. */
class TableReader {
  private names?: string[];
  private headerLine = 0;
  private labelAt = 0;
  private featureAt: number[] = [];
  private rows = 0;
  private features: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private targets: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** Each row's label as the index of its first appearance (`seen`); sorted into classes at the end. */
  private firstSeen = new Int32Array(0);
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: CsvTableOptions) {}

  /** Always undefined: the parser keeps no record. */
  add(record: string[], line: number): undefined {
    const { file } = this.options;
    if (!this.names) {
      this.names = this.options.header ? record.map((n) => n.trim()) : record.map((_, i) => `column ${i}`);
      this.headerLine = line;
      const twice = this.names.find((name, i) => this.names?.indexOf(name) !== i);
      if (twice !== undefined) throw new DiffstructError(`${file}:${line}: expected distinct column names, found "${twice}" twice`);
      if (this.names.length < 2) throw new DiffstructError(`${file}:${line}: expected at least two columns (features and a label), found ${this.names.length}`);
      this.labelAt = this.labelColumn(this.names, line);
      this.featureAt = this.names.map((_, i) => i).filter((i) => i !== this.labelAt);
      if (this.options.header) return undefined;
    }
    const names = this.names;
    if (record.length !== names.length)
      throw new DiffstructError(
        `${file}:${line}: expected ${names.length} columns (as the ${this.options.header ? 'header' : 'first row'}), found ${record.length}`,
      );
    if (this.rows === MAX_TABLE_ROWS) throw new DiffstructError(`${file}:${line}: more than ${MAX_TABLE_ROWS} rows; a table is at most ${MAX_TABLE_ROWS} rows`);
    this.makeRoom();
    const r = this.rows++;
    const width = this.featureAt.length;
    this.featureAt.forEach((column, k) => (this.features[r * width + k] = number(record[column], file, line, names[column])));
    const label = record[this.labelAt].trim();
    if (this.options.targets === 'values') this.targets[r] = number(label, file, line, names[this.labelAt]);
    else {
      if (label === '') throw new DiffstructError(`${file}:${line}: column "${names[this.labelAt]}": expected a class label, found an empty field`);
      let index = this.seen.get(label);
      if (index === undefined) {
        index = this.seen.size;
        if (index === MAX_CLASSES)
          throw new DiffstructError(
            `${file}:${line}: expected at most ${MAX_CLASSES} classes, found more distinct labels (for a numeric target use targets: values)`,
          );
        this.seen.set(label, index);
      }
      this.firstSeen[r] = index;
    }
    return undefined;
  }

  table(): CsvTable {
    const { file } = this.options;
    if (!this.names) throw new DiffstructError(`${file}: expected a header and rows of numbers, found an empty file`);
    if (this.rows === 0) throw new DiffstructError(`${file}: expected at least one row of data after the header, found none`);
    const rows = this.rows;
    const width = this.featureAt.length;
    const features = sharedFloat64(this.features.subarray(0, rows * width));
    const featureNames = this.featureAt.map((i) => this.names![i]);
    const label = { labelName: this.names[this.labelAt], labelIndex: this.labelAt };
    if (this.options.targets === 'values') {
      return { rows, featureNames, ...label, features, labels: new Int32Array(0), values: sharedFloat64(this.targets.subarray(0, rows)), classes: [] };
    }
    const classes = classNames([...this.seen.keys()], file, this.headerLine);
    const classOf = Int32Array.from(this.seen.keys(), (label) => classes.indexOf(label));
    const labels = new Int32Array(new SharedArrayBuffer(rows * Int32Array.BYTES_PER_ELEMENT));
    for (let r = 0; r < rows; r++) labels[r] = classOf[this.firstSeen[r]];
    return { rows, featureNames, ...label, features, labels, values: new Float64Array(0), classes };
  }

  /** Doubles the arrays when the next row would not fit. */
  private makeRoom(): void {
    const width = this.featureAt.length;
    if ((this.rows + 1) * width <= this.features.length && this.rows < this.firstSeen.length) return;
    const capacity = Math.max(1024, 2 * this.rows);
    this.features = grown(this.features, capacity * width);
    this.targets = this.options.targets === 'values' ? grown(this.targets, capacity) : this.targets;
    const labels = new Int32Array(capacity);
    labels.set(this.firstSeen);
    this.firstSeen = labels;
  }

  private labelColumn(names: readonly string[], headerLine: number): number {
    const { label, file } = this.options;
    if (label === undefined) return names.length - 1;
    if (typeof label === 'number') {
      if (label < names.length) return label;
      throw new DiffstructError(`${file}:${headerLine}: expected a label column index below ${names.length}, found ${label}`);
    }
    const at = names.indexOf(label);
    if (at < 0) throw new DiffstructError(`${file}:${headerLine}: expected a column named "${label}" for the label; the columns: ${names.join(', ')}`);
    return at;
  }
}

function grown(array: Float64Array<ArrayBufferLike>, length: number): Float64Array {
  const bigger = new Float64Array(length);
  bigger.set(array);
  return bigger;
}

function sharedFloat64(values: Float64Array): Float64Array {
  const shared = new Float64Array(new SharedArrayBuffer(values.length * Float64Array.BYTES_PER_ELEMENT));
  shared.set(values);
  return shared;
}

/** A decimal number as CSV files write them (`-1.5`, `2e-3`): not `0x10`, `Infinity` or an empty cell, which `Number` would take. */
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A CSV field as a number, or a DiffstructError naming the file, line and column. */
export function number(field: string, file: string, line: number, column: string): number {
  const value = DECIMAL.test(field) ? Number(field) : NaN;
  if (!Number.isFinite(value)) throw new DiffstructError(`${file}:${line}: column "${column}": expected a number, found "${field}"`);
  return value;
}

/** Distinct labels, numerically sorted when all are numbers, else alphabetically. */
function classNames(distinct: string[], file: string, headerLine: number): string[] {
  if (distinct.length < 2) throw new DiffstructError(`${file}:${headerLine}: expected at least two classes in the label column, found only "${distinct[0]}"`);
  const numeric = distinct.every((l) => Number.isFinite(Number(l)));
  return distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}
