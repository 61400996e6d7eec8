import { expect } from 'chai';
import { type GrowableView, type Random, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { FixedSizePolicy } from './fixed-size-policy.js';
import { thresholdPolicyContribution } from './contributions.js';
import { thresholdPolicy } from './threshold-policy.js';
import type { ReserveOptions } from './reserve-options.js';
import { reservePolicyContribution } from './reserve-policy-contribution.js';
import { SHUFFLED_ORDER } from './reserve-order.js';

const PAPER: ReserveOptions = {
  reserve: 1,
  threshold: 0.05,
  minMultiplier: 0.025,
  addProbability: 0.05,
  deleteProbability: 0.25,
  spontaneousAddProbability: 1e-4,
  l1: 3e-5,
};

function population(multipliers: number[], maxSize = 100): GrowableView {
  return {
    id: 'hidden',
    size: multipliers.length,
    maxSize,
    multiplier: (i) => multipliers[i],
    unitId: (i) => i,
    birthCycle: () => 0,
  };
}

/** Uniform draws from a script, in order; shuffle leaves order as is. Fails on an unplanned draw. */
class ScriptedRandom implements Random {
  constructor(private readonly draws: number[]) {}
  uniform(): number {
    if (!this.draws.length) throw new Error('the policy drew more numbers than the test planned');
    return this.draws.shift()!;
  }
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  normal(): number {
    throw new Error('not expected');
  }
  shuffle<T, A extends { [index: number]: T; length: number }>(items: A): A {
    return items;
  }
  get unused(): number {
    return this.draws.length;
  }
}

function decide(multipliers: number[], draws: number[], options: Partial<ReserveOptions> = {}, maxSize = 100) {
  const random = new ScriptedRandom(draws);
  const decision = thresholdPolicy({ ...PAPER, ...options }).decide(population(multipliers, maxSize), policyContext(random, { cycle: 5 }));
  expect(random.unused, 'every scripted draw is used').to.equal(0);
  return decision;
}

describe('the threshold policy', () => {
  it('adds a unit at T_D when the reserve is short and the draw is below P_add', () => {
    const d = decide([1, 0.5], [0.049]);
    expect(d.remove).to.deep.equal([]);
    expect(d.add).to.deep.equal([{ init: 'random', multiplier: 0.05, reason: 'reserve-low' }]);
  });

  it('then tries the rare spontaneous addition when the P_add draw fails', () => {
    expect(decide([1, 0.5], [0.05, 0.5]).add).to.deep.equal([]);
    expect(decide([1, 0.5], [0.05, 0.99e-4]).add).to.deep.equal([{ init: 'random', multiplier: 0.05, reason: 'spontaneous' }]);
  });

  it('counts |m| <= T_D as sub-threshold: exactly k in reserve means no deletion and no reserve-low addition', () => {
    const d = decide([1, 0.05], [0.01]);
    expect(d.remove).to.deep.equal([]);
    expect(d.add).to.deep.equal([]);
  });

  it('keeps the first k of the shuffled reserve and deletes each other one with probability P_del', () => {
    const d = decide([1, 0.03, 0.04, 0.025, 0.9], [0.24, 0.25, 0.5]);
    expect(d.remove).to.deep.equal([2]);
    expect(d.removeReason).to.equal('excess-reserve');
  });

  it('honours a larger reserve k', () => {
    const d = decide([0.03, 0.03, 0.03, 0.03], [0, 0, 0.5], { reserve: 2 });
    expect(d.remove).to.deep.equal([2, 3]);
  });

  it('judges the reserve after deletion: k = 0 deletes every sub-threshold unit it draws for', () => {
    const d = decide([0.03, 1], [0.1, 0.01], { reserve: 0 });
    expect(d.remove).to.deep.equal([0]);
    expect(d.add).to.deep.equal([]); // reserve 0 is never short: only the spontaneous draw
  });

  it('never grows to maxSize - 1 units or beyond (no draw is even made)', () => {
    expect(decide(new Array(99).fill(1), []).add).to.deep.equal([]);
    expect(decide(new Array(98).fill(1), [0]).add).to.have.length(1);
    expect(decide(new Array(9).fill(1), [], {}, 10).add).to.deep.equal([]);
  });

  it('deletes at rate P_del and adds at rate P_add with a real stream', () => {
    const policy = thresholdPolicy(PAPER);
    const random = new RandomStream(1, 'policy');
    let deleted = 0;
    let added = 0;
    const trials = 20000;
    for (let i = 0; i < trials; i++) {
      deleted += policy.decide(population([0.03, 0.03, 1]), policyContext(random, { cycle: i })).remove.length;
      added += policy.decide(population([1, 1]), policyContext(random, { cycle: i })).add.length;
    }
    expect(deleted / trials).to.be.closeTo(0.25, 0.015);
    expect(added / trials).to.be.closeTo(0.05 + 0.95e-4, 0.006);
  });

  it('picks which reserve unit survives at random', () => {
    const policy = thresholdPolicy({ ...PAPER, deleteProbability: 1 });
    const random = new RandomStream(2, 'policy');
    const survivors = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const removed = policy.decide(population([0.03, 0.03, 0.03]), policyContext(random, { cycle: i })).remove;
      survivors.add([0, 1, 2].find((u) => !removed.includes(u))!);
    }
    expect([...survivors].sort()).to.deep.equal([0, 1, 2]);
  });

  it('refuses minMultiplier at or above threshold', () => {
    expect(thresholdPolicyContribution.check!({ ...PAPER, minMultiplier: 0.05 })).to.deep.equal([{ message: '{minMultiplier} must be below {threshold}' }]);
    expect(thresholdPolicyContribution.check!(PAPER)).to.deep.equal([]);
  });
});

describe('reservePolicyContribution', () => {
  it("refuses options of a policy's own that would silently replace the mechanism's", () => {
    const make = () =>
      reservePolicyContribution({ type: 'mine', description: 'd', options: { reserve: { type: 'string', default: 'x' } }, order: () => SHUFFLED_ORDER });
    expect(make).to.throw("policy mine: options reserve are the reserve mechanism's own");
  });
});

describe('FixedSizePolicy', () => {
  it('never changes the population but keeps the regularization', () => {
    const policy = new FixedSizePolicy({ l1: 3e-5, minMultiplier: 0.025 });
    const d = policy.decide();
    expect(d.add).to.deep.equal([]);
    expect(d.remove).to.deep.equal([]);
    expect(policy.regularization.l1).to.equal(3e-5);
  });
});

growthPolicyConformance('threshold', () => thresholdPolicy(PAPER));
growthPolicyConformance('threshold with k = 0 and P_del = 1', () => thresholdPolicy({ ...PAPER, reserve: 0, deleteProbability: 1, addProbability: 0.5 }));
growthPolicyConformance('none', () => new FixedSizePolicy({ l1: 3e-5, minMultiplier: 0.025 }));
