import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { stringify } from 'yaml';
import { RUN_FILES, type ExperimentConfig, type SeedResult } from '@diffstruct/core';
import type { SeedJob, SeedProgress } from './seed-run.js';

export interface RunOptions {
  readonly out: string;
  /** Worker threads (default: the number of cores). */
  readonly workers?: number;
  readonly resolveFrom: string;
  readonly onProgress?: (progress: SeedProgress) => void;
  readonly onSeedFinished?: (result: SeedResult) => void;
}

/** Every (arm, seed) job of a config, in a fixed order. */
export function jobsOf(config: ExperimentConfig, out: string, resolveFrom: string): SeedJob[] {
  return config.arms.flatMap((_, armIndex) => Array.from({ length: config.seeds }, (_, seed) => ({ config, armIndex, seed, out, resolveFrom })));
}

/** Writes config.yaml, then runs every job in a pool of worker threads; results in job order. */
export async function runExperiment(config: ExperimentConfig, options: RunOptions): Promise<SeedResult[]> {
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, RUN_FILES.config), stringify(configForFile(config)));
  const jobs = jobsOf(config, options.out, options.resolveFrom);
  const threads = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  const pool = new Piscina({ filename: new URL('./seed-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  try {
    return await Promise.all(
      jobs.map(async (job) => {
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (p: SeedProgress) => options.onProgress?.(p));
        try {
          const result: SeedResult = await pool.run({ job, port: port2 }, { transferList: [port2] });
          options.onSeedFinished?.(result);
          return result;
        } finally {
          port1.close();
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/** The resolved config as a loadable YAML document: arms listed in full only when declared. */
function configForFile(config: ExperimentConfig): object {
  const { explicitArms, arms, ...top } = config;
  if (explicitArms) return { ...top, arms };
  const { name: _, ...arm } = arms[0];
  return { ...top, ...arm };
}
