import { RandomStream } from '@diffstruct/core';
import { perturbParameters, randomState, randomSymbols } from '@diffstruct/layers/testing';
import { GruModel } from './gru-model.js';
import type { GruOptions } from './gru-options.js';

export const V = 4;

/** A GRU of N units over T steps with weights, multipliers, biases and carried state large enough for every gradient to matter. */
export function smallGru(seed: number, N: number, T: number, extra: Partial<GruOptions> = {}): GruModel {
  const options: GruOptions = {
    hidden: N,
    maxHidden: 100,
    unroll: T,
    initScale: 0.5,
    initialMultiplier: 1,
    multiplierOnRecurrent: false,
    kernel: 'simd-f64',
    ...extra,
  };
  const model = new GruModel(options, V, new RandomStream(seed, 'init'));
  perturbParameters(
    model.layers.flatMap((l) => [...l.parameters()]),
    seed,
    { multipliers: ['m'], biases: ['bz', 'br', 'bn', 'by'] },
  );
  randomState(model.gated.state.data, N, seed);
  return model;
}

/** What one training step of `model` computes: the loss, every gradient by parameter name, and the carried state (as h). */
export interface StepOutcome {
  readonly loss: number;
  readonly arrays: Record<string, Float64Array>;
}

export function trainStepOutcome(model: GruModel, seed: number): StepOutcome {
  const loss = model.trainStep(randomSymbols(seed, model.exampleRequest.length!, V));
  const arrays: Record<string, Float64Array> = { h: model.gated.state.toArray() };
  for (const p of model.layers.flatMap((l) => [...l.parameters()])) arrays[p.name] = p.grad.toArray();
  return { loss, arrays };
}
