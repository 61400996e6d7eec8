import { expect } from 'chai';
import { Parameter } from '../arrays/parameter.js';
import { initializeUnitWeights } from './unit-weights.js';
import type { UnitAxis } from './unit-population.js';

/** A recurrent-style population of 3 units with a new unit at index 3: W (4×2) by row, R (4×4) by row and column, b by row. */
function newUnitAxes(): { axes: UnitAxis[]; W: Parameter; R: Parameter; b: Parameter; draws: number[] } {
  const W = new Parameter('W', 4, 2);
  const R = new Parameter('R', 4, 4);
  const b = new Parameter('b', 4, 1);
  const draws: number[] = [];
  let next = 100;
  const draw = () => {
    draws.push(next);
    return next++;
  };
  const axes: UnitAxis[] = [
    { parameter: W, axis: 'row', draw },
    { parameter: R, axis: 'row', acrossUnits: true, draw },
    { parameter: R, axis: 'column', acrossUnits: true, draw },
    { parameter: b, axis: 'row' },
  ];
  return { axes, W, R, b, draws };
}

describe('initializeUnitWeights', () => {
  it('draws every entry of the new unit in axis order, the diagonal once, and leaves axes without draw at 0', () => {
    const { axes, W, R, b, draws } = newUnitAxes();
    initializeUnitWeights(axes, 3, undefined);
    expect([W.value.get(3, 0), W.value.get(3, 1)]).to.deep.equal([100, 101]);
    expect([0, 1, 2, 3].map((c) => R.value.get(3, c))).to.deep.equal([102, 103, 104, 105]);
    expect([0, 1, 2].map((r) => R.value.get(r, 3))).to.deep.equal([106, 107, 108]);
    expect(draws).to.have.length(9);
    expect(b.value.data[3]).to.equal(0);
    expect(W.value.get(0, 0)).to.equal(0, 'other units are untouched');
  });

  it('takes inherited entries where they are numbers, draws where they are NaN, and ignores axes that do not inherit', () => {
    const { axes, W, R, b, draws } = newUnitAxes();
    const noInherit = axes.map((a) => (a.parameter === b ? { ...a, inherits: false } : a));
    const inherited = {
      'W:row': Float64Array.of(1, Number.NaN),
      'R:row': Float64Array.of(2, 3, 4, 5),
      'R:column': Float64Array.of(6, 7, 8, 9),
      'b:row': Float64Array.of(10),
    };
    initializeUnitWeights(noInherit, 3, inherited);
    expect([W.value.get(3, 0), W.value.get(3, 1)]).to.deep.equal([1, 100]);
    expect([0, 1, 2, 3].map((c) => R.value.get(3, c))).to.deep.equal([2, 3, 4, 5], 'the diagonal comes from the row');
    expect([0, 1, 2].map((r) => R.value.get(r, 3))).to.deep.equal([6, 7, 8]);
    expect(b.value.data[3]).to.equal(0);
    expect(draws).to.deep.equal([100]);
    initializeUnitWeights(axes, 3, inherited);
    expect(b.value.data[3]).to.equal(10, 'an axis inherits by default');
  });
});
