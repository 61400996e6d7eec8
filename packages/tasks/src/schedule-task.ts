import { DiffstructError, type ExampleRequest, type OptionsOf, optionsSchema, type StateValue, type Task, type TaskContext } from '@diffstruct/core';

/** Each phase runs a task until a cycle, or a fraction of the run; the last phase has no end. */
export const SCHEDULE_OPTIONS = optionsSchema(
  {
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
  ['phases'],
);
export type ScheduleOptions = OptionsOf<typeof SCHEDULE_OPTIONS>;
export type PhaseOptions = ScheduleOptions['phases'][number];

interface Phase {
  readonly name: string;
  readonly end: number;
  readonly task: Task;
}

/** Tasks in turn, by cycle; the trainer resets carried state at each switch (docs/method.md#schedules). */
export class ScheduleTask implements Task {
  readonly type = 'schedule';
  private readonly phases: readonly Phase[];

  constructor(options: ScheduleOptions, context: TaskContext) {
    const names = new Set<string>();
    this.phases = options.phases.map((p, i) => {
      const task = context.tasks.get(p.task.type).create(p.task, context);
      let name = p.name ?? task.type;
      if (names.has(name)) name = `${name}#${i + 1}`;
      names.add(name);
      const end = p.until ?? (p.untilFraction === undefined ? Infinity : Math.round(p.untilFraction * context.cycles));
      return { name, end, task };
    });
    const kinds = new Set(this.phases.map((p) => JSON.stringify(p.task.shape)));
    if (kinds.size > 1) throw new DiffstructError('every phase of a schedule must produce examples of the same shape');
  }

  get shape() {
    return this.phases[0].task.shape;
  }

  /** Cycles at which the task switches, for figures. */
  get switches(): number[] {
    return this.phases.slice(0, -1).map((p) => p.end);
  }

  entropyFloor(request: ExampleRequest, cycle: number): number | undefined {
    return this.at(cycle).task.entropyFloor(request, cycle);
  }

  /** Every phase prepares for the request (a task of several sequences starts a stream per window); phase 0's buffer serves all. */
  createExample(request: ExampleRequest): unknown {
    return this.phases.map((p) => p.task.createExample(request))[0];
  }

  next(example: unknown, cycle: number): void {
    this.at(cycle).task.next(example, cycle);
  }

  phase(cycle: number): string {
    return this.at(cycle).name;
  }

  saveState(): StateValue {
    return this.phases.map((p) => p.task.saveState());
  }

  loadState(state: StateValue): void {
    if (!Array.isArray(state) || state.length !== this.phases.length) throw new Error(`saved state: expected ${this.phases.length} phases`);
    this.phases.forEach((p, i) => p.task.loadState((state as StateValue[])[i]));
  }

  private at(cycle: number): Phase {
    for (const p of this.phases) if (cycle < p.end) return p;
    return this.phases[this.phases.length - 1];
  }
}
