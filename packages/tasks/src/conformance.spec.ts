import { ContributionRegistry, defaultsOf, type RandomStream, type TaskContribution } from '@diffstruct/core';
import { taskConformance } from '@diffstruct/core/testing';
import { easyTaskContribution, hardTaskContribution, scheduleTaskContribution } from './contributions.js';
import { TABLE_TASK_CONTRIBUTIONS } from './table/table-contributions.js';

const tasks = new ContributionRegistry<TaskContribution>('task', [easyTaskContribution, hardTaskContribution, ...TABLE_TASK_CONTRIBUTIONS]);
const withDefaults = (contribution: TaskContribution) => ({ type: contribution.type, ...defaultsOf(contribution.optionsSchema) });
const make = (contribution: TaskContribution, options: Readonly<Record<string, unknown>>) => (random: RandomStream) =>
  contribution.create(options, { random, cycles: 200, tasks });

// Every built-in task that needs no file keeps the contract a task plugin's spec checks.
for (const contribution of [easyTaskContribution, hardTaskContribution, ...TABLE_TASK_CONTRIBUTIONS.filter((c) => c.type !== 'csv')]) {
  taskConformance(contribution.type, make(contribution, withDefaults(contribution)));
}

taskConformance(
  'schedule (easy, then hard from cycle 60)',
  make(scheduleTaskContribution, { phases: [{ task: withDefaults(easyTaskContribution), until: 60 }, { task: withDefaults(hardTaskContribution) }] }),
);
