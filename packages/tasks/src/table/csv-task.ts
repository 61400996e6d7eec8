import {
  createTableExample,
  DataFileReader,
  type ExampleRequest,
  type HeldOutSplit,
  type OptionsOf,
  optionsSchema,
  type Random,
  type ReadDataFile,
  type RowEncoder,
  type StateValue,
  type TableExample,
  type Task,
  type TaskShape,
} from '@diffstruct/core';
import { csvSplitSizes, type CsvSplitSizes, heldOutStart, shuffleRows } from './csv-split.js';
import { readCsvTable, type CsvTable } from './csv-table.js';
import { DEFAULT_BATCH_SIZE } from './generated-table-task.js';

export const CSV_OPTIONS = optionsSchema(
  {
    file: { type: 'string', minLength: 1, filePath: true, description: 'the CSV file, relative to the config file' },
    label: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'integer', minimum: 0 },
      ],
      description: 'the label column: its header name or 0-based index (default: the last column)',
    },
    targets: {
      enum: ['classes', 'values'],
      default: 'classes',
      description: 'classes: the label is a class (softmax); values: a number to regress (squared error)',
    },
    header: { type: 'boolean', default: true, description: 'the first row names the columns' },
    standardize: { type: 'boolean', default: true, description: 'scale each feature to mean 0, variance 1 (over the training rows)' },
    split: {
      type: 'object',
      additionalProperties: false,
      description: 'rows held out of training, as fractions: validation (evaluated with eval:) and test (once at the end)',
      properties: {
        validation: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'the fraction of rows for the validation split' },
        test: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'the fraction of rows for the test split' },
      },
    },
    splitSeed: {
      type: 'integer',
      minimum: 0,
      maximum: 4294967295,
      description: "the seed of the split's shuffle of the rows (default 0), apart from the run's seed: every seed trains on the same rows",
    },
  },
  ['file'],
);

/** The fractions of a split must leave rows to train on. */
export function csvOptionProblems(options: CsvTaskOptions): { message: string }[] {
  const { split } = options;
  return split && split.validation + split.test >= 1 ? [{ message: '{split.validation} + {split.test} must be below 1, to leave rows for training' }] : [];
}
export type CsvTaskOptions = OptionsOf<typeof CSV_OPTIONS>;

/**
 * The table of a csv task's options, read and checked, its features standardised unless told
 * not to: what every seed reads. The host prepares it once, in the main thread, and shares it;
 * `read` is its `readDataFile`, which records what the run read.
 */
export function prepareCsvTable(options: CsvTaskOptions, read: ReadDataFile = new DataFileReader().readDataFile): CsvTable {
  const table = readCsvTable(options, read);
  const sizes = csvSplitSizes(table.rows, options.split, options.file);
  // Without split the rows stay in file order (and draws as they were); with it, training rows come first.
  if (options.split) shuffleRows(table, options.splitSeed ?? 0);
  return options.standardize ? { ...table, scaling: standardize(table.features, table.featureNames.length, sizes.training) } : table;
}

/**
 * A user's own table: each cycle's batch is rows drawn at random (with replacement) from the
 * file's training rows. Features are standardised to mean 0 and variance 1 unless told not to.
 * With `split`, a fixed share of the rows is held out as validation and test splits.
 */
export class CsvTask implements Task<TableExample> {
  readonly type = 'csv';
  readonly shape: TaskShape;
  readonly table: CsvTable;
  /** Rows of each part: training rows first in the table, then validation, then test. */
  readonly sizes: CsvSplitSizes;

  constructor(
    private readonly options: CsvTaskOptions,
    private readonly random: Random,
    /** The table as `prepareCsvTable` gave it in the main thread; read here when absent. */
    prepared?: CsvTable,
  ) {
    this.table = prepared ?? prepareCsvTable(options);
    this.sizes = csvSplitSizes(this.table.rows, options.split, options.file);
    const values = options.targets === 'values';
    this.shape = {
      kind: 'table',
      inputSize: this.table.featureNames.length,
      outputSize: values ? 1 : this.table.classes.length,
      targets: options.targets,
      ...(values ? {} : { classes: this.table.classes }),
    };
  }

  entropyFloor(): number | undefined {
    return undefined;
  }

  createExample(request: ExampleRequest): TableExample {
    return createTableExample(this.shape, request.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  next(example: TableExample): void {
    const training = this.sizes.training;
    for (let row = 0; row < example.batchSize; row++) this.copyRow(this.random.int(training), example, row);
  }

  heldOutSize(split: HeldOutSplit): number {
    return this.sizes[split];
  }

  fillHeldOut(split: HeldOutSplit, example: TableExample, first: number): void {
    if (first < 0 || first + example.batchSize > this.sizes[split])
      throw new RangeError(`csv: rows ${first}..${first + example.batchSize - 1} are outside the ${split} split's ${this.sizes[split]}`);
    const start = heldOutStart(this.sizes, split) + first;
    for (let row = 0; row < example.batchSize; row++) this.copyRow(start + row, example, row);
  }

  private copyRow(pick: number, example: TableExample, row: number): void {
    const { features, labels, values } = this.table;
    const n = this.shape.inputSize;
    const from = pick * n;
    const to = row * n;
    // A loop, not subarray + set: this runs for every row of every batch and allocates nothing.
    for (let c = 0; c < n; c++) example.inputs[to + c] = features[from + c];
    if (this.shape.targets === 'values') example.targets[row] = values[pick];
    else example.labels[row] = labels[pick];
  }

  phase(): string {
    return 'csv';
  }

  /** New rows as the training rows were: standardised with the training table's means and deviations. */
  rowEncoder(): RowEncoder {
    const { featureNames, labelName, labelIndex, scaling } = this.table;
    return {
      features: featureNames,
      label: labelName,
      labelIndex,
      header: this.options.header,
      encode(values, inputs, offset) {
        for (let c = 0; c < featureNames.length; c++) inputs[offset + c] = scaling ? (values[c] - scaling.mean[c]) / scaling.sd[c] : values[c];
      },
    };
  }

  saveState(): StateValue {
    return null;
  }

  loadState(): void {}
}

/**
 * Column by column: subtract the mean, divide by the standard deviation (constant columns stay 0),
 * both of the first `statsRows` rows (the training rows: held-out rows must not shape the inputs); returns both.
 */
function standardize(features: Float64Array, columns: number, statsRows: number): { mean: Float64Array; sd: Float64Array } {
  const rows = features.length / columns;
  const means = new Float64Array(columns);
  const sds = new Float64Array(columns);
  for (let c = 0; c < columns; c++) {
    let sum = 0;
    for (let r = 0; r < statsRows; r++) sum += features[r * columns + c];
    const mean = sum / statsRows;
    let squares = 0;
    for (let r = 0; r < statsRows; r++) squares += (features[r * columns + c] - mean) ** 2;
    const sd = Math.sqrt(squares / statsRows) || 1;
    for (let r = 0; r < rows; r++) features[r * columns + c] = (features[r * columns + c] - mean) / sd;
    means[c] = mean;
    sds[c] = sd;
  }
  return { mean: means, sd: sds };
}
