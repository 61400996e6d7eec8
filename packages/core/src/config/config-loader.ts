import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { Ajv, type ErrorObject, type KeywordDefinition, type ValidateFunction } from 'ajv';
import { inject, injectable, optional } from 'inversify';
import { type PluginKey, SLOT_KEYS, type SlotKey } from '../plugins/extension-points.js';
import { PluginRegistries } from '../plugins/plugin-registries.js';
import { composeArmSchema } from './composed-schema.js';
import { ConfigError, describeValue, type ConfigProblem } from './config-error.js';
import type { ConfigPath, ConfigSource } from './config-source.js';
import { CORE_SCHEMA } from './core-schema.js';
import { describeAjvError } from './describe-ajv-error.js';
import { renderOptionProblem } from './option-problem.js';
import { expandSweep, sweptOrigin } from './sweep.js';
import { ConfigDefaults, deepFreeze, type ArmConfig, type ExperimentConfig, type PluginRef } from './experiment-config.js';

type Plain = Record<string, unknown>;

/**
 * YAML data → one validated, frozen `ExperimentConfig`. Top-level keys are checked against the
 * core schema; each arm (the top level merged with the arm's overrides) against the schema
 * composed from every loaded plugin's options schema, then against the plugins' own rules.
 */
@injectable()
export class ConfigLoader {
  private readonly ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true });
  private readonly validateTop: ValidateFunction;
  private validateArm?: ValidateFunction;

  constructor(
    @inject(PluginRegistries) private readonly registries: PluginRegistries,
    @inject(ConfigDefaults) @optional() private readonly defaults: ConfigDefaults = {},
  ) {
    this.validateTop = this.ajv.compile(CORE_SCHEMA);
    this.ajv.addKeyword(filePathKeyword(() => this.fileBase));
  }

  /** The folder relative file names of the config being resolved start from. */
  private fileBase = process.cwd();

  resolve(source: ConfigSource): ExperimentConfig {
    this.fileBase = source.file.startsWith('(') ? process.cwd() : dirname(resolvePath(source.file));
    const data = structuredClone(source.data) as Plain;
    fail([...nonFiniteNumbers(source, data, []), ...this.normalizeSlots(source, data)]);
    const problems: ConfigProblem[] = [];
    if (!this.validateTop(data)) problems.push(...this.ajvProblems(source, this.validateTop.errors ?? [], (p) => ({ at: p, shown: p })));
    // Arms are checked even when the top level has problems, so one run reports them all.
    if (data.arms !== undefined && !(Array.isArray(data.arms) && data.arms.every(isPlain))) fail(problems);

    const declared = (data.arms as Plain[] | undefined) ?? [{ name: data.name }];
    const sweep = expandSweep(source, data.sweep, declared, data.arms !== undefined);
    problems.push(...sweep.problems);
    const explicitArms = data.arms !== undefined || data.sweep !== undefined;
    const arms: ArmConfig[] = [];
    for (const expanded of sweep.arms) {
      const { override, fromArm } = expanded;
      const locate = (path: ConfigPath): Located => {
        const swept = sweptOrigin(expanded, path);
        if (swept) return { at: swept, shown: swept };
        return data.arms !== undefined ? locateInArm(source, fromArm, path) : { at: path, shown: path };
      };
      const arm = this.resolveArm(data, override);
      this.validateArm ??= this.ajv.compile(composeArmSchema(this.registries));
      const validate = this.validateArm;
      if (!validate(arm)) {
        problems.push(...this.ajvProblems(source, validate.errors ?? [], locate));
        continue;
      }
      problems.push(...this.crossFieldProblems(source, arm, locate));
      const description = override.description === undefined ? {} : { description: override.description };
      arms.push({ name: override.name, ...description, cycles: override.cycles ?? data.cycles, ...arm } as ArmConfig);
    }
    problems.push(...duplicateArmNames(source, declared));
    if (data.sweep !== undefined && new Set(arms.map((a) => a.name)).size < arms.length) {
      problems.push(
        source.problem(['sweep'], 'expected sweep points that give every arm its own name (names are cut at 64 characters); shorten the arm names'),
      );
    }
    fail(problems);

    const { arms: _, sweep: _s, task: _t, model: _m, policy: _p, policies: _ps, optimizer: _o, ...top } = data;
    return deepFreeze({ ...(top as Omit<ExperimentConfig, 'arms' | 'explicitArms'>), arms, explicitArms });
  }

  /** The plugin names a config asks for, checked to be a list of names. */
  static pluginNames(source: ConfigSource): string[] {
    const plugins = source.data.plugins;
    if (plugins === undefined) return [];
    if (!Array.isArray(plugins)) fail([source.problem(['plugins'], `expected a list of package names, found ${describeValue(plugins)}`)]);
    const list = plugins as unknown[];
    fail(
      list.flatMap((name, i) =>
        typeof name === 'string' && name ? [] : [source.problem(['plugins', i], `expected a package name, found ${describeValue(name)}`)],
      ),
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
      if (described.unknownKey) Object.assign(problem, source.keyPosition(at.slice(0, -1), described.unknownKey));
      problems.push(problem);
    }
    return problems;
  }

  private crossFieldProblems(source: ConfigSource, arm: ResolvedArm, locate: (path: ConfigPath) => Located): ConfigProblem[] {
    const slots: [SlotKey, ConfigPath, PluginRef | undefined][] = SLOT_KEYS.map((key) => [key, [key], arm[key]]);
    for (const [family, policy] of Object.entries(arm.policies)) slots.push(['policy', ['policies', family], policy]);
    const problems: ConfigProblem[] = [];
    const families = arm.model && this.registries.model.get(arm.model.type).families?.(arm.model);
    for (const family of Object.keys(arm.policies)) {
      if (!families || families.includes(family)) continue;
      const { at, shown } = locate(['policies', family]);
      problems.push(source.problem(at, `expected a growable family of the ${arm.model!.type} model (${families.join(', ')}), found "${family}"`, shown));
    }
    for (const [key, path, options] of slots) {
      if (!options) continue;
      const contribution = this.registries[key].get(options.type);
      for (const problem of contribution.check?.(options as never) ?? []) {
        const { message, fields } = renderOptionProblem(problem, path, options);
        const { at, shown } = locate(fields[0] ?? path);
        problems.push(source.problem(at, message, shown));
      }
    }
    return problems;
  }
}

