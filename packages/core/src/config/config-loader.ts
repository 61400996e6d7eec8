import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { Ajv, type ErrorObject, type KeywordDefinition, type ValidateFunction } from 'ajv';
import { inject, injectable, optional } from 'inversify';
import { type PluginKey, SLOT_KEYS, type SlotKey } from '../plugins/extension-points.js';
import { EXPECTED_PACKAGE_NAME, packageNameProblem } from '../plugins/installed-package.js';
import { PluginRegistries } from '../plugins/plugin-registries.js';
import { ArmData, type PreparedTaskData } from './arm-data.js';
import type { DataFileHashes } from './data-file-reader.js';
import { ArmOrigins, type Located } from './arm-origins.js';
import { composeArmSchema } from './composed-schema.js';
import { ConfigError, describeValue, scopeToArms, type ConfigProblem } from './config-error.js';
import type { ConfigPath, ConfigSource } from './config-source.js';
import { CORE_SCHEMA, CYCLES_SCHEMA } from './core-schema.js';
import { crossFieldProblems, type ResolvedArm } from './cross-field.js';
import { describeAjvError, parsePointer } from './describe-ajv-error.js';
import { expandSweep, type ExpandedArm } from './sweep.js';
import { ConfigDefaults, deepFreeze, type ArmConfig, type EvalSettings, type ExperimentConfig, type PluginRef } from './experiment-config.js';
import { forEachAt, isPlain, type Plain } from './plain-data.js';
import { runFolderFileClash } from '../run-folder/run-folder-layout.js';

/**
 * YAML data → one validated, frozen `ExperimentConfig`. Top-level keys are checked against the
 * core schema; each arm (the top level merged with the arm's overrides) against the schema
 * composed from every loaded plugin's options schema, then against the plugins' own rules.
 */
