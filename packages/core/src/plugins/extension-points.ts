import type { ServiceIdentifier } from 'inversify';
import {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
  type Contribution,
} from './contribution.js';

export type PluginKey = 'task' | 'model' | 'policy' | 'optimizer';

/** A place plugins extend; its `key` is also the config key that selects a contribution. */
export interface ExtensionPoint {
  readonly key: PluginKey;
  readonly title: string;
  readonly token: ServiceIdentifier<Contribution<unknown, never, never>>;
}

export const EXTENSION_POINTS: readonly ExtensionPoint[] = Object.freeze([
  { key: 'task', title: 'tasks', token: TaskContribution },
  { key: 'model', title: 'models', token: ModelContribution },
  { key: 'policy', title: 'growth policies', token: PolicyContribution },
  { key: 'optimizer', title: 'optimizers', token: OptimizerContribution },
]);
