import { expect } from 'chai';
import { type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { RESERVE_DEFAULTS } from '@diffstruct/policy-threshold';
import type { ConsolidateOptions } from './consolidate-options.js';
import { ConsolidatePolicy } from './consolidate-policy.js';
import { consolidatePolicyContribution } from './index.js';

const OPTIONS: ConsolidateOptions = { ...RESERVE_DEFAULTS, addProbability: 1, window: 100, settled: 0.01, tolerance: 0.01, boost: 50 };
const make = (options: Partial<ConsolidateOptions> = {}) =>
  new ConsolidatePolicy({ ...OPTIONS, ...options }, { type: 'random', next: (multiplier) => ({ init: 'random', multiplier }) });

/** Two units above T_D and none in reserve: the paper's policy would add one (P_add = 1 here). */
const SHORT_OF_RESERVE: GrowableView = { id: 'h', size: 2, maxSize: 100, multiplier: () => 1, unitId: (i) => i, birthCycle: () => 0 };

interface Trace {
  readonly l1: number[];
  readonly added: boolean[];
}

/** Feeds the policy a smooth loss per cycle from `from`; records the L1 of the next update and whether a unit was added. */
function trace(policy: ConsolidatePolicy, smoothLoss: (cycle: number) => number, cycles: number, from = 1): Trace {
  const random = new RandomStream(1, 'policy');
  const result: Trace = { l1: [], added: [] };
  for (let cycle = from; cycle < from + cycles; cycle++) {
    const decision = policy.decide(SHORT_OF_RESERVE, policyContext(random, { cycle, smoothLoss: smoothLoss(cycle) }));
    result.l1.push(policy.regularization.l1);
    result.added.push(decision.add.length > 0);
  }
  return result;
}

const pressed = (t: Trace) => t.l1.map((l1) => l1 > OPTIONS.l1);

describe('consolidate', () => {
  it('grows as the paper does while the smooth loss keeps falling by more than `settled` per window', () => {
    const t = trace(make(), (c) => 20 - 0.01 * c, 1000); // 1 per window of 100, more than 1 % of 20 - 0.01c
    expect(pressed(t).some(Boolean)).to.equal(false);
    expect(t.added.every(Boolean)).to.equal(true);
  });

  it('presses once the loss has settled over a whole window: L1 × boost, no unit added', () => {
    const policy = make();
    const t = trace(policy, () => 10, 300);
    expect(pressed(t).indexOf(true)).to.equal(99); // decided at cycle 100, a whole window after the first sample
    expect(t.l1[150]).to.equal(OPTIONS.l1 * OPTIONS.boost);
    expect(t.added.slice(0, 99).every(Boolean) && !t.added.slice(99).some(Boolean)).to.equal(true);
    expect(policy.signals.pressing).to.equal(1);
  });

  it('still deletes excess sub-threshold units while pressing', () => {
    const policy = make({ deleteProbability: 1 });
    trace(policy, () => 10, 200);
    const units: GrowableView = { ...SHORT_OF_RESERVE, size: 4, multiplier: (i) => (i < 2 ? 1 : 0.03) };
    const decision = policy.decide(units, policyContext(new RandomStream(2, 'policy'), { cycle: 201, smoothLoss: 10 }));
    expect(decision.remove).to.have.length(1);
    expect(decision.add).to.deep.equal([]);
  });

  it('stops pressing when the loss rises `tolerance` above its lowest since pressing began, and waits a whole window again', () => {
    const policy = make();
    // Flat at 10 (presses at 100), falls to 9 by 200 (the lowest), climbs 0.01 a cycle (9.09, 1 % above 9, passed at 210), then flat.
    const loss = (c: number) => (c <= 100 ? 10 : c <= 200 ? 10 - (c - 100) / 100 : c <= 210 ? 9 + (c - 200) / 100 : 9.1);
    const t = trace(policy, loss, 400);
    const on = pressed(t);
    expect(on.indexOf(false, 99) + 1).to.equal(210); // the first cycle above 9.09
    expect(on.indexOf(true, 210) + 1).to.equal(310); // a whole window of samples after it
  });

  it('resumes from its saved state as if never stopped, pressing and L1 included', () => {
    const loss = (c: number) => 10 + Math.sin(c / 30);
    const whole = trace(make(), loss, 400);
    const first = make();
    trace(first, loss, 150);
    const resumed = make();
    resumed.loadState(first.saveState()); // the conformance suite below checks the encoded round trip
    const rest = trace(resumed, loss, 250, 151);
    expect(whole.l1.some((l1) => l1 > OPTIONS.l1) && whole.l1.slice(150).some((l1) => l1 === OPTIONS.l1)).to.equal(true);
    expect(rest.l1).to.deep.equal(whole.l1.slice(150));
  });

  it('refuses a floor at or above T_D, as every reserve policy does', () => {
    expect(consolidatePolicyContribution.check?.({ ...OPTIONS, minMultiplier: 0.05 })).to.deep.equal([
      { message: '{minMultiplier} must be below {threshold}' },
    ]);
  });
});

growthPolicyConformance('consolidate', () => make({ window: 40, addProbability: 0.05 }));
