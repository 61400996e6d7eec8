import { expect } from 'chai';
import { Parameter } from '../arrays/parameter.js';
import { GrowableMatrix } from '../arrays/growable-matrix.js';
import type { AddedUnit } from '../contracts/growable.js';
import { type GrowthDecision, type GrowthPolicy, NO_CHANGE, type PolicyContext } from '../contracts/growth-policy.js';
import type { Model } from '../contracts/model.js';
import type { Task } from '../contracts/task.js';
import { EventBus } from '../events/event-bus.js';
import { UnitPopulation } from '../growth/unit-population.js';
import { RandomStreams } from '../random/random-streams.js';
import { GrowthPolicies } from './growth-policies.js';
import { DivergedError, TrainingLoop } from './training-loop.js';

/** Loss = Σ (m_i − 0.5)²; each unit also owns one weight. */
class ToyModel implements Model {
  readonly type = 'toy';
  readonly chanceLoss = 10;
  readonly exampleRequest = {};
  readonly m = new Parameter('m', 3, 1);
  readonly w = new Parameter('w', 3, 1);
  readonly state = new GrowableMatrix(3, 1);
  readonly population = new UnitPopulation('units', {
    size: 3,
    maxSize: 10,
    l1Steps: 4,
    multipliers: this.m,
    axes: [{ parameter: this.w, axis: 'row', draw: () => 7 }],
    states: [this.state],
  });
  readonly layers = [{ id: 'toy', parameters: () => [this.m, this.w] }];
  readonly growables = [this.population];
  resets = 0;
  nextLoss: number | undefined;

  constructor() {
    this.m.value.data.set([1, -0.2, 0.01]);
  }
  trainStep(): number {
    let loss = 0;
    for (let i = 0; i < this.population.size; i++) {
      const d = this.m.value.data[i] - 0.5;
      this.m.grad.data[i] = 2 * d;
      loss += d * d;
    }
    return this.nextLoss ?? loss;
  }
  evaluateLoss(): number {
    return 0;
  }
  resetState(): void {
    this.resets++;
  }
}

function toyTask(switchAt: number): Task {
  return {
    type: 'toy',
    shape: { kind: 'table', inputSize: 1, outputSize: 1 },
    entropyFloor: () => undefined,
    createExample: () => ({}),
    next: () => undefined,
    phase: (cycle) => (cycle < switchAt ? 'first' : 'second'),
    saveState: () => null,
    loadState: () => undefined,
  };
}

function setup(decisions: Record<number, GrowthDecision> = {}, switchAt = Infinity, cycles = 100) {
  const model = new ToyModel();
  const seen: number[][] = [];
  const removedSeen: number[] = [];
  const multipliersSeen: number[][] = [];
  const contextsSeen: Omit<PolicyContext, 'random' | 'multiplierGradient'>[] = [];
  const gradientsSeen: number[][] = [];
  const addedSeen: AddedUnit[][] = [];
  const signals = { lastLoss: NaN };
  const policy: GrowthPolicy = {
    type: 'scripted',
    regularization: { l1: 0.01, minMultiplier: 0.05 },
    signals,
    decide: (g, context) => {
      const { cycle, totalCycles, loss, smoothLoss, phase } = context;
      contextsSeen.push({ cycle, totalCycles, loss, smoothLoss, phase });
      gradientsSeen[cycle] = Array.from({ length: g.size }, (_, i) => context.multiplierGradient[i]);
      multipliersSeen[cycle] = Array.from({ length: g.size }, (_, i) => g.multiplier(i));
      signals.lastLoss = loss;
      return decisions[cycle] ?? { remove: [], removeReason: '', add: [] };
    },
    unitsRemoved: (_, removed) => removedSeen.push(...removed.map((r) => r.unit)),
    unitsAdded: (_, added) => addedSeen.push([...added]),
  };
  const optimizer = {
    type: 'sgd',
    step(parameters: readonly Parameter[]) {
      seen.push([...parameters[0].grad.toArray()]);
      for (const p of parameters) for (let i = 0; i < p.length; i++) p.value.data[i] -= 0.1 * p.grad.data[i];
    },
  };
  const events = new EventBus();
  const log: { type: string; [k: string]: unknown }[] = [];
  for (const type of ['unitAdded', 'unitRemoved', 'taskSwitched'] as const) events.on(type, (e) => log.push({ ...e }));
  events.on('cycle', (e) => log.push({ type: 'cycle', ...e }));
  const loop = new TrainingLoop({
    model,
    task: toyTask(switchAt),
    policies: GrowthPolicies.shared(policy),
    optimizer,
    random: new RandomStreams(1),
    events,
    logEvery: 2,
    cycles,
  });
  return { model, loop, seen, log, removedSeen, multipliersSeen, contextsSeen, gradientsSeen, addedSeen };
}

