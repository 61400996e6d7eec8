import type { Quartiles } from './quartiles.js';
import { shownEntropyFloor, type Summary } from './summary.js';

/** `median [q25, q75]` with `digits` decimals. */
export const formatQuartiles = (q: Quartiles, digits: number) => `${q.median.toFixed(digits)} [${q.q25.toFixed(digits)}, ${q.q75.toFixed(digits)}]`;

/**
 * Markdown: per arm, median [q25, q75] of smooth loss and units at the end (or at the given
 * cycles), the entropy floor, then every finished seed's final values, sorted by loss, and a
 * seed's wall time.
 */
export function summaryTable(summary: Summary, atCycles: readonly number[] = [], seconds: Readonly<Record<string, Quartiles>> = {}): string {
  // With eval: the validation columns (at each seed's last evaluation, or at the given cycles) and the test figures at the end.
  const heldOut = [...new Set(summary.arms.flatMap((a) => Object.keys(a.heldOut?.final ?? {})))];
  const tested = [...new Set(summary.arms.flatMap((a) => Object.keys(a.heldOut?.test ?? {})))];
  const extra = [...heldOut, ...tested.map((key) => `test ${key}`)];
  const header = ['arm', 'seeds', 'cycle', 'smooth loss', 'units', 'entropy floor', ...extra];
  const lines = [`| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`];
  const cell = (q: Quartiles | undefined, missing: string) => (q ? formatQuartiles(q, 3) : missing);
  for (const arm of summary.arms) {
    const floor = shownEntropyFloor(arm)?.toFixed(2) ?? '';
    const end = { loss: arm.final.loss, units: arm.final.units, heldOut: arm.heldOut?.final };
    const rows = atCycles.length
      ? atCycles.map((cycle) => ({ cycle, point: arm.curve.find((p) => p.cycle === cycle), atEnd: false }))
      : [{ cycle: arm.curve[arm.curve.length - 1]?.cycle ?? arm.cycles, point: end, atEnd: true }];
    for (const { cycle, point, atEnd } of rows) {
      const last = arm.curve[arm.curve.length - 1]?.cycle ?? 0;
      const missing = cycle > last ? `past the end (${last})` : 'not logged';
      const values = point ? `${formatQuartiles(point.loss, 2)} | ${formatQuartiles(point.units, 1)}` : `${missing} | ${missing}`;
      const validation = heldOut.map((column) => cell(point?.heldOut?.[column], 'not evaluated'));
      const test = tested.map((key) => cell(atEnd ? arm.heldOut?.test?.[key] : undefined, ''));
      lines.push(`| ${[arm.name, arm.seeds, cycle, values, floor, ...validation, ...test].join(' | ')} |`);
    }
  }
  lines.push('', 'Each seed at the end (smooth loss / units), sorted by loss:', '');
  for (const arm of summary.arms) {
    const seeds = [...arm.finalBySeed].sort((a, b) => a.loss - b.loss).map((s) => `${s.loss.toFixed(2)}/${s.units}`);
    lines.push(`- ${arm.name}: ${seeds.join(', ')}`);
  }
  const timed = summary.arms.filter((arm) => seconds[arm.name]);
  if (timed.length) {
    lines.push('', 'Wall time of a seed in seconds (one worker thread), median [q25, q75]:', '');
    for (const arm of timed) lines.push(`- ${arm.name}: ${formatQuartiles(seconds[arm.name], 1)}`);
  }
  if (summary.failed.length) lines.push('', `Failed: ${summary.failed.map((f) => `${f.arm} seed ${f.seed} (${f.error})`).join('; ')}`);
  return lines.join('\n') + '\n';
}
