import { createTableExample, DiffstructError, type TableExample } from '@diffstruct/core';
import { readRowsToPredict } from '@diffstruct/tasks';
import type { TrainedSeed } from './trained-seed.js';

/** Rows predicted at a time: the memory of a batch stays small whatever the file's size. */
const PREDICT_BATCH = 256;

/**
 * A trained table model's prediction for each row of a CSV file, as CSV: `line` (the row's line in
 * the file) then, for classes, `class` (the most probable) and `p(<class>)` for each class; for
 * values, `value` (or `value<k>` for several). Rows are encoded as the task encoded its own.
 */
export function predictRows(trained: TrainedSeed, file: string): string {
  const { model, task } = trained.setup;
  const { shape } = task;
  if (shape.kind !== 'table')
    throw new DiffstructError(
      `predict reads rows for a table model; arm ${trained.arm.name} trains a ${model.type} model on the ${task.type} task (sequences): use diffstruct sample`,
    );
  if (!task.rowEncoder) throw new DiffstructError(`the ${task.type} task cannot encode new rows (no rowEncoder), so its model cannot predict a file's rows`);
  if (!model.predict) throw new DiffstructError(`the ${model.type} model gives no predictions (no predict method)`);
  const rows = readRowsToPredict(file, task.rowEncoder());
  const classes = shape.targets === 'classes' ? (shape.classes ?? Array.from({ length: shape.outputSize }, (_, c) => String(c))) : undefined;
  const header = ['line', ...(classes ? ['class', ...classes.map((c) => `p(${c})`)] : valueColumns(shape.outputSize))];
  const lines = [header.map(csvField).join(',')];
  const outputs = new Float64Array(PREDICT_BATCH * shape.outputSize);
  const width = shape.inputSize;
  for (let first = 0; first < rows.rows; first += PREDICT_BATCH) {
    const count = Math.min(PREDICT_BATCH, rows.rows - first);
    const example: TableExample = { ...createTableExample(shape, count), inputs: rows.inputs.subarray(first * width, (first + count) * width) };
    model.predict(example, outputs);
    for (let r = 0; r < count; r++) {
      const row = outputs.subarray(r * shape.outputSize, (r + 1) * shape.outputSize);
      const cells = classes ? [csvField(classes[argmax(row)]), ...row] : [...row];
      lines.push([rows.lines[first + r], ...cells].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

const valueColumns = (n: number): string[] => (n === 1 ? ['value'] : Array.from({ length: n }, (_, k) => `value${k}`));

function argmax(row: Float64Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** A CSV field, quoted when it holds a comma, quote or line break. */
const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
