import { ContainerModule } from 'inversify';
import { type ModelContext, ModelContribution } from '@diffstruct/core';
import { __CONSTANT___OPTIONS, __Class__, type __Class__Options, HIDDEN } from './model.js';

export * from './model.js';

/** What a config's `model: __type__` creates: its options schema, a rule across options, its growable families, the factory. */
export const __Class__Contribution: ModelContribution = {
  type: '__type__',
  description: 'table rows → one layer of tanh neurons with multipliers (its width grows) → outputs (softmax for classes, linear for values)',
  optionsSchema: __CONSTANT___OPTIONS,
  accepts: ['table'],
  families: () => [HIDDEN],
  check: (options: __Class__Options) => (options.hidden <= options.maxHidden ? [] : [{ message: '{hidden} must be at most {maxHidden}' }]),
  // The task is created first, so the model sizes its inputs and outputs from the task's shape.
  create: (options: __Class__Options, { task, random }: ModelContext) => new __Class__(options, task.shape, random),
};

/** diffstruct loads this module when a config lists the package under `plugins:`. */
export default new ContainerModule(({ bind }) => {
  bind(ModelContribution).toConstantValue(__Class__Contribution);
});
