import { createTableExample, RandomStream, type TableExample, type TaskShape } from '@diffstruct/core';
import { FeedforwardModel } from './feedforward-model.js';
import type { FeedforwardOptions, ResidualOptions } from './model-options.js';
import { ResidualModel } from './residual-model.js';

export const CLASSES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 4, targets: 'classes' };
export const VALUES: TaskShape = { kind: 'table', inputSize: 3, outputSize: 2, targets: 'values' };

/** A batch of random rows with random classes or values. */
export function randomBatch(seed: number, shape: TaskShape, batchSize = 5): TableExample {
  const r = new RandomStream(seed, 'rows');
  const example = createTableExample(shape, batchSize);
  for (let i = 0; i < example.inputs.length; i++) example.inputs[i] = r.normal();
  for (let i = 0; i < example.labels.length; i++) example.labels[i] = r.int(shape.outputSize);
  for (let i = 0; i < example.targets.length; i++) example.targets[i] = r.normal();
  return example;
}

/** Multipliers and biases away from their starting values, so every gradient matters. */
function perturb(seed: number, parameters: readonly { name: string; length: number; value: { data: Float64Array } }[]): void {
  const r = new RandomStream(seed, 'perturb');
  for (const p of parameters) {
    if (p.name === 'm' || p.name === 'g') for (let i = 0; i < p.length; i++) p.value.data[i] = 0.2 + r.uniform();
    if (p.name === 'b') for (let i = 0; i < p.length; i++) p.value.data[i] = 0.3 * r.normal();
  }
}

export function smallFeedforward(seed: number, shape: TaskShape, extra: Partial<FeedforwardOptions> = {}): FeedforwardModel {
  const options: FeedforwardOptions = { hidden: [3, 2], maxHidden: 8, activation: 'tanh', initScale: 1, initialMultiplier: 1, batchSize: 5, ...extra };
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
    ...extra,
  };
  const model = new ResidualModel(options, shape, new RandomStream(seed, 'init'));
  perturb(
    seed,
    model.layers.flatMap((l) => [...l.parameters()]),
  );
  return model;
}
