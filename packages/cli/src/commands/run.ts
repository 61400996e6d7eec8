import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DiffstructError, loadExperimentConfig, MAX_CYCLES, MAX_SEEDS, type ExperimentConfig } from '@diffstruct/core';
import { createContainer, runExperiment } from '@diffstruct/runner';
import { formatSeconds, ProgressDisplay } from '../progress.js';
import { positiveInteger } from './arguments.js';
import { reportRun } from './report.js';

interface RunFlags {
  seeds?: number;
  cycles?: number;
  out?: string;
  workers?: number;
  force?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every (arm, seed) of a config in worker threads; write metrics, summary and figures')
    .argument('<config>', 'the YAML experiment config')
    .option('--seeds <n>', `seeds per arm, overriding the config (1..${MAX_SEEDS})`, positiveInteger('--seeds', MAX_SEEDS))
    .option('--cycles <n>', 'training cycles per seed, overriding the config and every arm', positiveInteger('--cycles', MAX_CYCLES))
    .option('--out <dir>', 'the run folder (default: runs/<config name>)')
    .option('--workers <n>', 'worker threads (default: the number of cores)', positiveInteger('--workers', 256))
    .option('--force', 'replace the run folder if it exists')
    .addHelpText('after', '\nThe run folder gets config.yaml, <arm>/seed-<s>/{metrics.csv,events.jsonl,result.json}, summary.json and figures.')
    .action(async (file: string, flags: RunFlags) => {
      const loaded = await loadExperimentConfig(file, createContainer());
      const config = withOverrides(loaded, flags);
      const out = resolve(flags.out ?? `runs/${config.name}`);
      prepareOutput(out, flags.force ?? false);
      const jobs = config.arms.length * config.seeds;
      const totalCycles = config.arms.reduce((sum, a) => sum + a.cycles, 0) * config.seeds;
      process.stderr.write(`${config.name}: ${config.arms.length} arm(s) × ${config.seeds} seed(s) → ${out}\n`);
      const progress = new ProgressDisplay(totalCycles, jobs);
      const started = Date.now();
      let results;
      try {
        results = await runExperiment(config, {
          out,
          workers: flags.workers,
          resolveFrom: resolve(file),
          onProgress: (p) => progress.update(p),
          onSeedFinished: (r) => progress.seedFinished(r),
        });
      } finally {
        progress.stop();
      }
      process.stderr.write(`finished ${jobs} run(s) in ${formatSeconds((Date.now() - started) / 1000)}\n`);
      await reportRun(out, [out]);
      const failed = results.filter((r) => !r.finished);
      if (failed.length) throw new DiffstructError(`${failed.length} of ${jobs} run(s) did not finish; see result.json in their seed folders`, 3);
    });
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

function prepareOutput(out: string, force: boolean): void {
  if (!existsSync(out) || readdirSync(out).length === 0) return;
  if (!force) throw new DiffstructError(`${out} exists and is not empty; choose another --out, or pass --force to replace it`);
  process.stderr.write(`--force: deleting the existing run folder ${out}\n`);
  rmSync(out, { recursive: true, force: true });
}