type ResolvedArm = Record<SlotKey, PluginRef | undefined> & { policies: Record<string, PluginRef> };

interface Located {
  readonly at: ConfigPath;
  readonly shown: ConfigPath;
}

/** Where a key of arm `index`'s merged config was written: in the arm, else at the top level. */
function locateInArm(source: ConfigSource, index: number, path: ConfigPath): Located {
  const armPath = ['arms', index, ...path];
  const inArm = source.depthPresent(armPath) - 2;
  const atTop = source.depthPresent(path);
  if (inArm >= 1 && inArm >= atTop) return { at: armPath, shown: armPath };
  if (atTop >= 1) return { at: path, shown: path };
  return { at: ['arms', index], shown: armPath };
}

/** Calls `visit(holder, key)` for every place `path` reaches ('*': each list item). */
function forEachAt(value: unknown, path: readonly string[], visit: (holder: Record<string | number, unknown>, key: string | number) => void): void {
  if (!path.length || value === null || typeof value !== 'object') return;
  const [head, ...rest] = path;
  const holder = value as Record<string | number, unknown>;
  const keys: (string | number)[] = head === '*' ? (Array.isArray(value) ? value.map((_, i) => i) : []) : [head];
  for (const key of keys) {
    if (!(key in holder)) continue;
    if (rest.length) forEachAt(holder[key], rest, visit);
    else visit(holder, key);
  }
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

/**
 * `filePath: true` on a string option: a file name, relative to the config file, that must exist.
 * It is replaced by its absolute path, so a run folder's config.yaml still finds it (on resume).
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

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(problems: readonly ConfigProblem[]): void {
  if (problems.length) throw new ConfigError(dedupe(problems));
}

/** An error in a top-level value shows once, not once per arm that inherits it. */
function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
