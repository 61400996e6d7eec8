import { createHash } from 'node:crypto';
import type { ArmConfig, ExperimentConfig } from './experiment-config.js';

/**
 * What fixes the numbers of an arm's seeds (`armSettings`): its resolved options (task, model,
 * policy, policies, optimizer, cycles), the log interval and, when given, `eval`. Canonical: plain JSON data.
 */
export type ArmSettings = Readonly<Record<string, unknown>>;

/** An arm's keys that name or describe it without changing its numbers. */
const NOT_SETTINGS: ReadonlySet<string> = new Set(['name', 'description'] satisfies (keyof ArmConfig)[]);

/**
 * The one definition of what fixes an arm's numbers: its resolved options, `log.every` and `eval`
 * (only when present, so runs without it keep the hashes they had before it existed); not its
 * name or description, nor the experiment's seeds, checkpoints or plugin list. A checkpoint's
 * identity, a run's inputs.json and `report` (merging run folders) all compare these, by
 * `armSettingsHash`.
 */
export function armSettings(arm: ArmConfig, experiment: Pick<ExperimentConfig, 'log' | 'eval'>): ArmSettings {
  const options = Object.entries(arm).filter(([key, value]) => !NOT_SETTINGS.has(key) && value !== undefined);
  const evaluation = experiment.eval === undefined ? {} : { eval: experiment.eval };
  return JSON.parse(canonicalJson({ ...Object.fromEntries(options), log: { every: experiment.log.every }, ...evaluation })) as ArmSettings;
}

/** sha256 of the settings as canonical JSON: the order of keys does not matter. */
export function armSettingsHash(settings: ArmSettings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}

/** JSON with every mapping's keys sorted and undefined entries left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A setting that differs between two arms' settings: its dotted key and both values (undefined: absent). */
export interface SettingDifference {
  readonly key: string;
  readonly before: unknown;
  readonly now: unknown;
}

/** The dotted keys whose values differ between `before` and `now` (lists compared whole); only to explain a hash mismatch. */
export function settingsDifferences(before: unknown, now: unknown, path = ''): SettingDifference[] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(before) && isMap(now)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
    return keys.flatMap((key) => settingsDifferences(before[key], now[key], path ? `${path}.${key}` : key));
  }
  return canonicalJson(before) === canonicalJson(now) ? [] : [{ key: path, before, now }];
}

/** A value of a setting as messages show it. */
export function showSetting(value: unknown): string {
  return value === undefined ? 'absent' : canonicalJson(value);
}

/** Keys of a run folder's config.yaml that are the experiment's, not its implicit arm's (`cycles` is both). */
const EXPERIMENT_KEYS: ReadonlySet<string> = new Set([
  'name',
  'description',
  'seeds',
  'log',
  'checkpoint',
  'eval',
  'plugins',
] satisfies (keyof ExperimentConfig)[]);

/**
 * Each arm's name and settings as a run folder's config.yaml (parsed) holds them: the `arms` list
 * when it has one, else one arm named after the experiment whose options are the top level.
 */
export function armSettingsOfRunConfig(data: Readonly<Record<string, unknown>>): { name: string; settings: ArmSettings }[] {
  const experiment = { log: (data.log ?? {}) as ExperimentConfig['log'], eval: data.eval as ExperimentConfig['eval'] };
  const top = Object.fromEntries(Object.entries(data).filter(([key]) => !EXPERIMENT_KEYS.has(key) && key !== 'arms'));
  const arms = (data.arms as ArmConfig[] | undefined) ?? [{ ...top, name: data.name } as ArmConfig];
  return arms.map((arm) => ({ name: arm.name, settings: armSettings(arm, experiment) }));
}
