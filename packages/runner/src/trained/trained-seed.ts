import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DiffstructError, plural } from '@diffstruct/core';
import {
  type ArmConfig,
  changedInputs,
  checkStartedPlugins,
  type ExperimentConfig,
  loadExperiment,
  parsePluginLocations,
  parseRunInputs,
  PluginRegistries,
  type PluginLocations,
  readRunFile,
  restoreRun,
  RUN_FILES,
  runFolderProblem,
  runInputsOf,
  seedFolder,
  type SeedResult,
  TrainingLoop,
  type TrainingSetup,
} from '@diffstruct/core/host';
import { buildSetup } from '../build-setup.js';
import { readCheckpoint, seedIdentity } from '../checkpoint-file.js';
import { createContainer } from '../container.js';

/** A finished seed's network, rebuilt from its run folder: the setup holds the model and task as they ended. */
export interface TrainedSeed {
  readonly config: ExperimentConfig;
  readonly arm: ArmConfig;
  readonly seed: number;
  /** The seed folder. */
  readonly folder: string;
  readonly setup: TrainingSetup;
  /** The cycles it was trained for. */
  readonly cycles: number;
}

/** Which arm and seed of a run: the only arm, and the first finished seed, when not said. */
export interface SeedChoice {
  readonly arm?: string;
  readonly seed?: number;
}

/**
 * Rebuilds a finished seed's final network from a run folder: its config.yaml (with the plugins
 * plugins.json recorded, checked against inputs.json before any is imported), the data its tasks
 * read (which must hash as when the run started: the task's encoding depends on it), and the
 * seed's final.json. Refuses (exit 2) a folder that is no run, an arm or seed it does not have
 * (listing those it has), and a seed that did not finish.
 */
export async function openTrainedSeed(runFolder: string, choice: SeedChoice = {}): Promise<TrainedSeed> {
  const out = resolve(runFolder);
  const notRun = runFolderProblem(out);
  if (notRun) throw new DiffstructError(notRun);
  const configFile = join(out, RUN_FILES.config);
  const container = createContainer();
  const { config, taskData, dataFiles } = await loadExperiment(configFile, container, recordedPlugins(out), (names) =>
    checkStartedPlugins(out, names, configFile),
  );
  checkSameInputs(out, config, dataFiles, configFile);
  const arm = chooseArm(out, config, choice.arm);
  const seed = chooseSeed(out, config, arm, choice.seed);
  const folder = seedFolder(out, config, arm.name, seed);
  const finalFile = join(folder, RUN_FILES.final);
  if (!existsSync(finalFile))
    throw new DiffstructError(`${finalFile}: missing: this seed finished before diffstruct kept final networks; run it again to use its network`);
  const setup = buildSetup(container.get(PluginRegistries), arm, seed, config.log.every, dirname(configFile), taskData, config.eval);
  const loop = new TrainingLoop(setup);
  const final = readCheckpoint(finalFile, seedIdentity(config, arm, seed), 'final')!;
  restoreRun(setup, loop, final.state);
  return { config, arm, seed, folder, setup, cycles: loop.cycle };
}

/** The folder an earlier session of the run found each plugin package from (none recorded by runs older than plugins.json). */
export function recordedPlugins(out: string): PluginLocations {
  const file = join(out, RUN_FILES.plugins);
  if (!existsSync(file)) return {};
  try {
    return parsePluginLocations(readRunFile(file, 'plugins'), file);
  } catch (error) {
    throw new DiffstructError(`${(error as Error).message}; delete the file to look the plugins up from the run folder instead`);
  }
}

/** The run's settings and data files must be those it was trained on, else the rebuilt task (and its encoding) would not be. */
function checkSameInputs(out: string, config: ExperimentConfig, dataFiles: Readonly<Record<string, string>>, configFile: string): void {
  const file = join(out, RUN_FILES.inputs);
  if (!existsSync(file)) return;
  const changes = changedInputs(parseRunInputs(readRunFile(file, 'inputs'), file), runInputsOf(config, dataFiles), configFile);
  if (changes.length)
    throw new DiffstructError(
      `${out}: the run was trained on other inputs than it would be rebuilt from:\n${changes.map((c) => `  ${c}\n`).join('')}Restore them.`,
    );
}

function chooseArm(out: string, config: ExperimentConfig, name: string | undefined): ArmConfig {
  const names = config.arms.map((a) => a.name).join(', ');
  if (name === undefined) {
    if (config.arms.length === 1) return config.arms[0];
    throw new DiffstructError(`${out}: the run has ${plural(config.arms.length, 'arm')} (${names}); say which with --arm`);
  }
  const arm = config.arms.find((a) => a.name === name);
  if (!arm) throw new DiffstructError(`--arm ${name}: ${out} has no such arm; its arms: ${names}`);
  return arm;
}

/** The seed asked for, or the first finished one; a seed that did not finish is refused. */
function chooseSeed(out: string, config: ExperimentConfig, arm: ArmConfig, seed: number | undefined): number {
  const seeds = Array.from({ length: config.seeds }, (_, s) => s).filter((s) => existsSync(seedFolder(out, config, arm.name, s)));
  const finished = seeds.filter((s) => resultOf(out, config, arm, s)?.finished);
  const where = config.explicitArms ? ` of arm ${arm.name}` : '';
  const listed = `finished seeds${where}: ${finished.join(', ') || 'none'}`;
  if (seed === undefined) {
    if (finished.length) return finished[0];
    throw new DiffstructError(`${out}: no seed${where} has finished (${plural(seeds.length, 'seed folder')}); only a finished seed has a final network`);
  }
  if (!seeds.includes(seed)) throw new DiffstructError(`--seed ${seed}: ${out} has no such seed${where}; its seeds: ${seeds.join(', ') || 'none'} (${listed})`);
  if (!finished.includes(seed)) {
    const result = resultOf(out, config, arm, seed);
    const how = result
      ? `it stopped at cycle ${result.cycles} of ${arm.cycles}${result.error ? `: ${result.error}` : ''}`
      : `it has no result.json: interrupted or still running; diffstruct run --resume ${out} finishes it`;
    throw new DiffstructError(`--seed ${seed}: seed ${seed}${where} did not finish (${how}); only a finished seed has a final network (${listed})`);
  }
  return seed;
}

function resultOf(out: string, config: ExperimentConfig, arm: ArmConfig, seed: number): SeedResult | undefined {
  const file = join(seedFolder(out, config, arm.name, seed), RUN_FILES.seedResult);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readRunFile(file, 'seedResult')) as SeedResult;
  } catch {
    return undefined;
  }
}
