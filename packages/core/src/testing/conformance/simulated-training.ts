import type { PolicyContext } from '../../contracts/growth-policy.js';
import type { Random } from '../../random/random-stream.js';

/**
 * A PolicyContext for a policy's own tests: the given figures, neutral values for the rest (no
 * loss, and an empty `multiplierGradient`: pass one with an entry per unit if the policy reads it).
 */
export function policyContext(random: Random, figures: Partial<Omit<PolicyContext, 'random'>> = {}): PolicyContext {
  return { cycle: 1, totalCycles: 1000, loss: NaN, smoothLoss: NaN, phase: 'main', multiplierGradient: new Float64Array(0), random, ...figures };
}

/**
 * Training figures as a policy would see them, without a model: a loss that falls towards a
 * plateau, jumps when the phase switches halfway and falls again, with noise; a smooth loss that
 * follows it; random multiplier gradients. Everything comes from the `drift` stream.
 */
export class SimulatedTraining {
  private smooth: number;

  constructor(
    private readonly totalCycles: number,
    private readonly startLoss = 10,
  ) {
    this.smooth = startLoss;
  }

  /** The context after `cycle` cycles, for a growable of `size` units. */
  next(cycle: number, size: number, drift: Random, random: Random): PolicyContext {
    const switchAt = Math.floor(this.totalCycles / 2);
    const since = cycle < switchAt ? cycle : cycle - switchAt;
    const floor = cycle < switchAt ? 2 : 4;
    const loss = floor + (this.startLoss - floor) * Math.exp(-since / 60) + 0.5 * (drift.uniform() - 0.5);
    this.smooth = 0.95 * this.smooth + 0.05 * loss;
    const multiplierGradient = new Float64Array(size);
    for (let i = 0; i < size; i++) multiplierGradient[i] = 0.2 * (drift.uniform() - 0.5);
    const phase = cycle < switchAt ? 'first' : 'second';
    return { cycle, totalCycles: this.totalCycles, loss, smoothLoss: this.smooth, phase, multiplierGradient, random };
  }
}
