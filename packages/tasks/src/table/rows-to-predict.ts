import { parse } from 'csv-parse/sync';
import { DiffstructError, readFileCapped, type RowEncoder } from '@diffstruct/core';
import { MAX_TABLE_BYTES, MAX_TABLE_ROWS, number } from './csv-table.js';

/** New rows for a trained table model: its inputs (rows × features) and the file line of each row. */
export interface RowsToPredict {
  readonly rows: number;
  readonly inputs: Float64Array;
  readonly lines: readonly number[];
}

/**
 * Reads a CSV file of new rows and encodes them as `encoder`'s task encoded its training rows. With
 * a header in training, the file needs a header naming every feature column (in any order; the label
 * column may be there and is ignored); without, its rows hold the features in training's order, with
 * or without the label at its training position. Problems name FILE:LINE.
 */
export function readRowsToPredict(file: string, encoder: RowEncoder): RowsToPredict {
  const width = encoder.features.length;
  let columns: number[] | undefined;
  let expected = 0;
  const inputs: number[] = [];
  const lines: number[] = [];
  const values = new Float64Array(width);
  const encoded = new Float64Array(width);
  const take = (record: string[], line: number): undefined => {
    if (!columns) {
      columns = encoder.header ? namedColumns(record, encoder, file, line) : positionalColumns(record.length, encoder, file, line);
      expected = record.length;
      if (encoder.header) return undefined;
    }
    if (lines.length === MAX_TABLE_ROWS) throw new DiffstructError(`${file}:${line}: more than ${MAX_TABLE_ROWS} rows`);
    if (record.length !== expected)
      throw new DiffstructError(`${file}:${line}: expected ${expected} columns (as the ${encoder.header ? 'header' : 'first row'}), found ${record.length}`);
    columns.forEach((at, k) => (values[k] = inRange(number(record[at], file, line, encoder.features[k]), encoder, file, line, k)));
    encoder.encode(values, encoded, 0);
    for (const v of encoded) inputs.push(v);
    lines.push(line);
    return undefined;
  };
  try {
    parse(readFileCapped(file, MAX_TABLE_BYTES, 'a table'), {
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      trim: true,
      on_record: (record: string[], info: { lines: number }) => take(record, info.lines),
    });
  } catch (error) {
    if (error instanceof DiffstructError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new DiffstructError(`${file}${line ? `:${line}` : ''}: not valid CSV: ${(error as Error).message}`);
  }
  if (!lines.length) throw new DiffstructError(`${file}: expected rows of ${width} features to predict, found none`);
  return { rows: lines.length, inputs: Float64Array.from(inputs), lines };
}

/** Where each feature is in a file with a header: by name; the label may be there; any other column is refused. */
function namedColumns(header: string[], encoder: RowEncoder, file: string, line: number): number[] {
  const names = header.map((name) => name.trim());
  const missing = encoder.features.filter((name) => !names.includes(name));
  const wanted = `the network was trained on the columns ${encoder.features.join(', ')} (and the label ${encoder.label}, which may be left out)`;
  if (missing.length) throw new DiffstructError(`${file}:${line}: expected a header naming every feature column; missing ${missing.join(', ')}; ${wanted}`);
  const other = names.find((name) => name !== encoder.label && !encoder.features.includes(name));
  if (other !== undefined) throw new DiffstructError(`${file}:${line}: column "${other}" is neither a feature nor the label; ${wanted}`);
  return encoder.features.map((name) => names.indexOf(name));
}

/** Where each feature is in a file without a header: training's order, the label at its training position when the row has it. */
function positionalColumns(count: number, encoder: RowEncoder, file: string, line: number): number[] {
  const width = encoder.features.length;
  if (count === width) return encoder.features.map((_, k) => k);
  if (count === width + 1) return encoder.features.map((_, k) => (k < encoder.labelIndex ? k : k + 1));
  throw new DiffstructError(
    `${file}:${line}: expected ${width} feature columns (or ${width + 1} with the label in column ${encoder.labelIndex}), as the network was trained on, found ${count}`,
  );
}

/** A value within the encoder's training range, else a refusal naming the cell: a network says nothing sensible about inputs it never saw. */
function inRange(value: number, encoder: RowEncoder, file: string, line: number, feature: number): number {
  const range = encoder.range;
  if (range && !(value >= range.min && value <= range.max))
    throw new DiffstructError(
      `${file}:${line}: column "${encoder.features[feature]}": expected a value in [${range.min}, ${range.max}], as in training (${range.hint}), found ${value}`,
    );
  return value;
}
