import {
  field,
  type GrowableView,
  type GrowthDecision,
  type GrowthPolicy,
  isNumber,
  type PolicyContext,
  type RemovedUnit,
  type StateValue,
  type UnitInitializer,
} from '@diffstruct/core';
import { ReservePolicy, SHUFFLED_ORDER } from '@diffstruct/policy-threshold';
import type { ConsolidateOptions } from './consolidate-options.js';

/** Smooth-loss samples per window, taken every W/20 cycles: the oldest of the 21 kept is W cycles old. */
const SAMPLES = 20;
const KEPT = SAMPLES + 1;

/**
 * The paper's reserve policy that shrinks once the task is done: when the smooth loss has moved
 * by at most `settled` (a fraction of itself) over W cycles, it presses — L1 × `boost`, and no
 * unit added — until the smooth loss rises `tolerance` above its lowest since pressing began.
 * Then it grows as the paper's policy again, and waits for the loss to settle anew. Publishes
 * `pressing` (1 or 0).
 */
export class ConsolidatePolicy implements GrowthPolicy {
  readonly type = 'consolidate';
  /** Read by the trainer every cycle, so the L1 this holds is the one of the next update. */
  readonly regularization: { l1: number; minMultiplier: number };
  readonly signals = { pressing: 0 };
  private readonly reserve: ReservePolicy;
  private readonly samples = new Float64Array(KEPT);
  private readonly every: number;
  private sampled = 0;
  private lowest = Infinity;

  constructor(
    private readonly options: ConsolidateOptions,
    initializer: UnitInitializer,
  ) {
    this.reserve = new ReservePolicy('consolidate', options, SHUFFLED_ORDER, initializer);
    this.regularization = { l1: options.l1, minMultiplier: options.minMultiplier };
    this.every = Math.floor(options.window / SAMPLES);
  }

  decide(growable: GrowableView, context: PolicyContext): GrowthDecision {
    this.follow(context);
    const decision = this.reserve.decide(growable, context);
    return this.signals.pressing ? { ...decision, add: [] } : decision;
  }

  private follow({ cycle, smoothLoss }: PolicyContext): void {
    if (this.signals.pressing) {
      this.lowest = Math.min(this.lowest, smoothLoss);
      if (smoothLoss > (1 + this.options.tolerance) * this.lowest) this.press(false);
      return;
    }
    if (this.sampled === 0 || cycle % this.every === 0) this.samples[this.sampled++ % KEPT] = smoothLoss;
    if (this.sampled < KEPT) return;
    const moved = Math.abs(this.samples[this.sampled % KEPT] - smoothLoss);
    if (moved <= this.options.settled * smoothLoss) {
      this.lowest = smoothLoss;
      this.press(true);
    }
  }

  private press(on: boolean): void {
    this.signals.pressing = on ? 1 : 0;
    this.regularization.l1 = on ? this.options.l1 * this.options.boost : this.options.l1;
    // Pressing ends on a rising loss: settling must be seen again over a whole window.
    if (!on) this.sampled = 0;
  }

  unitsRemoved(growable: GrowableView, removed: readonly RemovedUnit[], context: PolicyContext): void {
    this.reserve.unitsRemoved(growable, removed, context);
  }

  saveState(): StateValue {
    return {
      samples: Float64Array.from(this.samples),
      sampled: this.sampled,
      lowest: this.lowest,
      pressing: this.signals.pressing,
      init: this.reserve.saveState(),
    };
  }

  loadState(state: StateValue): void {
    this.samples.set(field<Float64Array>(state, 'samples', (v) => v instanceof Float64Array && v.length === KEPT, `${KEPT} numbers`));
    this.sampled = field<number>(state, 'sampled', isNumber, 'a number');
    this.lowest = field<number>(state, 'lowest', isNumber, 'a number');
    const pressing = field<number>(state, 'pressing', isNumber, 'a number');
    const sampled = this.sampled;
    this.press(pressing === 1);
    this.sampled = sampled;
    this.reserve.loadState(field<StateValue>(state, 'init', () => true, 'a value'));
  }
}
