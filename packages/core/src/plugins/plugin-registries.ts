import type {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  TaskContribution,
  UnitInitContribution,
} from './contribution.js';
import { ContributionRegistry } from './contribution-registry.js';
import type { PluginKey } from './extension-points.js';

/** One registry per extension point; bound by the core module once every plugin is loaded. */
export class PluginRegistries {
  readonly task: ContributionRegistry<TaskContribution>;
  readonly model: ContributionRegistry<ModelContribution>;
  readonly policy: ContributionRegistry<PolicyContribution>;
  readonly optimizer: ContributionRegistry<OptimizerContribution>;
  readonly unitInit: ContributionRegistry<UnitInitContribution>;

  constructor(contributions: {
    task: readonly TaskContribution[];
    model: readonly ModelContribution[];
    policy: readonly PolicyContribution[];
    optimizer: readonly OptimizerContribution[];
    unitInit?: readonly UnitInitContribution[];
  }) {
    this.task = new ContributionRegistry('task', contributions.task);
    this.model = new ContributionRegistry('model', contributions.model);
    this.policy = new ContributionRegistry('policy', contributions.policy);
    this.optimizer = new ContributionRegistry('optimizer', contributions.optimizer);
    this.unitInit = new ContributionRegistry('unitInit', contributions.unitInit ?? []);
  }

  at(key: PluginKey): ContributionRegistry<TaskContribution | ModelContribution | PolicyContribution | OptimizerContribution | UnitInitContribution> {
    return this[key];
  }
}
