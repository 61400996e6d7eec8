/** Where one seed is, as its files say. */
export interface SeedStatus {
  readonly arm: string;
  readonly seed: number;
  /** The cycle of its last metrics row (0 before the first). */
  readonly cycle: number;
  /** The cycles its arm runs. */
  readonly cycles: number;
  /** Its result.json says it finished. */
  readonly finished: boolean;
  /** A live process holds its writer lock. */
  readonly writing: boolean;
}

export interface Progress {
  readonly seedsTotal: number;
  readonly seedsDone: number;
  readonly cyclesDone: number;
  readonly cyclesTotal: number;
  /** Seeds being written now, with the cycle each has reached. */
  readonly running: readonly { arm: string; seed: number; cycle: number; cycles: number }[];
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
 * A run's progress: seeds done of the config's total, each running seed's cycle against its arm's,
 * and an ETA from the rate observed over the recent samples (cycles over every worker per second), so
 * a run with four workers is not estimated as one. `arms` is each arm's cycles; `seedsPerArm` from the config.
 */
export function progressOf(
  seeds: readonly SeedStatus[],
  arms: readonly { name: string; cycles: number }[],
  seedsPerArm: number,
  lastWrite: number,
  history: readonly ProgressSample[],
  now: number,
): Progress {
  const seedsTotal = Math.max(arms.length * seedsPerArm, seeds.length);
  const cyclesTotal = arms.reduce((sum, arm) => sum + arm.cycles * seedsPerArm, 0);
  const cyclesDone = seeds.reduce((sum, s) => sum + (s.finished ? s.cycles : s.cycle), 0);
  const seedsDone = seeds.filter((s) => s.finished).length;
  const complete = seedsDone >= seedsTotal;
  const writing = seeds.some((s) => s.writing);
  const inFlight = !complete && (writing || now - lastWrite < RECENT_MS);
  const running = seeds.filter((s) => s.writing && !s.finished).map(({ arm, seed, cycle, cycles }) => ({ arm, seed, cycle, cycles }));
  const rate = inFlight ? observedRate(history, now) : undefined;
  const eta = rate ? { cyclesPerSecond: rate, etaSeconds: Math.max(0, cyclesTotal - cyclesDone) / rate } : {};
  return { seedsTotal, seedsDone, cyclesDone, cyclesTotal, running, complete, inFlight, ...eta };
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
