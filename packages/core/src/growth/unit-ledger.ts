import type { StateValue } from '../contracts/stateful.js';
import { field, isList, isNumber } from '../state/state-encoding.js';

/**
 * The bookkeeping every growable shares, whatever its units are (neurons, blocks): a stable id
 * per unit, never reused, and the cycle it was added, in index order.
 */
export class UnitLedger {
  private ids: number[] = [];
  private births: number[] = [];
  private nextId = 0;

  get size(): number {
    return this.ids.length;
  }

  get unitIds(): readonly number[] {
    return this.ids;
  }

  unitId(index: number): number {
    return this.ids[index];
  }

  birthCycle(index: number): number {
    return this.births[index];
  }

  /** Appends a unit born at `cycle`; returns its new id. */
  add(cycle: number): number {
    const unit = this.nextId++;
    this.ids.push(unit);
    this.births.push(cycle);
    return unit;
  }

  remove(indices: readonly number[]): void {
    const gone = new Set(indices);
    const keep = (_: number, i: number) => !gone.has(i);
    this.ids = this.ids.filter(keep);
    this.births = this.births.filter(keep);
  }

  saveState(): { ids: number[]; births: number[]; nextId: number } {
    return { ids: [...this.ids], births: [...this.births], nextId: this.nextId };
  }

  /** Restores what `saveState` gave; `owner` names the growable in errors. */
  loadState(state: StateValue, owner: string): void {
    const ids = field<number[]>(state, 'ids', isList, 'a list');
    const births = field<number[]>(state, 'births', isList, 'a list');
    if (ids.length !== births.length) throw new Error(`saved state of ${owner}: ${ids.length} ids but ${births.length} birth cycles`);
    this.nextId = field<number>(state, 'nextId', isNumber, 'a number');
    this.ids = [...ids];
    this.births = [...births];
  }
}
