import type { Random } from '@diffstruct/core';

/**
 * How weights start, initial and added units alike. Both draw from the model's weights stream
 * in index order, so a config and seed fix every weight.
 */

/** data[0 .. count) ← N(0, scale²) draws. */
export function fillNormal(data: Float64Array, count: number, random: Random, scale: number): void {
  for (let i = 0; i < count; i++) data[i] = random.normal() * scale;
}

/** One N(0, scale²) draw per call: a `UnitAxis.draw` for a new unit's weights. */
export function normalDraw(random: Random, scale: number): () => number {
  return () => random.normal() * scale;
}

/** scale / √fanIn: the standard deviation that keeps a unit's summed input near `scale` whatever its fan-in. */
export function fanInScale(scale: number, fanIn: number): number {
  return scale / Math.sqrt(Math.max(1, fanIn));
}

/** One N(0, fanInScale(scale, fanIn)²) draw per call, with the fan-in read at the time of the draw (it changes as layers grow). */
export function fanInNormalDraw(random: Random, scale: number, fanIn: () => number): () => number {
  return () => fanInScale(scale, fanIn()) * random.normal();
}
