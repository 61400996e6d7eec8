import type { AddedUnit, GrowableView } from '../../contracts/growable.js';
import type { GrowthDecision } from '../../contracts/growth-policy.js';
import type { RandomStream } from '../../random/random-stream.js';

/** A population of units with made-up multipliers, for exercising a policy without a model. */
export class SimulatedPopulation implements GrowableView {
  readonly id = 'simulated';
  private readonly ids: number[] = [];
  private readonly births: number[] = [];
  private readonly values: number[] = [];
  private nextId = 0;

  constructor(
    size: number,
    readonly maxSize: number,
  ) {
    for (let i = 0; i < size; i++) this.push(1, 0);
  }

  get size(): number {
    return this.ids.length;
  }
  multiplier(index: number): number {
    return this.values[index];
  }
  unitId(index: number): number {
    return this.ids[index];
  }
  birthCycle(index: number): number {
    return this.births[index];
  }

  /** New multipliers as training would leave them: some units above threshold, some below. */
  drift(random: RandomStream, threshold: number, floor: number): void {
    for (let i = 0; i < this.size; i++) this.values[i] = random.uniform() < 0.5 ? floor + random.uniform() * (threshold - floor) : threshold + random.uniform();
  }

  /** Applies a decision as the trainer does (removals first); returns the removed units' ids and what the additions became. */
  apply(decision: GrowthDecision, cycle: number): { removed: number[]; added: AddedUnit[] } {
    const gone = new Set(decision.remove);
    const removed = decision.remove.map((i) => this.ids[i]);
    for (const list of [this.ids, this.births, this.values]) {
      const kept = list.filter((_, i) => !gone.has(i));
      list.splice(0, list.length, ...kept);
    }
    const added = decision.add.map((a) => this.push(a.multiplier, cycle));
    return { removed, added };
  }

  private push(multiplier: number, cycle: number): AddedUnit {
    this.ids.push(this.nextId++);
    this.births.push(cycle);
    this.values.push(multiplier);
    return { unit: this.nextId - 1, index: this.ids.length - 1 };
  }
}
