import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  captureRun,
  type ExperimentConfig,
  modelFamilies,
  type PluginLocations,
  PluginRegistries,
  type PreparedTaskData,
  readRunFile,
  restoreRun,
  RUN_FILES,
  seedFolder,
  type SeedResult,
  TrainingLoop,
  WriteError,
  writeFileAtomic,
  writing,
} from '@diffstruct/core/host';
import { buildSetup } from './build-setup.js';
import { readCheckpoint, seedIdentity, writeCheckpoint } from './checkpoint-file.js';
import { createContainerWith } from './container.js';
import { SeedFiles } from './seed-files.js';

export const CHECKPOINT_FILE = RUN_FILES.checkpoint;

/** One (arm, seed) to run; plain data, so it can be sent to a worker thread. */
export interface SeedJob {
  readonly config: ExperimentConfig;
  readonly armIndex: number;
  readonly seed: number;
  readonly out: string;
  /** Where the config's plugin names resolve from (the config file's path). */
  readonly resolveFrom: string;
  /** The folder the main thread resolved each plugin package from: the worker resolves the names from there again. */
  readonly plugins?: PluginLocations;
  /** What the tasks read as the config loaded in the main thread (shared arrays: every worker reads one copy). */
  readonly taskData?: PreparedTaskData;
  /** Cycles between checkpoints; 0 for none. */
  readonly checkpointEvery: number;
  /** Continue from the seed's checkpoint if it has one (else start over). */
  readonly resume: boolean;
  /** Shared flag: a non-zero value asks the seed to stop at the next cycle boundary. */
  readonly stopFlag?: Int32Array;
  /** Stop at this cycle as if asked to there (a checkpoint, an interrupted result). */
  readonly stopAtCycle?: number;
}

export interface SeedProgress {
  readonly arm: string;
  readonly seed: number;
  readonly cycle: number;
  readonly smoothLoss: number;
  readonly units: number;
}

