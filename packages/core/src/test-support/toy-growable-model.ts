import { GrowableMatrix } from '../arrays/growable-matrix.js';
import { Parameter } from '../arrays/parameter.js';
import type { Model } from '../contracts/model.js';
import { UnitPopulation } from '../growth/unit-population.js';
import { RandomStream } from '../random/random-stream.js';

export interface ToyExample {
  readonly x: number;
  readonly target: number;
}

export const TOY_EXAMPLE: ToyExample = { x: 0.7, target: 0.3 };

/**
 * The smallest growable model with carried state, for core's tests of the conformance suite:
 * unit i computes h'ᵢ = tanh(wᵢ·x + hᵢ/2) from its carried hᵢ, the output is y = Σ mᵢ·h'ᵢ and the
 * loss (y − target)²; `trainStep` carries h' into the next step. h is the units' carried state.
 */
export class ToyGrowableModel implements Model<ToyExample> {
  readonly type = 'toy-growable';
  readonly chanceLoss = 1;
  readonly exampleRequest = {};
  readonly m = new Parameter('m', 3, 1);
  readonly w = new Parameter('w', 3, 1);
  readonly h = new GrowableMatrix(3, 1);
  readonly units: UnitPopulation;
  readonly layers = [{ id: 'toy', parameters: () => [this.m, this.w] }];
  readonly growables: readonly UnitPopulation[];

  constructor(seed: number) {
    const random = new RandomStream(seed, 'init');
    this.units = new UnitPopulation('units', {
      size: 3,
      maxSize: 6,
      l1Steps: 1,
      multipliers: this.m,
      axes: [{ parameter: this.w, axis: 'row', draw: () => random.normal() }],
      states: [this.h],
    });
    this.growables = [this.units];
    for (let i = 0; i < 3; i++) {
      this.m.value.data[i] = 0.2 + random.uniform();
      this.w.value.data[i] = random.normal();
      this.h.data[i] = random.uniform() - 0.5;
    }
  }

  trainStep(example: ToyExample): number {
    const { loss, next, error } = this.forward(example);
    for (let i = 0; i < this.units.size; i++) {
      this.m.grad.data[i] = 2 * error * next[i];
      this.w.grad.data[i] = 2 * error * this.m.value.data[i] * (1 - next[i] ** 2) * this.input(example);
    }
    this.h.data.set(next);
    return loss;
  }

  evaluateLoss(example: ToyExample): number {
    return this.forward(example).loss;
  }

  resetState(): void {
    this.h.fill(0);
  }

  /** What the units see as x; the forgetful fixture adds carried state of its own. */
  protected input(example: ToyExample): number {
    return example.x;
  }

  private forward(example: ToyExample): { loss: number; next: Float64Array; error: number } {
    const next = new Float64Array(this.units.size);
    let y = 0;
    for (let i = 0; i < next.length; i++) {
      next[i] = Math.tanh(this.w.value.data[i] * this.input(example) + this.h.data[i] / 2);
      y += this.m.value.data[i] * next[i];
    }
    const error = y - example.target;
    return { loss: error * error, next, error };
  }
}

/** The toy with a bug: a running mean of its inputs, carried from step to step, that no checkpoint holds. */
export class ForgetfulToyModel extends ToyGrowableModel {
  private runningMean = 0;

  override trainStep(example: ToyExample): number {
    const loss = super.trainStep(example);
    this.runningMean = (this.runningMean + example.x) / 2;
    return loss;
  }

  protected override input(example: ToyExample): number {
    return example.x - this.runningMean;
  }
}
