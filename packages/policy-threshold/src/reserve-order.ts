import type { GrowableView, PolicyContext } from '@diffstruct/core';

/**
 * Puts the sub-threshold units in order, in place: the first k stay as the reserve, each later
 * one is deleted with probability P_del. The paper shuffles them; others order by age, etc.
 */
export interface ReserveOrder {
  arrange(units: Int32Array, count: number, growable: GrowableView, context: PolicyContext): void;
}

/** The paper's order: the sub-threshold units are shuffled, so which ones stay is random. */
export const SHUFFLED_ORDER: ReserveOrder = Object.freeze({
  arrange(units: Int32Array, count: number, _growable: GrowableView, { random }: PolicyContext) {
    random.shuffle(units, count);
  },
});
