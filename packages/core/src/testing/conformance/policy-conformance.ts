import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { GrowthDecision, GrowthPolicy } from '../../contracts/growth-policy.js';
import { decodeState, encodeState } from '../../state/state-encoding.js';
import { RandomStream } from '../../random/random-stream.js';
import { SimulatedPopulation } from './simulated-population.js';
import { SimulatedTraining } from './simulated-training.js';

export interface PolicyConformanceOptions {
  /** The T_D the policy was made with: the simulation puts units on both sides of it. */
  readonly threshold?: number;
  readonly cycles?: number;
}

interface Step {
  readonly decision: GrowthDecision;
  readonly size: number;
  readonly signals?: Readonly<Record<string, number>>;
}

interface Simulation {
  readonly population: SimulatedPopulation;
  readonly training: SimulatedTraining;
  readonly random: RandomStream;
  readonly drift: RandomStream;
}

/** Runs a policy over a simulated population whose multipliers drift every cycle, told of every change as the trainer tells it. */
function simulate(
  policy: GrowthPolicy,
  seed: number,
  cycles: number,
  threshold: number,
  maxSize: number,
  from?: Simulation & { state: string; cycle: number },
  totalCycles = cycles,
) {
  const population = from?.population ?? new SimulatedPopulation(Math.min(3, maxSize), maxSize);
  const training = from?.training ?? new SimulatedTraining(totalCycles);
  const random = from?.random ?? new RandomStream(seed, 'policy');
  const drift = from?.drift ?? new RandomStream(seed, 'drift');
  const saved = from ? decodeState(from.state) : null;
  if (saved !== null) policy.loadState!(saved);
  const steps: Step[] = [];
  for (let cycle = from?.cycle ?? 1; cycle <= cycles; cycle++) {
    population.drift(drift, threshold, policy.regularization.minMultiplier);
    const context = training.next(cycle, population.size, drift, random);
    const decision = policy.decide(population, context);
    const removedAt = [...decision.remove];
    const { removed, added } = population.apply(decision, cycle);
    if (removed.length) {
      policy.unitsRemoved?.(
        population,
        removed.map((unit, i) => ({ unit, index: removedAt[i], birthCycle: 0, multiplier: threshold / 2, weights: { 'W:row': Float64Array.of(unit, -unit) } })),
        context,
      );
    }
    if (added.length) policy.unitsAdded?.(population, added, context);
    steps.push({ decision, size: population.size, ...(policy.signals ? { signals: { ...policy.signals } } : {}) });
  }
  return { steps, population, training, random, drift };
}

/**
 * The contract every GrowthPolicy plugin keeps; call it inside a plugin's own spec file:
 * `growthPolicyConformance('age-biased', (seed) => create({...}))`. Uses mocha's describe/it.
 */
export function growthPolicyConformance(name: string, make: () => GrowthPolicy, options: PolicyConformanceOptions = {}): void {
  const threshold = options.threshold ?? 0.05;
  const cycles = options.cycles ?? 400;

  describe(`${name}: GrowthPolicy conformance`, () => {
    it('has a finite, non-negative regularization', () => {
      const { l1, minMultiplier } = make().regularization;
      ok(Number.isFinite(l1) && l1 >= 0, `l1 = ${l1}`);
      ok(Number.isFinite(minMultiplier) && minMultiplier >= 0, `minMultiplier = ${minMultiplier}`);
    });

    it('decides within bounds: valid distinct indices, finite multipliers, named reasons and inits', () => {
      for (const seed of [1, 2, 3]) {
        const population = new SimulatedPopulation(3, 100);
        const training = new SimulatedTraining(cycles);
        const policy = make();
        const random = new RandomStream(seed, 'policy');
        const drift = new RandomStream(seed, 'drift');
        for (let cycle = 1; cycle <= cycles; cycle++) {
          population.drift(drift, threshold, policy.regularization.minMultiplier);
          const d = policy.decide(population, training.next(cycle, population.size, drift, random));
          strictEqual(new Set(d.remove).size, d.remove.length, 'no index is removed twice');
          for (const i of d.remove) ok(Number.isInteger(i) && i >= 0 && i < population.size, `index ${i} of ${population.size}`);
          if (d.remove.length) ok(d.removeReason.length > 0, 'removals say why');
          for (const a of d.add) {
            ok(Number.isFinite(a.multiplier) && a.multiplier >= 0, `multiplier ${a.multiplier}`);
            ok(a.reason.length > 0 && a.init.length > 0, 'additions say why and how they start');
          }
          population.apply(d, cycle);
        }
      }
    });

    it('never empties a growable', () => {
      for (const seed of [4, 5]) for (const step of simulate(make(), seed, cycles, threshold, 100).steps) ok(step.size >= 1, 'at least one unit remains');
    });

    it('respects the size cap', () => {
      for (const maxSize of [2, 4, 8]) {
        for (const step of simulate(make(), 6, cycles, threshold, maxSize).steps) ok(step.size <= maxSize, `size ${step.size} > maxSize ${maxSize}`);
      }
    });

    it('publishes the same signals all along, each a number', () => {
      const policy = make();
      const names = Object.keys(policy.signals ?? {});
      for (const step of simulate(policy, 9, cycles, threshold, 100).steps) {
        deepStrictEqual(Object.keys(step.signals ?? {}), names, 'signal names never change');
        for (const [signal, value] of Object.entries(step.signals ?? {})) strictEqual(typeof value, 'number', `signal ${signal}`);
      }
    });

    it('is deterministic for a seed', () => {
      deepStrictEqual(simulate(make(), 7, cycles, threshold, 100).steps, simulate(make(), 7, cycles, threshold, 100).steps);
    });

    it('continues exactly from its saved state, signals included', () => {
      const straight = simulate(make(), 8, cycles, threshold, 100).steps;
      const half = Math.floor(cycles / 2);
      const before = make();
      const first = simulate(before, 8, half, threshold, 100, undefined, cycles);
      const state = encodeState(before.saveState?.() ?? null);
      const rest = simulate(make(), 8, cycles, threshold, 100, { state, cycle: half + 1, ...first }).steps;
      deepStrictEqual([...first.steps, ...rest], straight);
    });
  });
}
