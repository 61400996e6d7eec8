import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  metricsHeader,
  metricsRow,
  PluginRegistries,
  RUN_FILES,
  seedFolder,
  TrainingLoop,
  type ExperimentConfig,
  type SeedResult,
} from '@diffstruct/core';
import { buildSetup } from './build-setup.js';
import { createContainerWith } from './container.js';

/** One (arm, seed) to run; plain data, so it can be sent to a worker thread. */
export interface SeedJob {
  readonly config: ExperimentConfig;
  readonly armIndex: number;
  readonly seed: number;
  readonly out: string;
  /** Where the config's plugin names resolve from (the config file's path). */
  readonly resolveFrom: string;
}

export interface SeedProgress {
  readonly arm: string;
  readonly seed: number;
  readonly cycle: number;
  readonly smoothLoss: number;
  readonly units: number;
}

/**
 * Trains one seed of one arm, writing metrics.csv (a row every log.every cycles), events.jsonl
 * (flushed with each row) and result.json (at the end) into its seed folder.
 */
export async function runSeed(job: SeedJob, onProgress: (p: SeedProgress) => void = () => undefined): Promise<SeedResult> {
  const started = performance.now();
  const arm = job.config.arms[job.armIndex];
  const folder = seedFolder(job.out, job.config, arm.name, job.seed);
  mkdirSync(folder, { recursive: true });
  const registries = (await createContainerWith(job.config.plugins, job.resolveFrom)).get(PluginRegistries);
  const setup = buildSetup(registries, arm, job.seed, job.config.log.every);
  const growableIds = setup.model.growables.map((g) => g.id);
  const metricsFile = join(folder, RUN_FILES.metrics);
  const eventsFile = join(folder, RUN_FILES.events);
  writeFileSync(metricsFile, metricsHeader(growableIds) + '\n');
  writeFileSync(eventsFile, '');

  const pendingEvents: string[] = [];
  const switches: number[] = [];
  const record = (event: object) => pendingEvents.push(JSON.stringify(event));
  setup.events.on('unitAdded', record);
  setup.events.on('unitRemoved', record);
  setup.events.on('taskSwitched', (e) => (record(e), switches.push(e.cycle)));
  const flushEvents = () => {
    if (pendingEvents.length) appendFileSync(eventsFile, pendingEvents.join('\n') + '\n');
    pendingEvents.length = 0;
  };
  setup.events.on('cycle', (row) => {
    appendFileSync(metricsFile, metricsRow(row, growableIds) + '\n');
    flushEvents();
    onProgress({ arm: arm.name, seed: job.seed, cycle: row.cycle, smoothLoss: row.smoothLoss, units: row.units });
  });

  const trainer = new TrainingLoop(setup);
  let error: string | undefined;
  try {
    trainer.run(arm.cycles);
  } catch (e) {
    error = (e as Error).message;
  }
  flushEvents();
  const result: SeedResult = {
    arm: arm.name,
    seed: job.seed,
    cycles: trainer.cycle,
    finished: error === undefined,
    entropyFloor: setup.task.entropyFloor(setup.model.exampleRequest, Math.max(0, trainer.cycle - 1)),
    switches,
    seconds: (performance.now() - started) / 1000,
    ...(error === undefined ? {} : { error }),
  };
  writeFileSync(join(folder, RUN_FILES.seedResult), JSON.stringify(result, null, 2) + '\n');
  return result;
}
