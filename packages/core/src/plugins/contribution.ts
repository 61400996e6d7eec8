import type { ReadDataFile } from '../config/data-file-reader.js';
import type { GrowthPolicy } from '../contracts/growth-policy.js';
import type { Model } from '../contracts/model.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { PluginRef } from '../config/experiment-config.js';
import type { ExampleRequest, Task, TaskKind, TaskShape } from '../contracts/task.js';
import type { UnitInitializer } from '../contracts/unit-initializer.js';
import type { RandomStream } from '../random/random-stream.js';
import type { ContributionRegistry } from './contribution-registry.js';
import type { PluginKey } from './extension-points.js';
import type { OptionsSchema } from './options-schema.js';

/**
 * A rule across options that the options break, found by `Contribution.check`. The message names
 * every option involved in braces, by its path inside the options object, the one to change
 * first: `'{minMultiplier} must be below {threshold}'`, `'{hidden[1]} must be at most {maxHidden}'`.
 * The config loader writes each as its config path and value ("policy.minMultiplier (0.06)") and
 * reports the problem where the arm's config wrote one of them.
 */
export interface OptionProblem {
  readonly message: string;
}

export type PluginOptions = Readonly<Record<string, unknown>>;

/**
 * A place inside a plugin's options that holds another plugin (e.g. a schedule's phase tasks).
 * `path` runs from the options object; '*' stands for every item of a list. The options schema
 * refers to it as `{ $ref: '#/$defs/<point>' }`; the loader expands a bare type name there and
 * validates it like a top-level slot.
 */
export interface NestedSlot {
  readonly path: readonly string[];
  readonly point: PluginKey;
}

/**
 * What a plugin adds to an extension point: a stable `type` string (used in configs, logs and
 * errors), its options schema (checked when the config is loaded) and a factory.
 */
export interface Contribution<T, Context, Options = PluginOptions> {
  readonly type: string;
  readonly description: string;
  readonly optionsSchema: OptionsSchema;
  readonly nestedSlots?: readonly NestedSlot[];
  /** Rules the schema cannot express (e.g. one option below another); empty when all is well. */
  check?(options: Options): OptionProblem[];
  create(options: Options, context: Context): T;
}

/** The inversify token a point's contributions are bound to, typed by the contribution it carries. */
export type ContributionToken<C> = symbol & { readonly contribution?: C };
/**
 * A registered symbol (`Symbol.for`), not a unique one: a plugin that brings its own copy of
 * @diffstruct/core (installed from a tarball, or nested under the plugin) binds the very token
 * the host's copy collects.
 */
const token = <C>(name: string) => Symbol.for(`diffstruct.${name}`) as ContributionToken<C>;

/** A contribution to any point, as registries and the config loader see it. */
export type AnyContribution = Contribution<unknown, never, never>;

export interface TaskContext {
  /** The run's data stream. */
  readonly random: RandomStream;
  /** Cycles of the run, for tasks that change over it. */
  readonly cycles: number;
  /** Other tasks, for tasks made of tasks (schedules). */
  readonly tasks: ContributionRegistry<TaskContribution>;
  /** The config file's folder: relative file names in options resolve from here (the working directory if absent). */
  readonly configDir?: string;
  /**
   * What the contribution's `prepare` returned for these options in the main thread, when the
   * host prepared them (undefined otherwise: `create` then reads for itself).
   */
  readonly prepared?: (options: PluginOptions) => unknown;
}

/** What a task's `prepare` is given. */
export interface TaskPrepareContext {
  /** As `TaskContext.configDir`. */
  readonly configDir?: string;
  /**
   * Reads a data file whole, with a byte cap; errors name the file (exit 2). Read a task's data
   * files through it: the run records a sha256 of exactly these bytes (inputs.json), so a resume
   * or a shard on another version of the file is refused.
   */
  readonly readDataFile: ReadDataFile;
}
export interface TaskContribution extends Contribution<Task, TaskContext> {
  /**
   * The kind of examples (`TaskShape.kind`) a task with these options gives, known without
   * creating it (which may read a file), so the config loader can check it against the model's
   * `accepts`. A value, or for a task made of tasks a function of its options that may ask
   * `kindOf` the kind of a task nested in them (a schedule gives its phases' kind).
   */
  readonly kind: TaskKind | ((options: PluginOptions, kindOf: (task: PluginRef) => TaskKind) => TaskKind);
  /**
   * Reads and checks what a task with these options needs from outside the config (a data
   * file), once per run in the main thread as the config loads, before any seed starts: what it
   * throws is reported there (exit 2). What it returns reaches each seed's `create` through
   * `context.prepared`, copied to worker threads by structured clone, so large arrays belong in
   * SharedArrayBuffers (shared, not copied). Optional: a task that reads nothing needs none.
   */
  prepare?(options: PluginOptions, context: TaskPrepareContext): unknown;
}
export const TaskContribution = token<TaskContribution>('TaskContribution');

export interface ModelContext {
  readonly task: Task;
  /** The run's weights-initialisation stream (initial and added units). */
  readonly random: RandomStream;
}
export interface ModelContribution extends Contribution<Model, ModelContext> {
  /**
   * The kinds of task (`TaskShape.kind`) the model reads examples of, e.g. ['sequence'] for a
   * recurrent model over symbols, ['table'] for one over feature rows: a config whose task gives
   * another kind is refused as it loads, before any seed starts.
   */
  readonly accepts: readonly TaskKind[];
  /**
   * Bytes one seed of a model with these options may hold at its largest (every size at its
   * cap: parameters, gradients, optimizer slots, a minibatch's activations), for a task of
   * `shape`. Optional; when given, the config loader refuses options whose estimate is over
   * the per-worker limit, before any seed starts.
   */
  memoryBytes?(options: PluginOptions, shape: TaskShape): number;
  /**
   * The example size (`Model.exampleRequest`) a model with these options trains on, known without
   * creating it: the config loader asks the task for an example of that size, so a task whose
   * data cannot give one (a text block shorter than the window) is refused as the config loads.
   */
  exampleRequest?(options: PluginOptions): ExampleRequest;
  /**
   * Whether the models it creates implement `Model.evaluate`: without it a config with `eval:` is
   * refused as it loads, before any seed starts (the model is not created to ask).
   */
  readonly evaluates?: boolean;
  /** The growable families a model with these options may have (see `Model.families`): `policies:` keys are checked against them as the config loads. */
  families?(options: PluginOptions): readonly string[];
}
export const ModelContribution = token<ModelContribution>('ModelContribution');

export interface PolicyCreateContext {
  /** Unit initialisations, for policies whose `init` option names one. */
  readonly unitInits: ContributionRegistry<UnitInitContribution>;
}
export type PolicyContribution = Contribution<GrowthPolicy, PolicyCreateContext>;
export const PolicyContribution = token<PolicyContribution>('PolicyContribution');

/** How a policy's new units start: `random`, `inherited`, ... (the `init` option of reserve policies). */
export type UnitInitContribution = Contribution<UnitInitializer, Record<string, never>>;
export const UnitInitContribution = token<UnitInitContribution>('UnitInitContribution');

export type OptimizerContribution = Contribution<Optimizer, Record<string, never>>;
export const OptimizerContribution = token<OptimizerContribution>('OptimizerContribution');
