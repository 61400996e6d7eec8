import { expect } from 'chai';
import { type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { RESERVE_DEFAULTS, ReservePolicy } from '@diffstruct/policy-threshold';
import { randomInit } from '@diffstruct/policy-threshold';
import { AgeOrder, type DeletionOrder } from './age-order.js';

const PAPER = RESERVE_DEFAULTS;

/** Units 0..n-1, all sub-threshold, born at the given cycles. */
function population(births: number[]): GrowableView {
  return { id: 'h', size: births.length, maxSize: 100, multiplier: () => 0.03, unitId: (i) => i, birthCycle: (i) => births[i] };
}

function arrange(order: DeletionOrder, births: number[], softness = 0, seed = 1): number[] {
  const units = Int32Array.from(births.map((_, i) => i));
  new AgeOrder(order, softness).arrange(units, units.length, population(births), policyContext(new RandomStream(seed, 'policy'), { cycle: 1000 }));
  return [...units];
}

describe('AgeOrder', () => {
  const births = [500, 10, 900, 300, 10];

  it('youngest-first keeps the oldest in reserve and puts the youngest last (ties by index)', () => {
    expect(arrange('youngest-first', births)).to.deep.equal([1, 4, 3, 0, 2]);
  });

  it('oldest-first keeps the youngest in reserve and puts the oldest last', () => {
    expect(arrange('oldest-first', births)).to.deep.equal([2, 0, 3, 1, 4]);
  });

  it('random shuffles', () => {
    const orders = new Set([1, 2, 3, 4, 5, 6].map((seed) => arrange('random', births, 0, seed).join()));
    expect(orders.size).to.be.greaterThan(1);
  });

  it('with softness, keeps the strict order most often, and others sometimes', () => {
    const firsts = new Map<number, number>();
    for (let seed = 0; seed < 400; seed++) {
      const first = arrange('youngest-first', births, 1, seed)[0];
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // Weights e^(-r): the strict first (unit 1) is picked with probability 1 / Σ e^(-r) ≈ 0.64.
    expect(firsts.get(1)! / 400).to.be.closeTo(0.64, 0.08);
    expect(firsts.size).to.be.greaterThan(2);
  });

  it('decides which unit survives deletion in the policy: with P_del = 1 the reserve is the oldest unit', () => {
    const policy = new ReservePolicy('age-biased', { ...PAPER, deleteProbability: 1 }, new AgeOrder('youngest-first', 0), randomInit);
    const decision = policy.decide(population(births), policyContext(new RandomStream(1, 'policy'), { cycle: 1000 }));
    expect([...decision.remove].sort()).to.deep.equal([0, 2, 3, 4]);
  });
});

for (const order of ['youngest-first', 'oldest-first', 'random'] as const) {
  growthPolicyConformance(`age-biased ${order}`, () => new ReservePolicy('age-biased', PAPER, new AgeOrder(order, 0), randomInit));
}
growthPolicyConformance('age-biased soft', () => new ReservePolicy('age-biased', PAPER, new AgeOrder('oldest-first', 2), randomInit));
