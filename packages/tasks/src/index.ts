import { ContainerModule } from 'inversify';
import { TaskContribution } from '@diffstruct/core';
import { easyTaskContribution, hardTaskContribution, scheduleTaskContribution } from './contributions.js';

export * from './contributions.js';
export * from './easy-task.js';
export * from './hard-task.js';
export * from './schedule-task.js';
export * from './symbol-task.js';

export default new ContainerModule(({ bind }) => {
  bind(TaskContribution).toConstantValue(easyTaskContribution);
  bind(TaskContribution).toConstantValue(hardTaskContribution);
  bind(TaskContribution).toConstantValue(scheduleTaskContribution);
});
