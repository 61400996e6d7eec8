import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import { type ExperimentConfig, RUN_FILES, seedFolder, type SeedResult } from '@diffstruct/core/host';

/**
 * The one message of a run stopped by a file it could not write (`FILE: disk full (ENOSPC)`),
 * before, during or after the jobs: what is kept, then what to type once there is room.
 */
export function stoppedForRoom(failure: string, kept: string, next: string): DiffstructError {
  return new DiffstructError(`${failure}: the run stopped; ${kept}. Make room, then continue with:\n  ${next}`);
}

/** What a run stopped during its jobs keeps: each unfinished seed its last checkpoint, or (without one yet) nothing, so it restarts at cycle 0. */
export function keptCheckpoints(config: Pick<ExperimentConfig, 'explicitArms'>, out: string, results: readonly SeedResult[], counts: string): string {
  const restarting = results
    .filter((r) => !r.finished && !existsSync(join(seedFolder(out, config, r.arm, r.seed), RUN_FILES.checkpoint)))
    .map((r) => (config.explicitArms ? `${r.arm} seed ${r.seed}` : `seed ${r.seed}`));
  if (!restarting.length) return `${counts}; every unfinished seed keeps its last checkpoint`;
  return `${counts}; ${restarting.join(', ')} had no checkpoint yet and will restart from cycle 0, every other unfinished seed keeps its last checkpoint`;
}
