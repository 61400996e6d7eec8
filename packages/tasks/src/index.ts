import { ContainerModule } from 'inversify';
import { TaskContribution } from '@diffstruct/core';
import { easyTaskContribution, hardTaskContribution, scheduleTaskContribution, textTaskContribution } from './contributions.js';
import { TABLE_TASK_CONTRIBUTIONS } from './table/table-contributions.js';

export * from './contributions.js';
export * from './easy-task.js';
export * from './hard-task.js';
export * from './mnist/mnist-digits.js';
export * from './mnist/mnist-task.js';
export * from './schedule-task.js';
export * from './symbol-task.js';
export * from './table/checkerboard-task.js';
export * from './table/csv-table.js';
export * from './table/csv-task.js';
export * from './table/generated-table-task.js';
export * from './table/parity-task.js';
export * from './table/rows-to-predict.js';
export * from './table/spirals-task.js';
export * from './table/table-contributions.js';
export * from './text/text-corpus.js';
export * from './text/text-task.js';
export * from './text/utf8.js';

export default new ContainerModule(({ bind }) => {
  bind(TaskContribution).toConstantValue(easyTaskContribution);
  bind(TaskContribution).toConstantValue(hardTaskContribution);
  bind(TaskContribution).toConstantValue(scheduleTaskContribution);
  bind(TaskContribution).toConstantValue(textTaskContribution);
  for (const contribution of TABLE_TASK_CONTRIBUTIONS) bind(TaskContribution).toConstantValue(contribution);
});
