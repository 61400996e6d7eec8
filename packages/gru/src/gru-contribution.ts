import type { ModelContext, ModelContribution, TaskShape } from '@diffstruct/core';
import { estimateModelBytes } from '@diffstruct/layers';
import { GRU_FAMILY, GruModel } from './gru-model.js';
import { GRU_OPTIONS, type GruOptions, gruExampleRequest } from './gru-options.js';

export const gruContribution: ModelContribution = {
  type: 'gru',
  description: 'one-hot symbols → growable gated recurrent units (GRU) with output multipliers → softmax',
  optionsSchema: GRU_OPTIONS,
  accepts: ['sequence'],
  exampleRequest: gruExampleRequest,
  evaluates: true,
  families: () => [GRU_FAMILY],
  check(options: GruOptions) {
    return options.hidden <= options.maxHidden ? [] : [{ message: '{hidden} must be at most {maxHidden}' }];
  },
  memoryBytes(options: GruOptions, { inputSize, outputSize }: TaskShape) {
    // Three gates of maxHidden units over one-hot inputs, its state kept at every unrolled step for the backward pass.
    const units = options.maxHidden;
    const weights = 3 * (units * (inputSize + units + 1)) + units * (outputSize + 1) + outputSize;
    return estimateModelBytes(weights, options.unroll * (3 * units + inputSize + outputSize));
  },
  create(options: GruOptions, { task, random }: ModelContext) {
    return new GruModel(options, task.shape.inputSize, random);
  },
};
