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

/**
 * Smooth-loss samples per window, taken every W/20 cycles and on the first cycle after a reset: the
 * oldest of the 21 kept is about W cycles old (W − 1 at the first comparison after a switch).
 */
const SAMPLES = 20;
const KEPT = SAMPLES + 1;

/**
 * The paper's reserve policy that shrinks once a task proves easier than the last: after a task
 * switch, when the smooth loss has moved by at most `settled` (a fraction of itself) over W
 * cycles and stands below where it stood at the switch, it presses — L1 × `boost`, and no unit
 * added — until the smooth loss rises `tolerance` above its lowest since pressing began. Then it
 * grows as the paper's policy again, and may press again once the loss has settled anew. With
 * `trigger: settled` it presses whenever the loss has settled, switch or not. Publishes
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
  private phase: string | undefined;
  /** The smooth loss when the task last switched: an easier task settles below it. */
  private atSwitch = -Infinity;
  private previousLoss = Infinity;

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
    return this.reserve.decide(growable, context, !this.signals.pressing);
  }

  private follow({ cycle, smoothLoss, phase }: PolicyContext): void {
    if (phase !== this.phase) {
      // The context's smooth loss already includes the new task's first cycle: the one before is where the old task stood.
      if (this.phase !== undefined) this.atSwitch = this.previousLoss;
      this.phase = phase;
      this.sampled = 0;
      if (this.signals.pressing) this.press(false);
    }
    this.previousLoss = smoothLoss;
    if (this.signals.pressing) {
      this.lowest = Math.min(this.lowest, smoothLoss);
      if (smoothLoss > (1 + this.options.tolerance) * this.lowest) this.press(false);
      return;
    }
    if (this.sampled === 0 || cycle % this.every === 0) this.samples[this.sampled++ % KEPT] = smoothLoss;
    if (this.sampled < KEPT) return;
    const settled = Math.abs(this.samples[this.sampled % KEPT] - smoothLoss) <= this.options.settled * smoothLoss;
    if (settled && (this.options.trigger === 'settled' || smoothLoss < this.atSwitch)) {
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
      phase: this.phase ?? null,
      atSwitch: this.atSwitch,
      previousLoss: this.previousLoss,
      init: this.reserve.saveState(),
    };
  }

  loadState(state: StateValue): void {
    this.samples.set(field<Float64Array>(state, 'samples', (v) => v instanceof Float64Array && v.length === KEPT, `${KEPT} numbers`));
    const sampled = field<number>(state, 'sampled', isNumber, 'a number');
    this.press(field<number>(state, 'pressing', (v) => v === 0 || v === 1, '0 or 1') === 1);
    this.sampled = sampled;
    this.lowest = field<number>(state, 'lowest', isNumber, 'a number');
    const phase = field<string | null>(state, 'phase', (v) => v === null || typeof v === 'string', 'a phase name or null');
    this.phase = phase ?? undefined;
    this.atSwitch = field<number>(state, 'atSwitch', isNumber, 'a number');
    this.previousLoss = field<number>(state, 'previousLoss', isNumber, 'a number');
    this.reserve.loadState(field<StateValue>(state, 'init', () => true, 'a value'));
  }
}
