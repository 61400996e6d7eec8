import type { ModelContext, ModelContribution } from '@diffstruct/core';
import { CHAR_RNN_OPTIONS, CharRnnModel, type CharRnnOptions, HIDDEN_FAMILY } from './char-rnn-model.js';

export const charRnnContribution: ModelContribution = {
  type: 'char-rnn',
  description: "one-hot symbols → growable tanh RNN with output multipliers → softmax (the paper's model)",
  optionsSchema: CHAR_RNN_OPTIONS,
  accepts: ['sequence'],
  families: () => [HIDDEN_FAMILY],
  check(options: CharRnnOptions) {
    return options.hidden <= options.maxHidden ? [] : [{ message: '{hidden} must be at most {maxHidden}' }];
  },
  create(options: CharRnnOptions, { task, random }: ModelContext) {
    return new CharRnnModel(options, task.shape.inputSize, random);
  },
};
