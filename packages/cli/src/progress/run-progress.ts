import type { SeedResult } from '@diffstruct/core/host';
import { quartiles } from '@diffstruct/report';
import type { SeedProgress } from '@diffstruct/runner';

/** One arm's share of the run: its cycles per seed and how many of its seeds this run (or shard) holds. */
export interface ArmPlan {
  readonly name: string;
  readonly cycles: number;
  readonly seeds: number;
}

export type SeedStatus = 'running' | 'finished' | 'interrupted' | 'failed';

export interface SeedCounts {
  readonly total: number;
  readonly running: number;
  readonly finished: number;
  readonly interrupted: number;
  readonly failed: number;
}

export interface ArmProgress {
  readonly name: string;
  readonly counts: SeedCounts;
  /** Medians over the arm's seeds of their latest progress rows; absent before the first row. */
  readonly smoothLoss?: number;
  readonly units?: number;
}

export interface Eta {
  readonly seconds: number;
  /** Some arm with work left has no measured speed yet: its speed is taken from the arms measured. */
  readonly guessed: boolean;
}

/** A stopped seed is interrupted (a stop was asked for: `--resume` continues it), finished, or failed. */
export function statusOf(result: SeedResult): Exclude<SeedStatus, 'running'> {
  if (result.finished) return 'finished';
  return result.interrupted ? 'interrupted' : 'failed';
}

export function countSeeds(statuses: readonly SeedStatus[], total: number): SeedCounts {
  const count = (status: SeedStatus) => statuses.filter((s) => s === status).length;
  return { total, running: count('running'), finished: count('finished'), interrupted: count('interrupted'), failed: count('failed') };
}

/**
 * Wall time until every job is done, given each job's remaining seconds on one worker: the
 * longest job, or all of them shared among the workers, whichever is longer (jobs do not split).
 */
export function remainingSeconds(jobSeconds: readonly number[], workers: number): number {
  let longest = 0;
  let sum = 0;
  for (const s of jobSeconds) {
    longest = Math.max(longest, s);
    sum += s;
  }
  return Math.max(longest, sum / workers);
}

interface Sample {
  readonly cycle: number;
  readonly seconds: number;
}

interface SeedTrack {
  readonly arm: string;
  status: SeedStatus;
  cycle: number;
  smoothLoss?: number;
  units?: number;
  /**
   * The seed's first and latest progress rows of this session. Speed is measured between them
   * only, so neither the worker's start-up (threads, WebAssembly, plugins) nor the cycles a
   * checkpoint restored count as work done in the time measured.
   */
  first?: Sample;
  last?: Sample;
}

/** What the run has done so far, per seed and per arm; every time is given by the caller's clock (seconds). */
export class RunProgress {
  private readonly tracks = new Map<string, SeedTrack>();
  private readonly totalCycles: number;

  constructor(
    private readonly plan: readonly ArmPlan[],
    private readonly workers: number,
  ) {
    this.totalCycles = plan.reduce((sum, arm) => sum + arm.cycles * arm.seeds, 0);
  }

  /** A progress row of a seed, received at `seconds`. */
  sample(p: SeedProgress, seconds: number): void {
    const track = this.track(p.arm, p.seed);
    const sample = { cycle: p.cycle, seconds };
    track.first ??= sample;
    track.last = sample;
    Object.assign(track, { cycle: p.cycle, smoothLoss: p.smoothLoss, units: p.units });
  }

  ended(result: SeedResult): void {
    const track = this.track(result.arm, result.seed);
    track.status = statusOf(result);
    track.cycle = result.cycles;
  }

  counts(arm?: string): SeedCounts {
    const tracks = [...this.tracks.values()].filter((t) => arm === undefined || t.arm === arm);
    const total = arm === undefined ? this.plan.reduce((sum, a) => sum + a.seeds, 0) : (this.plan.find((a) => a.name === arm)?.seeds ?? 0);
    return countSeeds(
      tracks.map((t) => t.status),
      total,
    );
  }

  /** Cycles done over cycles planned (seeds that stopped early count what they did). */
  fraction(): number {
    let done = 0;
    for (const t of this.tracks.values()) done += t.cycle;
    return this.totalCycles > 0 ? Math.min(1, done / this.totalCycles) : 1;
  }

  arms(): ArmProgress[] {
    return this.plan.map((arm) => {
      const sampled = [...this.tracks.values()].filter((t) => t.arm === arm.name && t.smoothLoss !== undefined);
      const median = (values: number[]) => (values.length ? quartiles(values).median : undefined);
      const smoothLoss = median(sampled.map((t) => t.smoothLoss as number));
      const units = median(sampled.map((t) => t.units as number));
      return { name: arm.name, counts: this.counts(arm.name), ...(smoothLoss === undefined ? {} : { smoothLoss, units }) };
    });
  }

  /**
   * Seconds until the run is done: each seed's remaining cycles at its arm's measured speed (of
   * one seed on one worker), shared among the workers. None until some seed has been measured.
   */
  eta(): Eta | undefined {
    const speeds = new Map<string, number>();
    let allCycles = 0;
    let allSeconds = 0;
    for (const arm of this.plan) {
      const { cycles, seconds } = this.measured(arm.name);
      if (cycles > 0 && seconds > 0) speeds.set(arm.name, cycles / seconds);
      allCycles += cycles;
      allSeconds += seconds;
    }
    if (!speeds.size) return undefined;
    const guessedSpeed = allCycles / allSeconds;
    let guessed = false;
    const jobSeconds: number[] = [];
    for (const arm of this.plan) {
      const remaining = this.remainingCycles(arm);
      if (!remaining.length) continue;
      const speed = speeds.get(arm.name);
      guessed ||= speed === undefined;
      for (const cycles of remaining) jobSeconds.push(cycles / (speed ?? guessedSpeed));
    }
    return { seconds: remainingSeconds(jobSeconds, this.workers), guessed };
  }

  /** Cycles and seconds between first and latest rows, summed over the arm's seeds. */
  private measured(arm: string): { cycles: number; seconds: number } {
    let cycles = 0;
    let seconds = 0;
    for (const t of this.tracks.values()) {
      if (t.arm !== arm || !t.first || !t.last) continue;
      cycles += t.last.cycle - t.first.cycle;
      seconds += t.last.seconds - t.first.seconds;
    }
    return { cycles, seconds };
  }

  /** The cycles each seed of the arm has left: running ones from their latest row, seeds not started all of them. */
  private remainingCycles(arm: ArmPlan): number[] {
    const tracks = [...this.tracks.values()].filter((t) => t.arm === arm.name);
    const running = tracks.filter((t) => t.status === 'running').map((t) => Math.max(0, arm.cycles - t.cycle));
    const notStarted = Math.max(0, arm.seeds - tracks.length);
    return [...running, ...Array.from({ length: notStarted }, () => arm.cycles)];
  }

  private track(arm: string, seed: number): SeedTrack {
    const key = `${arm}/${seed}`;
    let track = this.tracks.get(key);
    if (!track) {
      track = { arm, status: 'running', cycle: 0 };
      this.tracks.set(key, track);
    }
    return track;
  }
}
