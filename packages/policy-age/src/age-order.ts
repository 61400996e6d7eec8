import type { GrowableView, PolicyContext } from '@diffstruct/core';
import type { ReserveOrder } from '@diffstruct/policy-threshold';

/** Which sub-threshold units are deleted first. */
export const DELETION_ORDERS = ['youngest-first', 'oldest-first', 'random'] as const;
export type DeletionOrder = (typeof DELETION_ORDERS)[number];

/**
 * Orders the sub-threshold units by age (cycles since added) so the ones to delete come last:
 * `youngest-first` keeps the oldest in reserve, `oldest-first` the youngest. With `softness`
 * τ > 0 the order is drawn at random instead, the unit at rank r of what remains being taken
 * with weight e^(−r/τ): τ → 0 is the strict order, τ → ∞ a uniform shuffle. Ties keep index order.
 */
export class AgeOrder implements ReserveOrder {
  private ranked: number[] = [];

  constructor(
    private readonly order: DeletionOrder,
    private readonly softness: number,
  ) {}

  arrange(units: Int32Array, count: number, growable: GrowableView, { random }: PolicyContext): void {
    if (this.order === 'random') {
      random.shuffle(units, count);
      return;
    }
    const oldestFirst = this.order === 'youngest-first';
    const ranked = this.ranked;
    ranked.length = 0;
    for (let i = 0; i < count; i++) ranked.push(units[i]);
    // Birth cycle ascending = oldest first.
    ranked.sort((a, b) => (oldestFirst ? 1 : -1) * (growable.birthCycle(a) - growable.birthCycle(b)) || a - b);
    if (this.softness <= 0) {
      for (let i = 0; i < count; i++) units[i] = ranked[i];
      return;
    }
    for (let position = 0; position < count; position++) {
      let total = 0;
      for (let r = 0; r < ranked.length; r++) total += Math.exp(-r / this.softness);
      let draw = random.uniform() * total;
      let pick = 0;
      for (; pick < ranked.length - 1; pick++) {
        draw -= Math.exp(-pick / this.softness);
        if (draw < 0) break;
      }
      units[position] = ranked[pick];
      ranked.splice(pick, 1);
    }
  }
}
