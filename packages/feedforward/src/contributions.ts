import { DiffstructError, type ModelContext, type ModelContribution, type Task } from '@diffstruct/core';
import { ACTIVATIONS } from './activation.js';
import { FeedforwardModel, type FeedforwardOptions } from './feedforward-model.js';
import { ResidualModel, type ResidualOptions } from './residual-model.js';

/** Most neurons a layer (or blocks a stack) may have: beyond this a typo is likelier than intent. */
export const MAX_WIDTH = 4096;

const size = (value: number, description: string, minimum = 1) => ({ type: 'integer', minimum, maximum: MAX_WIDTH, default: value, description });
const SHARED_OPTIONS = {
  activation: { enum: ACTIVATIONS, default: 'tanh', description: 'the hidden neurons\' nonlinearity: tanh, relu or identity' },
  initScale: { type: 'number', minimum: 0, maximum: 10, default: 1, description: 'weights are drawn N(0, (initScale / √fan-in)²)' },
  initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial neurons and blocks' },
  batchSize: { type: 'integer', minimum: 1, maximum: 65536, default: 32, description: 'rows per training cycle (the minibatch)' },
};

function tableTask(task: Task, model: string): void {
  if (task.shape.kind !== 'table') throw new DiffstructError(`the ${model} model needs a table task (parity, spirals, checkerboard, csv...); "${task.type}" gives ${task.shape.kind} examples`);
}

export const feedforwardContribution: ModelContribution = {
  type: 'feedforward',
  description: 'table rows → dense hidden layers whose neurons carry multipliers (width grows per layer) → softmax or linear outputs',
  optionsSchema: {
    properties: {
      hidden: { type: 'array', minItems: 1, maxItems: 16, items: { type: 'integer', minimum: 1, maximum: MAX_WIDTH }, default: [1], description: 'neurons of each hidden layer at the start, e.g. [4, 4]' },
      maxHidden: size(100, 'the size cap of each hidden layer'),
      ...SHARED_OPTIONS,
    },
  },
  families: (options) => (options.hidden as number[]).map((_, l) => `hidden${l + 1}`),
  check(options: FeedforwardOptions) {
    const at = options.hidden.findIndex((units) => units > options.maxHidden);
    return at < 0 ? [] : [{ path: ['hidden', at], expected: `at most maxHidden (${options.maxHidden})`, found: String(options.hidden[at]) }];
  },
  create(options: FeedforwardOptions, { task, random }: ModelContext) {
    tableTask(task, 'feedforward');
    return new FeedforwardModel(options, task.shape, random);
  },
};

export const residualContribution: ModelContribution = {
  type: 'residual',
  description: 'table rows → a residual stack s + g·F(s) whose blocks are units (depth grows), optionally growing each block\'s width → outputs',
  optionsSchema: {
    properties: {
      width: size(16, 'features of the residual stream'),
      blocks: size(1, 'blocks at the start', 0),
      maxBlocks: size(64, 'the cap on blocks (growth stops below maxBlocks - 1)'),
      blockWidth: size(4, 'neurons in each block (at its start, with growWidth)'),
      growWidth: { type: 'boolean', default: false, description: 'grow each block\'s neurons too: a growable per block, family block-width' },
      maxBlockWidth: size(64, 'the cap on neurons per block, with growWidth'),
      ...SHARED_OPTIONS,
    },
  },
  families: (options) => (options.growWidth ? ['blocks', 'block-width'] : ['blocks']),
  check(options: ResidualOptions) {
    const problems = [];
    if (options.blocks > options.maxBlocks) problems.push({ path: ['blocks'], expected: `at most maxBlocks (${options.maxBlocks})`, found: String(options.blocks) });
    if (options.growWidth && options.blockWidth > options.maxBlockWidth) problems.push({ path: ['blockWidth'], expected: `at most maxBlockWidth (${options.maxBlockWidth})`, found: String(options.blockWidth) });
    return problems;
  },
  create(options: ResidualOptions, { task, random }: ModelContext) {
    tableTask(task, 'residual');
    return new ResidualModel(options, task.shape, random);
  },
};
