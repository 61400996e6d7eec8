import { plural } from '@diffstruct/core';
import type { ArmProgress, Eta, RunProgress, SeedCounts } from './run-progress.js';

/** Progress lines are cut to fit a terminal this wide. */
export const PROGRESS_WIDTH = 100;
/** Arms shown at most, one line each: those with a seed running (few, with one seed per worker). */
const MAX_ARM_LINES = 6;

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "3 of 8 seeds finished, 2 running, 1 failed": stopped seeds by how they stopped, zero counts left out. */
export function describeCounts(c: SeedCounts): string {
  const others = [c.running ? `${c.running} running` : '', c.failed ? `${c.failed} failed` : '', c.interrupted ? `${c.interrupted} interrupted` : ''].filter(
    Boolean,
  );
  return [`${c.finished} of ${plural(c.total, 'seed')} finished`, ...others].join(', ');
}

export function describeEta(eta: Eta | undefined): string {
  if (!eta) return 'ETA: measuring';
  return `ETA ${eta.guessed ? '~' : ''}${formatSeconds(eta.seconds)}`;
}

/**
 * The progress display: a line for the whole run, then one per arm with a seed running (its
 * seeds, and medians of their latest smooth loss and units), each at most `width` columns.
 */
export function progressLines(progress: RunProgress, width = PROGRESS_WIDTH): string[] {
  // Rounded down: 100% only when every cycle is done, never while a seed still runs.
  const percent = `[${String(Math.floor(100 * progress.fraction())).padStart(3)}%]`;
  const counts = progress.counts();
  const left = counts.total - counts.finished - counts.failed - counts.interrupted;
  const lines = [`${percent} ${describeCounts(counts)}${left ? ` · ${describeEta(progress.eta())}` : ''}`];
  const running = progress.arms().filter((arm) => arm.counts.running > 0);
  for (const arm of running.slice(0, MAX_ARM_LINES)) lines.push(armLine(arm, width));
  if (running.length > MAX_ARM_LINES) lines.push(`  … and ${plural(running.length - MAX_ARM_LINES, 'more arm')} running`);
  return lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line));
}

function armLine(arm: ArmProgress, width: number): string {
  const medians = arm.smoothLoss === undefined ? '' : `; median smooth loss ${arm.smoothLoss.toFixed(2)}, units ${formatUnits(arm.units ?? Number.NaN)}`;
  const rest = `: ${describeCounts(arm.counts)}${medians}`;
  // The arm's name is the one part of unbounded length: shorten it, not the numbers.
  const room = Math.max(8, width - 2 - rest.length);
  const name = arm.name.length > room ? `${arm.name.slice(0, room - 1)}…` : arm.name;
  return `  ${name}${rest}`;
}

const formatUnits = (units: number) => (Number.isInteger(units) ? String(units) : units.toFixed(1));
