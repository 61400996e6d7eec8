import type { ModelContext, ModelContribution, TaskShape } from '@diffstruct/core';
import { estimateModelBytes } from '@diffstruct/layers';
import { CHAR_RNN_OPTIONS, CharRnnModel, type CharRnnOptions, charRnnExampleRequest, HIDDEN_FAMILY, linksOf } from './char-rnn-model.js';

export const charRnnContribution: ModelContribution = {
  type: 'char-rnn',
  description: "one-hot symbols → growable tanh RNN with output multipliers → softmax (the paper's model)",
  optionsSchema: CHAR_RNN_OPTIONS,
  accepts: ['sequence'],
  exampleRequest: charRnnExampleRequest,
  evaluates: true,
  families: () => [HIDDEN_FAMILY],
  check(options: CharRnnOptions) {
    const problems = [];
    if (options.hidden > options.maxHidden) problems.push({ message: '{hidden} must be at most {maxHidden}' });
    return problems;
  },
  memoryBytes(options: CharRnnOptions, { inputSize, outputSize }: TaskShape) {
    // One tanh layer of maxHidden units over one-hot inputs, its state kept at every unrolled step of every window for the backward pass.
    const units = options.maxHidden;
    // Modulatory links swap Whh for Mhh; learned ones keep both and add a share per unit.
    const recurrent = linksOf(options) === 'learned' ? 2 * units + 1 : units;
    const weights = units * (inputSize + recurrent + 1) + units * (outputSize + 1) + outputSize;
    return estimateModelBytes(weights, (options.batch ?? 1) * options.unroll * (units + inputSize + outputSize));
  },
  create(options: CharRnnOptions, { task, random }: ModelContext) {
    return new CharRnnModel(options, task.shape.inputSize, random);
  },
};
