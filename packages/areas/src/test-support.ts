import { RandomStream } from '@diffstruct/core';
import { perturbParameters, randomState } from '@diffstruct/layers/testing';
import type { AreasOptions } from './area-options.js';
import { AreasModel } from './areas-model.js';

export const V = 4;

/** Two areas feeding each other, sensory reading the symbol, both feeding the softmax. */
export const TWO_AREAS: Pick<AreasOptions, 'areas' | 'links' | 'areaTemplate'> = {
  areas: [
    { name: 'sensory', hidden: 3 },
    { name: 'memory', hidden: 2 },
  ],
  links: [
    { from: 'input', to: 'sensory' },
    { from: 'sensory', to: 'memory' },
    { from: 'memory', to: 'sensory' },
    { from: 'sensory', to: 'output' },
    { from: 'memory', to: 'output' },
  ],
  areaTemplate: 'memory',
};

/** One area reading the symbol and feeding the softmax: the char RNN with a multiplier a. */
export const ONE_AREA: Pick<AreasOptions, 'areas' | 'links' | 'areaTemplate'> = {
  areas: [{ name: 'main', hidden: 3 }],
  links: [
    { from: 'input', to: 'main' },
    { from: 'main', to: 'output' },
  ],
  areaTemplate: 'main',
};

/** Three areas in a chain input → a → b → c → output, with a link back from c to a. */
export const CHAIN: Pick<AreasOptions, 'areas' | 'links' | 'areaTemplate'> = {
  areas: [
    { name: 'a', hidden: 2 },
    { name: 'b', hidden: 3 },
    { name: 'c', hidden: 2 },
  ],
  links: [
    { from: 'input', to: 'a' },
    { from: 'a', to: 'b' },
    { from: 'b', to: 'c' },
    { from: 'c', to: 'a' },
    { from: 'c', to: 'output' },
  ],
  areaTemplate: 'b',
};

export function areasOptions(T: number, extra: Partial<AreasOptions> = {}): AreasOptions {
  return { ...TWO_AREAS, maxHidden: 8, maxAreas: 6, unroll: T, initScale: 0.5, initialMultiplier: 1, kernel: 'simd-f64', ...extra };
}

/** A small network with multipliers, biases and carried state away from their starting values, so every gradient term matters. */
export function smallAreas(seed: number, T: number, extra: Partial<AreasOptions> = {}, vocabulary = V): AreasModel {
  const model = new AreasModel(areasOptions(T, extra), vocabulary, new RandomStream(seed, 'init'));
  perturbParameters(
    model.layers.flatMap((l) => [...l.parameters()]),
    seed,
    { multipliers: ['m', 'a'], biases: ['b', 'by'] },
  );
  model.network.areas.forEach((area, k) => randomState(area.state.data, area.size, seed + k));
  return model;
}

/** Areas and neurons added and removed in turn, so indices move (on CHAIN the areas are a, c, b+3, b+4 after it). */
export function addAndRemoveUnits(model: AreasModel): void {
  const { network } = model;
  network.addUnit({ init: 'random', multiplier: 0.4 }, 1);
  model.growables[0].addUnit({ init: 'random', multiplier: 0.7 }, 2);
  network.removeUnits([1]);
  network.addUnit({ init: 'random', multiplier: 0.6 }, 3);
  model.growables[2].removeUnits([0]);
  model.growables[1].addUnit({ init: 'random', multiplier: 0.5 }, 4);
}
