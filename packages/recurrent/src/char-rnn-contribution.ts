import { DiffstructError, type ModelContext, type ModelContribution } from '@diffstruct/core';
import { CharRnnModel, type CharRnnOptions } from './char-rnn-model.js';
import { RNN_KERNELS } from './rnn-kernel.js';

/** Most hidden units a config may ask for: each N × N array takes N² · 8 bytes (32 MB at 2000), and a model holds several per worker. */
export const MAX_HIDDEN_LIMIT = 2000;

export const charRnnContribution: ModelContribution = {
  type: 'char-rnn',
  description: 'one-hot symbols → growable tanh RNN with output multipliers → softmax (the paper\'s model)',
  optionsSchema: {
    properties: {
      hidden: { type: 'integer', minimum: 1, maximum: MAX_HIDDEN_LIMIT, default: 1, description: 'hidden units at the start' },
      maxHidden: { type: 'integer', minimum: 1, maximum: MAX_HIDDEN_LIMIT, default: 100, description: 'the size cap (growth stops below maxHidden - 1)' },
      unroll: { type: 'integer', minimum: 1, maximum: 10000, default: 40, description: 'time steps per cycle (T)' },
      initScale: { type: 'number', minimum: 0, maximum: 10, default: 0.01, description: 'standard deviation of initial and added weights' },
      initialMultiplier: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'multiplier of the initial units' },
      multiplierOnRecurrent: { type: 'boolean', default: false, description: 'apply the multiplier on the recurrent path too' },
      kernel: {
        enum: RNN_KERNELS,
        default: 'simd-f64',
        description: 'forward/backward implementation: simd-f64 (WebAssembly SIMD, float64), simd-f32 (float32, faster), reference (plain TypeScript)',
      },
    },
  },
  families: () => ['hidden'],
  check(options: CharRnnOptions) {
    return options.hidden <= options.maxHidden ? [] : [{ path: ['hidden'], expected: `at most maxHidden (${options.maxHidden})`, found: String(options.hidden) }];
  },
  create(options: CharRnnOptions, { task, random }: ModelContext) {
    if (task.shape.kind !== 'sequence') throw new DiffstructError(`the char-rnn model needs a sequence task; "${task.type}" gives ${task.shape.kind} examples`);
    return new CharRnnModel(options, task.shape.inputSize, random);
  },
};
