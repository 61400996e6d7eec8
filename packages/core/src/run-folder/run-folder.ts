import { isAbsolute, join } from 'node:path';
import { MAX_CONFIG_BYTES } from '../config/config-source.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { readFileCapped } from '../read-capped.js';
import type { CycleLogged } from '../events/event-bus.js';
import type { HeldOutFigures } from '../engine/held-out-evaluation.js';
import type { PluginLocations } from '../plugins/plugin-loader.js';
import { BREAKING } from './writer-lock.js';

/** The files at the top of a run folder, beside the arm or seed folders (the figures are `RUN_FIGURES`). */
export const RUN_LEVEL_FILES = Object.freeze({
  config: 'config.yaml',
  /** The folder each package of the config's `plugins:` list was resolved from, so `--resume` finds it from any working directory. */
  plugins: 'plugins.json',
  /** sha256 of the resolved config and of each data file it reads, when the run started (see `RunInputs`). */
  inputs: 'inputs.json',
  summary: 'summary.json',
});

/** The files of a seed folder. */
export const SEED_FILES = Object.freeze({
  metrics: 'metrics.csv',
  events: 'events.jsonl',
  /** Every growable's live unit ids and multipliers, a line per metrics row (and one at cycle 0): what a unit's lifeline is drawn from. */
  multipliers: 'multipliers.jsonl',
  /** Written when a seed finishes: what a report needs beyond the metrics. */
  seedResult: 'result.json',
  /** A finished seed's final state (a checkpoint of its last cycle): what sample, predict and export rebuild the network from. */
  final: 'final.json',
  /** A seed's last checkpoint, while it has not finished. */
  checkpoint: 'checkpoint.json',
  /** Held by the one run writing a seed folder (see WriterLocks). */
  writerLock: 'writer.lock',
  /** Held for an instant while a stale writer lock is broken (see WriterLocks). */
  writerLockGuard: `writer.lock${BREAKING}`,
});

/** The run-folder contract (docs/architecture.md#the-run-folder) that the runner writes and reports read. */
export const RUN_FILES = Object.freeze({ ...RUN_LEVEL_FILES, ...SEED_FILES });

/** The pattern of `seedFolderName`; group 1 is the seed. */
export const SEED_FOLDER = /^seed-(\d+)$/;

/** A seed folder's name: `seed-<s>`. */
export const seedFolderName = (seed: number): string => `seed-${seed}`;

const MiB = 1 << 20;

/**
 * The most bytes diffstruct reads of each run file it reads back: anything in a run folder may have
 * been replaced (a symlink to /dev/zero, a huge file), so each is read through `readFileCapped`
 * (`readRunFile`) and one over its cap is refused as `FILE: file over N` instead of filling memory.
 * Each cap is far above what a run writes. summary.json is read back only by `serve`, to show it.
 */
export const RUN_FILE_MAX_BYTES = Object.freeze({
  /** A resolved config: the same cap as any config file. */
  config: MAX_CONFIG_BYTES,
  /** A package name and a folder per plugin. */
  plugins: MAX_CONFIG_BYTES,
  /** Medians and quartiles per arm along the run and each seed's final values: a few MB for the longest runs. */
  summary: 64 * MiB,
  /** Each arm's settings: the thousands of arms of a big sweep stay far below. */
  inputs: 64 * MiB,
  /** A row every `log.every` cycles: ~10⁶ rows of a few dozen columns; the cap of a data CSV. */
  metrics: 256 * MiB,
  /** A line per unit added or removed and per task switch; read at a seed's end for its switches. */
  events: 256 * MiB,
  /** A line per metrics row of ~13 bytes per live unit: 230 units logged 10⁵ times are ~300 MB; just below the longest string. */
  multipliers: 500 * MiB,
  /** A few numbers and the cycle of each task switch. */
  seedResult: 64 * MiB,
  /** A seed's whole state, decoded as one string: just below the longest string JavaScript holds (512 MiB). */
  checkpoint: 500 * MiB,
  /** The same state at the last cycle: a 1024-wide MNIST network with Adam's slots is ~30 MB, a 200-unit char model ~2 MB. */
  final: 500 * MiB,
});

/** Kinds of run file diffstruct reads back. */
export type ReadRunFile = keyof typeof RUN_FILE_MAX_BYTES;

/** A run file's text, at most its kind's `RUN_FILE_MAX_BYTES` (else a FileReadError, `FILE: file over N`). */
export function readRunFile(file: string, kind: ReadRunFile): string {
  return readFileCapped(file, RUN_FILE_MAX_BYTES[kind], `a run's ${RUN_FILES[kind]}`).toString('utf8');
}

/** The bytes of a run file from byte `from` on, under the same cap: what a reader following a growing file (`serve`) reads each time. */
export function readRunFileFrom(file: string, kind: ReadRunFile, from: number): Buffer {
  return readFileCapped(file, RUN_FILE_MAX_BYTES[kind], `a run's ${RUN_FILES[kind]}`, from);
}

/** `<out>/<arm>/seed-<s>`, or `<out>/seed-<s>` for the single implicit arm. */
export function seedFolder(out: string, config: Pick<ExperimentConfig, 'explicitArms'>, arm: string, seed: number): string {
  return config.explicitArms ? join(out, arm, seedFolderName(seed)) : join(out, seedFolderName(seed));
}

