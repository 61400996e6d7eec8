import type { ModelContext, ModelContribution } from '@diffstruct/core';
import { GRU_FAMILY, GruModel } from './gru-model.js';
import { GRU_OPTIONS, type GruOptions } from './gru-options.js';

export const gruContribution: ModelContribution = {
  type: 'gru',
  description: 'one-hot symbols → growable gated recurrent units (GRU) with output multipliers → softmax',
  optionsSchema: GRU_OPTIONS,
  accepts: ['sequence'],
  families: () => [GRU_FAMILY],
  check(options: GruOptions) {
    return options.hidden <= options.maxHidden ? [] : [{ message: '{hidden} must be at most {maxHidden}' }];
  },
  create(options: GruOptions, { task, random }: ModelContext) {
    return new GruModel(options, task.shape.inputSize, random);
  },
};
