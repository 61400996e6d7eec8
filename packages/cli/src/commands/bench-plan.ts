import { InvalidArgumentError } from 'commander';
import { parse, stringify } from 'yaml';
import { DiffstructError, type OptionsSchema, type TaskKind } from '@diffstruct/core';
import { type ArmConfig, ConfigError, type ConfigLoader, ConfigSource, type PluginRegistries } from '@diffstruct/core/host';
import { keyValue } from './arguments.js';

/** The task a model is timed on when --task names none, by the first kind of task it accepts. */
export const BENCH_TASKS: Readonly<Record<TaskKind, string>> = { sequence: 'hard', table: 'parity' };

/** One --set: a model option and its value, parsed as YAML. */
export interface ModelSetting {
  readonly key: string;
  readonly value: unknown;
  /** As the user wrote it, for errors. */
  readonly written: string;
}

/** What bench's flags say about the model and task to time. */
export interface BenchModelFlags {
  readonly model: string;
  /** --task as written: a type name or a YAML mapping; by the model's accepts when absent. */
  readonly task?: string;
  readonly hidden: readonly number[];
  /** Whether --hidden was given (else its default sizes apply to models that have a `hidden` option). */
  readonly hiddenGiven: boolean;
  readonly kernel?: readonly string[];
  /** --batch: windows per cycle, for a model with a batch option. */
  readonly batch?: readonly number[];
  readonly set: readonly ModelSetting[];
}

/** One fixed-size row to time: its arm, and the size and kernel that label it (when the model has those options). */
export interface BenchRowPlan {
  readonly hidden?: number;
  readonly kernel?: string;
  readonly batch?: number;
  readonly arm: ArmConfig;
}

export interface BenchPlan {
  readonly model: string;
  readonly task: string;
  /** Fixed-size arms (`policy: none`), one per size and kernel. */
  readonly rows: readonly BenchRowPlan[];
  /** The grown run: the model from its own starting size under the paper's policy, the first kernel. */
  readonly grown: ArmConfig;
}

/** Options with a flag of their own, which --set does not take. */
const OWN_FLAGS: Readonly<Record<string, string>> = { type: '--model', hidden: '--hidden', kernel: '--kernel', batch: '--batch' };

/** `key=value` of --set, the value parsed as YAML (`--set hidden=[4,4]`, `--set activation=relu`). */
export function modelSetting(written: string, previous: readonly ModelSetting[] = []): ModelSetting[] {
  const { key, value } = keyValue(written, 'a model option and its value in YAML, e.g. unroll=20');
  if (Object.hasOwn(OWN_FLAGS, key)) throw new InvalidArgumentError(`--set ${written}: ${key} has a flag of its own, ${OWN_FLAGS[key]}`);
  return [...previous, { key, value, written }];
}

/**
 * The arms bench times, built as configs and resolved by the config loader like any experiment
 * (options checked against the model's schema, defaults filled in, the model's rules and its
 * `accepts` applied); a problem is reported as the flag that caused it.
 */
