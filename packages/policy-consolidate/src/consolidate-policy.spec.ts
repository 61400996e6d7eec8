import { expect } from 'chai';
import { type GrowableView, RandomStream } from '@diffstruct/core';
import { growthPolicyConformance, policyContext } from '@diffstruct/core/testing';
import { RESERVE_DEFAULTS, randomInit } from '@diffstruct/policy-threshold';
import type { ConsolidateOptions } from './consolidate-options.js';
import { ConsolidatePolicy } from './consolidate-policy.js';
import { consolidatePolicyContribution } from './index.js';

const OPTIONS: ConsolidateOptions = { ...RESERVE_DEFAULTS, addProbability: 1, trigger: 'settled', window: 100, settled: 0.01, tolerance: 0.01, boost: 50 };
const make = (options: Partial<ConsolidateOptions> = {}) => new ConsolidatePolicy({ ...OPTIONS, ...options }, randomInit);

/** Two units above T_D and none in reserve: the paper's policy would add one (P_add = 1 here). */
const SHORT_OF_RESERVE: GrowableView = { id: 'h', size: 2, maxSize: 100, multiplier: () => 1, unitId: (i) => i, birthCycle: () => 0 };

interface Trace {
  readonly l1: number[];
  readonly added: boolean[];
}

/** Feeds the policy a smooth loss per cycle from `from`; records the L1 of the next update and whether a unit was added. */
function trace(policy: ConsolidatePolicy, smoothLoss: (cycle: number) => number, cycles: number, from = 1, phase = (_: number) => 'main'): Trace {
  const random = new RandomStream(1, 'policy');
  const result: Trace = { l1: [], added: [] };
  for (let cycle = from; cycle < from + cycles; cycle++) {
    const decision = policy.decide(SHORT_OF_RESERVE, policyContext(random, { cycle, smoothLoss: smoothLoss(cycle), phase: phase(cycle) }));
    result.l1.push(policy.regularization.l1);
    result.added.push(decision.add.length > 0);
  }
  return result;
}

const pressed = (t: Trace) => t.l1.map((l1) => l1 > OPTIONS.l1);

describe('consolidate, trigger: easier', () => {
  const easier = () => make({ trigger: 'easier' });
  const switchAt = (cycle: number) => (c: number) => (c < cycle ? 'hard' : 'easy');

  it("never presses without a task switch, however flat the loss: it is the paper's policy then", () => {
    expect(pressed(trace(easier(), () => 10, 1000)).some(Boolean)).to.equal(false);
  });

  it('presses once the loss has settled over a whole window after a switch, below where it stood at the switch', () => {
    // 9.99 after the switch is within `settled` of the 10 before it: only samples taken from the switch on may count.
    const t = trace(
      easier(),
      (c) => (c < 200 ? 10.5 : c < 300 ? 10 : 9.99),
      600,
      1,
      (c) => (c < 200 ? 'easy' : c < 300 ? 'hard' : 'easy'),
    );
    expect(pressed(t).indexOf(true) + 1).to.equal(400); // samples from the switch on: a window later
  });

  it('does not press after a switch to a harder task, whose loss settles above where it stood', () => {
    expect(pressed(trace(easier(), (c) => (c < 300 ? 10 : 14), 800, 1, switchAt(300))).some(Boolean)).to.equal(false);
  });

  it('stops pressing at the next switch', () => {
    const phase = (c: number) => (c < 300 ? 'hard' : c < 500 ? 'easy' : 'hard');
    const t = trace(easier(), (c) => (c < 300 || c >= 500 ? 14 : 10), 700, 1, phase);
    expect(pressed(t).slice(399, 499).every(Boolean)).to.equal(true);
    expect(pressed(t).slice(499).some(Boolean)).to.equal(false);
  });
});

describe('consolidate, trigger: settled', () => {
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

  it('still deletes excess sub-threshold units while pressing, and adds none where the paper would', () => {
    // Two sub-threshold units, one above the reserve of 1; the paper's policy would also add one (spontaneously, P = 1).
    const units: GrowableView = { ...SHORT_OF_RESERVE, size: 4, multiplier: (i) => (i < 2 ? 1 : 0.03) };
    const decide = (policy: ConsolidatePolicy) => policy.decide(units, policyContext(new RandomStream(2, 'policy'), { cycle: 201, smoothLoss: 10 }));
    expect(decide(make({ deleteProbability: 1, spontaneousAddProbability: 1 })).add).to.have.length(1);
    const pressing = make({ deleteProbability: 1, spontaneousAddProbability: 1 });
    trace(pressing, () => 10, 200);
    expect(pressing.signals.pressing).to.equal(1);
    const decision = decide(pressing);
    expect(decision.remove).to.have.length(1);
    expect(decision.add).to.deep.equal([]);
  });

  it('does not ask its unit initialisation for a unit while pressing (an inherited pool keeps what it holds)', () => {
    let asked = 0;
    const counting = {
      type: 'counting',
      next: (multiplier: number) => {
        asked++;
        return { init: 'random', multiplier };
      },
    };
    const policy = new ConsolidatePolicy({ ...OPTIONS }, counting);
    const t = trace(policy, () => 10, 300);
    const pressedFrom = pressed(t).indexOf(true);
    expect(pressedFrom).to.be.above(0);
    expect(asked).to.equal(pressedFrom); // one unit asked for per cycle before pressing (P_add = 1), none after
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
    const loss = (c: number) => (c < 100 ? 14 : 10 + Math.sin(c / 30));
    const phase = (c: number) => (c < 100 ? 'hard' : 'easy');
    const make2 = () => make({ trigger: 'easier' });
    const whole = trace(make2(), loss, 400, 1, phase);
    const first = make2();
    trace(first, loss, 250, 1, phase);
    const resumed = make2();
    resumed.loadState(first.saveState()); // the conformance suite below checks the encoded round trip
    const rest = trace(resumed, loss, 150, 251, phase);
    expect(whole.l1.slice(250).some((l1) => l1 > OPTIONS.l1) && whole.l1.slice(250).some((l1) => l1 === OPTIONS.l1)).to.equal(true);
    expect(rest.l1).to.deep.equal(whole.l1.slice(250));
  });

  it('refuses a floor at or above T_D, as every reserve policy does', () => {
    expect(consolidatePolicyContribution.check?.({ ...OPTIONS, minMultiplier: 0.05 })).to.deep.equal([
      { message: '{minMultiplier} must be below {threshold}' },
    ]);
  });
});

growthPolicyConformance('consolidate, trigger: settled', () => make({ window: 40, addProbability: 0.05 }));
// The suite's simulated second task is harder than its first, so `easier` never presses here: this checks it is the paper's policy then.
growthPolicyConformance('consolidate, trigger: easier', () => make({ trigger: 'easier', window: 40, addProbability: 0.05 }));
