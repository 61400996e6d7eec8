import type { StateValue } from '../contracts/stateful.js';
import { field, isFloat64Array, isNumber } from '../state/state-encoding.js';

/**
 * Where matrices keep their entries: plain arrays by default. A model may hand its parameters an
 * allocator that places them where its kernel reads and writes them in place (a WebAssembly
 * memory), so that no cycle copies them in and out. Every array it returns is zero-filled.
 */
export interface ArrayAllocator {
  allocate(length: number): Float64Array;
}

/** Plain `Float64Array`s. */
export const PLAIN_ARRAYS: ArrayAllocator = { allocate: (length) => new Float64Array(length) };

/**
 * A row-major matrix in a `Float64Array` that can gain and lose rows and columns in place.
 * Storage is packed (row stride = `cols`) so numeric kernels can index `data[r * cols + c]`;
 * capacity grows geometrically, so adding a unit reallocates only now and then.
 * `data` may be longer than `rows * cols`, and is replaced when capacity grows: read it afresh
 * after any change of shape.
 */
export class GrowableMatrix {
  private buffer: Float64Array;
  private rowCount: number;
  private colCount: number;

  constructor(
    rows: number,
    cols: number,
    capacity = rows * cols,
    private readonly allocator: ArrayAllocator = PLAIN_ARRAYS,
  ) {
    assertCount(rows, 'rows');
    assertCount(cols, 'cols');
    this.rowCount = rows;
    this.colCount = cols;
    this.buffer = allocator.allocate(Math.max(capacity, rows * cols, 1));
  }

  static from(rows: number, cols: number, values: ArrayLike<number>): GrowableMatrix {
    if (values.length !== rows * cols) throw new RangeError(`expected ${rows * cols} values, got ${values.length}`);
    const m = new GrowableMatrix(rows, cols);
    m.buffer.set(values);
    return m;
  }

  get rows(): number {
    return this.rowCount;
  }

  get cols(): number {
    return this.colCount;
  }

  get length(): number {
    return this.rowCount * this.colCount;
  }

  get data(): Float64Array {
    return this.buffer;
  }

  get capacity(): number {
    return this.buffer.length;
  }

  get(row: number, col: number): number {
    return this.buffer[row * this.colCount + col];
  }

  set(row: number, col: number, value: number): void {
    this.buffer[row * this.colCount + col] = value;
  }

  /** The live entries, copied. */
  toArray(): Float64Array {
    return this.buffer.slice(0, this.length);
  }

  fill(value: number): void {
    this.buffer.fill(value, 0, this.length);
  }

  /** Inserts `count` zero rows before row `at`. */
  insertRows(at: number, count = 1): void {
    assertPosition(at, this.rowCount, 'row');
    const cols = this.colCount;
    this.reserve((this.rowCount + count) * cols);
    this.buffer.copyWithin((at + count) * cols, at * cols, this.rowCount * cols);
    this.buffer.fill(0, at * cols, (at + count) * cols);
    this.rowCount += count;
  }

  /** Inserts `count` zero columns before column `at`. */
  insertColumns(at: number, count = 1): void {
    assertPosition(at, this.colCount, 'column');
    const oldCols = this.colCount;
    const newCols = oldCols + count;
    this.reserve(this.rowCount * newCols);
    const b = this.buffer;
    // Last row first: every row moves to a higher offset, so nothing is overwritten before it is read.
    for (let r = this.rowCount - 1; r >= 0; r--) {
      const from = r * oldCols;
      const to = r * newCols;
      b.copyWithin(to + at + count, from + at, from + oldCols);
      b.copyWithin(to, from, from + at);
      b.fill(0, to + at, to + at + count);
    }
    this.colCount = newCols;
  }

  /** Removes the rows at `indices` (any order, no duplicates). */
  removeRows(indices: readonly number[]): void {
    const sorted = sortedUnique(indices, this.rowCount, 'row');
    const cols = this.colCount;
    compactRuns(this.buffer, sorted, this.rowCount, cols, 0);
    this.rowCount -= sorted.length;
  }

  /** Removes the columns at `indices` (any order, no duplicates). */
  removeColumns(indices: readonly number[]): void {
    const sorted = sortedUnique(indices, this.colCount, 'column');
    if (sorted.length === 0) return;
    const oldCols = this.colCount;
    const newCols = oldCols - sorted.length;
    const b = this.buffer;
    let write = 0;
    for (let r = 0; r < this.rowCount; r++) {
      const rowStart = r * oldCols;
      let runStart = 0;
      for (let k = 0; k <= sorted.length; k++) {
        const runEnd = k < sorted.length ? sorted[k] : oldCols;
        b.copyWithin(write, rowStart + runStart, rowStart + runEnd);
        write += runEnd - runStart;
        runStart = runEnd + 1;
      }
    }
    this.colCount = newCols;
  }

  saveState(): StateValue {
    return { rows: this.rowCount, cols: this.colCount, data: this.toArray() };
  }

  /** Takes the saved shape and values (capacity grows as needed). */
  loadState(state: StateValue): void {
    const rows = field<number>(state, 'rows', isNumber, 'a number');
    const cols = field<number>(state, 'cols', isNumber, 'a number');
    const data = field<Float64Array>(state, 'data', isFloat64Array, 'a Float64Array');
    if (data.length !== rows * cols) throw new Error(`saved state: a ${rows} × ${cols} matrix with ${data.length} values`);
    this.reserve(rows * cols);
    this.rowCount = rows;
    this.colCount = cols;
    this.buffer.set(data);
  }

  private reserve(needed: number): void {
    if (needed <= this.buffer.length) return;
    const grown = this.allocator.allocate(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** Moves the blocks of `width` entries that are not in `removed` to the front, in order. */
function compactRuns(b: Float64Array, removed: readonly number[], count: number, width: number, offset: number): void {
  let write = offset;
  let runStart = 0;
  for (let k = 0; k <= removed.length; k++) {
    const runEnd = k < removed.length ? removed[k] : count;
    b.copyWithin(write, offset + runStart * width, offset + runEnd * width);
    write += (runEnd - runStart) * width;
    runStart = runEnd + 1;
  }
}

function sortedUnique(indices: readonly number[], size: number, what: string): number[] {
  const sorted = [...indices].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const index = sorted[i];
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`${what} ${index} is out of range 0..${size - 1}`);
    if (i > 0 && sorted[i - 1] === index) throw new RangeError(`${what} ${index} is listed twice`);
  }
  return sorted;
}

function assertPosition(at: number, size: number, what: string): void {
  if (!Number.isInteger(at) || at < 0 || at > size) throw new RangeError(`${what} position ${at} is out of range 0..${size}`);
}

function assertCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}
