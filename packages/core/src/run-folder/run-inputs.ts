import { createHash } from 'node:crypto';
import type { DataFileHashes } from '../config/data-file-reader.js';
import type { ExperimentConfig } from '../config/experiment-config.js';

export type { DataFileHashes };

/**
 * What a run was started with (a run folder's inputs.json): a sha256 of its resolved config and
 * of every data file the config reads. `run --resume`, a shard joining the folder and `report`
 * compare against it, so a run never mixes two configs or two versions of its data.
 */
export interface RunInputs {
  readonly config: string;
  readonly data: DataFileHashes;
}

/** The inputs of a run of `config` over data files of these hashes; the config hash ignores key order. */
export function runInputsOf(config: ExperimentConfig, data: DataFileHashes): RunInputs {
  return { config: createHash('sha256').update(canonicalJson(config)).digest('hex'), data };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function runInputsJson(inputs: RunInputs): string {
  return JSON.stringify(inputs, null, 2) + '\n';
}

/** Parses an inputs.json; `file` names it in errors. */
export function parseRunInputs(text: string, file: string): RunInputs {
  let data: { config?: unknown; data?: unknown };
  try {
    data = JSON.parse(text) as typeof data;
  } catch (error) {
    throw new Error(`${file}: expected JSON ({ config, data }), found text that does not parse: ${(error as Error).message}`);
  }
  const hashes = data?.data;
  const isHashMap = typeof hashes === 'object' && hashes !== null && !Array.isArray(hashes) && Object.values(hashes).every((h) => typeof h === 'string');
  if (typeof data?.config !== 'string' || !isHashMap) throw new Error(`${file}: expected { "config": sha256, "data": { file: sha256 } }`);
  return { config: data.config, data: hashes as DataFileHashes };
}

/** Data files read by both records whose contents differ, with what changed, as `file: ...` lines. */
export function changedDataFiles(before: DataFileHashes, now: DataFileHashes): string[] {
  return Object.keys(before)
    .filter((file) => Object.hasOwn(now, file) && now[file] !== before[file])
    .map((file) => `${file}: its contents changed (sha256 ${before[file].slice(0, 12)}… then, ${now[file].slice(0, 12)}… now)`);
}