describe('TrainingLoop', () => {
  it('adds l1 · l1Steps · sign(m) to the multiplier gradient, then floors the multipliers', () => {
    const { model, loop, seen } = setup();
    loop.run(1);
    expect(seen[0]).to.deep.equal([2 * 0.5 + 0.04, 2 * -0.7 - 0.04, 2 * -0.49 + 0.04]);
    const m = [...model.m.value.toArray()];
    expect(m[0]).to.be.closeTo(1 - 0.1 * 1.04, 1e-12);
    expect(m[1]).to.equal(0.05); // −0.2 + 0.144 is below the floor
  });

  it('starts the smooth loss at the chance loss and moves it by 0.001 of each loss', () => {
    const { loop } = setup();
    loop.run(1);
    expect(loop.smoothLoss).to.be.closeTo(0.999 * 10 + 0.001 * (0.25 + 0.49 + 0.2401), 1e-12);
    expect(loop.cycle).to.equal(1);
  });

  it('applies removals before additions, with events carrying unit ids, ages, init and reason', () => {
    const { model, loop, log, removedSeen, multipliersSeen } = setup({
      3: { remove: [0, 2], removeReason: 'excess', add: [{ init: 'random', multiplier: 0.05, reason: 'short' }] },
    });
    loop.run(4);
    const unitEvents = log.filter((e) => e.type !== 'cycle');
    expect(unitEvents).to.deep.equal([
      { type: 'unitRemoved', cycle: 3, growable: 'units', unit: 0, age: 3, multiplier: multipliersSeen[3][0], reason: 'excess' },
      { type: 'unitRemoved', cycle: 3, growable: 'units', unit: 2, age: 3, multiplier: multipliersSeen[3][2], reason: 'excess' },
      { type: 'unitAdded', cycle: 3, growable: 'units', unit: 3, age: 0, multiplier: 0.05, init: 'random', reason: 'short' },
    ]);
    expect(removedSeen).to.deep.equal([0, 2]);
    expect([model.population.unitId(0), model.population.unitId(1)]).to.deep.equal([1, 3]);
    expect(model.w.value.data[1]).to.be.closeTo(7, 1e-12);
  });

  it('names the growable’s family in its unit events when it has one, so a growable gone between two logs is still counted in it', () => {
    const { model, loop, log } = setup({ 3: { remove: [0], removeReason: 'excess', add: [{ init: 'random', multiplier: 0.05, reason: 'short' }] } });
    Object.assign(model.population, { family: 'neurons' });
    loop.run(4);
    const unitEvents = log.filter((e) => e.type === 'unitRemoved' || e.type === 'unitAdded');
    expect(unitEvents.map((e) => [e.type, e.growable, e.family])).to.deep.equal([
      ['unitRemoved', 'units', 'neurons'],
      ['unitAdded', 'units', 'neurons'],
    ]);
    expect(Object.keys(unitEvents[1]).slice(0, 5), 'after the growable').to.deep.equal(['type', 'cycle', 'growable', 'family', 'unit']);
    const same = setup({ 3: { remove: [0], removeReason: 'excess', add: [] } });
    Object.assign(same.model.population, { family: 'units' });
    same.loop.run(4);
    expect(
      same.log.filter((e) => e.type === 'unitRemoved').map((e) => 'family' in e),
      'a family that is the id: not named',
    ).to.deep.equal([false]);
  });

  it('removes only the units the growable says may go, and tells the policy and the events of those alone', () => {
    const { model, loop, log, removedSeen } = setup({ 3: { remove: [2, 0], removeReason: 'excess', add: [] } });
    const asked: number[][] = [];
    const removable = (indices: readonly number[]) => {
      asked.push([...indices]);
      return indices.filter((i) => i !== 2);
    };
    Object.assign(model.population, { removable });
    loop.run(4);
    expect(asked).to.deep.equal([[2, 0]]);
    expect(log.filter((e) => e.type === 'unitRemoved').map((e) => e.unit)).to.deep.equal([0]);
    expect(removedSeen).to.deep.equal([0]);
    expect([model.population.unitId(0), model.population.unitId(1)]).to.deep.equal([1, 2]);
  });

  it('logs every logEvery cycles with the units and the sum of |multipliers|', () => {
    const { loop, log } = setup({ 1: { remove: [], removeReason: '', add: [{ init: 'random', multiplier: 0.05, reason: 'r' }] } });
    loop.run(4);
    const rows = log.filter((e) => e.type === 'cycle');
    expect(rows.map((r) => [r.cycle, r.units])).to.deep.equal([
      [2, 4],
      [4, 4],
    ]);
    expect(rows[0].growables).to.deep.equal({ units: 4 });
    expect(rows[0].multiplierSum).to.be.greaterThan(0);
  });

  it('logs the last cycle also when it is not a multiple of logEvery, and only once when it is', () => {
    const { loop, log } = setup({}, Infinity, 5);
    loop.run(5);
    expect(log.filter((e) => e.type === 'cycle').map((r) => r.cycle)).to.deep.equal([2, 4, 5]);
    const even = setup({}, Infinity, 4);
    even.loop.run(4);
    expect(even.log.filter((e) => e.type === 'cycle').map((r) => r.cycle)).to.deep.equal([2, 4]);
  });

  it('resets carried state and says so when the task switches phase', () => {
    const { model, loop, log } = setup({}, 3);
    loop.run(5);
    expect(model.resets).to.equal(1);
    expect(log.filter((e) => e.type === 'taskSwitched')).to.deep.equal([{ type: 'taskSwitched', cycle: 3, from: 'first', to: 'second' }]);
  });

  it("shows the policy the cycle, the run's length, the loss, the smooth loss and the phase", () => {
    const { loop, contextsSeen } = setup({}, 2);
    loop.run(3);
    expect(contextsSeen.map((c) => [c.cycle, c.totalCycles, c.phase])).to.deep.equal([
      [1, 100, 'first'],
      [2, 100, 'first'],
      [3, 100, 'second'],
    ]);
    expect(contextsSeen[0].loss).to.be.closeTo(0.25 + 0.49 + 0.2401, 1e-12);
    expect(contextsSeen[0].smoothLoss).to.equal(0.999 * 10 + 0.001 * contextsSeen[0].loss);
    expect(contextsSeen[2].smoothLoss).to.equal(loop.smoothLoss);
  });

  it("shows the loss's own gradient with respect to each multiplier, without the L1 term", () => {
    const { loop, seen, gradientsSeen } = setup();
    loop.run(2);
    expect(gradientsSeen[1]).to.deep.equal([2 * 0.5, 2 * -0.7, 2 * -0.49]);
    expect(seen[0]).to.not.deep.equal(gradientsSeen[1]); // the optimizer saw L1 added
    // every multiplier is positive after the first step (one was floored), so L1 added +0.04 to each
    gradientsSeen[2].forEach((g, i) => expect(seen[1][i] - g).to.be.closeTo(0.04, 1e-15));
  });

  it('gives one gradient entry per unit, also after units are removed, and none in the hooks', () => {
    const { loop, gradientsSeen } = setup({ 1: { remove: [1], removeReason: 'x', add: [] } });
    loop.run(2);
    expect(gradientsSeen[1]).to.have.length(3);
    expect(gradientsSeen[2]).to.have.length(2);
    const seenInHook: number[] = [];
    const policy: GrowthPolicy = {
      type: 'hooked',
      regularization: { l1: 0, minMultiplier: 0 },
      decide: () => ({ remove: [0], removeReason: 'x', add: [{ init: 'random', multiplier: 1, reason: 'y' }] }),
      unitsRemoved: (_, __, context) => seenInHook.push(context.multiplierGradient.length),
      unitsAdded: (_, __, context) => seenInHook.push(context.multiplierGradient.length),
    };
    const optimizer = { type: 'none', step: () => undefined };
    const parts = { model: new ToyModel(), task: toyTask(Infinity), policies: GrowthPolicies.shared(policy), optimizer, random: new RandomStreams(1) };
    new TrainingLoop({ ...parts, events: new EventBus(), logEvery: 10, cycles: 1 }).run(1);
    expect(seenInHook).to.deep.equal([0, 0]);
  });

  it('tells the policy which units its additions became', () => {
    const add = { init: 'random', multiplier: 0.05, reason: 'r' };
    const { loop, addedSeen } = setup({ 2: { remove: [0], removeReason: 'x', add: [add, add] } });
    loop.run(3);
    expect(addedSeen).to.deep.equal([
      [
        { unit: 3, index: 2 },
        { unit: 4, index: 3 },
      ],
    ]);
  });

  it("logs the policy's signals as <family>.<name> columns", () => {
    const { loop, log } = setup();
    expect(loop.signals).to.deep.equal(['units.lastLoss']);
    loop.run(2);
    const row = log.find((e) => e.type === 'cycle') as unknown as { loss: number; signals: Record<string, number> };
    expect(row.signals).to.deep.equal({ 'units.lastLoss': row.loss });
  });

  it('refuses a signal name that cannot be a column', () => {
    const policy: GrowthPolicy = { type: 'bad', regularization: { l1: 0, minMultiplier: 0 }, signals: { 'a,b': 1 }, decide: () => NO_CHANGE };
    const optimizer = { type: 'none', step: () => undefined };
    const bad = { model: new ToyModel(), task: toyTask(Infinity), policies: GrowthPolicies.shared(policy), optimizer, random: new RandomStreams(1) };
    expect(() => new TrainingLoop({ ...bad, events: new EventBus(), logEvery: 1, cycles: 1 })).to.throw('policy bad: signal "a,b" is not a name');
  });

  it('stops with DivergedError when the loss is not finite', () => {
    const { model, loop } = setup();
    loop.run(2);
    model.nextLoss = NaN;
    expect(() => loop.run(5)).to.throw(DivergedError, 'the loss became NaN at cycle 2');
  });
});
