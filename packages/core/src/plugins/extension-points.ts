import type { ServiceIdentifier } from 'inversify';
import {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
  UnitInitContribution,
  type Contribution,
} from './contribution.js';

/** The config keys that select a plugin at the top level and in each arm. */
export type SlotKey = 'task' | 'model' | 'policy' | 'optimizer';
/** Every extension point: the slots, and points that are only nested in other plugins' options. */
export type PluginKey = SlotKey | 'unitInit';

/** A place plugins extend; `key` names it in configs and in `$ref: '#/$defs/<key>'`. */
export interface ExtensionPoint {
  readonly key: PluginKey;
  readonly title: string;
  readonly token: ServiceIdentifier<Contribution<unknown, never, never>>;
  /** Whether `key` is a top-level config key (else it appears only inside other plugins' options). */
  readonly slot: boolean;
  /** Where a nested point is written in configs. */
  readonly usedAs?: string;
}

export const EXTENSION_POINTS: readonly ExtensionPoint[] = Object.freeze([
  { key: 'task', title: 'tasks', token: TaskContribution, slot: true },
  { key: 'model', title: 'models', token: ModelContribution, slot: true },
  { key: 'policy', title: 'growth policies', token: PolicyContribution, slot: true },
  { key: 'optimizer', title: 'optimizers', token: OptimizerContribution, slot: true },
  { key: 'unitInit', title: 'unit initialisations', token: UnitInitContribution, slot: false, usedAs: 'written as the init option of reserve policies: threshold, age-biased, ...' },
]);
