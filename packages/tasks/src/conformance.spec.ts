import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContributionRegistry, defaultsOf, type PluginRef, RandomStream, type TaskContribution } from '@diffstruct/core';
import { taskKindOf } from '@diffstruct/core/host';
import { taskConformance } from '@diffstruct/core/testing';
import { easyTaskContribution, hardTaskContribution, scheduleTaskContribution } from './contributions.js';
import { TABLE_TASK_CONTRIBUTIONS } from './table/table-contributions.js';

const tasks = new ContributionRegistry<TaskContribution>('task', [
  easyTaskContribution,
  hardTaskContribution,
  scheduleTaskContribution,
  ...TABLE_TASK_CONTRIBUTIONS,
]);
const withDefaults = (contribution: TaskContribution) => ({ type: contribution.type, ...defaultsOf(contribution.optionsSchema) });
const make = (contribution: TaskContribution, options: Readonly<Record<string, unknown>>) => (random: RandomStream) =>
  contribution.create(options, { random, cycles: 200, tasks });

// Every built-in task that needs no file keeps the contract a task plugin's spec checks.
for (const contribution of [easyTaskContribution, hardTaskContribution, ...TABLE_TASK_CONTRIBUTIONS.filter((c) => c.type !== 'csv')]) {
  taskConformance(contribution.type, make(contribution, withDefaults(contribution)));
}

// The csv task with held-out splits keeps the held-out part of the contract too.
const splitFile = join(mkdtempSync(join(tmpdir(), 'diffstruct-split-')), 'rows.csv');
writeFileSync(splitFile, ['x1,x2,label', ...Array.from({ length: 45 }, (_, i) => `${i},${(i * 13) % 7},${'abc'[i % 3]}`)].join('\n') + '\n');
const csvContribution = TABLE_TASK_CONTRIBUTIONS.find((c) => c.type === 'csv')!;
taskConformance('csv with split', make(csvContribution, { ...withDefaults(csvContribution), file: splitFile, split: { validation: 0.3, test: 0.2 } }));

const easyThenHard = { phases: [{ task: withDefaults(easyTaskContribution), until: 60 }, { task: withDefaults(hardTaskContribution) }] };
taskConformance('schedule (easy, then hard from cycle 60)', make(scheduleTaskContribution, easyThenHard));

// Several sequences per example: each window a stream of its own, saved and restored with the rest.
for (const contribution of [easyTaskContribution, hardTaskContribution])
  taskConformance(`${contribution.type}, 3 sequences`, make(contribution, withDefaults(contribution)), { request: { length: 11, sequences: 3 } });
taskConformance('schedule, 3 sequences', make(scheduleTaskContribution, easyThenHard), { request: { length: 11, sequences: 3 } });

describe('the kind each built-in task declares', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'diffstruct-kinds-')), 'rows.csv');
  writeFileSync(file, 'x,label\n1,a\n2,b\n');

  it('is the kind of the task it creates (the config loader checks models against it without creating the task)', () => {
    const rowsThenRows = { phases: [{ task: withDefaults(TABLE_TASK_CONTRIBUTIONS[0]), until: 60 }, { task: withDefaults(TABLE_TASK_CONTRIBUTIONS[0]) }] };
    const configs: PluginRef[] = [
      ...[easyTaskContribution, hardTaskContribution, ...TABLE_TASK_CONTRIBUTIONS].map((c) => ({ ...withDefaults(c), ...(c.type === 'csv' ? { file } : {}) })),
      { type: 'schedule', ...easyThenHard },
      { type: 'schedule', ...rowsThenRows },
    ];
    const created = (task: PluginRef) => make(tasks.get(task.type), task)(new RandomStream(1, 'data'));
    const kinds = configs.map((task) => [task.type, taskKindOf(tasks, task), created(task).shape.kind]);
    expect(kinds.filter(([, kind, created]) => kind !== created)).to.deep.equal([]);
    expect(kinds.map(([, kind]) => kind)).to.include.members(['sequence', 'table']);
  });
});
