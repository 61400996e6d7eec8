import { expect } from 'chai';
import { type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { PLATEAU_OPTIONS, type PlateauOptions } from './plateau-options.js';
import { PlateauPolicy } from './plateau-policy.js';
import { plateauPolicy } from './index.js';

const DEFAULTS: PlateauOptions = { window: 100, minImprovement: 0.1, threshold: 0.05, deleteProbability: 1, l1: 3e-5, minMultiplier: 0.025 };
const make = (options: Partial<PlateauOptions> = {}) => new PlateauPolicy({ ...DEFAULTS, ...options });

function units(multipliers: number[], births: number[] = multipliers.map(() => 0)): GrowableView {
  return { id: 'h', size: multipliers.length, maxSize: 100, multiplier: (i) => multipliers[i], unitId: (i) => i, birthCycle: (i) => births[i] };
}

/** Feeds the policy a smooth loss per cycle; returns the cycles at which it added a unit. */
function growthCycles(policy: PlateauPolicy, smoothLoss: (cycle: number) => number, cycles: number, phase = (_: number) => 'main'): number[] {
  const random = new RandomStream(1, 'policy');
  const grown: number[] = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const decision = policy.decide(units([1]), policyContext(random, { cycle, smoothLoss: smoothLoss(cycle), phase: phase(cycle) }));
    if (decision.add.length) grown.push(cycle);
  }
  return grown;
}

describe('plateau', () => {
  it('adds no unit while the smooth loss keeps falling faster than minImprovement per window', () => {
    expect(growthCycles(make(), (c) => 20 - 0.002 * c, 1000)).to.deep.equal([]); // 0.2 per window of 100
  });

  it('adds a unit once per window while the smooth loss is flat, after a whole window is seen', () => {
    expect(growthCycles(make(), () => 10, 400)).to.deep.equal([100, 200, 300, 400]);
  });

  it('publishes the fall of the smooth loss over the last window as its signal', () => {
    const policy = make();
    growthCycles(policy, (c) => 20 - 0.001 * c, 300);
    expect(policy.signals.improvement).to.be.closeTo(0.1, 1e-9);
  });

  it('starts the window afresh when the task switches', () => {
    expect(
      growthCycles(
        make(),
        () => 10,
        250,
        (c) => (c < 150 ? 'easy' : 'hard'),
      ),
    ).to.deep.equal([100, 250]);
  });

  it('deletes units at or below T_D once older than the window, never the last one', () => {
    const context = policyContext(new RandomStream(1, 'policy'), { cycle: 500, smoothLoss: 10 });
    expect(make().decide(units([0.04, 1, 0.05, 0.03], [0, 0, 0, 450]), context).remove).to.deep.equal([0, 2]);
    expect(make().decide(units([0.03]), context).remove).to.deep.equal([]);
  });

  it('refuses a floor at or above T_D', () => {
    expect(plateauPolicy.check?.({ ...DEFAULTS, minMultiplier: 0.05 })).to.deep.equal([{ message: '{minMultiplier} must be below {threshold}' }]);
    expect(plateauPolicy.check?.(DEFAULTS)).to.deep.equal([]);
  });

  it('has a schema whose defaults make a working policy', () => {
    expect(Object.keys(PLATEAU_OPTIONS.properties)).to.include.members(['window', 'minImprovement', 'threshold', 'deleteProbability', 'l1', 'minMultiplier']);
  });
});

growthPolicyConformance('plateau', () => make({ window: 40, deleteProbability: 0.25 }));
