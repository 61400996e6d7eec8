import type { Random } from '../random/random-stream.js';
import type { AddedUnit, GrowableView, RemovedUnit, UnitInit } from './growable.js';
import type { StateValue } from './stateful.js';

/**
 * What a policy sees of training when it decides (docs/method.md#what-a-policy-sees): read-only,
 * and the same in every run of a config and seed, so decisions stay deterministic.
 */
export interface PolicyContext {
  /** Cycles trained so far, the one just finished included. */
  readonly cycle: number;
  /** Cycles the run will train in all. */
  readonly totalCycles: number;
  /** The loss of the cycle just trained. */
  readonly loss: number;
  /** The smooth loss after it (docs/method.md#smooth-loss). */
  readonly smoothLoss: number;
  /** The task's phase, e.g. 'easy' then 'hard' in a schedule; a task with one phase has one name. */
  readonly phase: string;
  /**
   * ∂loss/∂m of each unit of the growable being decided, from the cycle just trained: the loss's
   * own gradient, before L1 and clipping. One entry per unit, entry i for unit i of the view; NaN
   * for a growable the cycle did not train (one created by this cycle's growth). Empty in
   * `unitsRemoved`/`unitsAdded`, where indices have moved. The context and this array are reused
   * every cycle: copy what you keep.
   */
  readonly multiplierGradient: ArrayLike<number>;
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
  /** Read by the trainer at every update, so a policy may change it as training goes (saved state must restore it). */
  readonly regularization: Regularization;
  decide(growable: GrowableView, context: PolicyContext): GrowthDecision;
  /** State beyond the options (e.g. a pool of deleted units), for checkpoints; none if absent. */
  saveState?(): StateValue;
  loadState?(state: StateValue): void;
  /** Told what the trainer removed (weights included), e.g. to keep a pool of deleted units. */
  unitsRemoved?(growable: GrowableView, removed: readonly RemovedUnit[], context: PolicyContext): void;
  /** Told which units (ids and indices) the last decision's additions became, in its order. */
  unitsAdded?(growable: GrowableView, added: readonly AddedUnit[], context: PolicyContext): void;
  /**
   * Figures the policy decides on, published as metrics.csv columns `<family>.<name>` and drawn by
   * the report: one object whose values the policy updates in place. Its keys are read once, when
   * training starts (from the policy of the family's first growable; a family with no growable
   * then has no columns); its values at every log row, averaged over the family's growables that
   * decided that cycle, NaN left out. Values must follow from the policy's saved state, so a
   * resumed run logs the same.
   */
  readonly signals?: Readonly<Record<string, number>>;
}
