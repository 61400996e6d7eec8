import type { SeedState, UnfinishedState } from '@diffstruct/report';

/** One seed folder of a run. */
export interface SeedStatus {
  readonly arm: string;
  readonly seed: number;
  /** The cycle of its last metrics row (0 before the first). */
  readonly cycle: number;
  /** The cycles its arm runs. */
  readonly cycles: number;
  readonly state: SeedState;
  /** It has a metrics.csv (a run locks every seed folder before its first seed starts: the others wait their turn). */
  readonly begun: boolean;
}

export interface Progress {
  /** The config's jobs (arms × seeds), and any seed folder beyond them. */
  readonly seedsTotal: number;
  readonly seedsDone: number;
  /** Seeds that ended with an error: they will not finish, and count as done for the ETA. */
  readonly seedsFailed: number;
  /** Jobs neither finished nor failed, by why; `not started`: no folder here (another shard's, or not run yet). */
  readonly unfinished: Readonly<Record<UnfinishedState, number>>;
  /** Cycles done and to do by the seeds in this folder. */
  readonly cyclesDone: number;
  readonly cyclesTotal: number;
  /** Seeds being written now, with the cycle each has reached. */
  readonly running: readonly { arm: string; seed: number; cycle: number; cycles: number }[];
  /** Every job finished or failed. */
  readonly complete: boolean;
  /** Not complete, and written to within `RECENT_MS` or a writer lock is live. */
  readonly inFlight: boolean;
  /** Cycles per second over every worker, observed while the page was open; absent until observed. */
  readonly cyclesPerSecond?: number;
  readonly etaSeconds?: number;
}

/** A run not written to for this long, with no live writer, is not in flight (stopped, or crashed). */
export const RECENT_MS = 30_000;
/** The rate is observed over this much of the latest history. */
const RATE_WINDOW_MS = 120_000;

/** The cycles done by the whole run at a moment; `serve` keeps these to measure the rate. */
export interface ProgressSample {
  readonly time: number;
  readonly cyclesDone: number;
}

/**
 * A run's progress: seeds done of the config's jobs, each running seed's cycle against its arm's,
 * and an ETA from the rate observed over the recent samples (cycles over every worker per second), so
 * a run with four workers is not estimated as one. `arms` is each arm's cycles; `seedsPerArm` from the
 * config. The ETA counts the cycles left of the seeds in this folder only: a run creates every seed
 * folder of its own before it starts, so jobs with none are another shard's.
 */
export function progressOf(
  seeds: readonly SeedStatus[],
  arms: readonly { name: string; cycles: number }[],
  seedsPerArm: number,
  lastWrite: number,
  history: readonly ProgressSample[],
  now: number,
): Progress {
  const here = new Set(seeds.map((s) => `${s.arm}\n${s.seed}`));
  const notStarted = arms.reduce(
    (sum, arm) => sum + Array.from({ length: seedsPerArm }, (_, seed) => seed).filter((seed) => !here.has(`${arm.name}\n${seed}`)).length,
    0,
  );
  const count = (state: SeedState) => seeds.filter((s) => s.state === state).length;
  const unfinished = { 'in flight': count('in flight'), stopped: count('stopped'), interrupted: count('interrupted'), 'not started': notStarted };
  const seedsTotal = seeds.length + notStarted;
  const seedsDone = count('finished');
  const seedsFailed = count('failed');
  // A failed seed's unrun cycles leave the total, not join the done: a jump in the done would read as speed.
  const ran = (s: SeedStatus) => (s.state === 'finished' ? s.cycles : Math.min(s.cycle, s.cycles));
  const cyclesTotal = seeds.reduce((sum, s) => sum + (s.state === 'failed' ? ran(s) : s.cycles), 0);
  const cyclesDone = seeds.reduce((sum, s) => sum + ran(s), 0);
  const complete = seedsDone + seedsFailed >= seedsTotal;
  // A recent write counts only while a seed here is unfinished: a shard folder whose own seeds all ended is not live.
  const endedHere = seedsDone + seedsFailed >= seeds.length;
  const inFlight = !complete && (unfinished['in flight'] > 0 || (!endedHere && now - lastWrite < RECENT_MS));
  const running = seeds.filter((s) => s.state === 'in flight' && s.begun).map(({ arm, seed, cycle, cycles }) => ({ arm, seed, cycle, cycles }));
  const rate = inFlight ? observedRate(history, now) : undefined;
  const eta = rate ? { cyclesPerSecond: rate, etaSeconds: Math.max(0, cyclesTotal - cyclesDone) / rate } : {};
  return { seedsTotal, seedsDone, seedsFailed, unfinished, cyclesDone, cyclesTotal, running, complete, inFlight, ...eta };
}

/** Cycles per second between the oldest sample of the window and the newest; undefined without progress seen. */
export function observedRate(history: readonly ProgressSample[], now: number): number | undefined {
  const recent = history.filter((s) => now - s.time <= RATE_WINDOW_MS);
  if (recent.length < 2) return undefined;
  const first = recent[0];
  const last = recent[recent.length - 1];
  const seconds = (last.time - first.time) / 1000;
  return seconds > 0 && last.cyclesDone > first.cyclesDone ? (last.cyclesDone - first.cyclesDone) / seconds : undefined;
}
