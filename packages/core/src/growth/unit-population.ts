import type { GrowableMatrix } from '../arrays/growable-matrix.js';
import type { Parameter } from '../arrays/parameter.js';
import type { AddedUnit, Growable, RemovedUnit, UnitInit, UnitWeights } from '../contracts/growable.js';
import type { StateValue } from '../contracts/stateful.js';
import { field, isList } from '../state/state-encoding.js';
import { UnitLedger } from './unit-ledger.js';
import { initializeUnitWeights, weightsKey } from './unit-weights.js';

/** A parameter axis indexed by unit: a unit owns one row (or one column) of `parameter`. */
export interface UnitAxis {
  readonly parameter: Parameter;
  readonly axis: 'row' | 'column';
  /** The axis's other dimension is indexed by this same population (e.g. a recurrent matrix). */
  readonly acrossUnits?: boolean;
  /**
   * The ids, in index order, of the units of another population that index the axis's other
   * dimension (e.g. a link between two areas): a removed unit's slice is saved with them, and a
   * unit that inherits it takes each entry where the same unit still is, matched by id.
   */
  readonly otherUnits?: () => readonly number[];
  /** Draws a new unit's entry on this axis where it inherits none; the entry stays 0 without it (biases). */
  readonly draw?: () => number;
  /** Whether a new unit takes this axis's entries from `UnitInit.weights` (default true). */
  readonly inherits?: boolean;
}

export interface UnitPopulationOptions {
  readonly size: number;
  /** Growables of one family share a `policies:` entry and a metrics column (see `Growable.family`). */
  readonly family?: string;
  readonly maxSize: number;
  /** A number, or a function read every cycle when the weight of L1 changes as the network trains. */
  readonly l1Steps: number | (() => number);
  /** size × 1; also listed as a row axis implicitly. */
  readonly multipliers: Parameter;
  /**
   * Every other parameter axis that has one entry per unit; a new unit's entries are written in
   * this order (see `initializeUnitWeights`), so the order fixes the random draws.
   */
  readonly axes: readonly UnitAxis[];
  /** Carried per-unit state (e.g. the hidden state), size × k: a unit owns one row. */
  readonly states: readonly GrowableMatrix[];
  /** The cycle the initial units were born (0 by default): a population made when a larger unit, e.g. an area, is added. */
  readonly birthCycle?: number;
}

/** Keys of a snapshot that are not parameter slices: the removed unit's id and the ids of its population. */
const UNIT_KEY = '$unit';
const UNITS_KEY = '$units';
/** The key of the other population's ids an axis with `otherUnits` was saved with, e.g. 'a->b:row$units'. */
const otherUnitsKey = (axis: UnitAxis) => `${weightsKey(axis)}${UNITS_KEY}`;

/**
 * The bookkeeping every growable layer shares: stable unit ids and birth cycles, and adding or
 * removing a unit's entry along every axis, state and optimizer slot at once.
 */
export class UnitPopulation implements Growable {
  readonly maxSize: number;
  readonly multipliers: Parameter;
  readonly family?: string;
  private readonly l1: number | (() => number);
  private readonly axes: readonly UnitAxis[];
  private readonly states: readonly GrowableMatrix[];
  private readonly ledger = new UnitLedger();

  constructor(
    readonly id: string,
    options: UnitPopulationOptions,
  ) {
    this.maxSize = options.maxSize;
    if (options.family !== undefined) this.family = options.family;
    this.l1 = options.l1Steps;
    this.multipliers = options.multipliers;
    this.axes = options.axes;
    this.states = options.states;
    for (let i = 0; i < options.size; i++) this.ledger.add(options.birthCycle ?? 0);
  }

  get size(): number {
    return this.ledger.size;
  }

  get l1Steps(): number {
    return typeof this.l1 === 'number' ? this.l1 : this.l1();
  }

  multiplier(index: number): number {
    return this.multipliers.value.data[index];
  }

  unitId(index: number): number {
    return this.ledger.unitId(index);
  }

  birthCycle(index: number): number {
    return this.ledger.birthCycle(index);
  }

  addUnit(init: UnitInit, cycle: number): AddedUnit {
    const index = this.size;
    this.multipliers.insertRows(index);
    for (const a of this.axes) a.axis === 'row' ? a.parameter.insertRows(index) : a.parameter.insertColumns(index);
    for (const s of this.states) s.insertRows(index);
    this.multipliers.value.data[index] = init.multiplier;
    initializeUnitWeights(this.axes, index, init.weights && this.align(init.weights, index));
    return { unit: this.ledger.add(cycle), index };
  }

  removeUnits(indices: readonly number[]): RemovedUnit[] {
    if (!indices.length) return [];
    const removed = indices.map((index) => ({
      unit: this.unitId(index),
      index,
      birthCycle: this.birthCycle(index),
      multiplier: this.multiplier(index),
      weights: this.snapshot(index),
    }));
    this.multipliers.removeRows(indices);
    for (const a of this.axes) a.axis === 'row' ? a.parameter.removeRows(indices) : a.parameter.removeColumns(indices);
    for (const s of this.states) s.removeRows(indices);
    this.ledger.remove(indices);
    return removed;
  }

  /** Unit ids, birth cycles and carried state; parameters are saved with their layers. */
  saveState(): StateValue {
    return { ...this.ledger.saveState(), states: this.states.map((s) => s.saveState()) };
  }

  loadState(state: StateValue): void {
    const states = field<StateValue[]>(
      state,
      'states',
      (v) => isList(v) && (v as StateValue[]).length === this.states.length,
      `a list of ${this.states.length}`,
    );
    this.ledger.loadState(state, this.id);
    this.states.forEach((s, i) => s.loadState(states[i]));
  }

  /** Re-indexes a removed unit's slices for the new unit at `index`, matching units by id. */
  private align(weights: UnitWeights, index: number): UnitWeights {
    const aligned: Record<string, Float64Array> = {};
    const oldIds = weights[UNITS_KEY];
    const self = weights[UNIT_KEY]?.[0];
    for (const a of this.axes) {
      const saved = weights[weightsKey(a)];
      if (!saved) continue;
      const m = a.parameter.value;
      const length = a.axis === 'row' ? m.cols : m.rows;
      const out = new Float64Array(length).fill(NaN);
      if (a.otherUnits) {
        const savedOthers = weights[otherUnitsKey(a)];
        const others = a.otherUnits();
        if (savedOthers)
          for (let k = 0; k < length; k++) {
            const at = savedOthers.indexOf(others[k]);
            if (at >= 0 && at < saved.length) out[k] = saved[at];
          }
      } else if (!a.acrossUnits) {
        if (saved.length === length) out.set(saved);
      } else if (oldIds) {
        for (let k = 0; k < length; k++) {
          const id = k === index ? self : this.ledger.unitId(k);
          const at = oldIds.indexOf(id ?? NaN);
          if (at >= 0 && at < saved.length) out[k] = saved[at];
        }
      }
      aligned[weightsKey(a)] = out;
    }
    return aligned;
  }

  private snapshot(index: number): UnitWeights {
    const weights: Record<string, Float64Array> = { [UNIT_KEY]: Float64Array.of(this.unitId(index)), [UNITS_KEY]: Float64Array.from(this.ledger.unitIds) };
    for (const a of this.axes) {
      const m = a.parameter.value;
      weights[weightsKey(a)] =
        a.axis === 'row' ? m.data.slice(index * m.cols, (index + 1) * m.cols) : Float64Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + index]);
      if (a.otherUnits) weights[otherUnitsKey(a)] = Float64Array.from(a.otherUnits());
    }
    return weights;
  }
}
