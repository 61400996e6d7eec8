import { expect } from 'chai';
import { Parameter } from '../arrays/parameter.js';
import { UnitPopulation } from './unit-population.js';

/** Two populations joined by a link L (targets × sources): a source owns a column of L, indexed by the targets' units. */
function linked(): { sources: UnitPopulation; targets: UnitPopulation; L: Parameter } {
  const L = new Parameter('L', 3, 2, 64);
  L.value.data.set([11, 12, 21, 22, 31, 32]);
  let drawn = 100;
  const draw = () => drawn++;
  const ids = (p: UnitPopulation) => () => Array.from({ length: p.size }, (_, i) => p.unitId(i));
  const sources: UnitPopulation = new UnitPopulation('sources', {
    size: 2,
    maxSize: 8,
    l1Steps: 1,
    multipliers: new Parameter('ms', 2, 1, 8),
    axes: [{ parameter: L, axis: 'column', draw, otherUnits: () => ids(targets)() }],
    states: [],
    birthCycle: 40,
  });
  const targets: UnitPopulation = new UnitPopulation('targets', {
    size: 3,
    maxSize: 8,
    l1Steps: 1,
    multipliers: new Parameter('mt', 3, 1, 8),
    axes: [{ parameter: L, axis: 'row', draw, otherUnits: () => ids(sources)() }],
    states: [],
  });
  return { sources, targets, L };
}

describe('UnitPopulation', () => {
  it('gives its first units the birth cycle it is made with (0 by default)', () => {
    const { sources, targets } = linked();
    expect([sources.birthCycle(0), sources.birthCycle(1), targets.birthCycle(0)]).to.deep.equal([40, 40, 0]);
  });

  it("re-aligns an axis indexed by another population's units by their ids: a unit added there since is drawn afresh", () => {
    const { sources, targets, L } = linked();
    const [gone] = sources.removeUnits([0]); // its column: 11, 21, 31 for targets 0, 1, 2
    targets.removeUnits([0]);
    targets.addUnit({ init: 'random', multiplier: 1 }, 1); // targets are now [1, 2, 3]
    const { index } = sources.addUnit({ init: 'inherited', multiplier: 1, weights: gone.weights }, 2);
    // Target 3 drew 100 for its row (one source then); the new source draws 101 for target 3 alone.
    expect([0, 1, 2].map((r) => L.value.get(r, index))).to.deep.equal([21, 31, 101]);
  });
});
