import { RandomStream, type SequenceExample } from '@diffstruct/core';
import { randomSymbols as randomSymbolsOf } from '@diffstruct/layers/testing';
import { CharRnnModel, type CharRnnOptions } from './char-rnn-model.js';

export const V = 4;

export function smallModel(seed: number, N: number, T: number, extra: Partial<CharRnnOptions> = {}): CharRnnModel {
  const options: CharRnnOptions = {
    hidden: N,
    maxHidden: 100,
    unroll: T,
    initScale: 0.5,
    initialMultiplier: 1,
    multiplierOnRecurrent: false,
    kernel: 'simd-f64',
    ...extra,
  };
  const model = new CharRnnModel(options, V, new RandomStream(seed, 'init'));
  const r = new RandomStream(seed, 'test');
  const m = model.hiddenLayer.m.value.data;
  for (let i = 0; i < N; i++) m[i] = 0.1 + 1.4 * r.uniform();
  const h = model.hiddenLayer.state.data;
  for (let i = 0; i < N * (options.batch ?? 1); i++) h[i] = 2 * r.uniform() - 1;
  for (const p of model.layers.flatMap((l) => [...l.parameters()]))
    if (p.name === 'bh' || p.name === 'by') for (let i = 0; i < p.length; i++) p.value.data[i] = 0.3 * r.normal();
    // Away from 0, where σ'(mix) is largest, so the gradient checks see a share that is not ½.
    else if (p.name === 'mix') for (let i = 0; i < p.length; i++) p.value.data[i] = r.normal();
  return model;
}

/** A window of `length` random symbols out of the V of `smallModel`. */
export const randomSymbols = (seed: number, length: number): SequenceExample => randomSymbolsOf(seed, length, V);
