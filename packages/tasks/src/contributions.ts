import type { OptionProblem, TaskContext, TaskContribution } from '@diffstruct/core';
import { EasyTask, type EasyOptions } from './easy-task.js';
import { HardTask, type HardOptions } from './hard-task.js';
import { ScheduleTask, type ScheduleOptions } from './schedule-task.js';

export const easyTaskContribution: TaskContribution = {
  type: 'easy',
  description: '(ab…ab) groups; another ab follows each ab with probability continueProbability',
  optionsSchema: {
    properties: {
      continueProbability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.6, description: 'chance of another ab after each ab' },
    },
  },
  create(options: EasyOptions, { random }: TaskContext) {
    return new EasyTask(options, random);
  },
};

export const hardTaskContribution: TaskContribution = {
  type: 'hard',
  description: 'groups of L letters in parentheses, each the previous one reversed with one letter flipped',
  optionsSchema: {
    properties: {
      letters: { type: 'integer', minimum: 1, maximum: 64, default: 6, description: 'letters per group (L)' },
    },
  },
  create(options: HardOptions, { random }: TaskContext) {
    return new HardTask(options, random);
  },
};

export const scheduleTaskContribution: TaskContribution = {
  type: 'schedule',
  description: 'tasks in turn by cycle, e.g. easy → hard → easy; carried state is reset at each switch',
  optionsSchema: {
    required: ['phases'],
    properties: {
      phases: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        description: 'each { task, until | untilFraction, name? }; the last phase has no end',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['task'],
          properties: {
            task: { $ref: '#/$defs/task' },
            until: { type: 'integer', minimum: 1, description: 'the cycle at which the phase ends' },
            untilFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'the fraction of the run at which the phase ends' },
            name: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
  },
  nestedSlots: [{ path: ['phases', '*', 'task'], point: 'task' }],
  check(options: ScheduleOptions): OptionProblem[] {
    const problems: OptionProblem[] = [];
    const last = options.phases.length - 1;
    let previous = 0;
    const kind = options.phases[0].until !== undefined ? 'until' : 'untilFraction';
    options.phases.forEach((p, i) => {
      const end = p.until ?? p.untilFraction;
      if (i === last) {
        if (end !== undefined) problems.push({ path: ['phases', i], expected: 'no until/untilFraction on the last phase (it runs to the end)', found: `${end}` });
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
