import type { OptionProblem, TaskContext, TaskContribution, TaskPrepareContext } from '@diffstruct/core';
import { EASY_OPTIONS, EasyTask, type EasyOptions } from './easy-task.js';
import { HARD_OPTIONS, HardTask, type HardOptions } from './hard-task.js';
import { SCHEDULE_OPTIONS, ScheduleTask, type ScheduleOptions } from './schedule-task.js';
import type { TextCorpus } from './text/text-corpus.js';
import { prepareTextCorpus, TEXT_OPTIONS, TextTask, type TextTaskOptions } from './text/text-task.js';

export const easyTaskContribution: TaskContribution = {
  type: 'easy',
  description: '(ab…ab) groups; another ab follows each ab with probability continueProbability',
  optionsSchema: EASY_OPTIONS,
  kind: 'sequence',
  create(options: EasyOptions, { random }: TaskContext) {
    return new EasyTask(options, random);
  },
};

export const hardTaskContribution: TaskContribution = {
  type: 'hard',
  description: 'groups of L letters in parentheses, each the previous one reversed with one letter flipped',
  optionsSchema: HARD_OPTIONS,
  kind: 'sequence',
  create(options: HardOptions, { random }: TaskContext) {
    return new HardTask(options, random);
  },
};

export const scheduleTaskContribution: TaskContribution = {
  type: 'schedule',
  description: 'tasks in turn by cycle, e.g. easy → hard → easy; carried state is reset at each switch',
  optionsSchema: SCHEDULE_OPTIONS,
  nestedSlots: [{ path: ['phases', '*', 'task'], point: 'task' }],
  // The first phase's shape is the schedule's, and every phase must have it (checked as the schedule is created).
  kind: (options, kindOf) => kindOf((options as ScheduleOptions).phases[0].task),
  check(options: ScheduleOptions): OptionProblem[] {
    const problems: OptionProblem[] = [];
    const last = options.phases.length - 1;
    // Phases end by cycle (until) or by fraction of the run (untilFraction), all the same way, as the first does.
    const kind = options.phases[0].until !== undefined ? 'until' : 'untilFraction';
    let previous: number | undefined;
    options.phases.forEach((p, i) => {
      const ends = (['until', 'untilFraction'] as const).filter((key) => p[key] !== undefined).map((key) => `{phases[${i}].${key}}`);
      if (i === last) {
        if (ends.length) problems.push({ message: `${ends.join(' and ')} must be left out: the last phase runs to the end` });
      } else if (ends.length === 0) {
        problems.push({ message: `{phases[${i}]} needs until or untilFraction: every phase but the last ends` });
      } else if (ends.length === 2) {
        problems.push({ message: `${ends.join(' and ')}: a phase ends at one of them, not both` });
      } else if (p[kind] === undefined) {
        problems.push({ message: `${ends[0]} must be ${kind}, like {phases[0].${kind}}` });
      } else if (previous !== undefined && p[kind]! <= options.phases[previous][kind]!) {
        problems.push({ message: `{phases[${i}].${kind}} must be above {phases[${previous}].${kind}}` });
      } else previous = i;
    });
    return problems;
  },
  create(options: ScheduleOptions, context: TaskContext) {
    return new ScheduleTask(options, context);
  },
};

export const textTaskContribution: TaskContribution = {
  type: 'text',
  description: 'characters of UTF-8 text (files of your own, or corpus: moby-dick) in contiguous windows; validation and test blocks held out',
  optionsSchema: TEXT_OPTIONS,
  kind: 'sequence',
  check(options: TextTaskOptions): OptionProblem[] {
    const problems: OptionProblem[] = [];
    if ((options.files === undefined) === (options.corpus === undefined))
      problems.push({ message: options.files ? '{files} and {corpus}: give one of them, not both' : 'expected files or corpus: the text to read' });
    if (options.split.validation + options.split.test >= 1)
      problems.push({ message: '{split.validation} and {split.test} must add up to less than 1: the rest of the text is the training block' });
    return problems;
  },
  prepare: (options: TextTaskOptions, { readDataFile }: TaskPrepareContext) => prepareTextCorpus(options, readDataFile),
  create: (options: TextTaskOptions, { random, prepared }: TaskContext) => new TextTask(options, random, prepared?.(options) as TextCorpus | undefined),
};
