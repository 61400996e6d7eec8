import { RandomStream } from '@diffstruct/core';
import { perturbParameters, randomState } from '@diffstruct/layers/testing';
import { GruModel } from './gru-model.js';
import type { GruOptions } from './gru-options.js';

export const V = 4;

/** A GRU of N units over T steps with weights, multipliers, biases and carried state large enough for every gradient to matter. */
export function smallGru(seed: number, N: number, T: number, extra: Partial<GruOptions> = {}): GruModel {
  const options: GruOptions = { hidden: N, maxHidden: 100, unroll: T, initScale: 0.5, initialMultiplier: 1, multiplierOnRecurrent: false, ...extra };
  const model = new GruModel(options, V, new RandomStream(seed, 'init'));
  perturbParameters(
    model.layers.flatMap((l) => [...l.parameters()]),
    seed,
    { multipliers: ['m'], biases: ['bz', 'br', 'bn', 'by'] },
  );
  randomState(model.gated.state.data, N, seed);
  return model;
}
