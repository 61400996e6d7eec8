import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DiffstructError } from '@diffstruct/core';
import {
  type ArmSettings,
  armSettingsHash,
  armSettingsOfRunConfig,
  changedDataFiles,
  describeHolder,
  liveHolder,
  type MetricsTable,
  parseMetrics,
  parseRunInputs,
  readRunFile,
  RUN_FILES,
  runFolderProblem,
  type RunInputs,
  SEED_FOLDER,
  type SeedResult,
  settingsDifferences,
  showSetting,
} from '@diffstruct/core/host';

export interface SeedData {
  readonly seed: number;
  readonly folder: string;
  readonly metrics: MetricsTable;
  readonly result?: SeedResult;
}

export interface ArmData {
  readonly name: string;
  readonly cycles: number;
  readonly seeds: SeedData[];
}

/** A seed whose files could not be read: left out of the summary, and named with the file and why. */
export interface UnreadableSeed {
  readonly arm: string;
  readonly seed: number;
  /** `FILE[:LINE]: what is wrong`. */
  readonly problem: string;
}

/**
 * Why an (arm, seed) job of the experiment has not finished. `stopped`: with a checkpoint (`--resume` continues it); `interrupted`: begun or locked by a run
 * that is gone, with no checkpoint (`--resume` starts it again); `not started`: no folder of its own.
 */
export type UnfinishedState = 'in flight' | 'stopped' | 'interrupted' | 'not started';

/** An (arm, seed) job of the experiment (its config's arms × seeds) that has not finished. */
export interface UnfinishedJob {
  readonly arm: string;
  readonly seed: number;
  readonly state: UnfinishedState;
  /** The seed folder (absent when not started), and who writes it (in flight). */
  readonly folder?: string;
  readonly detail?: string;
}

export interface RunData {
  readonly name: string;
  readonly description?: string;
  readonly arms: ArmData[];
  readonly unreadable: UnreadableSeed[];
  /** How many (arm, seed) jobs the experiment has: its arms × its config's seeds. */
  readonly jobs: number;
  /**
   * Jobs that have not finished and may yet, arm by arm, seed by seed (see `UnfinishedState`).
   * Failed seeds (an error in result.json) will not: they are `failed` in the summary; unreadable
   * ones are in `unreadable`.
   */
  readonly unfinished: UnfinishedJob[];
}

/** What report reads of a run's config.yaml. */
export interface ConfigFile {
  name: string;
  description?: string;
  seeds?: number;
  cycles: number;
  log?: unknown;
  arms?: ({ name: string; cycles: number } & Record<string, unknown>)[];
  [key: string]: unknown;
}

/** A run folder's inputs.json (runs from before it have none). */
function readInputs(dir: string): RunInputs | undefined {
  const file = join(dir, RUN_FILES.inputs);
  if (!existsSync(file)) return undefined;
  try {
    return parseRunInputs(readRunFile(file, 'inputs'), file);
  } catch (error) {
    throw new DiffstructError((error as Error).message);
  }
}