/** The result.json of a finished seed, if it has one. */
export function finishedResult(job: SeedJob): SeedResult | undefined {
  const file = join(seedFolder(job.out, job.config, job.config.arms[job.armIndex].name, job.seed), RUN_FILES.seedResult);
  if (!existsSync(file)) return undefined;
  // Not one diffstruct wrote (over the cap, a device, a folder): refused with its name (exit 2), not taken for an unfinished seed.
  const text = readRunFile(file, 'seedResult');
  try {
    const result = JSON.parse(text) as SeedResult;
    return result.finished ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Trains one seed of one arm into its seed folder: metrics.csv, events.jsonl, a checkpoint every
 * `checkpointEvery` cycles (and when asked to stop), result.json at the end. Any error stops this
 * seed alone and is written to result.json, except a file that cannot be written (disk full): every
 * other seed would meet the same disk, so that stops the whole run as a stop request does, and the
 * seed keeps its last checkpoint for `--resume`.
 */
export async function runSeed(job: SeedJob, onProgress: (p: SeedProgress) => void = () => undefined): Promise<SeedResult> {
  const started = performance.now();
  const arm = job.config.arms[job.armIndex];
  const shouldStop = job.stopFlag ? () => Atomics.load(job.stopFlag!, 0) !== 0 : () => false;
  const stopAt = job.stopAtCycle ?? Infinity;
  const base = { arm: arm.name, seed: job.seed, switches: [] as number[] };
  if (shouldStop()) return { ...base, cycles: 0, finished: false, interrupted: true, seconds: 0 };
  const folder = seedFolder(job.out, job.config, arm.name, job.seed);
  const checkpointFile = join(folder, CHECKPOINT_FILE);
  let cycle = 0;
  const finish = (result: Omit<SeedResult, 'seconds'>): SeedResult => {
    const full = { ...result, seconds: (performance.now() - started) / 1000 };
    writeFileAtomic(join(folder, RUN_FILES.seedResult), JSON.stringify(full, null, 2) + '\n');
    return full;
  };
  try {
    writing(folder, () => mkdirSync(folder, { recursive: true }));
    const registries = (await createContainerWith(job.config.plugins, job.resolveFrom, job.plugins)).get(PluginRegistries);
    const setup = buildSetup(registries, arm, job.seed, job.config.log.every, dirname(job.resolveFrom), job.taskData, job.config.eval);
    const loop = new TrainingLoop(setup);
    const files = new SeedFiles(folder, modelFamilies(setup.model), loop.signals, loop.heldOutColumns, () => setup.model.growables);
    const identity = seedIdentity(job.config, arm, job.seed);
    const checkpoint = job.resume ? readCheckpoint(checkpointFile, identity) : undefined;
    if (checkpoint) {
      restoreRun(setup, loop, checkpoint.state);
      files.truncateTo(checkpoint.files);
    } else {
      rmSync(checkpointFile, { force: true });
      files.start();
    }
    cycle = loop.cycle;

    setup.events.on('unitAdded', (e) => files.event(e));
    setup.events.on('unitRemoved', (e) => files.event(e));
    setup.events.on('taskSwitched', (e) => files.event(e));
    setup.events.on('cycle', (row) => {
      files.row(row);
      onProgress({ arm: arm.name, seed: job.seed, cycle: row.cycle, smoothLoss: row.smoothLoss, units: row.units });
    });
    const saveCheckpoint = () => {
      writeCheckpoint(checkpointFile, { identity, cycle: loop.cycle, files: files.sizes(), state: captureRun(setup, loop) });
      setup.events.emit('checkpointSaved', { cycle: loop.cycle, path: checkpointFile });
    };

    const every = job.checkpointEvery;
    while (loop.cycle < arm.cycles) {
      const next = every > 0 ? Math.min(arm.cycles, (Math.floor(loop.cycle / every) + 1) * every) : arm.cycles;
      loop.run(Math.min(next, stopAt), shouldStop);
      cycle = loop.cycle;
      const stopping = shouldStop() || loop.cycle >= stopAt;
      if (loop.cycle < arm.cycles && (every > 0 || stopping)) saveCheckpoint();
      if (stopping && loop.cycle < arm.cycles)
        return { ...base, cycles: loop.cycle, finished: false, interrupted: true, seconds: (performance.now() - started) / 1000 };
    }
    const units = setup.model.growables.reduce((n, g) => n + g.size, 0);
    setup.events.emit('runFinished', { cycle: loop.cycle, smoothLoss: loop.smoothLoss, units });
    files.flush();
    // Before result.json says the seed finished: a finished seed always has the network it ended with.
    writeCheckpoint(join(folder, RUN_FILES.final), { identity, cycle: loop.cycle, files: files.sizes(), state: captureRun(setup, loop) });
    const entropyFloor = setup.task.entropyFloor(setup.model.exampleRequest, arm.cycles - 1);
    const switches = collectSwitches(files.eventsFile);
    // A pure function of the final weights: a resumed seed gets the same figures.
    const test = setup.heldOut?.evaluation.has('test') ? { test: setup.heldOut.evaluation.evaluate('test') } : {};
    const result = finish({ ...base, cycles: loop.cycle, finished: true, switches, ...(entropyFloor === undefined ? {} : { entropyFloor }), ...test });
    rmSync(checkpointFile, { force: true });
    return result;
  } catch (error) {
    const stopRun = (failure: WriteError): SeedResult => {
      if (job.stopFlag) Atomics.store(job.stopFlag, 0, 1);
      return { ...base, cycles: cycle, finished: false, interrupted: true, writeFailure: failure.message, seconds: (performance.now() - started) / 1000 };
    };
    if (error instanceof WriteError) return stopRun(error);
    try {
      return finish({ ...base, cycles: cycle, finished: false, error: (error as Error).message });
    } catch (failure) {
      if (failure instanceof WriteError) return stopRun(failure);
      throw failure;
    }
  }
}

/** Task switches from the events file (so a resumed seed reports the ones before its checkpoint too). */
function collectSwitches(eventsFile: string): number[] {
  const switches: number[] = [];
  for (const line of readRunFile(eventsFile, 'events').split('\n')) {
    if (line.includes('"taskSwitched"')) switches.push((JSON.parse(line) as { cycle: number }).cycle);
  }
  return switches;
}
