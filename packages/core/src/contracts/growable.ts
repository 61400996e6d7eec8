import type { Parameter } from '../arrays/parameter.js';
import type { Stateful } from './stateful.js';

/** One unit's slice of every parameter it owns, by parameter name (what removal hands back). */
export type UnitWeights = Readonly<Record<string, Float64Array>>;

/** How a new unit starts. */
export interface UnitInit {
  /** 'random' draws fresh weights; any other name (e.g. 'inherited') says where `weights` came from. */
  readonly init: string;
  readonly multiplier: number;
  /** Weights to start from, shaped as `RemovedUnit.weights`; a missing entry is drawn at random. */
  readonly weights?: UnitWeights;
  /** Id of the unit the weights came from, when they came from one. */
  readonly inheritedFrom?: number;
}

export interface AddedUnit {
  readonly unit: number;
  readonly index: number;
}

export interface RemovedUnit {
  readonly unit: number;
  readonly index: number;
  readonly birthCycle: number;
  readonly multiplier: number;
  readonly weights: UnitWeights;
}

/** What a growth policy may read of a population of units. */
export interface GrowableView {
  /** Stable id, e.g. 'hidden'; appears in events, and names the metrics column unless a family does. */
  readonly id: string;
  /**
   * Growables of one family (e.g. the width of every residual block) share one `policies:`
   * entry of the config and one metrics column (their sizes summed); their unit events name it.
   * The id when absent.
   */
  readonly family?: string;
  readonly size: number;
  /** The policy may not grow the population to this size or beyond. */
  readonly maxSize: number;
  multiplier(index: number): number;
  /** Id of the unit at `index`, stable for the unit's life and never reused. */
  unitId(index: number): number;
  /** Cycle at which the unit at `index` was added (0 for the initial units). */
  birthCycle(index: number): number;
}

/**
 * A population of units (neurons, residual blocks...) each carrying a learned multiplier under
 * L1 pressure. Adding or removing units keeps every parameter, gradient, optimizer-state and
 * carried-state array consistent. Its state (unit ids, ages, carried state) is checkpointed;
 * its parameters are saved with the layers that own them.
 */
export interface Growable extends GrowableView, Stateful {
  /** The multipliers, a parameter of shape size × 1; the trainer adds L1 and applies the floor. */
  readonly multipliers: Parameter;
  /**
   * The weight of the L1 term per update, a count or not: e.g. the number of unrolled time steps
   * (L1 counts once per step), or |g| of the residual block holding these neurons (their gradient
   * is scaled by g, so their penalty is too). Read every cycle.
   */
  readonly l1Steps: number;
  addUnit(init: UnitInit, cycle: number): AddedUnit;
  /** Removes the units at `indices`; returns what they were, in the order given. */
  removeUnits(indices: readonly number[]): RemovedUnit[];
  /**
   * Of the units a policy decided to remove (`indices`, in its order), those that may go together;
   * the training loop removes only these, and the others stay (e.g. an area without which no path
   * would lead from the input to the output). Absent: every unit may go.
   */
  removable?(indices: readonly number[]): readonly number[];
}