@injectable()
export class ConfigLoader {
  private readonly ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true });
  private readonly validateTop: ValidateFunction;
  private readonly validateCycles: ValidateFunction;
  private validateArm?: ValidateFunction;

  constructor(
    @inject(PluginRegistries) private readonly registries: PluginRegistries,
    @inject(ConfigDefaults) @optional() private readonly defaults: ConfigDefaults = {},
  ) {
    this.validateTop = this.ajv.compile(CORE_SCHEMA);
    this.validateCycles = this.ajv.compile(CYCLES_SCHEMA);
    this.ajv.addKeyword(filePathKeyword(() => this.fileBase));
  }

  /** The folder relative file names of the config being resolved start from. */
  private fileBase = process.cwd();

  resolve(source: ConfigSource): ExperimentConfig {
    return this.resolveArms(source);
  }

  /**
   * `resolve`, and then each arm's task created once and its data read and checked, and the model
   * checked against the task's real shape and memory (`ArmData`): what a seed would otherwise
   * meet first. Returns what the tasks prepared, for the jobs, and a sha256 of each data file
   * they read (through `TaskPrepareContext.readDataFile`: the bytes they parsed), e.g. a csv task's file.
   */
  resolveWithData(source: ConfigSource): { config: ExperimentConfig; taskData: PreparedTaskData; dataFiles: DataFileHashes } {
    const armData = new ArmData(this.registries, configFolder(source));
    const config = this.resolveArms(source, armData);
    return { config, taskData: armData.taskData, dataFiles: armData.dataFiles };
  }

  private resolveArms(source: ConfigSource, armData?: ArmData): ExperimentConfig {
    this.fileBase = configFolder(source);
    const data = structuredClone(source.data) as Plain;
    // Found before any schema is checked; the schema's complaint at the same place would only repeat them.
    const early = [...nonFiniteNumbers(source, data, []), ...this.normalizeSlots(source, data)];
    const problems: ConfigProblem[] = [];
    if (!this.validateTop(data)) problems.push(...this.ajvProblems(source, this.validateTop.errors ?? [], (p) => ({ at: p, shown: p })));
    else problems.push(...evalEveryProblems(source, data));
    const armsDeclared = data.arms !== undefined;
    // Arms that are not a list of mappings cannot be merged over the top level: the core schema has said why.
    if (armsDeclared && !(Array.isArray(data.arms) && data.arms.every(isPlain))) fail(withoutRepeats(early, problems));

    // Arms are created only from a valid top level (their cycles among it).
    const creatable = early.length || problems.length ? undefined : armData;
    const declared = (data.arms as Plain[] | undefined) ?? [{ name: data.name }];
    const sweep = expandSweep(source, data.sweep, declared, armsDeclared, (value) => this.cyclesProblem(value));
    problems.push(...sweep.problems);
    const explicitArms = armsDeclared || data.sweep !== undefined;
    const arms: ArmConfig[] = [];
    const found: { problem: ConfigProblem; arm: string }[] = [];
    for (const expanded of sweep.arms) {
      const { override } = expanded;
      const cycles = (override.cycles ?? data.cycles) as number;
      const checked = this.checkArm(source, data, expanded, armsDeclared, cycles, creatable);
      found.push(...checked.problems.map((problem) => ({ problem, arm: String(override.name) })));
      if (!checked.problems.length) {
        const description = override.description === undefined ? {} : { description: override.description };
        arms.push({ name: override.name, ...description, cycles, ...checked.arm } as ArmConfig);
      }
    }
    problems.push(...(explicitArms ? scopeToArms(found, sweep.arms.length) : found.map((f) => f.problem)));
    problems.push(...duplicateArmNames(source, declared));
    if (explicitArms) problems.push(...runFileClashes(source, sweep.arms));
    if (data.sweep !== undefined && new Set(arms.map((a) => a.name)).size < arms.length) {
      problems.push(
        source.problem(['sweep'], 'expected sweep points that give every arm its own name (names are cut at 64 characters); shorten the arm names'),
      );
    }
    fail(withoutRepeats(early, problems));

    const { arms: _, sweep: _s, task: _t, model: _m, policy: _p, policies: _ps, optimizer: _o, ...top } = data;
    return deepFreeze({ ...(top as Omit<ExperimentConfig, 'arms' | 'explicitArms'>), arms, explicitArms });
  }

  /**
   * One arm's plugin slots merged and checked: schema problems, and the rules across options of
   * every slot whose options passed the schema; each problem where the file wrote the value.
   */
  private checkArm(
    source: ConfigSource,
    data: Plain,
    expanded: ExpandedArm,
    armsDeclared: boolean,
    cycles: number,
    armData?: ArmData,
  ): { arm: ResolvedArm; problems: ConfigProblem[] } {
    const origins = new ArmOrigins(data, this.defaults, expanded, armsDeclared);
    const arm = this.resolveArm(data, expanded.override);
    this.validateArm ??= this.ajv.compile(composeArmSchema(this.registries));
    const errors = this.validateArm(arm) ? [] : [...(this.validateArm.errors ?? [])];
    const problems = this.ajvProblems(source, errors, (path) => origins.locate(path));
    // An unknown key leaves the known options valid, so their rules are checked too ('if' only repeats its 'then' errors).
    const invalid = errors
      .filter((e) => e.keyword !== 'additionalProperties' && e.keyword !== 'if')
      .map((e) => describeAjvError(e)?.path ?? parsePointer(e.instancePath));
    const isValid = (slot: ConfigPath) => !invalid.some((path) => startsWith(path, slot) || startsWith(slot, path));
    for (const p of crossFieldProblems(this.registries, arm, isValid)) {
      const { at, shown } = origins.locateRule(p.fields, p.options);
      problems.push(source.problem(at, p.message, shown));
    }
    // Only an arm that passed every check above can be created.
    if (armData && !problems.length) {
      for (const p of armData.problems(arm, cycles, data.eval as EvalSettings | undefined)) {
        const { at, shown } = p.topLevel ? { at: p.at, shown: p.at } : p.fields ? origins.locateRule(p.fields, p.at) : origins.locate(p.at);
        problems.push(source.problem(at, p.message, shown));
      }
    }
    return { arm, problems };
  }

  /** Why `value` cannot be an arm's cycles, as the core schema says it where an arm writes cycles. */
  private cyclesProblem(value: unknown): string | undefined {
    if (this.validateCycles(value)) return undefined;
    return (this.validateCycles.errors ?? []).map((e) => describeAjvError(e)?.message).find((m) => m !== undefined) ?? 'expected a number of cycles';
  }

  /** The plugin names a config asks for, checked to be a list of names. */
  static pluginNames(source: ConfigSource): string[] {
    const plugins = source.data.plugins;
    if (plugins === undefined) return [];
    if (!Array.isArray(plugins)) fail([source.problem(['plugins'], `expected a list of package names, found ${describeValue(plugins)}`)]);
    const list = plugins as unknown[];
    // Every name is checked before any is imported: a file path is refused, never loaded.
    const problem = (name: unknown) => {
      if (typeof name !== 'string' || !name) return `found ${describeValue(name)}`;
      const why = packageNameProblem(name);
      return why && `found "${name}", which ${why}`;
    };
    fail(
      list.flatMap((name, i) => {
        const found = problem(name);
        return found ? [source.problem(['plugins', i], `expected ${EXPECTED_PACKAGE_NAME}, ${found}`)] : [];
      }),
    );
    return list as string[];
  }

  private resolveArm(top: Plain, override: Plain): ResolvedArm {
    const arm = {} as ResolvedArm;
    const merged = {} as Record<SlotKey, Plain | undefined>;
    for (const key of SLOT_KEYS) {
      merged[key] = mergeSlot(mergeSlot(this.defaults[key] as Plain | undefined, top[key] as Plain | undefined), override[key] as Plain | undefined);
      if (merged[key] !== undefined) arm[key] = this.expandNested(key, structuredClone(merged[key])) as PluginRef;
    }
    // Each family's policy: its entries (top level, then the arm's) merged over the arm's policy.
    const topPolicies = (isPlain(top.policies) ? top.policies : {}) as Record<string, Plain>;
    const armPolicies = (isPlain(override.policies) ? override.policies : {}) as Record<string, Plain>;
    arm.policies = {};
    for (const family of new Set([...Object.keys(topPolicies), ...Object.keys(armPolicies)])) {
      const policy = mergeSlot(mergeSlot(merged.policy, asPlain(topPolicies[family])), asPlain(armPolicies[family]));
      if (policy !== undefined) arm.policies[family] = this.expandNested('policy', structuredClone(policy)) as PluginRef;
    }
    return arm;
  }

  /** Expands bare type names in the nested plugin slots a contribution declares, recursively. */
  private expandNested(point: PluginKey, slot: Plain): Plain {
    const registry = this.registries[point];
    if (typeof slot.type !== 'string' || !registry.has(slot.type)) return slot;
    for (const nested of registry.get(slot.type).nestedSlots ?? []) {
      forEachAt(slot, nested.path, (holder, key) => {
        const value = holder[key];
        if (typeof value === 'string') holder[key] = { type: value };
        if (isPlain(holder[key])) holder[key] = this.expandNested(nested.point, holder[key] as Plain);
      });
    }
    return slot;
  }

  /** `policy: threshold` is short for `policy: { type: threshold }`, at the top and in each arm (and in `policies:`). */
  private normalizeSlots(source: ConfigSource, data: Plain): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const places: [Plain, ConfigPath][] = [[data, []]];
    if (Array.isArray(data.arms)) data.arms.forEach((arm, i) => isPlain(arm) && places.push([arm, ['arms', i]]));
    for (const [holder, at] of places) {
      for (const key of SLOT_KEYS) {
        const value = holder[key];
        if (value === undefined || isPlain(value)) continue;
        if (typeof value === 'string') holder[key] = { type: value };
        else problems.push(source.problem([...at, key], `expected a ${key} type name or a mapping with "type" and options, found ${describeValue(value)}`));
      }
      const policies = holder.policies;
      if (policies === undefined) continue;
      if (!isPlain(policies)) {
        problems.push(
          source.problem([...at, 'policies'], `expected a mapping from growable families (e.g. blocks) to policies, found ${describeValue(policies)}`),
        );
        continue;
      }
      for (const [family, value] of Object.entries(policies)) {
        if (typeof value === 'string') policies[family] = { type: value };
        else if (!isPlain(value))
          problems.push(
            source.problem([...at, 'policies', family], `expected a policy type name or a mapping of policy options, found ${describeValue(value)}`),
          );
      }
    }
    return problems;
  }

  private ajvProblems(source: ConfigSource, errors: readonly ErrorObject[], locate: (path: ConfigPath) => Located): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const error of errors) {
      const described = describeAjvError(error);
      if (!described) continue;
      const { at, shown } = locate(described.path);
      const problem = source.problem(at, described.message, shown);
      // An unknown key written in a mapping is pointed at itself; one a sweep wrote, at its sweep entry.
      if (described.unknownKey && at[at.length - 1] === described.unknownKey) Object.assign(problem, source.keyPosition(at.slice(0, -1), described.unknownKey));
      problems.push(problem);
    }
    return problems;
  }
}

