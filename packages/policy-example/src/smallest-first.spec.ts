import { expect } from 'chai';
import { type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { RESERVE_DEFAULTS, randomInit, type ReserveOptions, ReservePolicy } from '@diffstruct/policy-threshold';
import { SmallestFirstOrder } from './smallest-first-order.js';

const defaults = RESERVE_DEFAULTS;
const make = (options: Partial<ReserveOptions> = {}) => new ReservePolicy('smallest-first', { ...defaults, ...options }, new SmallestFirstOrder(), randomInit);

function units(multipliers: number[]): GrowableView {
  return { id: 'h', size: multipliers.length, maxSize: 100, multiplier: (i) => multipliers[i], unitId: (i) => i, birthCycle: () => 0 };
}

describe('smallest-first', () => {
  it('keeps the largest sub-threshold multiplier in reserve and deletes the smallest first', () => {
    const decision = make({ deleteProbability: 1 }).decide(units([1, 0.03, 0.049, 0.026, 0.8]), policyContext(new RandomStream(1, 'policy'), { cycle: 1 }));
    expect(decision.remove).to.deep.equal([1, 3]); // 0.049 stays in reserve; 0.03 and 0.026 go
  });

  it('orders by multiplier, largest first, ties by index', () => {
    const order = Int32Array.of(0, 1, 2, 3);
    new SmallestFirstOrder().arrange(order, 4, units([0.03, 0.04, 0.03, 0.05]));
    expect([...order]).to.deep.equal([3, 1, 0, 2]);
  });
});

growthPolicyConformance('smallest-first', () => make());