/** Reads one or more run folders of the same experiment (e.g. shards) into one set of arms and seeds. */
export function readRunFolders(dirs: readonly string[]): RunData {
  if (!dirs.length) throw new DiffstructError('no run folder given');
  const arms = new Map<string, ArmData>();
  // Each arm's settings (core's armSettings, as config.yaml holds them) and the data files as the first folder holding them ran them: seeds merge only when every folder ran the same.
  const settingsOf = new Map<string, { dir: string; settings: ArmSettings; sha256: string }>();
  let firstInputs: { dir: string; inputs: RunInputs } | undefined;
  let name = '';
  let description: string | undefined;
  const unreadable: UnreadableSeed[] = [];
  const unfinished: UnfinishedJob[] = [];
  // Every folder of one experiment (shards included) holds the same config: its arms × seeds are the jobs.
  const expected = new Map<string, number>();
  for (const dir of dirs) {
    const { config, arms: declared } = readRunConfig(dir);
    if (name && config.name !== name) throw new DiffstructError(`${dir}: holds experiment "${config.name}", not "${name}"; report one experiment at a time`);
    name = config.name;
    description ??= config.description;
    const inputs = readInputs(dir);
    const changed = firstInputs && inputs ? changedDataFiles(firstInputs.inputs.data, inputs.data) : [];
    if (changed.length)
      throw new DiffstructError(`runs ${firstInputs?.dir} and ${dir} read different data; report them separately:\n${changed.map((c) => `  ${c}`).join('\n')}`);
    if (inputs) firstInputs ??= { dir, inputs };
    const settingsByArm = new Map(armSettingsOfRunConfig(config).map(({ name, settings }) => [name, settings]));
    for (const arm of declared) {
      const settings = settingsByArm.get(arm.name) ?? {};
      const sha256 = armSettingsHash(settings);
      const first = settingsOf.get(arm.name) ?? { dir, settings, sha256 };
      settingsOf.set(arm.name, first);
      if (first.sha256 !== sha256) {
        const differences = settingsDifferences(first.settings, settings).map((d) => `${d.key}: ${showSetting(d.before)} vs ${showSetting(d.now)}`);
        throw new DiffstructError(
          `runs ${first.dir} and ${dir} ran arm "${arm.name}" with different configs (${differences.join('; ')}); ` +
            'report merges the seeds of one experiment (its shards, say) only: report these runs separately',
        );
      }
      const data = arms.get(arm.name) ?? { name: arm.name, cycles: arm.cycles, seeds: [] };
      arms.set(arm.name, data);
      // A config.yaml without seeds (written by hand) gives no jobs to miss.
      expected.set(arm.name, Math.max(expected.get(arm.name) ?? 0, config.seeds !== undefined && Number.isSafeInteger(config.seeds) ? config.seeds : 0));
      for (const seed of readSeeds(arm.name, arm.folder, unreadable, unfinished)) {
        if (data.seeds.some((s) => s.seed === seed.seed))
          throw new DiffstructError(`${seed.folder}: seed ${seed.seed} of arm "${arm.name}" appears in two run folders`);
        data.seeds.push(seed);
      }
    }
  }
  for (const arm of arms.values()) arm.seeds.sort((a, b) => a.seed - b.seed);
  const armList = [...arms.values()];
  const seen = new Set(
    [...armList.flatMap((a) => a.seeds.map((s) => ({ arm: a.name, seed: s.seed }))), ...unreadable, ...unfinished].map((j) => `${j.arm}/${j.seed}`),
  );
  // Jobs no folder holds (seeds 0 … seeds − 1 of each arm) were not started; all in job order.
  const notStarted = [...expected].flatMap(([arm, seeds]) =>
    Array.from({ length: seeds }, (_, seed) => ({ arm, seed, state: 'not started' as const })).filter((j) => !seen.has(`${j.arm}/${j.seed}`)),
  );
  const armOrder = [...expected.keys()];
  const all = [...unfinished, ...notStarted].sort((a, b) => armOrder.indexOf(a.arm) - armOrder.indexOf(b.arm) || a.seed - b.seed);
  // A config.yaml without seeds (written by hand) counts the seeds found.
  const jobs = Math.max(
    [...expected.values()].reduce((sum, seeds) => sum + seeds, 0),
    seen.size,
  );
  return { name, ...(description === undefined ? {} : { description }), arms: armList, unreadable, jobs, unfinished: all };
}

/** An arm a run folder's config.yaml declares, and the folder its seed folders are in. */
export interface ArmFolder {
  readonly name: string;
  readonly cycles: number;
  readonly folder: string;
}

/** A run folder's config.yaml (`run`'s resolved config) and its arms' folders; `<dir>` itself for the single implicit arm. */
export function readRunConfig(dir: string): { config: ConfigFile; arms: ArmFolder[] } {
  const notRunFolder = runFolderProblem(dir);
  if (notRunFolder) throw new DiffstructError(notRunFolder);
  const config = parse(readRunFile(join(dir, RUN_FILES.config), 'config')) as ConfigFile;
  const declared = config.arms ?? [{ name: config.name, cycles: config.cycles }];
  return { config, arms: declared.map((arm) => ({ name: arm.name, cycles: arm.cycles, folder: config.arms ? join(dir, arm.name) : dir })) };
}

/** The seed folders of an arm folder, in no particular order; `begun` when one holds a metrics.csv. */
export function seedFolders(armFolder: string): { seed: number; folder: string; begun: boolean }[] {
  if (!existsSync(armFolder)) return [];
  return readdirSync(armFolder).flatMap((entry) => {
    const match = SEED_FOLDER.exec(entry);
    const folder = join(armFolder, entry);
    return match ? [{ seed: Number(match[1]), folder, begun: existsSync(join(folder, RUN_FILES.metrics)) }] : [];
  });
}

