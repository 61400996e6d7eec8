// Fixtures for a model's specs: random examples, and parameters moved away from their starting
// values so that every gradient matters in a gradient check.
import { createTableExample, type Model, type Parameter, RandomStream, type SequenceExample, type TableExample, type TaskShape } from '@diffstruct/core';

/** A window of `length` random symbols out of `vocabularySize`. */
export function randomSymbols(seed: number, length: number, vocabularySize: number): SequenceExample {
  const r = new RandomStream(seed, 'symbols');
  return { symbols: Int32Array.from({ length }, () => r.int(vocabularySize)) };
}

/** A batch of random rows (N(0, 1) features) with random classes or N(0, 1) values. */
export function randomRows(seed: number, shape: TaskShape, batchSize: number): TableExample {
  const r = new RandomStream(seed, 'rows');
  const example = createTableExample(shape, batchSize);
  for (let i = 0; i < example.inputs.length; i++) example.inputs[i] = r.normal();
  for (let i = 0; i < example.labels.length; i++) example.labels[i] = r.int(shape.outputSize);
  for (let i = 0; i < example.targets.length; i++) example.targets[i] = r.normal();
  return example;
}

export interface PerturbNames {
  /** Parameters set to 0.2 + U(0, 1): away from 0 (where a unit does nothing) and from 1 (where m·x = x hides a wrong factor). */
  readonly multipliers?: readonly string[];
  /** Parameters set to 0.3 · N(0, 1): away from 0, where a missing bias gradient would go unseen. */
  readonly biases?: readonly string[];
}

/** Moves the named parameters away from their starting values, in the order given. */
export function perturbParameters(parameters: readonly Parameter[], seed: number, names: PerturbNames): void {
  const r = new RandomStream(seed, 'perturb');
  for (const p of parameters) {
    if (names.multipliers?.includes(p.name)) for (let i = 0; i < p.length; i++) p.value.data[i] = 0.2 + r.uniform();
    if (names.biases?.includes(p.name)) for (let i = 0; i < p.length; i++) p.value.data[i] = 0.3 * r.normal();
  }
}

/** data[0 .. count) ← U(−1, 1): a carried state (e.g. a hidden state) as it might be mid-run. */
export function randomState(data: Float64Array, count: number, seed: number): void {
  const r = new RandomStream(seed, 'state');
  for (let i = 0; i < count; i++) data[i] = 2 * r.uniform() - 1;
}

/**
 * What a sequence model's sampler says of `symbols` from a zero state: the summed −log probability
 * of each next symbol (what `evaluateLoss` gives after `resetState`), and the largest distance of
 * any step's probabilities from summing to 1.
 */
export function samplerLoss(model: Model<SequenceExample>, symbols: Int32Array, vocabularySize: number): { loss: number; worstSum: number } {
  const sampler = model.sequenceSampler!();
  sampler.reset();
  const probabilities = new Float64Array(vocabularySize);
  let loss = 0;
  let worstSum = 0;
  for (let t = 0; t + 1 < symbols.length; t++) {
    sampler.next(symbols[t], probabilities);
    loss -= Math.log(probabilities[symbols[t + 1]]);
    worstSum = Math.max(worstSum, Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1));
  }
  return { loss, worstSum };
}

/** `count` windows of `length` symbols cut from one random text, each starting with the last symbol of the one before (as a task's held-out windows). */
export function consecutiveWindows(seed: number, count: number, length: number, vocabularySize: number): SequenceExample[] {
  const { symbols } = randomSymbols(seed, count * (length - 1) + 1, vocabularySize);
  return Array.from({ length: count }, (_, i) => ({ symbols: symbols.slice(i * (length - 1), i * (length - 1) + length) }));
}

/**
 * Trains `model` by plain gradient steps (value −= 0.1 · gradient) on `windows` in turn, calling
 * `between(step)` before each step; returns every parameter's values and gradients and the
 * `carried` state as one hex string, to compare runs byte for byte.
 */
export function trainedBytes(
  model: { trainStep(example: SequenceExample): number; readonly layers: readonly { parameters(): readonly Parameter[] }[] },
  windows: readonly SequenceExample[],
  carried: () => Float64Array,
  between: (step: number) => void = () => undefined,
): string {
  const parameters = model.layers.flatMap((l) => [...l.parameters()]);
  windows.forEach((window, step) => {
    between(step);
    model.trainStep(window);
    for (const p of parameters) for (let i = 0; i < p.length; i++) p.value.data[i] -= 0.1 * p.grad.data[i];
  });
  const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  return [...parameters.flatMap((p) => [bytes(p.value.toArray()), bytes(p.grad.toArray())]), bytes(carried())].join(' ');
}
