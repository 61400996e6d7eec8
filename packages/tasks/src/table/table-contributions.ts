import type { TaskContext, TaskContribution, TaskPrepareContext } from '@diffstruct/core';
import type { MnistDigits } from '../mnist/mnist-digits.js';
import { readMnistDigits } from '../mnist/mnist-digits.js';
import { checkMnistSplit, MNIST_OPTIONS, MnistTask, type MnistOptions } from '../mnist/mnist-task.js';
import { CHECKERBOARD_OPTIONS, CheckerboardTask, type CheckerboardOptions } from './checkerboard-task.js';
import type { CsvTable } from './csv-table.js';
import { CSV_OPTIONS, csvOptionProblems, CsvTask, type CsvTaskOptions, prepareCsvTable } from './csv-task.js';
import { PARITY_OPTIONS, ParityTask, type ParityOptions } from './parity-task.js';
import { SPIRALS_OPTIONS, SpiralsTask, type SpiralsOptions } from './spirals-task.js';

export const parityTaskContribution: TaskContribution = {
  type: 'parity',
  description: 'a table task: n random ±1 bits, classed by their parity (bits: 2 is XOR)',
  optionsSchema: PARITY_OPTIONS,
  kind: 'table',
  create: (options: ParityOptions, { random }: TaskContext) => new ParityTask(options, random),
};

export const spiralsTaskContribution: TaskContribution = {
  type: 'spirals',
  description: 'a table task: two interleaved spirals in the plane, classed by spiral',
  optionsSchema: SPIRALS_OPTIONS,
  kind: 'table',
  create: (options: SpiralsOptions, { random }: TaskContext) => new SpiralsTask(options, random),
};

export const checkerboardTaskContribution: TaskContribution = {
  type: 'checkerboard',
  description: 'a table task: points in [-1, 1]², classed by the colour of their cell on a checkerboard',
  optionsSchema: CHECKERBOARD_OPTIONS,
  kind: 'table',
  create: (options: CheckerboardOptions, { random }: TaskContext) => new CheckerboardTask(options, random),
};

export const csvTaskContribution: TaskContribution = {
  type: 'csv',
  description:
    'a table task from a CSV file of your own: numeric feature columns and a label column, rows drawn at random; optionally split into training, validation and test rows',
  optionsSchema: CSV_OPTIONS,
  kind: 'table',
  check: csvOptionProblems,
  prepare: (options: CsvTaskOptions, { readDataFile }: TaskPrepareContext) => prepareCsvTable(options, readDataFile),
  create: (options: CsvTaskOptions, { random, prepared }: TaskContext) => new CsvTask(options, random, prepared?.(options) as CsvTable | undefined),
};

export const mnistTaskContribution: TaskContribution = {
  type: 'mnist',
  description: "a table task: the mnist package's 10,000 handwritten digits (28 × 28 pixels in [0, 1]), a fixed seeded split into train, validation and test",
  optionsSchema: MNIST_OPTIONS,
  kind: 'table',
  check: (options: MnistOptions) => checkMnistSplit(options),
  // The digits are the same whatever the options, but the host prepares once per distinct options
  // (arms that differ in split or splitSeed each read them); each copy is shared with every worker.
  prepare: (_options: MnistOptions, { readDataFile }: TaskPrepareContext) => readMnistDigits(readDataFile),
  create: (options: MnistOptions, { random, prepared }: TaskContext) => new MnistTask(options, random, prepared?.(options) as MnistDigits | undefined),
};

export const TABLE_TASK_CONTRIBUTIONS: readonly TaskContribution[] = [
  parityTaskContribution,
  spiralsTaskContribution,
  checkerboardTaskContribution,
  csvTaskContribution,
  mnistTaskContribution,
];
