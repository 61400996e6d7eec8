import type { Model } from '../../contracts/model.js';
import type { RandomStream } from '../../random/random-stream.js';

/**
 * One step of random growth: each growable adds a unit or loses a random one (adds while it has
 * fewer than 2 units, never beyond maxSize). Growables may come and go with the structure (a
 * block brings its own width), so one removed by an earlier growable's change is skipped.
 */
export function growAtRandom(model: Model, random: RandomStream, cycle: number): void {
  for (const g of [...model.growables]) {
    if (!model.growables.includes(g)) continue;
    if (random.uniform() < 0.5 || g.size < 2) {
      if (g.size < g.maxSize) g.addUnit({ init: 'random', multiplier: 0.05 }, cycle);
    } else g.removeUnits([random.int(g.size)]);
  }
}

/** Every parameter of the model, layer by layer. */
export const parametersOf = (model: Model) => model.layers.flatMap((l) => [...l.parameters()]);
