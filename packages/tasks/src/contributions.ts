import type { OptionProblem, TaskContext, TaskContribution } from '@diffstruct/core';
import { EASY_OPTIONS, EasyTask, type EasyOptions } from './easy-task.js';
import { HARD_OPTIONS, HardTask, type HardOptions } from './hard-task.js';
import { SCHEDULE_OPTIONS, ScheduleTask, type ScheduleOptions } from './schedule-task.js';

export const easyTaskContribution: TaskContribution = {
  type: 'easy',
  description: '(ab…ab) groups; another ab follows each ab with probability continueProbability',
  optionsSchema: EASY_OPTIONS,
  create(options: EasyOptions, { random }: TaskContext) {
    return new EasyTask(options, random);
  },
};

export const hardTaskContribution: TaskContribution = {
  type: 'hard',
  description: 'groups of L letters in parentheses, each the previous one reversed with one letter flipped',
  optionsSchema: HARD_OPTIONS,
  create(options: HardOptions, { random }: TaskContext) {
    return new HardTask(options, random);
  },
};

export const scheduleTaskContribution: TaskContribution = {
  type: 'schedule',
  description: 'tasks in turn by cycle, e.g. easy → hard → easy; carried state is reset at each switch',
  optionsSchema: SCHEDULE_OPTIONS,
  nestedSlots: [{ path: ['phases', '*', 'task'], point: 'task' }],
  check(options: ScheduleOptions): OptionProblem[] {
    const problems: OptionProblem[] = [];
    const last = options.phases.length - 1;
    let previous = 0;
    const kind = options.phases[0].until !== undefined ? 'until' : 'untilFraction';
    options.phases.forEach((p, i) => {
      const end = p.until ?? p.untilFraction;
      if (i === last) {
        if (end !== undefined)
          problems.push({ path: ['phases', i], expected: 'no until/untilFraction on the last phase (it runs to the end)', found: `${end}` });
        return;
      }
      if ((p.until === undefined) === (p.untilFraction === undefined)) {
        problems.push({ path: ['phases', i], expected: 'exactly one of until or untilFraction', found: end === undefined ? 'neither' : 'both' });
      } else if (p[kind] === undefined) {
        problems.push({ path: ['phases', i], expected: `${kind}, like the first phase`, found: kind === 'until' ? 'untilFraction' : 'until' });
      } else if (end! <= previous) {
        problems.push({ path: ['phases', i, kind], expected: `a value above the previous phase's end (${previous})`, found: String(end) });
      } else previous = end!;
    });
    return problems;
  },
  create(options: ScheduleOptions, context: TaskContext) {
    return new ScheduleTask(options, context);
  },
};
