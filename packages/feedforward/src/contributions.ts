import type { ModelContext, ModelContribution, TaskShape } from '@diffstruct/core';
import { estimateModelBytes } from '@diffstruct/layers';
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

export const feedforwardContribution: ModelContribution = {
  type: 'feedforward',
  description: 'table rows → dense hidden layers whose neurons carry multipliers (width grows per layer) → softmax or linear outputs',
  optionsSchema: FEEDFORWARD_OPTIONS,
  accepts: ['table'],
  exampleRequest: (options: FeedforwardOptions) => ({ batchSize: options.batchSize }),
  evaluates: true,
  families: feedforwardFamilies,
  check(options: FeedforwardOptions) {
    const at = options.hidden.findIndex((units) => units > options.maxHidden);
    return at < 0 ? [] : [{ message: `{hidden[${at}]} must be at most {maxHidden}` }];
  },
  memoryBytes(options: FeedforwardOptions, { inputSize, outputSize }: TaskShape) {
    // Every layer at its cap.
    const widths = options.hidden.map(() => options.maxHidden);
    let weights = 0;
    let fanIn = inputSize;
    for (const width of [...widths, outputSize]) {
      weights += (fanIn + 2) * width;
      fanIn = width;
    }
    const units = widths.reduce((sum, w) => sum + w, inputSize + outputSize);
    return estimateModelBytes(weights, options.batchSize * units);
  },
  create(options: FeedforwardOptions, { task, random }: ModelContext) {
    return new FeedforwardModel(options, task.shape, random);
  },
};

export const residualContribution: ModelContribution = {
  type: 'residual',
  description: "table rows → a residual stack s + g·F(s) whose blocks are units (depth grows), optionally growing each block's width → outputs",
  optionsSchema: RESIDUAL_OPTIONS,
  accepts: ['table'],
  exampleRequest: (options: ResidualOptions) => ({ batchSize: options.batchSize }),
  evaluates: true,
  families: residualFamilies,
  check(options: ResidualOptions) {
    const problems = [];
    if (options.blocks > options.maxBlocks) problems.push({ message: '{blocks} must be at most {maxBlocks}' });
    if (options.growWidth && options.blockWidth > options.maxBlockWidth)
      problems.push({ message: '{blockWidth} must be at most {maxBlockWidth} with {growWidth}' });
    return problems;
  },
  memoryBytes(options: ResidualOptions, { inputSize, outputSize }: TaskShape) {
    // Every block present, each at its widest; a block keeps its branch and its hidden neurons per row.
    const inner = options.growWidth ? options.maxBlockWidth : options.blockWidth;
    const perBlock = 2 * inner * options.width + inner + options.width + 1;
    const weights = (inputSize + 1) * options.width + options.maxBlocks * perBlock + (options.width + 1) * outputSize;
    const activations = options.batchSize * (inputSize + outputSize + options.width + options.maxBlocks * (options.width + inner));
    return estimateModelBytes(weights, activations);
  },
  create(options: ResidualOptions, { task, random }: ModelContext) {
    return new ResidualModel(options, task.shape, random);
  },
};
