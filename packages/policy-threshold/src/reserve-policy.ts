import type {
  GrowableView,
  GrowthDecision,
  GrowthPolicy,
  PolicyContext,
  Regularization,
  RemovedUnit,
  StateValue,
  UnitAddition,
  UnitInitializer,
} from '@diffstruct/core';
import type { ReserveOptions } from './reserve-options.js';
import type { ReserveOrder } from './reserve-order.js';

/**
 * The reserve mechanism of the paper, with the order of deletion and the initialisation of new
 * units as strategies: keep k sub-threshold units, delete the excess with probability P_del
 * each, add a unit at T_D with probability P_add when the reserve runs short (and rarely anyway).
 */
export class ReservePolicy implements GrowthPolicy {
  readonly regularization: Regularization;
  private subThreshold = new Int32Array(16);

  constructor(
    readonly type: string,
    private readonly options: ReserveOptions,
    private readonly order: ReserveOrder,
    private readonly initializer: UnitInitializer,
  ) {
    this.regularization = { l1: options.l1, minMultiplier: options.minMultiplier };
  }

  /**
   * The paper's decision; with `grow` false no unit is added, and the initialisation is not asked
   * for one (an inherited pool keeps its units), while every random draw stays as it would be.
   */
  decide(growable: GrowableView, context: PolicyContext, grow = true): GrowthDecision {
    const { reserve, threshold, deleteProbability, addProbability, spontaneousAddProbability } = this.options;
    const { random } = context;
    const size = growable.size;
    if (this.subThreshold.length < size) this.subThreshold = new Int32Array(2 * size);
    const sub = this.subThreshold;
    let subCount = 0;
    for (let i = 0; i < size; i++) if (Math.abs(growable.multiplier(i)) <= threshold) sub[subCount++] = i;

    const remove: number[] = [];
    if (subCount > reserve) {
      this.order.arrange(sub, subCount, growable, context);
      for (let j = reserve; j < subCount; j++) if (random.uniform() < deleteProbability) remove.push(sub[j]);
      // With k = 0 every unit may be a candidate: a network keeps at least one unit.
      if (remove.length === size) remove.pop();
    }

    const add: UnitAddition[] = [];
    if (size - remove.length < growable.maxSize - 1) {
      const reserveLow = subCount - remove.length < reserve;
      let reason: string | undefined;
      if (reserveLow && random.uniform() < addProbability) reason = 'reserve-low';
      else if (random.uniform() < spontaneousAddProbability) reason = 'spontaneous';
      if (reason && grow) add.push({ ...this.initializer.next(threshold, growable, context), reason });
    }
    return { remove, removeReason: 'excess-reserve', add };
  }

  unitsRemoved(_: GrowableView, removed: readonly RemovedUnit[], context: PolicyContext): void {
    this.initializer.unitsRemoved?.(removed, context);
  }

  saveState(): StateValue {
    return this.initializer.saveState?.() ?? null;
  }

  loadState(state: StateValue): void {
    if (state === null) return;
    if (!this.initializer.loadState) throw new Error(`saved state: unit initialisation ${this.initializer.type} has no state to load`);
    this.initializer.loadState(state);
  }
}
