import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DiffstructError } from '../errors.js';
import { createFileExclusive } from './atomic-write.js';
import { readRunFile, RUN_FILES } from './run-folder.js';
import { writing } from './write-error.js';
import { type ArmSettings, armSettings, armSettingsHash, settingsDifferences, showSetting } from '../config/arm-settings.js';
import type { DataFileHashes } from '../config/data-file-reader.js';
import type { ExperimentConfig } from '../config/experiment-config.js';

export type { DataFileHashes };

/** An arm as a run recorded it: its settings (`armSettings`) and their `armSettingsHash`. */
export interface RecordedArm {
  readonly sha256: string;
  readonly settings: ArmSettings;
}

/**
 * What a run was started with (a run folder's inputs.json): each arm's settings (what fixes its
 * numbers) with their hash, a sha256 of every data file its tasks read, and the plugin packages
 * its config names. `run --resume` and a shard joining the folder compare against it, so a run
 * never mixes two configs or two versions of its data; `report` compares the data of the folders
 * it merges.
 */
export interface RunInputs {
  readonly arms: Readonly<Record<string, RecordedArm>>;
  readonly data: DataFileHashes;
  /**
   * The config's `plugins:` list. A resume compares config.yaml's list with it before any package
   * is imported (`checkStartedPlugins`): the arms' settings can only be compared once the plugins
   * that define them are loaded, which runs their code. Absent in inputs.json written before it was recorded.
   */
  readonly plugins?: readonly string[];
}

/** The inputs of a run of `config` over data files of these hashes. */
export function runInputsOf(config: ExperimentConfig, data: DataFileHashes): RunInputs {
  const arms = config.arms.map((arm) => {
    const settings = armSettings(arm, config);
    return [arm.name, { sha256: armSettingsHash(settings), settings }] as const;
  });
  return { arms: Object.fromEntries(arms), data, plugins: [...config.plugins] };
}

export function runInputsJson(inputs: RunInputs): string {
  return JSON.stringify(inputs, null, 2) + '\n';
}

const EXPECTED = 'expected { "arms": { arm: { "sha256", "settings" } }, "data": { file: sha256 }, "plugins": [package name] }';

/** Parses an inputs.json; `file` names it in errors. */
export function parseRunInputs(text: string, file: string): RunInputs {
  let data: { arms?: unknown; config?: unknown; data?: unknown; plugins?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    throw new Error(`${file}: ${EXPECTED}, found text that does not parse as JSON: ${(error as Error).message}`);
  }
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(data) && typeof data.config === 'string' && data.arms === undefined)
    throw new Error(`${file}: written by an earlier diffstruct (one hash of the whole config, not each arm's settings); ${EXPECTED}`);
  const hashes = data?.data;
  const arms = data?.arms;
  const isArm = (a: unknown) => isMap(a) && typeof a.sha256 === 'string' && isMap(a.settings);
  if (!isMap(hashes) || !Object.values(hashes).every((h) => typeof h === 'string') || !isMap(arms) || !Object.values(arms).every(isArm))
    throw new Error(`${file}: ${EXPECTED}`);
  const plugins = data.plugins;
  if (plugins !== undefined && !(Array.isArray(plugins) && plugins.every((p) => typeof p === 'string'))) throw new Error(`${file}: ${EXPECTED}`);
  return { arms: arms as RunInputs['arms'], data: hashes as DataFileHashes, ...(plugins ? { plugins: plugins as string[] } : {}) };
}

/** Names in one list and not the other, as `"x" added, "y" gone` (order does not count: a package is loaded or not); empty when the same. */
function pluginDifferences(started: readonly string[], now: readonly string[]): string[] {
  return [
    ...now.filter((name) => !started.includes(name)).map((name) => `"${name}" added`),
    ...started.filter((name) => !now.includes(name)).map((name) => `"${name}" gone`),
  ];
}

/**
 * Refuses (DiffstructError, exit 2) a resume whose config.yaml names other plugin packages than
 * the run was started with, given the names as read from its `plugins:` list, before any is
 * imported: loading one runs its code, so an edited list must be refused before, not by the
 * comparison of the arms' settings after. A run that recorded no names (no inputs.json, or one
 * written before they were recorded) is refused only when config.yaml names some: nothing is then
 * imported unchecked, and a run without plugins still resumes.
 */