/** The seeds of an arm folder; a seed whose files do not read is added to `unreadable`, not thrown. */
function readSeeds(arm: string, armFolder: string, unreadable: UnreadableSeed[], unfinishedJobs: UnfinishedJob[]): SeedData[] {
  const seeds: SeedData[] = [];
  for (const { seed, folder, begun } of seedFolders(armFolder)) {
    const metricsFile = join(folder, RUN_FILES.metrics);
    const writer = liveHolder(join(folder, RUN_FILES.writerLock));
    if (!begun) {
      // A run locks all its seed folders before its first seed starts: this one waits its turn, or its run is gone.
      if (writer) unfinishedJobs.push({ arm, seed, state: 'in flight', folder, detail: `queued by ${describeHolder(writer)}` });
      else unfinishedJobs.push({ arm, seed, state: 'interrupted', folder });
      continue;
    }
    const resultFile = join(folder, RUN_FILES.seedResult);
    try {
      const metrics = parseMetrics(readRunFile(metricsFile, 'metrics'), metricsFile);
      const result = existsSync(resultFile) ? readSeedResult(resultFile) : undefined;
      // A seed that failed, is being written or was stopped with a checkpoint may not have reached its first row.
      const unfinished = (result && !result.finished) || writer !== undefined || existsSync(join(folder, RUN_FILES.checkpoint));
      const missing = missingRows(metrics, metricsFile, result, resultFile, unfinished);
      if (missing) throw new Error(missing);
      seeds.push({ seed, folder, metrics, ...(result ? { result } : {}) });
      const state = unfinishedState(result, writer, folder);
      if (state) unfinishedJobs.push({ arm, seed, state, folder, ...(writer ? { detail: `by ${describeHolder(writer)}` } : {}) });
    } catch (error) {
      unreadable.push({ arm, seed, problem: (error as Error).message });
    }
  }
  return seeds;
}

/** Where a begun seed stands: finished, failed, or unfinished (it has a folder, so it has started). */
export type SeedState = 'finished' | 'failed' | Exclude<UnfinishedState, 'not started'>;

/**
 * A begun seed's state from what its folder holds: a live writer wins over any result it may have
 * left; without one, its result.json, else whether it has a checkpoint. `serve` tells it the same way.
 */
export function seedState(seed: { readonly writing: boolean; readonly result?: SeedResult; readonly checkpointed: boolean }): SeedState {
  if (seed.writing) return 'in flight';
  if (seed.result?.finished) return 'finished';
  if (seed.result?.error !== undefined) return 'failed';
  return seed.checkpointed ? 'stopped' : 'interrupted';
}

/** Why a seed whose files read has not finished, if it may yet. */
function unfinishedState(result: SeedResult | undefined, writer: ReturnType<typeof liveHolder>, folder: string): UnfinishedState | undefined {
  const state = seedState({ writing: writer !== undefined, ...(result ? { result } : {}), checkpointed: existsSync(join(folder, RUN_FILES.checkpoint)) });
  return state === 'finished' || state === 'failed' ? undefined : state;
}

/** A seed's result.json; throws an Error naming the file when it is not one. */
export function readSeedResult(file: string): SeedResult {
  const text = readRunFile(file, 'seedResult');
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`);
  }
  const record = result as Partial<SeedResult> | null;
  if (typeof record !== 'object' || record === null || typeof record.finished !== 'boolean' || typeof record.cycles !== 'number')
    throw new Error(`${file}: expected a seed's result (an object with "finished" and "cycles")`);
  return record as SeedResult;
}

/**
 * Why a seed's metrics.csv, well formed as it is, lacks rows it must have, if it does: a finished
 * seed's last row is at its last cycle (the last cycle is always logged), and a seed with no row
 * must be `unfinished` (failed, being written, or stopped with a checkpoint) to explain it. A file
 * cut back at a line boundary parses cleanly, so only this comparison with result.json finds it;
 * without it the seed would be summarised at an earlier cycle, or left out silently.
 */
function missingRows(metrics: MetricsTable, metricsFile: string, result: SeedResult | undefined, resultFile: string, unfinished: boolean): string | undefined {
  if (result?.finished) {
    const last = metrics.rows ? metrics.values.cycle[metrics.rows - 1] : undefined;
    if (last === result.cycles) return undefined;
    const found = last === undefined ? 'there are no rows, only the header' : `the last row is at cycle ${last}`;
    return `${metricsFile}:${metrics.rows + 1}: ${found}, but ${resultFile} says the seed finished at cycle ${result.cycles}: rows are missing (the file was cut short)`;
  }
  if (metrics.rows || unfinished) return undefined;
  return `${metricsFile}: no rows, only the header, and neither ${RUN_FILES.seedResult} nor ${RUN_FILES.checkpoint} says why (the file was cut back, or the seed's other files are gone)`;
}
