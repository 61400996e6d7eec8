import {
  field,
  type GrowableView,
  type GrowthDecision,
  type GrowthPolicy,
  isNumber,
  NO_CHANGE,
  type PolicyContext,
  type Regularization,
  type StateValue,
} from '@diffstruct/core';
import type { PlateauOptions } from './plateau-options.js';

/** Smooth-loss samples per window, taken every W/20 cycles: the oldest of the 21 kept is W cycles old. */
const SAMPLES = 20;
const KEPT = SAMPLES + 1;

/**
 * Grows when training stalls: a unit is added (at T_D) when the smooth loss has fallen by less
 * than `minImprovement` over the last W cycles, at most once per W cycles. Deletes as the paper
 * does, without a reserve: each unit at or below T_D goes with probability P_del per cycle, once
 * it is older than W (a new unit gets a window to become useful). A task switch starts the
 * window afresh. Publishes `improvement`, the fall of the smooth loss over the last W cycles.
 */
export class PlateauPolicy implements GrowthPolicy {
  readonly type = 'plateau';
  readonly regularization: Regularization;
  readonly signals = { improvement: 0 };
  private readonly samples = new Float64Array(KEPT);
  private readonly every: number;
  private sampled = 0;
  private lastGrowth = 0;
  private phase = '';

  constructor(private readonly options: PlateauOptions) {
    this.regularization = { l1: options.l1, minMultiplier: options.minMultiplier };
    this.every = Math.floor(options.window / SAMPLES);
  }

  decide(growable: GrowableView, context: PolicyContext): GrowthDecision {
    const { window, minImprovement, threshold, deleteProbability } = this.options;
    const { cycle, smoothLoss, random } = context;
    if (context.phase !== this.phase) {
      this.phase = context.phase;
      this.sampled = 0;
    }
    if (this.sampled === 0 || cycle % this.every === 0) this.samples[this.sampled++ % KEPT] = smoothLoss;
    const full = this.sampled >= KEPT;
    this.signals.improvement = this.samples[full ? this.sampled % KEPT : 0] - smoothLoss;

    let remove: number[] | undefined;
    for (let i = 0; i < growable.size; i++) {
      const old = cycle - growable.birthCycle(i) >= window;
      if (!old || Math.abs(growable.multiplier(i)) > threshold || random.uniform() >= deleteProbability) continue;
      remove ??= [];
      remove.push(i);
    }
    if (remove?.length === growable.size) remove.pop(); // a network keeps at least one unit
    const stalled = full && this.signals.improvement < minImprovement && cycle - this.lastGrowth >= window;
    const room = growable.size - (remove?.length ?? 0) < growable.maxSize;
    if (!stalled || !room) return remove?.length ? { remove, removeReason: 'below-threshold', add: [] } : NO_CHANGE;
    this.lastGrowth = cycle;
    return { remove: remove ?? [], removeReason: 'below-threshold', add: [{ init: 'random', multiplier: threshold, reason: 'plateau' }] };
  }

  saveState(): StateValue {
    return {
      samples: Float64Array.from(this.samples),
      sampled: this.sampled,
      lastGrowth: this.lastGrowth,
      phase: this.phase,
      improvement: this.signals.improvement,
    };
  }

  loadState(state: StateValue): void {
    const samples = field<Float64Array>(state, 'samples', (v) => v instanceof Float64Array && v.length === KEPT, `${KEPT} numbers`);
    this.samples.set(samples);
    this.sampled = field<number>(state, 'sampled', isNumber, 'a number');
    this.lastGrowth = field<number>(state, 'lastGrowth', isNumber, 'a number');
    this.phase = field<string>(state, 'phase', (v) => typeof v === 'string', 'a string');
    this.signals.improvement = field<number>(state, 'improvement', isNumber, 'a number');
  }
}