/** The folder relative file names of a config start from (the working directory for a config not read from a file). */
function configFolder(source: ConfigSource): string {
  return source.file.startsWith('(') ? process.cwd() : dirname(resolvePath(source.file));
}

function startsWith(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.every((part, i) => path[i] === part);
}

function mergeSlot(base: Plain | undefined, override: Plain | undefined): Plain | undefined {
  if (!override) return base;
  if (!base || (override.type !== undefined && override.type !== base.type)) return override;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isPlain(value) && isPlain(merged[key]) ? mergeSlot(merged[key] as Plain, value) : value;
  }
  return merged;
}

function nonFiniteNumbers(source: ConfigSource, value: unknown, path: (string | number)[]): ConfigProblem[] {
  if (typeof value === 'number' && !Number.isFinite(value)) return [source.problem(path, `expected a finite number, found ${describeValue(value)}`)];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(source, v, [...path, i]));
  if (isPlain(value)) return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(source, v, [...path, k]));
  return [];
}

function duplicateArmNames(source: ConfigSource, arms: readonly Plain[]): ConfigProblem[] {
  const first = new Map<unknown, number>();
  const problems: ConfigProblem[] = [];
  arms.forEach((arm, i) => {
    const seen = first.get(arm.name);
    if (seen === undefined) first.set(arm.name, i);
    else problems.push(source.problem(['arms', i, 'name'], `expected a name no other arm has, found "${String(arm.name)}" (also arms[${seen}])`));
  });
  return problems;
}