export function checkStartedPlugins(out: string, names: readonly string[], configFile: string): void {
  const file = join(out, RUN_FILES.inputs);
  const started = existsSync(file) ? readRecordedInputs(file).plugins : undefined;
  if (started === undefined) {
    if (!names.length) return;
    throw new DiffstructError(
      `${configFile}: names plugins (${names.map((n) => `"${n}"`).join(', ')}), but ${file} does not record the plugins the run started with ` +
        '(it was written by an earlier diffstruct, or is missing), so they cannot be checked before their code runs; ' +
        'start a new run in another folder (diffstruct run CONFIG --out NEW_FOLDER)',
    );
  }
  const changes = pluginDifferences(started, names);
  if (!changes.length) return;
  throw new DiffstructError(
    `${configFile}: plugins: other packages than the run started with (${changes.join(', ')}); none of them was loaded. ` +
      'Restore the list, or start a new run in another folder (diffstruct run CONFIG --out NEW_FOLDER).',
  );
}

/** A run folder's inputs.json, or a DiffstructError (exit 2) saying why the run cannot go on without it. */
function readRecordedInputs(file: string): RunInputs {
  try {
    return parseRunInputs(readRunFile(file, 'inputs'), file);
  } catch (error) {
    throw new DiffstructError(`${(error as Error).message}; it records what the run was started with, so the run cannot be continued safely`);
  }
}

/** Data files read by both records whose contents differ, with what changed, as `file: ...` lines. */
export function changedDataFiles(before: DataFileHashes, now: DataFileHashes): string[] {
  return Object.keys(before)
    .filter((file) => Object.hasOwn(now, file) && now[file] !== before[file])
    .map((file) => `${file}: its contents changed (sha256 ${before[file].slice(0, 12)}… then, ${now[file].slice(0, 12)}… now)`);
}

/**
 * What differs between the inputs a run was started with and those of this session, one line
 * each: an arm gone, new, or with other settings (each differing key with both values), and each
 * data file whose contents changed. `configFile` is the config this session loaded.
 */
export function changedInputs(started: RunInputs, now: RunInputs, configFile: string): string[] {
  const changes: string[] = [];
  for (const [name, arm] of Object.entries(started.arms)) {
    const current = now.arms[name];
    if (!current) changes.push(`${configFile}: arm "${name}" is gone (the run started with it)`);
    else if (current.sha256 !== arm.sha256) {
      const keys = settingsDifferences(arm.settings, current.settings).map((d) => `${d.key}: ${showSetting(d.before)} then, ${showSetting(d.now)} now`);
      const what = keys.length ? keys.join('; ') : 'the same keys and values, hashed otherwise';
      changes.push(
        `${configFile}: arm "${name}" has other settings than the run started with (edited, or a default changed in diffstruct or a plugin): ${what}`,
      );
    }
  }
  for (const name of Object.keys(now.arms))
    if (!Object.hasOwn(started.arms, name)) changes.push(`${configFile}: arm "${name}" is new (the run started without it)`);
  const plugins = started.plugins && now.plugins ? pluginDifferences(started.plugins, now.plugins) : [];
  if (plugins.length) changes.push(`${configFile}: plugins: other packages than the run started with (${plugins.join(', ')})`);
  return [...changes, ...changedDataFiles(started.data, now.data)];
}

/**
 * Records `inputs` as the run folder's inputs.json when it has none; else this session (a resume,
 * a shard joining the folder) must run what the run was started with, or it would mix two configs
 * or two versions of a data file in one run folder: a DiffstructError (exit 2) lists each change.
 * The file is created whole and exclusively (written under a temporary name, then hard-linked to
 * its name, which fails if the name exists), so of shards starting at the same instant one
 * records its inputs and the others compare theirs with them. `configFile` is the config this
 * session loaded, for the message.
 */
export function recordRunInputs(out: string, inputs: RunInputs, configFile: string): void {
  const file = join(out, RUN_FILES.inputs);
  writing(out, () => mkdirSync(out, { recursive: true }));
  if (createFileExclusive(file, runInputsJson(inputs))) return;
  const recorded = readRecordedInputs(file);
  const changes = changedInputs(recorded, inputs, configFile);
  if (!changes.length) return;
  throw new DiffstructError(
    `${out}: the run was started on other inputs; continuing it would mix them in one run folder:\n` +
      changes.map((c) => `  ${c}\n`).join('') +
      'Restore them, or start a new run in another folder (diffstruct run CONFIG --out NEW_FOLDER).',
  );
}
