import { ContainerModule } from 'inversify';
import { type TaskContext, TaskContribution } from '@diffstruct/core';
import { __CONSTANT___OPTIONS, __Class__, type __Class__Options } from './task.js';

export * from './task.js';

/** What a config's `task: __type__` creates: its options schema and the factory, drawing from the run's data stream. */
export const __Class__Contribution: TaskContribution = {
  type: '__type__',
  description: 'a table task: points in [-1, 1]², classed by whether they lie within radius of the centre',
  optionsSchema: __CONSTANT___OPTIONS,
  kind: 'table',
  create: (options: __Class__Options, { random }: TaskContext) => new __Class__(options, random),
};

/** diffstruct loads this module when a config lists the package under `plugins:`. */
export default new ContainerModule(({ bind }) => {
  bind(TaskContribution).toConstantValue(__Class__Contribution);
});