/** Arm folders sit beside the run folder's own files: an arm may not take one of their names. */
function runFileClashes(source: ConfigSource, arms: readonly ExpandedArm[]): ConfigProblem[] {
  return arms.flatMap(({ override, fromArm, swept }) => {
    const clash = runFolderFileClash(String(override.name));
    if (!clash) return [];
    const at = swept.length ? ['sweep'] : ['arms', fromArm, 'name'];
    return [source.problem(at, `expected an arm name that is not a file of the run folder, found "${String(override.name)}" (the run folder's ${clash})`)];
  });
}

/**
 * `filePath: true` on a string option: a file name, relative to the config file, that must exist.
 * It is replaced by its absolute path, so a run folder's config.yaml still finds it (on resume).
 * The task reads it in `prepare` (through `readDataFile`, which records what the run read).
 */
function filePathKeyword(base: () => string): KeywordDefinition {
  const validate = (
    _schema: unknown,
    data: string,
    _parent?: unknown,
    context?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number },
  ): boolean => {
    const full = resolvePath(base(), data);
    if (!existsSync(full) || !statSync(full).isFile()) {
      validate.errors = [{ keyword: 'filePath', message: `expected an existing file (looked for ${full})`, params: {} }];
      return false;
    }
    if (context) context.parentData[context.parentDataProperty] = full;
    return true;
  };
  validate.errors = [] as Partial<ErrorObject>[];
  return { keyword: 'filePath', type: 'string', modifying: true, errors: true, validate };
}

function asPlain(value: unknown): Plain | undefined {
  return isPlain(value) ? value : undefined;
}

function fail(problems: readonly ConfigProblem[]): void {
  if (problems.length) throw new ConfigError(dedupe(problems));
}

/** `early` and the `later` problems at places `early` did not already name. */
function withoutRepeats(early: readonly ConfigProblem[], later: readonly ConfigProblem[]): ConfigProblem[] {
  // By file too: every problem of a --set flag is at 0:0 of its own "file" (the flag).
  const named = new Set(early.map((p) => `${p.file}:${p.line}:${p.col}`));
  return [...early, ...later.filter((p) => !named.has(`${p.file}:${p.line}:${p.col}`))];
}

/** A problem found twice (e.g. in `policy` and in a `policies` entry merged over it) shows once. */
function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `eval.every` must land on logged rows: the figures travel in the metrics row, and an extra row would change the training columns. */
function evalEveryProblems(source: ConfigSource, data: Plain): ConfigProblem[] {
  const evaluation = data.eval as { every: number } | undefined;
  const logEvery = (data.log as { every: number }).every;
  if (evaluation === undefined || evaluation.every % logEvery === 0) return [];
  return [source.problem(['eval', 'every'], `expected a multiple of log.every (${logEvery}), found ${evaluation.every}`)];
}
