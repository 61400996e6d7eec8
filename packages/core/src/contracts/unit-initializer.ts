import type { GrowableView, RemovedUnit, UnitInit } from './growable.js';
import type { PolicyContext } from './growth-policy.js';
import type { StateValue } from './stateful.js';

/**
 * Says how each new unit starts (fresh random weights, the weights of a deleted unit...): the
 * product of a `unitInit` plugin, chosen by a policy's `init` option.
 */
export interface UnitInitializer {
  readonly type: string;
  next(multiplier: number, growable: GrowableView, context: PolicyContext): UnitInit;
  /** Told about every removed unit, weights included. */
  unitsRemoved?(removed: readonly RemovedUnit[], context: PolicyContext): void;
  saveState?(): StateValue;
  loadState?(state: StateValue): void;
}
