import type { Random } from '../random/random-stream.js';
import type { GrowableView, RemovedUnit, UnitInit } from './growable.js';
import type { StateValue } from './stateful.js';

export interface PolicyContext {
  readonly cycle: number;
  /** The run's policy stream: every draw a policy makes comes from here. */
  readonly random: Random;
}

export interface UnitAddition extends UnitInit {
  /** Why the unit is added, e.g. 'reserve-low' or 'spontaneous'; carried by the unitAdded event. */
  readonly reason: string;
}

export interface GrowthDecision {
  /** Indices of units to remove; applied before the additions. */
  readonly remove: readonly number[];
  readonly removeReason: string;
  readonly add: readonly UnitAddition[];
}

export const NO_CHANGE: GrowthDecision = Object.freeze({ remove: [], removeReason: '', add: [] });

/** A type alias, not an interface, so option types built on it stay assignable to plain records. */
export type Regularization = {
  /** L1 strength on the multipliers, per step counted by `Growable.l1Steps`. */
  readonly l1: number;
  /** Multipliers are raised to this value after every update. */
  readonly minMultiplier: number;
};

/**
 * Decides, after each update, which units of a growable to remove and how many to add, with an
 * initialisation for each. It never touches arrays: it returns a decision the trainer applies.
 */
export interface GrowthPolicy {
  readonly type: string;
  readonly regularization: Regularization;
  decide(growable: GrowableView, context: PolicyContext): GrowthDecision;
  /** State beyond the options (e.g. a pool of deleted units), for checkpoints; none if absent. */
  saveState?(): StateValue;
  loadState?(state: StateValue): void;
  /** Told what the trainer removed (weights included), e.g. to keep a pool of deleted units. */
  unitsRemoved?(growable: GrowableView, removed: readonly RemovedUnit[], context: PolicyContext): void;
}
