import type { OptionsOf, OptionsSchema, PluginRef, PolicyContribution, PolicyCreateContext } from '@diffstruct/core';
import { minMultiplierBelowThreshold, RESERVE_NESTED_SLOTS, RESERVE_OPTIONS, type ReserveOptions } from './reserve-options.js';
import type { ReserveOrder } from './reserve-order.js';
import { ReservePolicy } from './reserve-policy.js';

export interface ReservePolicySpec<P extends OptionsSchema['properties']> {
  readonly type: string;
  readonly description: string;
  /** Options of this policy besides the reserve mechanism's (which every such policy has). */
  readonly options?: P;
  /** The order of deletion, made from the validated options. */
  readonly order: (options: ReserveOptions & OptionsOf<{ properties: P }>) => ReserveOrder;
}

/**
 * A policy plugin built on the reserve mechanism: the paper's options and `init` (any unit
 * initialisation) come with it, validated, and the cross-option rules too; only the order of
 * deletion is the plugin's own.
 */
export function reservePolicyContribution<const P extends OptionsSchema['properties'] = Record<never, never>>(spec: ReservePolicySpec<P>): PolicyContribution {
  const clash = Object.keys(spec.options ?? {}).filter((key) => key in RESERVE_OPTIONS);
  if (clash.length) throw new Error(`policy ${spec.type}: options ${clash.join(', ')} are the reserve mechanism's own; give yours other names`);
  return {
    type: spec.type,
    description: spec.description,
    optionsSchema: { properties: { ...spec.options, ...RESERVE_OPTIONS } },
    nestedSlots: RESERVE_NESTED_SLOTS,
    check: minMultiplierBelowThreshold,
    create(options: ReserveOptions & OptionsOf<{ properties: P }> & { init: PluginRef }, { unitInits }: PolicyCreateContext) {
      return new ReservePolicy(spec.type, options, spec.order(options), unitInits.get(options.init.type).create(options.init, {}));
    },
  };
}
