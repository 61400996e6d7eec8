import type {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
} from './contribution.js';
import { ContributionRegistry } from './contribution-registry.js';
import type { PluginKey } from './extension-points.js';

/** One registry per extension point; bound by the core module once every plugin is loaded. */
export class PluginRegistries {
  readonly task: ContributionRegistry<TaskContribution>;
  readonly model: ContributionRegistry<ModelContribution>;
  readonly policy: ContributionRegistry<PolicyContribution>;
  readonly optimizer: ContributionRegistry<OptimizerContribution>;

  constructor(contributions: {
    task: readonly TaskContribution[];
    model: readonly ModelContribution[];
    policy: readonly PolicyContribution[];
    optimizer: readonly OptimizerContribution[];
  }) {
    this.task = new ContributionRegistry('task', contributions.task);
    this.model = new ContributionRegistry('model', contributions.model);
    this.policy = new ContributionRegistry('policy', contributions.policy);
    this.optimizer = new ContributionRegistry('optimizer', contributions.optimizer);
  }

  at(key: PluginKey): ContributionRegistry<TaskContribution | ModelContribution | PolicyContribution | OptimizerContribution> {
    return this[key];
  }
}
