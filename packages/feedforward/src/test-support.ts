import { type Parameter, RandomStream, type TableExample, type TaskShape } from '@diffstruct/core';
import { perturbParameters, randomRows } from '@diffstruct/layers/testing';
import { FeedforwardModel } from './feedforward-model.js';
import type { FeedforwardOptions, ResidualOptions } from './model-options.js';
import { ResidualModel } from './residual-model.js';

export const CLASSES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 4, targets: 'classes' };
export const VALUES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 2, targets: 'values' };

/** A batch of random rows (5 unless said) with random classes or values. */
export const randomBatch = (seed: number, shape: TaskShape, batchSize = 5): TableExample => randomRows(seed, shape, batchSize);

const perturb = (seed: number, parameters: readonly Parameter[]) => perturbParameters(parameters, seed, { multipliers: ['m', 'g'], biases: ['b'] });

export function smallFeedforward(seed: number, shape: TaskShape, extra: Partial<FeedforwardOptions> = {}): FeedforwardModel {
  const options: FeedforwardOptions = {
    hidden: [3, 2],
    maxHidden: 8,
    activation: 'tanh',
    initScale: 1,
    initialMultiplier: 1,
    batchSize: 5,
    kernel: 'simd-f64',
    ...extra,
  };
  const model = new FeedforwardModel(options, shape, new RandomStream(seed, 'init'));
  perturb(
    seed,
    model.layers.flatMap((l) => [...l.parameters()]),
  );
  return model;
}

export function smallResidual(seed: number, shape: TaskShape, extra: Partial<ResidualOptions> = {}): ResidualModel {
  const options: ResidualOptions = {
    width: 3,
    blocks: 2,
    maxBlocks: 6,
    blockWidth: 2,
    growWidth: true,
    maxBlockWidth: 5,
    activation: 'tanh',
    initScale: 1,
    initialMultiplier: 1,
    batchSize: 5,
    kernel: 'simd-f64',
    ...extra,
  };
  const model = new ResidualModel(options, shape, new RandomStream(seed, 'init'));
  perturb(
    seed,
    model.layers.flatMap((l) => [...l.parameters()]),
  );
  return model;
}
