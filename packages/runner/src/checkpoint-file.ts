import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DiffstructError, field, FileReadError, isNumber, isRecord, type StateValue } from '@diffstruct/core';
import {
  type ArmConfig,
  armSettings,
  armSettingsHash,
  decodeState,
  encodeState,
  type ExperimentConfig,
  readRunFile,
  writeFileAtomic,
} from '@diffstruct/core/host';
import type { SeedFileSizes } from './seed-files.js';

export const CHECKPOINT_FORMAT = 'diffstruct-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** Which run a checkpoint belongs to: a checkpoint of anything else is refused. */
export type CheckpointIdentity = {
  readonly experiment: string;
  readonly arm: string;
  readonly seed: number;
  /** `armSettingsHash` of the arm's settings (`armSettings`: what fixes its numbers). */
  readonly configHash: string;
};

/** The identity of the checkpoints (and final state) of one seed of one arm. */
export function seedIdentity(config: Pick<ExperimentConfig, 'name' | 'log' | 'eval'>, arm: ArmConfig, seed: number): CheckpointIdentity {
  return { experiment: config.name, arm: arm.name, seed, configHash: armSettingsHash(armSettings(arm, config)) };
}

/** Type aliases (not interfaces), so a checkpoint is itself a StateValue and encodes as one. */
export type Checkpoint = {
  readonly identity: CheckpointIdentity;
  readonly cycle: number;
  /** Byte lengths of metrics.csv, events.jsonl and multipliers.jsonl when the checkpoint was taken (no multipliers before that file existed). */
  readonly files: SeedFileSizes;
  readonly state: StateValue;
};

/** What a bad file of each kind means for the user. */
const REFUSAL = {
  checkpoint: 'refusing to resume from it (delete it to start that seed over)',
  final: 'the network of that seed cannot be rebuilt from it (run the seed again)',
} as const;

export class CheckpointError extends DiffstructError {
  constructor(file: string, reason: string, kind: keyof typeof REFUSAL = 'checkpoint') {
    super(`${file}: ${reason}; ${REFUSAL[kind]}`);
  }
}

/** The checksum of a checkpoint's body. */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A header line (format, version, checksum of the body) and the body (the encoded state), written
 * atomically. Reading checks all three before anything is loaded.
 */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  const body = encodeState(checkpoint);
  writeFileAtomic(file, JSON.stringify({ format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, sha256: sha256(body) }) + '\n' + body);
}

/** `kind`: a checkpoint, or a finished seed's final state (the same format). */
export function readCheckpoint(file: string, expected: CheckpointIdentity, kind: 'checkpoint' | 'final' = 'checkpoint'): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readRunFile(file, kind);
  } catch (error) {
    if (error instanceof FileReadError) throw new CheckpointError(file, error.reason, kind);
    throw error;
  }
  const newline = text.indexOf('\n');
  let header: { format?: unknown; version?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline));
  } catch {
    throw new CheckpointError(file, 'not a diffstruct checkpoint (unreadable header)', kind);
  }
  if (header.format !== CHECKPOINT_FORMAT) throw new CheckpointError(file, 'not a diffstruct checkpoint', kind);
  if (header.version !== CHECKPOINT_VERSION)
    throw new CheckpointError(file, `checkpoint format version ${String(header.version)}, this diffstruct reads version ${CHECKPOINT_VERSION}`, kind);
  const body = text.slice(newline + 1);
  if (sha256(body) !== header.sha256) throw new CheckpointError(file, 'corrupt checkpoint (checksum mismatch)', kind);
  let checkpoint: Checkpoint;
  try {
    checkpoint = asCheckpoint(decodeState(body));
  } catch (error) {
    throw new CheckpointError(file, `malformed checkpoint (${(error as Error).message})`, kind);
  }
  const found = checkpoint.identity;
  for (const key of ['experiment', 'arm', 'seed', 'configHash'] as const) {
    if (found?.[key] !== expected[key]) {
      throw new CheckpointError(file, `belongs to another run (${key}: ${String(found?.[key])}, expected ${String(expected[key])})`, kind);
    }
  }
  return checkpoint;
}

/** Checks the shape of a decoded checkpoint before anything of it is used. */
function asCheckpoint(value: StateValue): Checkpoint {
  const identity = field<Record<string, StateValue>>(value, 'identity', isRecord, 'a mapping');
  const files = field<Record<string, StateValue>>(value, 'files', isRecord, 'a mapping');
  return {
    identity: {
      experiment: String(identity.experiment),
      arm: String(identity.arm),
      seed: field<number>(identity, 'seed', isNumber, 'a number'),
      configHash: String(identity.configHash),
    },
    cycle: field<number>(value, 'cycle', isNumber, 'a number'),
    files: {
      metrics: field<number>(files, 'metrics', isNumber, 'a number'),
      events: field<number>(files, 'events', isNumber, 'a number'),
      ...(files.multipliers === undefined ? {} : { multipliers: field<number>(files, 'multipliers', isNumber, 'a number') }),
    },
    state: field<StateValue>(value, 'state', isRecord, 'a mapping'),
  };
}
