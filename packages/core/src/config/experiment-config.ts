import type { SlotKey } from '../plugins/extension-points.js';

/** A plugin chosen in a config: its `type` and its options, defaults filled in. */
export interface PluginRef {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** One variant of an experiment; every arm runs for every seed. */
export type ArmConfig = Readonly<Record<SlotKey, PluginRef>> & {
  readonly name: string;
  readonly description?: string;
  readonly cycles: number;
  /** Policies of particular growable families (keys: ids or families), each merged over `policy`. */
  readonly policies: Readonly<Record<string, PluginRef>>;
};

/** `eval:`: the validation split every `every` cycles (its first `examples`, else all of it), the test split at the end. */
export interface EvalSettings {
  readonly every: number;
  readonly examples?: number;
}

/** A validated, frozen experiment config (its file format: docs/configs.md). */
export interface ExperimentConfig {
  readonly name: string;
  readonly description?: string;
  readonly seeds: number;
  readonly cycles: number;
  readonly log: { readonly every: number };
  readonly checkpoint: { readonly every: number };
  /** Held-out evaluation (docs/configs.md#held-out-evaluation-eval); absent: none. */
  readonly eval?: EvalSettings;
  readonly plugins: readonly string[];
  /** Always at least one; without an `arms` key, one arm named after the experiment. */
  readonly arms: readonly ArmConfig[];
  /** Whether the file declared `arms` (a single implicit arm's runs sit directly in the run folder). */
  readonly explicitArms: boolean;
}

/** Plugin types a config gets when it names none (bound by the application, e.g. the CLI). */
export type ConfigDefaults = Readonly<Partial<Record<SlotKey, PluginRef>>>;
/** Registered (`Symbol.for`), like the contribution tokens, so every copy of core binds the same one. */
export const ConfigDefaults = Symbol.for('diffstruct.ConfigDefaults');

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
