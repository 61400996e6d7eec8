import {
  field,
  isList,
  type OptionsOf,
  optionsSchema,
  type PolicyContext,
  type RemovedUnit,
  type StateValue,
  type UnitInit,
  type UnitInitializer,
  type UnitWeights,
} from '@diffstruct/core';

/** The pool's options: its size (the oldest entry leaves when it is full) and which entry a new unit takes. */
export const POOL_OPTIONS = optionsSchema({
  poolSize: { type: 'integer', minimum: 1, maximum: 10000, default: 10, description: 'deleted units kept for reuse' },
  pick: {
    enum: ['recent', 'best'],
    default: 'recent',
    description: 'which pooled unit a new one inherits from: the most recent, or the highest multiplier at deletion',
  },
}).properties;
export type InheritedInitOptions = OptionsOf<{ properties: typeof POOL_OPTIONS }>;
export type PoolPick = InheritedInitOptions['pick'];

interface PoolEntry {
  readonly unit: number;
  readonly multiplier: number;
  readonly weights: UnitWeights;
}

/**
 * A bounded pool of deleted units: a new unit takes one's weights (incoming, outgoing,
 * recurrent, as the model stores them; the multiplier restarts at T_D), or random weights when
 * the pool is empty. A pooled unit is used once.
 */
export class InheritedInit implements UnitInitializer {
  readonly type = 'inherited';
  private pool: PoolEntry[] = [];

  constructor(private readonly options: InheritedInitOptions) {}

  get poolSize(): number {
    return this.pool.length;
  }

  unitsRemoved(removed: readonly RemovedUnit[], _context: PolicyContext): void {
    for (const r of removed) this.pool.push({ unit: r.unit, multiplier: r.multiplier, weights: r.weights });
    if (this.pool.length > this.options.poolSize) this.pool.splice(0, this.pool.length - this.options.poolSize);
  }

  next(multiplier: number): UnitInit {
    if (!this.pool.length) return { init: 'random', multiplier };
    let at = this.pool.length - 1;
    if (this.options.pick === 'best') {
      for (let i = this.pool.length - 2; i >= 0; i--) if (this.pool[i].multiplier > this.pool[at].multiplier) at = i;
    }
    const [entry] = this.pool.splice(at, 1);
    return { init: 'inherited', multiplier, weights: entry.weights, inheritedFrom: entry.unit };
  }

  saveState(): StateValue {
    return { pool: this.pool.map((e) => ({ unit: e.unit, multiplier: e.multiplier, weights: { ...e.weights } })) };
  }

  loadState(state: StateValue): void {
    const pool = field<StateValue[]>(state, 'pool', isList, 'a list');
    this.pool = pool.map((e) => {
      const entry = e as { unit: number; multiplier: number; weights: Record<string, Float64Array> };
      if (typeof entry.unit !== 'number' || typeof entry.multiplier !== 'number' || !entry.weights) throw new Error('saved state: a malformed pool entry');
      return entry;
    });
  }
}
