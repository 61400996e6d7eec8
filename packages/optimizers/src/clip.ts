/** Every gradient entry is clipped to [−clip, clip] before the update (docs/method.md#gradient-clipping). */
export const CLIP_OPTION = { type: 'number', minimum: 0, default: 5, description: 'gradients are clipped to [-clip, clip]; 0 for none' } as const;

/** The bound the `clip` option sets: none when it is 0. */
export const clipBound = (clip: number): number => (clip > 0 ? clip : Infinity);

/**
 * `g` clipped to [−bound, bound] (NaN stays NaN, so a diverged run is still caught; −0 stays −0).
 * Math.min/max, not a conditional choosing between `g` and `bound`: V8 then boxed every entry as a
 * heap number (the bound may be a small integer or Infinity), which made Adagrad allocate per entry.
 */
export function clipped(g: number, bound: number): number {
  return Math.min(bound, Math.max(-bound, g));
}
