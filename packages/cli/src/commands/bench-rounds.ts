import type { PluginRegistries } from '@diffstruct/core/host';
import { quartiles } from '@diffstruct/report';
import { type CycleTimer, fixedSizeTimer, yardstickTimer } from '@diffstruct/runner';
import type { BenchRowPlan } from './bench-plan.js';
import type { Yardstick } from './yardsticks.js';

/** A yardstick's figures beside one row: ratio = ours ÷ theirs, round by round (`ratios`), and their median. */
export interface YardstickFigures {
  cyclesPerSecond: number;
  rowsPerSecond?: number;
  repeats: number[];
  ratio: number;
  ratios: number[];
}

/** One row's timings: ours each round, each yardstick's beside them, and ours ÷ the fastest yardstick of each round. */
export interface RowTimings {
  cyclesPerSecond: number;
  repeats: number[];
  charactersPerSecond?: number;
  yardsticks?: Record<string, YardstickFigures>;
  best?: { ratio: number; ratios: number[] };
}

export interface RoundsSettings {
  readonly seconds: number;
  readonly repeats: number;
  readonly python: string;
  /** Yardsticks found missing so far, by name, with their message: not tried again. */
  readonly skipped: Record<string, string>;
  readonly say: (line: string) => void;
}

const median = (values: readonly number[]) => quartiles(values).median;

/**
 * Times the rows of one size and batch (a row per kernel) and the yardsticks at that size in
 * `repeats` rounds: a round times each once, for `seconds / repeats`, in order in even rounds and
 * in reverse in odd ones (A B, B A), so that the machine's drift falls on both sides of a ratio.
 * Each ratio is taken within a round; the figures are the medians over the rounds.
 */
export function timeInRounds(
  registries: PluginRegistries,
  rows: readonly BenchRowPlan[],
  yardsticks: readonly Yardstick[],
  settings: RoundsSettings,
  label: string,
): RowTimings[] {
  const { seconds, repeats, skipped, say } = settings;
  const ours = rows.map((row) => fixedSizeTimer(registries, row.arm, Math.min(0.5, seconds / 4)));
  const theirs: { name: string; timer: CycleTimer }[] = [];
  const hidden = rows[0].hidden;
  for (const y of yardsticks) {
    if (hidden === undefined || Object.hasOwn(skipped, y.name)) continue;
    const timer = yardstickTimer(y.script, { task: y.task, hidden, extra: y.extra(rows[0].arm) }, settings.python);
    if ('skipped' in timer) {
      skipped[y.name] = timer.skipped;
      say(`  ${y.name} yardstick skipped: ${timer.skipped}`);
    } else theirs.push({ name: y.name, timer });
  }
  const timers: CycleTimer[] = [...ours, ...theirs.map((y) => y.timer)];
  const names = [...rows.map((r) => r.kernel ?? 'ours'), ...theirs.map((y) => y.name)];
  const rates = timers.map(() => new Array<number>(repeats));
  for (let round = 0; round < repeats; round++) {
    const order = timers.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) rates[i][round] = timers[i].time(seconds / repeats);
    if (timers.length > 1)
      say(`  ${label}, round ${round + 1} of ${repeats}: ${names.map((n, i) => `${n} ${rates[i][round].toFixed(0)}`).join(', ')} cycles/s`);
  }
  return ours.map((timer, k): RowTimings => {
    const mine = rates[k];
    const cyclesPerSecond = median(mine);
    const timings: RowTimings = {
      cyclesPerSecond,
      repeats: mine,
      ...(timer.charactersPerCycle ? { charactersPerSecond: cyclesPerSecond * timer.charactersPerCycle } : {}),
    };
    if (!theirs.length) return timings;
    const their = rates.slice(ours.length);
    timings.yardsticks = Object.fromEntries(
      theirs.map(({ name }, y) => {
        const ratios = mine.map((rate, r) => rate / their[y][r]);
        return [name, { cyclesPerSecond: median(their[y]), repeats: their[y], ratio: median(ratios), ratios }];
      }),
    );
    const bestRatios = mine.map((rate, r) => rate / Math.max(...their.map((t) => t[r])));
    timings.best = { ratio: median(bestRatios), ratios: bestRatios };
    return timings;
  });
}
