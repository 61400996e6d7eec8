import { expect } from 'chai';
import { defaultsOf, type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { __CONSTANT___OPTIONS, __Class__ } from './policy.js';

const defaults = defaultsOf(__CONSTANT___OPTIONS);

/** A population of units with these multipliers, as the policy sees it. */
function units(multipliers: number[], maxSize = 100): GrowableView {
  return { id: 'hidden', size: multipliers.length, maxSize, multiplier: (i) => multipliers[i], unitId: (i) => i, birthCycle: () => 0 };
}

describe('__type__', () => {
  const random = new RandomStream(1, 'policy');
  // policyContext fills what a test does not give: policyContext(random, { cycle, smoothLoss, multiplierGradient })

  it('deletes only units below threshold, and never the last unit', () => {
    const policy = new __Class__({ ...defaults, deleteProbability: 1 });
    expect(policy.decide(units([1, 0.01, 0.3, 0.02]), policyContext(random, { cycle: 1 })).remove).to.deep.equal([1, 3]);
    expect(policy.decide(units([0.01]), policyContext(random, { cycle: 1 })).remove).to.deep.equal([]);
  });

  it('adds one unit every growEvery cycles, while the population stays below its cap', () => {
    const policy = new __Class__({ ...defaults, growEvery: 10 });
    expect(policy.decide(units([1, 1]), policyContext(random, { cycle: 9 })).add).to.deep.equal([]);
    expect(policy.decide(units([1, 1]), policyContext(random, { cycle: 10 })).add).to.deep.equal([{ init: 'random', multiplier: 0.05, reason: 'scheduled' }]);
    expect(policy.decide(units([1, 1], 3), policyContext(random, { cycle: 10 })).add).to.deep.equal([]);
  });
});

// The contract every growth policy keeps: decisions within bounds, never an empty population,
// the size cap, the same decisions for the same seed, and exact continuation from saved state.
growthPolicyConformance('__type__', () => new __Class__(defaults));
