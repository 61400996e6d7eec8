import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DiffstructError } from '@diffstruct/core';
import { type MetricsTable, parseMetrics, RUN_FILES, type SeedResult } from '@diffstruct/core/host';

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

export interface RunData {
  readonly name: string;
  readonly description?: string;
  readonly arms: ArmData[];
}

interface ConfigFile {
  name: string;
  description?: string;
  cycles: number;
  arms?: { name: string; cycles: number }[];
}

/** Reads one or more run folders of the same experiment (e.g. shards) into one set of arms and seeds. */
export function readRunFolders(dirs: readonly string[]): RunData {
  if (!dirs.length) throw new DiffstructError('no run folder given');
  const arms = new Map<string, ArmData>();
  let name = '';
  let description: string | undefined;
  for (const dir of dirs) {
    const configFile = join(dir, RUN_FILES.config);
    if (!existsSync(configFile)) throw new DiffstructError(`${dir}: not a run folder (no ${RUN_FILES.config})`);
    const config = parse(readFileSync(configFile, 'utf8')) as ConfigFile;
    if (name && config.name !== name) throw new DiffstructError(`${dir}: holds experiment "${config.name}", not "${name}"; report one experiment at a time`);
    name = config.name;
    description ??= config.description;
    const declared = config.arms ?? [{ name: config.name, cycles: config.cycles }];
    for (const arm of declared) {
      const armFolder = config.arms ? join(dir, arm.name) : dir;
      const data = arms.get(arm.name) ?? { name: arm.name, cycles: arm.cycles, seeds: [] };
      arms.set(arm.name, data);
      for (const seed of readSeeds(armFolder)) {
        if (data.seeds.some((s) => s.seed === seed.seed))
          throw new DiffstructError(`${seed.folder}: seed ${seed.seed} of arm "${arm.name}" appears in two run folders`);
        data.seeds.push(seed);
      }
    }
  }
  for (const arm of arms.values()) arm.seeds.sort((a, b) => a.seed - b.seed);
  return { name, ...(description === undefined ? {} : { description }), arms: [...arms.values()] };
}

function readSeeds(armFolder: string): SeedData[] {
  if (!existsSync(armFolder)) return [];
  const seeds: SeedData[] = [];
  for (const entry of readdirSync(armFolder)) {
    const match = /^seed-(\d+)$/.exec(entry);
    const folder = join(armFolder, entry);
    const metricsFile = join(folder, RUN_FILES.metrics);
    if (!match || !existsSync(metricsFile)) continue;
    const metrics = parseMetrics(readFileSync(metricsFile, 'utf8'), metricsFile);
    const resultFile = join(folder, RUN_FILES.seedResult);
    const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SeedResult) : undefined;
    seeds.push({ seed: Number(match[1]), folder, metrics, ...(result ? { result } : {}) });
  }
  return seeds;
}
