import type { Growable } from '../contracts/growable.js';
import type { GrowthPolicy } from '../contracts/growth-policy.js';

/** Makes the policy of one growable (its own instance: policies may keep state per growable). */
export type PolicyFactory = (growable: Growable) => GrowthPolicy;

/**
 * The growth policy of each growable, by growable id. Growables may come and go with the
 * model's structure (a residual block brings its own width): a policy is created the first time
 * its growable needs one and dropped when the growable is gone.
 */
export class GrowthPolicies {
  private readonly byId = new Map<string, GrowthPolicy>();

  constructor(private readonly create: PolicyFactory) {}

  /** Every growable gets the same policy instance (tests, single-growable models). */
  static shared(policy: GrowthPolicy): GrowthPolicies {
    return new GrowthPolicies(() => policy);
  }

  of(growable: Growable): GrowthPolicy {
    let policy = this.byId.get(growable.id);
    if (!policy) {
      policy = this.create(growable);
      this.byId.set(growable.id, policy);
    }
    return policy;
  }

  /** Forgets the policies of growables no longer in `live`. */
  retain(live: readonly Growable[]): void {
    if (live.length === this.byId.size && live.every((g) => this.byId.has(g.id))) return;
    const ids = new Set(live.map((g) => g.id));
    for (const id of [...this.byId.keys()]) if (!ids.has(id)) this.byId.delete(id);
  }
}