/** plugins.json: an object from package name to the absolute path of the folder the name was resolved from. */
export function pluginLocationsJson(locations: PluginLocations): string {
  return JSON.stringify(locations, null, 2) + '\n';
}

/** Parses a plugins.json; `file` names it in errors. */
export function parsePluginLocations(text: string, file: string): PluginLocations {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: expected JSON (package name → folder), found text that does not parse: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${file}: expected an object from package name to folder`);
  for (const [name, folder] of Object.entries(data)) {
    if (typeof folder !== 'string' || !isAbsolute(folder))
      throw new Error(`${file}: "${name}": expected the absolute path of the folder the package was resolved from, found ${JSON.stringify(folder)}`);
  }
  return Object.freeze({ ...(data as Record<string, string>) });
}

/** The columns every metrics.csv has, whatever the model and policy. */
export const FIXED_METRICS: readonly string[] = Object.freeze(['cycle', 'loss', 'smoothLoss', 'units', 'multiplierSum']);

/** The metrics column of a policy's signal: `<family>.<name>` (family names hold no dot). */
export function signalColumn(family: string, name: string): string {
  return `${family}.${name}`;
}

/**
 * The held-out columns of a metrics.csv, last, when the run has `eval:` (docs/configs.md#held-out-evaluation-eval): NaN
 * on rows that were not evaluated. Accuracy when the targets are classes, bits per symbol for sequences.
 */
export const HELD_OUT_COLUMNS = Object.freeze({ loss: 'valLoss', accuracy: 'valAccuracy', bitsPerSymbol: 'valBitsPerSymbol' });
const HELD_OUT_NAMES: readonly string[] = Object.values(HELD_OUT_COLUMNS);

/** The columns of a metrics.csv beyond the fixed ones: units per growable family, policy signals, then held-out figures. */
export function metricsColumnKinds(columns: readonly string[]): { families: string[]; signals: string[]; heldOut: string[] } {
  const extra = columns.filter((c) => !FIXED_METRICS.includes(c) && !HELD_OUT_NAMES.includes(c));
  return {
    families: extra.filter((c) => !c.includes('.')),
    signals: extra.filter((c) => c.includes('.')),
    heldOut: columns.filter((c) => HELD_OUT_NAMES.includes(c)),
  };
}

export function metricsHeader(families: readonly string[], signals: readonly string[] = [], heldOut: readonly string[] = []): string {
  return ['cycle', 'loss', 'smoothLoss', 'units', ...families, 'multiplierSum', ...signals, ...heldOut].join(',');
}

export function metricsRow(row: CycleLogged, families: readonly string[], signals: readonly string[] = [], heldOut: readonly string[] = []): string {
  const values = [row.cycle, row.loss, row.smoothLoss, row.units, ...families.map((f) => row.growables[f]), row.multiplierSum];
  return [...values, ...signals.map((s) => row.signals[s]), ...heldOut.map((c) => row.heldOut?.[c] ?? NaN)].join(',');
}

/** What a finished seed records in `result.json`. */
export interface SeedResult {
  readonly arm: string;
  readonly seed: number;
  readonly cycles: number;
  readonly finished: boolean;
  /** Smooth loss a perfect predictor would reach at the end (when the task knows it). */
  readonly entropyFloor?: number;
  /** Cycles at which the task switched. */
  readonly switches: readonly number[];
  /** The whole test split at the end, when the run has `eval:` and the task a test split. */
  readonly test?: HeldOutFigures;
  readonly seconds: number;
  /** Stopped on request (SIGINT/SIGTERM) after writing a checkpoint: `run --resume` continues it. */
  readonly interrupted?: boolean;
  readonly error?: string;
  /** A file of the seed could not be written (`FILE: disk full (ENOSPC)`): the run stopped, the seed kept its last checkpoint. Never in result.json. */
  readonly writeFailure?: string;
}

export interface MetricsTable {
  readonly columns: readonly string[];
  /** One array per column, by column name. */
  readonly values: Readonly<Record<string, Float64Array>>;
  readonly rows: number;
}

/**
 * Parses a metrics.csv; `file` names it in errors. Refuses a file cut short (every row a run writes
 * ends with a newline), a header without the fixed columns, and cells that are not numbers.
 */
export function parseMetrics(text: string, file: string): MetricsTable {
  const lines = text.split('\n');
  if (!text.length) throw new Error(`${file}: empty metrics file`);
  if (lines.pop() !== '') throw new Error(`${file}:${lines.length + 1}: the last row is cut short (no newline at its end): the file was truncated`);
  const columns = lines[0].split(',');
  const missing = FIXED_METRICS.find((c) => !columns.includes(c));
  if (missing) throw new Error(`${file}:1: expected a header with the column "${missing}", found "${lines[0].slice(0, 80)}"`);
  const values: Record<string, Float64Array> = {};
  for (const c of columns) values[c] = new Float64Array(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    if (cells.length !== columns.length) throw new Error(`${file}:${r + 1}: expected ${columns.length} values, found ${cells.length}`);
    cells.forEach((cell, c) => {
      // Number('') and Number(' ') are 0: a blank cell is no number either.
      const value = cell.trim() === '' ? Number.NaN : Number(cell);
      if (Number.isNaN(value) && cell !== 'NaN') throw new Error(`${file}:${r + 1}: expected a number in column "${columns[c]}", found "${cell.slice(0, 40)}"`);
      values[columns[c]][r - 1] = value;
    });
  }
  return { columns, values, rows: lines.length - 1 };
}
