import { heldOutRequest, type Task } from '../contracts/task.js';
import { cannotEvaluateMessage, noValidationSplitMessage } from '../engine/held-out-evaluation.js';
import { DiffstructError } from '../errors.js';
import { type DataFileHashes, DataFileReader } from './data-file-reader.js';
import type { PluginOptions, TaskContribution } from '../plugins/contribution.js';
import type { PluginRegistries } from '../plugins/plugin-registries.js';
import { unacceptedTask } from '../plugins/task-kinds.js';
import { formatBytes } from '../read-capped.js';
import { RandomStream } from '../random/random-stream.js';
import type { ConfigPath } from './config-source.js';
import { pluginsIn, type ResolvedArm } from './cross-field.js';
import type { EvalSettings } from './experiment-config.js';

/**
 * Most bytes one seed's model may need at its largest (`ModelContribution.memoryBytes`). A worker
 * thread runs one seed at a time, and a machine runs as many workers as it has cores: beyond this
 * a run exhausts memory (or swaps) long before it finishes.
 */
export const MAX_SEED_BYTES = 2 ** 30;

/** What tasks' `prepare` returned, by `preparedKey` of their options: plain data, sent with every job to the worker threads. */
export type PreparedTaskData = Readonly<Record<string, unknown>>;

/** The key of a task's options in `PreparedTaskData`: the same resolved config gives the same key in every thread. */
export function preparedKey(options: PluginOptions): string {
  return JSON.stringify(options);
}

/** A problem an arm's data or sizes have, with the place to blame: a task's options, or a rule across `fields`. */
export interface ArmDataProblem {
  readonly message: string;
  readonly at: ConfigPath;
  readonly fields?: readonly ConfigPath[];
  /** `at` is a key of the experiment's top level (`eval`), written once for every arm. */
  readonly topLevel?: boolean;
}

/**
 * The checks only a created task can answer, made once per arm in the main thread as the config
 * loads, so that no seed meets them: each task's data read and checked (`prepare`, once per
 * distinct options), the arm's task created, the model checked against the kind of examples it
 * really gives and the memory it would need for that shape, and, with `eval:`, both checked able
 * to evaluate (a model with `evaluate`, a task with a validation split at the model's size).
 */
export class ArmData {
  private readonly prepared: Record<string, unknown> = {};
  private readonly failed = new Map<string, string>();
  private readonly reader = new DataFileReader();

  constructor(
    private readonly registries: PluginRegistries,
    private readonly configDir: string,
  ) {}

  /** Every task's prepared data so far, for the jobs. */
  get taskData(): PreparedTaskData {
    return this.prepared;
  }

  /** Each data file the tasks' `prepare` read (through `readDataFile`) → sha256 of the bytes they read. */
  get dataFiles(): DataFileHashes {
    return this.reader.hashes;
  }

  problems(arm: ResolvedArm, cycles: number, evaluation?: EvalSettings): ArmDataProblem[] {
    if (!arm.task || !arm.model) return [];
    for (const { contribution, options, path } of pluginsIn(this.registries, 'task', arm.task, ['task'])) {
      const failure = this.prepare(contribution as TaskContribution, options);
      if (failure) return [{ message: failure, at: path }];
    }
    let task: Task;
    try {
      const context = { random: new RandomStream(0, 'data'), cycles, tasks: this.registries.task, configDir: this.configDir, prepared: this.lookup };
      task = this.registries.task.get(arm.task.type).create(arm.task, context);
    } catch (error) {
      if (!(error instanceof DiffstructError)) throw error;
      return [{ message: error.message, at: ['task'] }];
    }
    const shape = task.shape;
    const model = this.registries.model.get(arm.model.type);
    const unaccepted = unacceptedTask(this.registries.model, model.type, arm.task.type, shape.kind);
    if (unaccepted) return [{ message: unaccepted, at: ['model'], fields: [['model', 'type']] }];
    // The task refuses an example size its data cannot give (a text block shorter than the model's window).
    const request = model.exampleRequest?.(arm.model);
    try {
      if (request) task.createExample(request);
    } catch (error) {
      if (!(error instanceof DiffstructError)) throw error;
      return [{ message: error.message, at: ['task'] }];
    }
    if (evaluation) {
      if (!model.evaluates) return [{ message: cannotEvaluateMessage(model.type), at: ['eval'], topLevel: true }];
      if (request && !((task.heldOutSize?.('validation', heldOutRequest(request)) ?? 0) > 0))
        return [{ message: noValidationSplitMessage(task.type), at: ['eval'], topLevel: true }];
    }
    const bytes = model.memoryBytes?.(arm.model, shape) ?? 0;
    if (bytes <= MAX_SEED_BYTES) return [];
    const sizes = Object.keys(arm.model)
      .filter((key) => key !== 'type')
      .map((key) => ['model', key]);
    const message =
      `the ${model.type} model with these options needs about ${formatBytes(bytes)} per worker at its largest ` +
      `(estimated from its options and the task's ${shape.inputSize} inputs and ${shape.outputSize} outputs), ` +
      `over the limit of ${formatBytes(MAX_SEED_BYTES)}; make it smaller (sizes, caps, batchSize)`;
    return [{ message, at: ['model'], fields: sizes }];
  }

  private readonly lookup = (options: PluginOptions): unknown => this.prepared[preparedKey(options)];

  /** Runs a task's `prepare` once per distinct options; the message of what it threw, if it did. */
  private prepare(contribution: TaskContribution, options: PluginOptions): string | undefined {
    if (!contribution.prepare) return undefined;
    const key = preparedKey(options);
    if (!(key in this.prepared) && !this.failed.has(key)) {
      try {
        this.prepared[key] = contribution.prepare(options, { configDir: this.configDir, readDataFile: this.reader.readDataFile });
      } catch (error) {
        if (!(error instanceof DiffstructError)) throw error;
        this.failed.set(key, error.message);
      }
    }
    return this.failed.get(key);
  }
}
