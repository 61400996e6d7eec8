import type { TaskContext, TaskContribution } from '@diffstruct/core';
import { CheckerboardTask, type CheckerboardOptions } from './checkerboard-task.js';
import { CsvTask, type CsvTaskOptions } from './csv-task.js';
import { ParityTask, type ParityOptions } from './parity-task.js';
import { SpiralsTask, type SpiralsOptions } from './spirals-task.js';

export const parityTaskContribution: TaskContribution = {
  type: 'parity',
  description: 'a table task: n random ±1 bits, classed by their parity (bits: 2 is XOR)',
  optionsSchema: { properties: { bits: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'input bits (n), the difficulty' } } },
  create: (options: ParityOptions, { random }: TaskContext) => new ParityTask(options, random),
};

export const spiralsTaskContribution: TaskContribution = {
  type: 'spirals',
  description: 'a table task: two interleaved spirals in the plane, classed by spiral',
  optionsSchema: {
    properties: {
      turns: { type: 'number', exclusiveMinimum: 0, maximum: 20, default: 1, description: 'turns of each spiral, the difficulty' },
      noise: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'standard deviation of the jitter around each arm' },
    },
  },
  create: (options: SpiralsOptions, { random }: TaskContext) => new SpiralsTask(options, random),
};

export const checkerboardTaskContribution: TaskContribution = {
  type: 'checkerboard',
  description: 'a table task: points in [-1, 1]², classed by the colour of their cell on a checkerboard',
  optionsSchema: { properties: { cells: { type: 'integer', minimum: 1, maximum: 64, default: 2, description: 'cells per side, the difficulty (2 is XOR)' } } },
  create: (options: CheckerboardOptions, { random }: TaskContext) => new CheckerboardTask(options, random),
};

export const csvTaskContribution: TaskContribution = {
  type: 'csv',
  description: "a table task from a CSV file of your own: numeric feature columns and a label column, rows drawn at random",
  optionsSchema: {
    required: ['file'],
    properties: {
      file: { type: 'string', minLength: 1, filePath: true, description: 'the CSV file, relative to the config file' },
      label: {
        anyOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: 0 }],
        description: 'the label column: its header name or 0-based index (default: the last column)',
      },
      targets: { enum: ['classes', 'values'], default: 'classes', description: 'classes: the label is a class (softmax); values: a number to regress (squared error)' },
      header: { type: 'boolean', default: true, description: 'the first row names the columns' },
      standardize: { type: 'boolean', default: true, description: 'scale each feature to mean 0, variance 1' },
    },
  },
  create: (options: CsvTaskOptions, { random }: TaskContext) => new CsvTask(options, random),
};

export const TABLE_TASK_CONTRIBUTIONS: readonly TaskContribution[] = [parityTaskContribution, spiralsTaskContribution, checkerboardTaskContribution, csvTaskContribution];
