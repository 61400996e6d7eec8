import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import type { GrowthDecision, GrowthPolicy } from '../../contracts/growth-policy.js';
import { decodeState, encodeState } from '../../state/state-encoding.js';
import { RandomStream } from '../../random/random-stream.js';
import { SimulatedPopulation } from './simulated-population.js';

export interface PolicyConformanceOptions {
  /** The T_D the policy was made with: the simulation puts units on both sides of it. */
  readonly threshold?: number;
  readonly cycles?: number;
}

interface Step {
  readonly decision: GrowthDecision;
  readonly size: number;
}

/** Runs a policy over a simulated population whose multipliers drift every cycle. */
function simulate(
  policy: GrowthPolicy,
  seed: number,
  cycles: number,
  threshold: number,
  maxSize: number,
  from?: { state: string; cycle: number; population: SimulatedPopulation; random: RandomStream; drift: RandomStream; steps?: unknown },
) {
  const population = from?.population ?? new SimulatedPopulation(Math.min(3, maxSize), maxSize);
  const random = from?.random ?? new RandomStream(seed, 'policy');
  const drift = from?.drift ?? new RandomStream(seed, 'drift');
  const saved = from ? decodeState(from.state) : null;
  if (saved !== null) policy.loadState!(saved);
  const steps: Step[] = [];
  for (let cycle = from?.cycle ?? 1; cycle <= cycles; cycle++) {
    population.drift(drift, threshold, policy.regularization.minMultiplier);
    const context = { cycle, random };
    const decision = policy.decide(population, context);
    const removedAt = [...decision.remove];
    const removedIds = population.apply(decision, cycle);
    policy.unitsRemoved?.(
      population,
      removedIds.map((unit, i) => ({
        unit,
        index: removedAt[i],
        birthCycle: 0,
        multiplier: threshold / 2,
        weights: { 'W:row': Float64Array.of(unit, -unit) },
      })),
      context,
    );
    steps.push({ decision, size: population.size });
  }
  return { steps, population, random, drift };
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
        const policy = make();
        const random = new RandomStream(seed, 'policy');
        const drift = new RandomStream(seed, 'drift');
        for (let cycle = 1; cycle <= cycles; cycle++) {
          population.drift(drift, threshold, policy.regularization.minMultiplier);
          const d = policy.decide(population, { cycle, random });
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

    it('is deterministic for a seed', () => {
      deepStrictEqual(simulate(make(), 7, cycles, threshold, 100).steps, simulate(make(), 7, cycles, threshold, 100).steps);
    });

    it('continues exactly from its saved state', () => {
      const straight = simulate(make(), 8, cycles, threshold, 100).steps;
      const half = Math.floor(cycles / 2);
      const before = make();
      const first = simulate(before, 8, half, threshold, 100);
      const state = encodeState(before.saveState?.() ?? null);
      const rest = simulate(make(), 8, cycles, threshold, 100, { state, cycle: half + 1, ...first }).steps;
      deepStrictEqual([...first.steps, ...rest], straight);
    });
  });
}
