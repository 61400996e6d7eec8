import { expect } from 'chai';
import fc from 'fast-check';
import { GrowableMatrix } from './growable-matrix.js';

/** The reference: a plain array of rows, edited the obvious way. */
type Rows = number[][];

type Op =
  | { kind: 'insertRows'; at: number; count: number }
  | { kind: 'insertColumns'; at: number; count: number }
  | { kind: 'removeRows'; picks: number[] }
  | { kind: 'removeColumns'; picks: number[] };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insertRows' as const), at: fc.nat(20), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('insertColumns' as const), at: fc.nat(20), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('removeRows' as const), picks: fc.array(fc.nat(50), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('removeColumns' as const), picks: fc.array(fc.nat(50), { maxLength: 4 }) }),
);

let stamps = 1;

/** A fresh value, written into the reference at (r, c) and returned for the matrix. */
function stamp(ref: Rows, r: number, c: number): number {
  ref[r][c] = stamps++;
  return ref[r][c];
}

function apply(m: GrowableMatrix, ref: Rows, op: Op): void {
  const cols = m.cols;
  switch (op.kind) {
    case 'insertRows': {
      const at = op.at % (m.rows + 1);
      m.insertRows(at, op.count);
      ref.splice(at, 0, ...Array.from({ length: op.count }, () => new Array(cols).fill(0)));
      // Write fresh values into the new rows so later moves are checked on distinct data.
      for (let r = at; r < at + op.count; r++) for (let c = 0; c < cols; c++) m.set(r, c, stamp(ref, r, c));
      break;
    }
    case 'insertColumns': {
      const at = op.at % (cols + 1);
      m.insertColumns(at, op.count);
      for (const row of ref) row.splice(at, 0, ...new Array(op.count).fill(0));
      for (let r = 0; r < m.rows; r++) for (let c = at; c < at + op.count; c++) m.set(r, c, stamp(ref, r, c));
      break;
    }
    case 'removeRows': {
      if (m.rows === 0) return;
      const indices = [...new Set(op.picks.map((p) => p % m.rows))];
      m.removeRows(indices);
      for (const i of [...indices].sort((a, b) => b - a)) ref.splice(i, 1);
      break;
    }
    case 'removeColumns': {
      if (cols === 0) return;
      const indices = [...new Set(op.picks.map((p) => p % cols))];
      m.removeColumns(indices);
      for (const row of ref) for (const i of [...indices].sort((a, b) => b - a)) row.splice(i, 1);
      break;
    }
  }
}

describe('GrowableMatrix', () => {
  it('matches a plain array of rows after any sequence of inserts and removals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.array(opArbitrary, { maxLength: 30 }), (rows, cols, ops) => {
        const ref: Rows = Array.from({ length: rows }, () => Array.from({ length: cols }, () => stamps++));
        const m = GrowableMatrix.from(rows, cols, ref.flat());
        for (const op of ops) {
          apply(m, ref, op);
          expect(m.rows).to.equal(ref.length);
          if (ref.length) expect(m.cols).to.equal(ref[0].length);
          expect([...m.toArray()]).to.deep.equal(ref.flat());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('grows capacity geometrically, not on every insert', () => {
    const m = new GrowableMatrix(1, 1);
    const buffers = new Set<Float64Array>();
    for (let n = 1; n < 100; n++) {
      m.insertRows(m.rows);
      m.insertColumns(m.cols);
      buffers.add(m.data);
    }
    expect(m.rows).to.equal(100);
    expect(buffers.size).to.be.below(16);
  });

  it('refuses out-of-range and repeated indices', () => {
    const m = new GrowableMatrix(3, 2);
    expect(() => m.removeRows([3])).to.throw(RangeError, 'out of range');
    expect(() => m.removeColumns([1, 1])).to.throw(RangeError, 'listed twice');
    expect(() => m.insertRows(4)).to.throw(RangeError);
    expect(m.rows).to.equal(3);
  });
});
