import type { ArmConfig } from '@diffstruct/core/host';
import { quartiles } from '@diffstruct/report';
import { type CycleTimer, type FixedSizeTimer, YardstickUnavailable, yardstickTimer } from '@diffstruct/runner';
import type { Yardstick } from './yardsticks.js';

/** Ours ÷ theirs in each round (`ratios`), and their median. */
export interface Ratios {
  ratio: number;
  ratios: number[];
}

/** A yardstick's figures beside one row: the median of its rounds, each round's, and ours ÷ theirs. */
export interface YardstickFigures extends Ratios {
  cyclesPerSecond: number;
  rowsPerSecond?: number;
  repeats: number[];
}

/** One row's timings: ours each round, each yardstick's beside them, and ours ÷ the fastest yardstick of each round (`best`). */
export interface RowTimings {
  cyclesPerSecond: number;
  rowsPerSecond?: number;
  repeats: number[];
  charactersPerSecond?: number;
  yardsticks?: Record<string, YardstickFigures>;
  best?: BestRatios;
}

/** Ours ÷ the fastest yardstick of each round, and which one that was each round (of those that ran). */
export interface BestRatios extends Ratios {
  fastest: string[];
}

/** A timer and its name in the progress lines and the JSON: a kernel's, or a yardstick's. */
export interface Named<T extends CycleTimer = CycleTimer> {
  readonly name: string;
  readonly timer: T;
}

export interface RoundsSettings {
  readonly seconds: number;
  readonly repeats: number;
  readonly python: string;
  /** Yardsticks found missing so far, by name, with their message: added to here, and not tried again. */
  readonly skipped: Record<string, string>;
  readonly say: (line: string) => void;
}

const median = (values: readonly number[]) => quartiles(values).median;

/** The yardsticks at size `hidden`, each ready to be timed (its rate measured once), less those whose package is missing. */
export function startYardsticks(yardsticks: readonly Yardstick[], hidden: number, arm: ArmConfig, settings: RoundsSettings, label: string): Named[] {
  const started: Named[] = [];
  for (const y of yardsticks.filter((y) => !Object.hasOwn(settings.skipped, y.name))) {
    settings.say(`  ${label}: starting the ${y.name} yardstick (it compiles, then a short run measures its rate)`);
    const timer = yardstickTimer(y.script, { task: y.task, hidden, extra: y.extra(arm) }, settings.python);
    if ('skipped' in timer) skip(settings, y.name, timer.skipped);
    else started.push({ name: y.name, timer });
  }
  return started;
}

function skip(settings: RoundsSettings, name: string, reason: string): void {
  settings.skipped[name] = reason;
  settings.say(`  ${name} yardstick skipped: ${reason}`);
}

/**
 * Times our kernels of one size and batch (`ours`, a row each) and the yardsticks at that size in
 * `repeats` rounds: a round times each once, for `seconds / repeats`, in order in even rounds
 * (from 0) and in reverse in odd ones (A B, B A), so that the machine's drift falls on both sides
 * of a ratio (an even `repeats` gives both orders as many rounds). Each ratio is taken within a
 * round; the figures are the medians over the rounds. A yardstick that stops
 * (YardstickUnavailable) is skipped from then on.
 */
export function timeInRounds(ours: readonly Named<FixedSizeTimer>[], theirs: readonly Named[], settings: RoundsSettings, label: string): RowTimings[] {
  const { seconds, repeats, say } = settings;
  const timed: readonly Named[] = [...ours, ...theirs];
  const rates = timed.map(() => new Array<number>(repeats));
  const stopped = new Set<number>();
  for (let round = 0; round < repeats; round++) {
    const order = timed.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order.filter((i) => !stopped.has(i))) {
      try {
        rates[i][round] = timed[i].timer.time(seconds / repeats);
      } catch (error) {
        if (!(error instanceof YardstickUnavailable)) throw error;
        skip(settings, timed[i].name, error.message);
        stopped.add(i);
      }
    }
    const said = timed.flatMap(({ name }, i) => (stopped.has(i) ? [] : [`${name} ${rates[i][round].toFixed(0)}`]));
    if (timed.length > 1) say(`  ${label}, round ${round + 1} of ${repeats}: ${said.join(', ')} cycles/s`);
  }
  const yardstickRates = theirs.flatMap(({ name }, y) => (stopped.has(ours.length + y) ? [] : [{ name, rates: rates[ours.length + y] }]));
  return ours.map(({ timer }, k): RowTimings => {
    const mine = rates[k];
    const cyclesPerSecond = median(mine);
    const { charactersPerCycle, rowsPerCycle } = timer;
    const perRow = (rate: number) => (rowsPerCycle ? { rowsPerSecond: rate * rowsPerCycle } : {});
    const timings: RowTimings = {
      cyclesPerSecond,
      ...perRow(cyclesPerSecond),
      repeats: mine,
      ...(charactersPerCycle ? { charactersPerSecond: cyclesPerSecond * charactersPerCycle } : {}),
    };
    if (!yardstickRates.length) return timings;
    const within = (theirRates: readonly number[]): Ratios => {
      const ratios = mine.map((rate, r) => rate / theirRates[r]);
      return { ratio: median(ratios), ratios };
    };
    timings.yardsticks = Object.fromEntries(
      yardstickRates.map(({ name, rates }) => {
        const rate = median(rates);
        return [name, { cyclesPerSecond: rate, ...perRow(rate), repeats: rates, ...within(rates) }];
      }),
    );
    const fastest = mine.map((_, r) => yardstickRates.reduce((a, b) => (b.rates[r] > a.rates[r] ? b : a)));
    timings.best = { ...within(fastest.map((y, r) => y.rates[r])), fastest: fastest.map((y) => y.name) };
    return timings;
  });
}
