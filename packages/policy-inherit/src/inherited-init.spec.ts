import { expect } from 'chai';
import { RandomStream, type RemovedUnit } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { RESERVE_DEFAULTS, ReservePolicy, SHUFFLED_ORDER } from '@diffstruct/policy-threshold';
import { InheritedInit } from './inherited-init.js';

const PAPER = RESERVE_DEFAULTS;
const context = policyContext(new RandomStream(1, 'policy'), { cycle: 1 });
const removed = (unit: number, multiplier: number): RemovedUnit => ({ unit, index: 0, birthCycle: 0, multiplier, weights: { 'W:row': Float64Array.of(unit) } });

describe('InheritedInit', () => {
  it('starts random while the pool is empty', () => {
    expect(new InheritedInit({ poolSize: 3, pick: 'recent' }).next(0.05)).to.deep.equal({ init: 'random', multiplier: 0.05 });
  });

  it('recent: inherits from the most recently deleted unit, each pooled unit once', () => {
    const init = new InheritedInit({ poolSize: 3, pick: 'recent' });
    init.unitsRemoved([removed(1, 0.04), removed(2, 0.03)], context);
    const first = init.next(0.05);
    expect(first).to.include({ init: 'inherited', multiplier: 0.05, inheritedFrom: 2 });
    expect([...first.weights!['W:row']]).to.deep.equal([2]);
    expect(init.next(0.05)).to.include({ inheritedFrom: 1 });
    expect(init.next(0.05)).to.include({ init: 'random' });
  });

  it('best: inherits from the highest multiplier at deletion', () => {
    const init = new InheritedInit({ poolSize: 5, pick: 'best' });
    init.unitsRemoved([removed(1, 0.03), removed(2, 0.045), removed(3, 0.04)], context);
    expect(init.next(0.05)).to.include({ inheritedFrom: 2 });
    expect(init.next(0.05)).to.include({ inheritedFrom: 3 });
  });

  it('keeps at most poolSize units, dropping the oldest', () => {
    const init = new InheritedInit({ poolSize: 2, pick: 'recent' });
    init.unitsRemoved([removed(1, 0.03), removed(2, 0.03), removed(3, 0.03)], context);
    expect(init.poolSize).to.equal(2);
    expect([init.next(0.05).inheritedFrom, init.next(0.05).inheritedFrom, init.next(0.05).init]).to.deep.equal([3, 2, 'random']);
  });

  it('saves and restores its pool, weights included', () => {
    const init = new InheritedInit({ poolSize: 4, pick: 'recent' });
    init.unitsRemoved([removed(7, 0.03)], context);
    const copy = new InheritedInit({ poolSize: 4, pick: 'recent' });
    copy.loadState(init.saveState());
    expect(copy.next(0.05)).to.deep.equal(init.next(0.05));
  });
});

for (const pick of ['recent', 'best'] as const) {
  growthPolicyConformance(`inherited (${pick})`, () => new ReservePolicy('inherited', PAPER, SHUFFLED_ORDER, new InheritedInit({ poolSize: 10, pick })));
}
