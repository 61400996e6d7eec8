/** Every gradient entry is clipped to [−clip, clip] before the update (docs/method.md#gradient-clipping). */
export const CLIP_OPTION = { type: 'number', minimum: 0, default: 5, description: 'gradients are clipped to [-clip, clip]; 0 for none' } as const;

/** The bound the `clip` option sets: none when it is 0. */
export const clipBound = (clip: number): number => (clip > 0 ? clip : Infinity);

/** `g` clipped to [−bound, bound] (NaN stays NaN, so a diverged run is still caught). */
export function clipped(g: number, bound: number): number {
  return g > bound ? bound : g < -bound ? -bound : g;
}
