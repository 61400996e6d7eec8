import { ContainerModule } from 'inversify';
import { NO_CHANGE, type GrowthPolicy } from '../contracts/growth-policy.js';
import type { Model } from '../contracts/model.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import {
  ModelContribution,
  OptimizerContribution,
  PolicyContribution,
  type PluginOptions,
  TaskContribution,
  UnitInitContribution,
} from '../plugins/contribution.js';

/** Small contributions for core's own tests: real plugins live in packages of their own. */
export const testPolicy: PolicyContribution = {
  type: 'test-threshold',
  description: 'keeps every unit (for core tests)',
  optionsSchema: {
    properties: {
      threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.05 },
      minMultiplier: { type: 'number', minimum: 0, default: 0.025 },
      reserve: { type: 'integer', minimum: 0, default: 1 },
      init: { $ref: '#/$defs/unitInit' },
    },
  },
  nestedSlots: [{ path: ['init'], point: 'unitInit' }],
  check: (o: PluginOptions) => ((o.minMultiplier as number) < (o.threshold as number) ? [] : [{ message: '{minMultiplier} must be below {threshold}' }]),
  create: (o: PluginOptions): GrowthPolicy => ({
    type: 'test-threshold',
    regularization: { l1: 0, minMultiplier: o.minMultiplier as number },
    decide: () => NO_CHANGE,
  }),
};

/** A unit initialisation with a rule across its options, nested in test-threshold's `init`. */
export const testUnitInit: UnitInitContribution = {
  type: 'test-pool',
  description: 'a unit initialisation for core tests',
  optionsSchema: { properties: { size: { type: 'integer', minimum: 1, default: 2 }, capacity: { type: 'integer', minimum: 1, default: 4 } } },
  check: (o: PluginOptions) => ((o.size as number) <= (o.capacity as number) ? [] : [{ message: '{size} must be at most {capacity}' }]),
  create: () => {
    throw new Error('not used by the config tests');
  },
};

export const testTask: TaskContribution = {
  type: 'test-task',
  description: 'a constant symbol stream (for core tests)',
  optionsSchema: { properties: { letters: { type: 'integer', minimum: 1, maximum: 10, default: 6 } } },
  kind: 'sequence',
  create: (): Task => {
    throw new Error('not used by the config tests');
  },
};

/** A task of the other kind than test-task's, which test-model does not accept. */
export const testRowsTask: TaskContribution = {
  type: 'test-rows',
  description: 'table rows (for core tests)',
  optionsSchema: { properties: {} },
  kind: 'table',
  create: (): Task => {
    throw new Error('not used by the config tests');
  },
};

export const testModel: ModelContribution = {
  type: 'test-model',
  description: 'a model for core tests',
  optionsSchema: {
    properties: {
      hidden: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
      layers: { type: 'object', additionalProperties: false, properties: { width: { type: 'integer', default: 2 } }, default: {} },
    },
  },
  accepts: ['sequence'],
  families: () => ['hidden', 'blocks', 'block-width'],
  create: (): Model => {
    throw new Error('not used by the config tests');
  },
};

export const testOptimizer: OptimizerContribution = {
  type: 'test-sgd',
  description: 'an optimizer for core tests',
  optionsSchema: { properties: { learningRate: { type: 'number', exclusiveMinimum: 0, default: 0.1 } } },
  create: (): Optimizer => ({ type: 'test-sgd', step: () => undefined }),
};

export const testPluginsModule = new ContainerModule(({ bind }) => {
  bind(PolicyContribution).toConstantValue(testPolicy);
  bind(TaskContribution).toConstantValue(testTask);
  bind(TaskContribution).toConstantValue(testRowsTask);
  bind(ModelContribution).toConstantValue(testModel);
  bind(OptimizerContribution).toConstantValue(testOptimizer);
  bind(UnitInitContribution).toConstantValue(testUnitInit);
});
