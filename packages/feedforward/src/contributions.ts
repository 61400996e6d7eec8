import { DiffstructError, type ModelContext, type ModelContribution, type Task } from '@diffstruct/core';
import { FeedforwardModel } from './feedforward-model.js';
import {
  FEEDFORWARD_OPTIONS,
  type FeedforwardOptions,
  feedforwardFamilies,
  RESIDUAL_OPTIONS,
  type ResidualOptions,
  residualFamilies,
} from './model-options.js';
import { ResidualModel } from './residual-model.js';

function tableTask(task: Task, model: string): void {
  if (task.shape.kind !== 'table')
    throw new DiffstructError(
      `the ${model} model needs a table task (parity, spirals, checkerboard, csv...); "${task.type}" gives ${task.shape.kind} examples`,
    );
}

export const feedforwardContribution: ModelContribution = {
  type: 'feedforward',
  description: 'table rows → dense hidden layers whose neurons carry multipliers (width grows per layer) → softmax or linear outputs',
  optionsSchema: FEEDFORWARD_OPTIONS,
  accepts: ['table'],
  families: feedforwardFamilies,
  check(options: FeedforwardOptions) {
    const at = options.hidden.findIndex((units) => units > options.maxHidden);
    return at < 0 ? [] : [{ message: `{hidden[${at}]} must be at most {maxHidden}` }];
  },
  create(options: FeedforwardOptions, { task, random }: ModelContext) {
    tableTask(task, 'feedforward');
    return new FeedforwardModel(options, task.shape, random);
  },
};

export const residualContribution: ModelContribution = {
  type: 'residual',
  description: "table rows → a residual stack s + g·F(s) whose blocks are units (depth grows), optionally growing each block's width → outputs",
  optionsSchema: RESIDUAL_OPTIONS,
  accepts: ['table'],
  families: residualFamilies,
  check(options: ResidualOptions) {
    const problems = [];
    if (options.blocks > options.maxBlocks) problems.push({ message: '{blocks} must be at most {maxBlocks}' });
    if (options.growWidth && options.blockWidth > options.maxBlockWidth)
      problems.push({ message: '{blockWidth} must be at most {maxBlockWidth} with {growWidth}' });
    return problems;
  },
  create(options: ResidualOptions, { task, random }: ModelContext) {
    tableTask(task, 'residual');
    return new ResidualModel(options, task.shape, random);
  },
};
