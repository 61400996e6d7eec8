import type { StateValue } from '../contracts/stateful.js';
import { isRecord } from '../state/state-encoding.js';
import { type ArrayAllocator, GrowableMatrix, PLAIN_ARRAYS } from './growable-matrix.js';

/**
 * A trainable array with its gradient and any per-entry optimizer state ("slots"). Every change
 * of shape is applied to all of them at once, so optimizer state always follows its parameter
 * and a removed unit leaves no entry behind in any of them. All of them take their arrays from
 * one allocator (plain arrays unless the model places them in its kernel's memory).
 */
export class Parameter {
  readonly value: GrowableMatrix;
  readonly grad: GrowableMatrix;
  private readonly slotsByName = new Map<string, GrowableMatrix>();

  constructor(
    readonly name: string,
    rows: number,
    cols: number,
    capacity = rows * cols,
    private readonly allocator: ArrayAllocator = PLAIN_ARRAYS,
  ) {
    this.value = new GrowableMatrix(rows, cols, capacity, allocator);
    this.grad = new GrowableMatrix(rows, cols, capacity, allocator);
  }

  get rows(): number {
    return this.value.rows;
  }

  get cols(): number {
    return this.value.cols;
  }

  get length(): number {
    return this.value.length;
  }

  /** Optimizer state of this parameter's shape, created zero-filled on first use. */
  slot(name: string): GrowableMatrix {
    let slot = this.slotsByName.get(name);
    if (!slot) {
      slot = new GrowableMatrix(this.rows, this.cols, this.value.capacity, this.allocator);
      this.slotsByName.set(name, slot);
    }
    return slot;
  }

  slotNames(): string[] {
    return [...this.slotsByName.keys()].sort();
  }

  zeroGrad(): void {
    this.grad.fill(0);
  }

  insertRows(at: number, count = 1): void {
    for (const m of this.arrays()) m.insertRows(at, count);
  }

  insertColumns(at: number, count = 1): void {
    for (const m of this.arrays()) m.insertColumns(at, count);
  }

  removeRows(indices: readonly number[]): void {
    for (const m of this.arrays()) m.removeRows(indices);
  }

  removeColumns(indices: readonly number[]): void {
    for (const m of this.arrays()) m.removeColumns(indices);
  }

  /** Values and optimizer slots; the gradient is not saved (every step overwrites it). */
  saveState(): StateValue {
    const slots: Record<string, StateValue> = {};
    for (const [name, slot] of this.slotsByName) slots[name] = slot.saveState();
    return { value: this.value.saveState(), slots };
  }

  loadState(state: StateValue): void {
    const { value, slots } = state as { value: StateValue; slots: StateValue };
    if (!isRecord(state) || !isRecord(slots)) throw new Error(`saved state of parameter ${this.name}: expected value and slots`);
    this.value.loadState(value);
    this.grad.loadState({ rows: this.value.rows, cols: this.value.cols, data: new Float64Array(this.value.length) });
    for (const [name, slot] of Object.entries(slots as Record<string, StateValue>)) this.slot(name).loadState(slot);
  }

  private *arrays(): Iterable<GrowableMatrix> {
    yield this.value;
    yield this.grad;
    yield* this.slotsByName.values();
  }
}
