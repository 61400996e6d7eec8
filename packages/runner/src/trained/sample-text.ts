import { DiffstructError, RandomStream } from '@diffstruct/core';
import type { TrainedSeed } from './trained-seed.js';

export interface SampleOptions {
  /** Symbols to draw. */
  readonly length: number;
  /** > 0: probabilities are raised to 1 / temperature (below 1 sharper, above 1 flatter). */
  readonly temperature: number;
  /** Text fed to the network first, printed before what is drawn. */
  readonly prime?: string;
  /** Seeds the draws: the same seed gives the same text. */
  readonly randomSeed: number;
}

/**
 * Text drawn from a trained sequence model, symbol by symbol, each from the model's probabilities
 * of the next symbol given those before (from a zero state). `prime` is fed first and returned in
 * front; without it the first symbol is drawn uniformly from the vocabulary, but for its unknown
 * symbol (which stands for characters the network never saw, and which no text starts with).
 */
export function sampleText(trained: TrainedSeed, options: SampleOptions): string {
  const { model, task } = trained.setup;
  const vocabulary = task.shape.vocabulary;
  if (task.shape.kind !== 'sequence' || !vocabulary)
    throw new DiffstructError(
      `sample draws text from a sequence model; arm ${trained.arm.name} trains a ${model.type} model on the ${task.type} task (${task.shape.kind} rows): use diffstruct predict`,
    );
  if (!model.sequenceSampler)
    throw new DiffstructError(`the ${model.type} model cannot be run one symbol at a time (no sequenceSampler), so it cannot be sampled`);
  const sampler = model.sequenceSampler();
  const random = new RandomStream(options.randomSeed, 'sample');
  const probabilities = new Float64Array(vocabulary.length);
  const weights = new Float64Array(vocabulary.length);
  const primed = options.prime ? symbolsOf(options.prime, vocabulary) : [];
  const drawn: number[] = [];
  sampler.reset();
  let symbol = primed.length ? primed[0] : firstSymbol(vocabulary.length, task.shape.unknownSymbol, random);
  if (!primed.length) drawn.push(symbol);
  for (let i = 1; i < primed.length; i++) {
    sampler.next(symbol, probabilities);
    symbol = primed[i];
  }
  while (drawn.length < options.length) {
    sampler.next(symbol, probabilities);
    symbol = draw(probabilities, options.temperature, weights, random);
    drawn.push(symbol);
  }
  return (options.prime ?? '') + drawn.map((s) => vocabulary[s]).join('');
}

/** A symbol drawn uniformly from the `size` of the vocabulary, `unknown` (when given) left out. */
function firstSymbol(size: number, unknown: number | undefined, random: RandomStream): number {
  if (unknown === undefined) return random.int(size);
  const symbol = random.int(size - 1);
  return symbol < unknown ? symbol : symbol + 1;
}

/** An index drawn with probability ∝ p^(1/temperature), computed in logs so a low temperature does not underflow to all zeros. */
function draw(probabilities: Float64Array, temperature: number, weights: Float64Array, random: RandomStream): number {
  let max = -Infinity;
  for (let i = 0; i < probabilities.length; i++) {
    weights[i] = Math.log(probabilities[i]) / temperature;
    if (weights[i] > max) max = weights[i];
  }
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] = Math.exp(weights[i] - max);
  let u = random.uniform() * sum;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** The prime as vocabulary indices, longest name first at each position; text the vocabulary cannot spell is refused. */
function symbolsOf(prime: string, vocabulary: readonly string[]): number[] {
  const byLength = vocabulary.map((name, index) => ({ name, index })).filter((s) => s.name.length > 0);
  byLength.sort((a, b) => b.name.length - a.name.length);
  const symbols: number[] = [];
  for (let at = 0; at < prime.length; ) {
    const match = byLength.find((s) => prime.startsWith(s.name, at));
    if (!match) {
      const shown = vocabulary.map((v) => JSON.stringify(v)).join(' ');
      throw new DiffstructError(
        `--prime: ${JSON.stringify(String.fromCodePoint(prime.codePointAt(at)!))} (at character ${at + 1}) is not in the vocabulary the network was trained on: ${shown.length > 400 ? `${shown.slice(0, 400)}…` : shown}`,
      );
    }
    symbols.push(match.index);
    at += match.name.length;
  }
  return symbols;
}
