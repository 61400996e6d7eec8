import { plural } from '@diffstruct/core';
import type { UnfinishedJob, UnfinishedState } from './run-data.js';
import { shownEntropyFloor, type ArmSummary, type Summary } from './summary.js';
import { formatQuartiles } from './summary-table.js';

/** What the numbers of `summaryLines` are, printed above them. */
export const SUMMARY_LEGEND = 'per arm, median [first quartile, third quartile] over its seeds, at the last logged cycle:';

/**
 * The end of a run in a few lines: per arm, the smooth loss and units of its seeds at their last
 * logged row, over how many seeds and at which cycle, and the entropy floor when there is one.
 */
export function summaryLines(summary: Summary): string[] {
  return [SUMMARY_LEGEND, ...summary.arms.map(armLine)];
}

function armLine(arm: ArmSummary): string {
  const counted = arm.finalBySeed.length;
  const cycles = arm.finalBySeed.map((s) => s.cycle);
  const low = Math.min(...cycles);
  const high = Math.max(...cycles);
  const at = low === high ? `cycle ${low}` : `cycles ${low}–${high}`;
  // The quartiles leave out unfinished seeds, unless no seed finished (then they are all there is).
  const unfinished = arm.unfinished.length;
  const note = unfinished === 0 ? '' : counted === arm.seeds ? ', none finished' : `; ${unfinished} unfinished left out`;
  const floor = shownEntropyFloor(arm);
  const floorText = floor === undefined ? '' : ` (entropy floor ${floor.toFixed(2)})`;
  return (
    `  ${arm.name} (${plural(counted, 'seed')}${note}, ${at}): ` +
    `smooth loss ${formatQuartiles(arm.final.loss, 2)}${floorText}, units ${formatQuartiles(arm.final.units, 1)}${heldOutText(arm)}`
  );
}

/** `; valLoss …, valAccuracy …; test loss …, test accuracy …` for a run with `eval:` (at each seed's last evaluation), else nothing. */
function heldOutText(arm: ArmSummary): string {
  const held = arm.heldOut;
  if (!held) return '';
  const validation = Object.entries(held.final).map(([column, q]) => `${column} ${formatQuartiles(q, 3)}`);
  const test = Object.entries(held.test ?? {}).map(([key, q]) => `test ${key} ${formatQuartiles(q, 3)}`);
  return [validation, test].map((parts) => (parts.length ? `; ${parts.join(', ')}` : '')).join('');
}

const STATE_TEXT: Record<UnfinishedState, string> = {
  'in flight': 'in flight (their numbers are partial)',
  stopped: 'stopped with a checkpoint (`diffstruct run --resume DIR`, with the same `--shard`, continues them)',
  interrupted: 'stopped before a checkpoint (`diffstruct run --resume DIR`, with the same `--shard`, starts them again)',
  'not started': 'not started: no folder of theirs (their shard has not run, or wrote into another folder)',
};

/**
 * Which (arm, seed) jobs have not finished, by state, when some have not (else nothing): a sweep
 * reported while its shards still run must not read as complete.
 */
export function incompleteLines(summary: Summary): string[] {
  const incomplete = summary.incomplete;
  if (!incomplete) return [];
  const lines = [
    `incomplete: ${incomplete.finished} of ${plural(incomplete.jobs, '(arm, seed) job')} finished; the numbers above cover what was written so far`,
  ];
  for (const state of Object.keys(STATE_TEXT) as UnfinishedState[]) {
    const jobs = incomplete.unfinished.filter((j) => j.state === state);
    if (!jobs.length) continue;
    // Jobs with a detail (who writes them) one per line; others as `a seeds 0, 2; b seed 1`.
    if (jobs.some((j) => j.detail !== undefined))
      lines.push(`  ${STATE_TEXT[state]}:`, ...jobs.map((j) => `    ${j.arm} seed ${j.seed}${j.detail === undefined ? '' : `: ${j.detail}`}`));
    else lines.push(`  ${STATE_TEXT[state]}: ${seedsByArm(jobs)}`);
  }
  return lines;
}

function seedsByArm(jobs: readonly UnfinishedJob[]): string {
  const byArm = new Map<string, number[]>();
  for (const job of jobs) byArm.set(job.arm, [...(byArm.get(job.arm) ?? []), job.seed]);
  return [...byArm].map(([arm, seeds]) => `${arm} ${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}`).join('; ');
}
