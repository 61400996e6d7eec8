import type { GrowableView } from '@diffstruct/core';
import type { ReserveOrder } from '@diffstruct/policy-threshold';

/**
 * Keeps the sub-threshold units with the largest multipliers in reserve and offers the ones
 * with the smallest for deletion first. Ties keep index order, so no random draw is needed.
 */
export class SmallestFirstOrder implements ReserveOrder {
  private readonly scratch: number[] = [];

  arrange(units: Int32Array, count: number, growable: GrowableView): void {
    const order = this.scratch;
    order.length = 0;
    for (let i = 0; i < count; i++) order.push(units[i]);
    order.sort((a, b) => growable.multiplier(b) - growable.multiplier(a) || a - b);
    for (let i = 0; i < count; i++) units[i] = order[i];
  }
}
