import type { PluginRef } from '../config/experiment-config.js';
import type { OptionsSchema, PolicyContribution, PolicyCreateContext } from '../plugins/contribution.js';
import { minMultiplierBelowThreshold, RESERVE_NESTED_SLOTS, RESERVE_OPTIONS } from './reserve-options.js';
import { ReservePolicy, type ReserveOptions, type ReserveOrder } from './reserve-policy.js';

export interface ReservePolicySpec<O extends ReserveOptions> {
  readonly type: string;
  readonly description: string;
  /** Options of this policy besides the reserve mechanism's (which every such policy has). */
  readonly options?: OptionsSchema['properties'];
  /** The order of deletion, made from the validated options. */
  readonly order: (options: O) => ReserveOrder;
}

/**
 * A policy plugin built on the reserve mechanism: the paper's options and `init` (any unit
 * initialisation) come with it, validated, and the cross-option rules too; only the order of
 * deletion is the plugin's own.
 */
export function reservePolicyContribution<O extends ReserveOptions>(spec: ReservePolicySpec<O>): PolicyContribution {
  return {
    type: spec.type,
    description: spec.description,
    optionsSchema: { properties: { ...spec.options, ...RESERVE_OPTIONS } },
    nestedSlots: RESERVE_NESTED_SLOTS,
    check: minMultiplierBelowThreshold,
    create(options: O & { init: PluginRef }, { unitInits }: PolicyCreateContext) {
      return new ReservePolicy(spec.type, options, spec.order(options), unitInits.get(options.init.type).create(options.init, {}));
    },
  };
}
