import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { stringify } from 'yaml';
import {
  type DataFileHashes,
  type ExperimentConfig,
  type PluginLocations,
  pluginLocationsJson,
  type PreparedTaskData,
  recordRunInputs,
  RUN_FILES,
  runInputsOf,
  seedFolder,
  type SeedResult,
  WriteError,
  writeFileAtomic,
  WriterLocks,
  writing,
} from '@diffstruct/core/host';
import { finishedResult, type SeedJob, type SeedProgress } from './seed-run.js';

export interface RunOptions {
  readonly out: string;
  /** Worker threads (default: the number of cores). */
  readonly workers?: number;
  readonly resolveFrom: string;
  /** The folder each plugin package was resolved from (see `loadExperiment`): workers resolve the names from there, and plugins.json records them. */
  readonly plugins?: PluginLocations;
  /** What the tasks read as the config loaded (`loadExperiment`); without it each seed reads for itself. */
  readonly taskData?: PreparedTaskData;
  /** sha256 of each data file the config reads (see `loadExperiment`), recorded in inputs.json and compared on resume. */
  readonly dataFiles?: DataFileHashes;
  /** Cycles between checkpoints (default: the config's checkpoint.every); 0 for none. */
  readonly checkpointEvery?: number;
  /** Continue an interrupted run in `out`: finished seeds are kept, the others resume from their checkpoints. */
  readonly resume?: boolean;
  /** Shared flag: set it to 1 to stop every seed at its next cycle boundary, with a checkpoint. */
  readonly stopFlag?: Int32Array;
  /** Stop every seed when it reaches this cycle, with a checkpoint, as a stop request would there. */
  readonly stopAtCycle?: number;
  readonly onProgress?: (progress: SeedProgress) => void;
  readonly onSeedFinished?: (result: SeedResult) => void;
  /** Run only this share of the jobs (see `shardOf`); other shards may write to the same folder. */
  readonly shard?: Shard;
}

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * The jobs of one shard: job k (in `jobsOf` order: arm by arm, seed by seed) belongs to shard
 * (k mod count) + 1. Round-robin spreads every arm, cheap or costly, over all shards.
 */
export function shardOf<T>(jobs: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...jobs];
  return jobs.filter((_, k) => k % shard.count === shard.index - 1);
}

/** Every (arm, seed) job of a config, in a fixed order. */
export function jobsOf(config: ExperimentConfig, options: RunOptions): SeedJob[] {
  return config.arms.flatMap((_, armIndex) =>
    Array.from({ length: config.seeds }, (_, seed) => ({
      config,
      armIndex,
      seed,
      out: options.out,
      resolveFrom: options.resolveFrom,
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(options.taskData ? { taskData: options.taskData } : {}),
      checkpointEvery: options.checkpointEvery ?? config.checkpoint.every,
      resume: options.resume ?? false,
      ...(options.stopFlag ? { stopFlag: options.stopFlag } : {}),
      ...(options.stopAtCycle === undefined ? {} : { stopAtCycle: options.stopAtCycle }),
    })),
  );
}

/**
 * Runs every job in a pool of worker threads; results in job order. A seed that fails (its loss
 * diverges, or its worker throws) stops alone: its result says why, the others go on. A file that
 * cannot be written (disk full) stops every seed, each with its last checkpoint kept. Each job's
 * seed folder is locked for the whole run, so no other run (or shard) writes it at the same time.
 */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<SeedResult[]> {
  writing(options.out, () => mkdirSync(options.out, { recursive: true }));
  // First: with config.yaml the folder is a run folder, so a run stopped by any later write can be resumed.
  if (!options.resume) writeFileAtomic(join(options.out, RUN_FILES.config), configYaml(config));
  recordInputs(config, options);
  // Without a caller's flag, one of our own: a seed that cannot write stops the others through it.
  const run = { ...options, stopFlag: options.stopFlag ?? new Int32Array(new SharedArrayBuffer(4)) };
  const jobs = shardOf(jobsOf(config, run), options.shard);
  const locks = lockSeedFolders(config, jobs);
  try {
    // Also on resume: a package found from somewhere new (it no longer resolved from its recorded folder) is recorded there.
    if (options.plugins) writeFileAtomic(join(options.out, RUN_FILES.plugins), pluginLocationsJson(options.plugins));
    const finished = jobs.map((job) => (options.resume ? finishedResult(job) : undefined));
    const pending = finished.filter((result) => !result).length;
    const threads = Math.max(1, Math.min(options.workers ?? availableParallelism(), pending));
    const pool = new Piscina({ filename: new URL('./seed-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
    try {
      return await Promise.all(
        jobs.map(async (job, i) => {
          const result = finished[i] ?? (await runInPool(pool, job, options));
          options.onSeedFinished?.(result);
          return result;
        }),
      );
    } finally {
      await pool.destroy();
    }
  } finally {
    locks.release();
  }
}

/**
 * Records the run's inputs.json (each arm's settings, a sha256 of each data file), or, when the
 * folder has one (a resume, a shard joining it), refuses inputs that differ from it
 * (`recordRunInputs`). `runExperiment` does it first; the CLI does it before it prints anything of
 * the run.
 */
export function recordInputs(config: ExperimentConfig, options: Pick<RunOptions, 'out' | 'resolveFrom' | 'dataFiles'>): void {
  recordRunInputs(options.out, runInputsOf(config, options.dataFiles ?? {}), options.resolveFrom);
}

/** Creates each job's seed folder and takes its writer lock: all of them, or none and an error naming the holder. */
function lockSeedFolders(config: ExperimentConfig, jobs: readonly SeedJob[]): WriterLocks {
  const folders = jobs.map((job) => seedFolder(job.out, config, config.arms[job.armIndex].name, job.seed));
  for (const folder of folders) writing(folder, () => mkdirSync(folder, { recursive: true }));
  return WriterLocks.take(
    folders.map((folder) => join(folder, RUN_FILES.writerLock)),
    (lock) => dirname(lock),
  );
}

async function runInPool(pool: Piscina, job: SeedJob, options: RunOptions): Promise<SeedResult> {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (p: SeedProgress) => options.onProgress?.(p));
  try {
    return (await pool.run({ job, port: port2 }, { transferList: [port2] })) as SeedResult;
  } catch (error) {
    // The worker itself died (e.g. out of memory): record it where the seed's result belongs.
    const arm = job.config.arms[job.armIndex].name;
    const result: SeedResult = {
      arm,
      seed: job.seed,
      cycles: 0,
      finished: false,
      switches: [],
      seconds: 0,
      error: `worker failed: ${(error as Error).message}`,
    };
    try {
      writeFileAtomic(join(seedFolder(job.out, job.config, arm, job.seed), RUN_FILES.seedResult), JSON.stringify(result, null, 2) + '\n');
    } catch (failure) {
      if (!(failure instanceof WriteError)) throw failure;
      if (job.stopFlag) Atomics.store(job.stopFlag, 0, 1);
      return { ...result, interrupted: true, writeFailure: failure.message };
    }
    return result;
  } finally {
    port1.close();
  }
}

/** The run folder's config.yaml: the resolved config, the same text for every shard. */
export function configYaml(config: ExperimentConfig): string {
  return stringify(configForFile(config));
}

/** The resolved config as a loadable YAML document: arms listed in full only when declared. */
function configForFile(config: ExperimentConfig): object {
  const { explicitArms, arms, ...top } = config;
  if (explicitArms) return { ...top, arms };
  const { name: _, ...arm } = arms[0];
  return { ...top, ...arm };
}