export function planBench(loader: ConfigLoader, registries: PluginRegistries, flags: BenchModelFlags): BenchPlan {
  const { model } = flags;
  const contribution = registries.model.has(model) ? registries.model.get(model) : undefined;
  const task: unknown = flags.task === undefined ? (contribution ? BENCH_TASKS[contribution.accepts[0]] : BENCH_TASKS.sequence) : parseTask(flags.task);
  const properties: OptionsSchema['properties'] = contribution?.optionsSchema.properties ?? {};
  const optionList = `its options: ${Object.keys(properties).join(', ') || 'none'}`;
  if (contribution && flags.hiddenGiven && !properties.hidden)
    throw new DiffstructError(`--hidden: the ${model} model has no hidden option (${optionList}); set its size with --set KEY=VALUE`);
  if (contribution && flags.kernel && !properties.kernel) throw new DiffstructError(`--kernel: the ${model} model has no kernel option (${optionList})`);
  if (contribution && flags.batch && !properties.batch) throw new DiffstructError(`--batch: the ${model} model has no batch option (${optionList})`);

  const sets = Object.fromEntries(flags.set.map((s) => [s.key, s.value]));
  /** Which flag wrote each config path, for problems: 'model.hidden' → '--hidden 27'. */
  const flagOf = new Map<string, string>([
    ...(flags.task === undefined ? [] : [['task', `--task ${flags.task}`] as const]),
    ['model', `--model ${model}`],
    ...flags.set.map((s) => [`model.${s.key}`, `--set ${s.written}`] as const),
  ]);
  const problems = new Set<string>();
  const resolve = (own: OwnOptions, policy: string): ArmConfig | undefined => {
    const text = stringify({ name: 'bench', seeds: 1, task, model: { type: model, ...sets, ...own.options }, policy });
    try {
      return loader.resolve(ConfigSource.parse(text, '(bench)')).arms[0];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const flagsOf = new Map([...flagOf, ...own.flagOf]);
      for (const p of error.problems) problems.add(`${writtenBy(flagsOf, p.path)}: ${p.path}: ${p.message}`);
      return undefined;
    }
  };

  /** A row's own options: its size (with the cap raised to fit, unless --set gives it) and kernel. */
  const ownOptions = (hidden: number | undefined, kernel: string | undefined, batch?: number): OwnOptions => {
    const options: Record<string, unknown> = {};
    const written = new Map<string, string>();
    if (hidden !== undefined) {
      // A list of layer widths (feedforward) gets one layer of N.
      options.hidden = properties.hidden?.type === 'array' ? [hidden] : hidden;
      written.set('model.hidden', `--hidden ${hidden}`);
      const cap = properties.maxHidden;
      if (cap && !Object.hasOwn(sets, 'maxHidden')) {
        // Never past the cap's own maximum: a size above that is then one problem, the size's.
        const raised = Math.max(hidden, typeof cap.default === 'number' ? cap.default : hidden);
        options.maxHidden = typeof cap.maximum === 'number' ? Math.min(raised, cap.maximum) : raised;
        written.set('model.maxHidden', `--hidden ${hidden}`);
      }
    }
    if (kernel !== undefined) {
      options.kernel = kernel;
      written.set('model.kernel', `--kernel ${kernel}`);
    }
    if (batch !== undefined) {
      options.batch = batch;
      written.set('model.batch', `--batch ${batch}`);
    }
    return { options, flagOf: written };
  };

  const kernels = properties.kernel && flags.kernel ? flags.kernel : [undefined];
  const rows: BenchRowPlan[] = [];
  const batches = properties.batch && flags.batch ? flags.batch : [undefined];
  for (const hidden of properties.hidden ? flags.hidden : [undefined]) {
    for (const batch of batches) {
      for (const kernel of kernels) {
        const arm = resolve(ownOptions(hidden, kernel, batch), 'none');
        const shownKernel = properties.kernel ? arm?.model.kernel : undefined;
        if (arm)
          rows.push({
            ...(hidden === undefined ? {} : { hidden }),
            ...(typeof shownKernel === 'string' ? { kernel: shownKernel } : {}),
            ...(batch === undefined ? {} : { batch }),
            arm,
          });
      }
    }
  }
  const grown = resolve(ownOptions(undefined, kernels[0]), 'threshold');
  if (problems.size || !grown) throw new DiffstructError([...problems].join('\n'));
  return { model, task: grown.task.type, rows, grown };
}

/** Model options a row sets beyond --set, and the flags that set them. */
interface OwnOptions {
  readonly options: Readonly<Record<string, unknown>>;
  readonly flagOf: ReadonlyMap<string, string>;
}

/** --task: a type name, or a YAML mapping of a type and its options. */
function parseTask(written: string): unknown {
  try {
    return parse(written);
  } catch {
    return written;
  }
}

/** The flag that wrote the config path `path` (e.g. 'model.hidden[0]'): the one whose path is its longest prefix; else bench itself. */
function writtenBy(flagOf: ReadonlyMap<string, string>, path: string): string {
  let best: string | undefined;
  for (const key of flagOf.keys()) {
    const covers = path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
    if (covers && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? 'bench' : flagOf.get(best)!;
}
