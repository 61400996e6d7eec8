import { existsSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { DiffstructError, plural } from '@diffstruct/core';
import {
  checkStartedPlugins,
  type ConfigSetting,
  deletionProblem,
  type DataFileHashes,
  type ExperimentConfig,
  loadExperiment,
  MAX_CYCLES,
  MAX_SEEDS,
  type PluginLocations,
  type PreparedTaskData,
  readRunFile,
  RUN_FILES,
  runFolderFileClash,
  runFolderProblem,
  seedFolder,
  seedFolderDeletionProblem,
  settingsDifferences,
  showSetting,
  WriteError,
} from '@diffstruct/core/host';
import { configYaml, createContainer, jobsOf, recordedPlugins, recordInputs, runExperiment, type SeedJob, shardOf, type Shard } from '@diffstruct/runner';
import { EXIT, EXIT_CODES_HELP, interruptedExitCode } from '../exit-codes.js';
import { ProgressDisplay } from '../progress/progress-display.js';
import { describeCounts, formatSeconds } from '../progress/progress-lines.js';
import { type ArmPlan, countSeeds, statusOf } from '../progress/run-progress.js';
import { configSetting, nonNegativeInteger, positiveInteger, shardArgument } from './arguments.js';
import { reportRun } from './report.js';
import { StopOnSignal } from './stop-on-signal.js';
import { checkWritableFolder } from './writable-folder.js';
import { keptCheckpoints, stoppedForRoom } from './write-failure.js';

interface RunFlags {
  seeds?: number;
  cycles?: number;
  out?: string;
  workers?: number;
  checkpointEvery?: number;
  resume?: string;
  force?: boolean;
  shard?: Shard;
  set?: ConfigSetting[];
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every (arm, seed) of a config in worker threads; write metrics, checkpoints, summary and figures')
    .argument('[config]', 'the YAML experiment config (not with --resume)')
    .option('--seeds <n>', `seeds per arm, overriding the config (1..${MAX_SEEDS})`, positiveInteger('--seeds', MAX_SEEDS))
    .option('--cycles <n>', 'training cycles per seed, overriding the config and every arm', positiveInteger('--cycles', MAX_CYCLES))
    .option('--out <dir>', 'the run folder (default: runs/<config name>)')
    .option('--workers <n>', 'worker threads (default: the number of cores)', positiveInteger('--workers', 256))
    .option('--checkpoint-every <n>', 'cycles between checkpoints, overriding checkpoint.every (0: none)', nonNegativeInteger('--checkpoint-every', MAX_CYCLES))
    .option('--resume <dir>', 'continue an interrupted run: finished seeds are kept, the others go on from their checkpoints')
    .option('--force', "replace the run folder if it exists and holds only a run's files (with --shard: only this shard's seed folders)")
    .option('--shard <i/n>', 'run only shard i of n (1 ≤ i ≤ n): every n-th (arm, seed) job; shards may share one --out folder', shardArgument)
    .option(
      '--set <key=value>',
      "set a config value as if written in the file, the key dotted, the value in YAML (repeatable: --set model.kernel=simd-f32 --set policy.threshold=0.1); arms inherit it as they inherit the file's top level",
      configSetting,
    )
    .addHelpText(
      'after',
      [
        '',
        'The run folder gets config.yaml, plugins.json (the folder each plugin package was found from), inputs.json (hashes of the config and its data files), summary.json, figures,',
        'and per seed metrics.csv, events.jsonl, result.json and (once it finished) final.json in seed-<s>/, or in <arm>/seed-<s>/ when the config has arms or a sweep.',
        'Ctrl-C (or SIGTERM) stops every seed at the next cycle boundary with a checkpoint and prints the resume command;',
        'a second Ctrl-C quits at once.',
        EXIT_CODES_HELP,
        '',
        'Sweeps larger than one machine: start `run CONFIG --shard i/n --out SHARED` once per shard (a SLURM array,',
        'a Kubernetes indexed Job; see docs/cluster.md), then `diffstruct report SHARED` for the summary and figures.',
      ].join('\n'),
    )
    .action(async (file: string | undefined, flags: RunFlags) => {
      const { config, out, resolveFrom, plugins, taskData, dataFiles } = await prepare(file, flags);
      const mine = shardOf(jobsOf(config, { out, resolveFrom }), flags.shard);
      const jobs = mine.length;
      const share = flags.shard ? `, shard ${flags.shard.index}/${flags.shard.count}: ${jobs} of them` : '';
      const size = `${plural(config.arms.length, 'arm')} × ${plural(config.seeds, 'seed')}`;
      process.stderr.write(`${config.name}: ${size}${share} → ${out}${flags.resume ? ' (resuming)' : ''}\n`);
      const workers = flags.workers ?? availableParallelism();
      const progress = new ProgressDisplay(armPlans(config, mine), workers);
      const stop = new StopOnSignal((signal) => {
        progress.interrupt(`${signal}: stopping every seed at the next cycle boundary and writing checkpoints (press Ctrl-C again to quit at once)`);
      });
      const started = Date.now();
      const resume = `diffstruct run --resume ${out}${flags.shard ? ` --shard ${flags.shard.index}/${flags.shard.count}` : ''}`;
      let results: Awaited<ReturnType<typeof runExperiment>>;
      try {
        results = await runExperiment(config, {
          out,
          workers,
          resolveFrom,
          plugins,
          taskData,
          dataFiles,
          ...(flags.checkpointEvery === undefined ? {} : { checkpointEvery: flags.checkpointEvery }),
          resume: flags.resume !== undefined,
          ...(flags.shard ? { shard: flags.shard } : {}),
          stopFlag: stop.flag,
          onProgress: (p) => progress.update(p),
          onSeedFinished: (r) => progress.seedFinished(r),
        });
      } catch (error) {
        if (!(error instanceof WriteError)) throw error;
        // Without config.yaml the folder is no run folder yet: --resume would refuse it.
        const next = existsSync(join(out, RUN_FILES.config)) ? resume : 'the same diffstruct run command again';
        throw stoppedForRoom(error.message, 'no seed had started', next);
      } finally {
        stop.dispose();
      }
      // Drawn only once the jobs ran: a run refused at the start (a seed folder locked) shows no progress block.
      progress.stop();
      const counts = describeCounts(countSeeds(results.map(statusOf), jobs));
      const writeFailure = results.find((r) => r.writeFailure)?.writeFailure;
      if (writeFailure) throw stoppedForRoom(writeFailure, keptCheckpoints(config, out, results, counts), resume);
      if (stop.signal) {
        throw new DiffstructError(`interrupted (${counts}): checkpoints written. Continue with:\n  ${resume}`, interruptedExitCode(stop.signal));
      }
      process.stderr.write(`done in ${formatSeconds((Date.now() - started) / 1000)}: ${counts}\n`);
      // Other shards may still be writing: the summary is drawn once, when all are done.
      if (flags.shard)
        process.stderr.write(
          `shard ${flags.shard.index}/${flags.shard.count} done. When every shard is: diffstruct report ${out}\n` +
            `  (shards in folders of their own: diffstruct report FOLDER-1 … FOLDER-${flags.shard.count} --out MERGED)\n`,
        );
      else await reportAfterRun(out);
      const failed = results.filter((r) => !r.finished);
      if (failed.length) {
        const lines = failed.map((r) => `  ${r.arm} seed ${r.seed}: ${r.error ?? 'did not finish'}`).join('\n');
        throw new DiffstructError(`${failed.length} of ${plural(jobs, 'seed')} did not finish:\n${lines}`, EXIT.seedsFailed);
      }
    });
}

/** The report of a finished run; a file it cannot write leaves every seed finished, so only the report is to be drawn again. */
async function reportAfterRun(out: string): Promise<void> {
  try {
    await reportRun(out, [out], false);
  } catch (error) {
    if (!(error instanceof WriteError)) throw error;
    throw new DiffstructError(`${error.message}: every seed finished, but the report could not be written. Make room, then:\n  diffstruct report ${out}`);
  }
}

/** Each arm's cycles and how many of `jobs` are its seeds. */
function armPlans(config: ExperimentConfig, jobs: readonly SeedJob[]): ArmPlan[] {
  return config.arms.map((arm, armIndex) => ({ name: arm.name, cycles: arm.cycles, seeds: jobs.filter((job) => job.armIndex === armIndex).length }));
}

interface Prepared {
  readonly config: ExperimentConfig;
  readonly out: string;
  readonly resolveFrom: string;
  readonly plugins: PluginLocations;
  readonly taskData: PreparedTaskData;
  readonly dataFiles: DataFileHashes;
}

async function prepare(file: string | undefined, flags: RunFlags): Promise<Prepared> {
  if (flags.resume !== undefined) {
    if (file !== undefined) throw new DiffstructError('give either a config or --resume DIR, not both (a resumed run keeps its own config.yaml)');
    for (const flag of ['seeds', 'cycles', 'out', 'force'] as const) {
      if (flags[flag] !== undefined) throw new DiffstructError(`--${flag} cannot change a run being resumed`);
    }
    if (flags.set) throw new DiffstructError(`${flags.set[0].written}: not with --resume: a resumed run keeps the values its config.yaml holds`);
    const out = resolve(flags.resume);
    const notRunFolder = runFolderProblem(out);
    if (notRunFolder) throw new DiffstructError(`${notRunFolder}; nothing to resume`);
    const configFile = join(out, RUN_FILES.config);
    // config.yaml's plugins: list must be the one the run started with before any package on it is imported (its code would run).
    const { config, plugins, taskData, dataFiles } = await loadExperiment(configFile, createContainer(), recordedPlugins(out), (names) =>
      checkStartedPlugins(out, names, configFile),
    );
    // Before anything of the run is printed: a config.yaml or data file changed since it started is refused here.
    recordInputs(config, { out, resolveFrom: configFile, dataFiles });
    return { config, out, resolveFrom: configFile, plugins, taskData, dataFiles };
  }
  if (file === undefined) throw new DiffstructError('missing the config to run (or --resume DIR); see diffstruct run --help');
  const loaded = await loadExperiment(file, createContainer(), {}, undefined, flags.set);
  const config = withOverrides(loaded.config, flags);
  const out = resolve(flags.out ?? `runs/${config.name}`);
  checkWritableFolder(out);
  if (flags.shard) prepareShardOutput(out, config, flags.shard, flags.force ?? false);
  else prepareOutput(out, flags.force ?? false);
  // A shard joining a folder started on other inputs is refused here, before anything of the run is
  // printed. A fresh folder gets config.yaml before inputs.json (runExperiment), so it stays resumable.
  if (flags.shard && existsSync(join(out, RUN_FILES.inputs))) recordInputs(config, { out, resolveFrom: resolve(file), dataFiles: loaded.dataFiles });
  return { config, out, resolveFrom: resolve(file), plugins: loaded.plugins, taskData: loaded.taskData, dataFiles: loaded.dataFiles };
}

function withOverrides(config: ExperimentConfig, flags: RunFlags): ExperimentConfig {
  const cycles = flags.cycles;
  return Object.freeze({
    ...config,
    seeds: flags.seeds ?? config.seeds,
    cycles: cycles ?? config.cycles,
    arms: cycles === undefined ? config.arms : config.arms.map((a) => Object.freeze({ ...a, cycles })),
  });
}

/** A shard may join a folder holding the same experiment; it never touches other shards' seeds. */
function prepareShardOutput(out: string, config: ExperimentConfig, shard: Shard, force: boolean): void {
  if (!existsSync(out) || readdirSync(out).length === 0) return;
  const configFile = join(out, RUN_FILES.config);
  // Another shard starting this instant: its config.yaml not yet renamed into place, only run files
  // (and their temporaries) so far. Its inputs.json, created exclusively, is compared later.
  if (!existsSync(configFile) && readdirSync(out).every((name) => runFolderFileClash(name))) return;
  const existingConfig = existsSync(configFile) ? readRunFile(configFile, 'config') : undefined;
  // Equal settings in another key order are the same run (a --set value equal to the default moves its key).
  const differences = existingConfig === undefined ? [] : settingsDifferences(parse(existingConfig), parse(configYaml(config)));
  if (existingConfig === undefined || differences.length > 0) {
    // Name what differs (seeds 8 there, 2 here): the flags are the usual cause.
    const listed = differences.map((d) => `${d.key}: ${showSetting(d.before)} there, ${showSetting(d.now)} here`).join('; ');
    throw new DiffstructError(
      `${out} holds another run (its ${RUN_FILES.config} differs from this config with these flags${listed ? `: ${listed}` : ''}); every shard needs the same config, --seeds, --cycles and --set`,
    );
  }
  const folders = shardOf(jobsOf(config, { out, resolveFrom: configFile }), shard).map((job) =>
    seedFolder(out, config, config.arms[job.armIndex].name, job.seed),
  );
  const existing = folders.filter((folder) => existsSync(folder));
  if (existing.length === 0) return;
  if (!force)
    throw new DiffstructError(
      `${out}: shard ${shard.index}/${shard.count} has already started there (${plural(existing.length, 'seed folder')}); ` +
        `continue it with --resume ${out} --shard ${shard.index}/${shard.count}, or pass --force to replace this shard's seeds`,
    );
  const kept = existing.map((folder) => seedFolderDeletionProblem(folder, out)).find((problem) => problem);
  if (kept) throw new DiffstructError(`--force: ${kept}`);
  process.stderr.write(`--force: deleting the ${plural(existing.length, 'seed folder')} of shard ${shard.index}/${shard.count} in ${out}\n`);
  for (const folder of existing) rmSync(folder, { recursive: true, force: true });
}

function prepareOutput(out: string, force: boolean): void {
  if (!existsSync(out) || readdirSync(out).length === 0) return;
  if (!force)
    throw new DiffstructError(`${out} exists and is not empty; choose another --out, continue it with --resume ${out}, or pass --force to replace it`);
  const kept = deletionProblem(out);
  if (kept) throw new DiffstructError(`--force: ${kept}. Choose another --out, or delete what you no longer need yourself`);
  process.stderr.write(`--force: deleting the existing run folder ${out} and everything in it\n`);
  rmSync(out, { recursive: true, force: true });
}
