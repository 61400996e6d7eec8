import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { liveHolder, RUN_FILES, readRunFile, type SeedResult } from '@diffstruct/core/host';
import {
  type ArmData,
  type BirthsAndDeaths,
  birthsInterval,
  busiestFamilies,
  medianBirthsAndDeaths,
  readRunConfig,
  readSeedResult,
  type SeedData,
  type SeedLifelines,
  seedFolders,
  seedState,
  summarize,
  summaryTable,
  type Summary,
} from '@diffstruct/report';
import { isInside } from './inside-root.js';
import { MetricsFollower } from './metrics-follower.js';
import { type Progress, type ProgressSample, progressOf, type SeedStatus } from './progress.js';
import type { FoundRun } from './run-index.js';
import { SeedStructure } from './seed-structure.js';
import { type ArmSeries, armSeries, rowStep, seedColumns, thinRows } from './series.js';

/** A run is re-read at most this often, however many pages poll it. */
export const REFRESH_MS = 1000;
/** A run whose curves nobody asked for this long has its rows forgotten (the run list needs only their last cycles). */
const IDLE_MS = 5 * 60_000;

interface FollowedSeed {
  readonly arm: string;
  readonly seed: number;
  readonly folder: string;
  readonly metrics: MetricsFollower;
  readonly structure: SeedStructure;
  result?: SeedResult;
  resultTime?: number;
  writing: boolean;
  /** It has a checkpoint.json: stopped, `run --resume` continues it. */
  checkpointed: boolean;
  begun: boolean;
  problem?: string;
}

/** Births and deaths per interval of each arm (median over its seeds), as the API sends them. */
export interface BirthsDeathsAnswer {
  /** Of every file read: changes when one of them does. */
  readonly signature: string;
  readonly interval: number;
  /** Each arm's families: report's figure's (its `MAX_BIRTHS_PANELS` busiest at most). */
  readonly arms: { name: string; seeds: number; cycles: number[]; families: BirthsAndDeaths['families'] }[];
  /** Families left out for the busiest. */
  readonly familiesLeftOut: number;
  readonly problems: { arm: string; seed: number; problem: string }[];
}

/**
 * One run folder as `serve` follows it: its seeds' result.json once they finish, and their metrics —
 * only the last row's cycle while the run is just listed; read incrementally, with the aggregate over
 * seeds recomputed (by report's `summarize`) only when a file changed, while its curves are asked
 * for. Every file is read only when it really lies inside the run's root.
 */
export class LiveRun {
  private readonly seeds = new Map<string, FollowedSeed>();
  private arms: { name: string; cycles: number }[] = [];
  private config: ReturnType<typeof readRunConfig>['config'] | undefined;
  private checked = 0;
  private lastWrite = 0;
  private readonly history: ProgressSample[] = [];
  /** Bumped whenever a seed's rows or result changed: with `nonce`, the curves' ETag. */
  version = 0;
  /** Tells this LiveRun's versions from those of an earlier one of the same run (a recreated LiveRun starts at 0 again). */
  readonly nonce = randomBytes(6).toString('base64url');
  /** Whether the seeds' rows are followed (the curves were asked for within IDLE_MS), and when they last were. */
  private following = false;
  private lookedAt = 0;
  private curvesOf?: { version: number; arms: ArmSeries[] };
  private summaryTime?: number;

  constructor(readonly found: FoundRun) {}

  private inside(path: string): boolean {
    return isInside(path, this.found.root.real);
  }

  /**
   * Reads what changed since the last call (at most once a REFRESH_MS): with `follow`, every row of
   * every seed (for the curves); without, only what the run list shows.
   */
  refresh(now = Date.now(), follow = false): void {
    if (follow) this.lookedAt = now;
    if (this.config && now - this.checked < REFRESH_MS && (this.following || !follow)) return;
    this.checked = now;
    if (follow) this.following = true;
    else if (this.following && now - this.lookedAt > IDLE_MS) {
      this.following = false;
      for (const seed of this.seeds.values()) seed.metrics.release();
    }
    if (!this.inside(join(this.found.folder, RUN_FILES.config))) throw new Error(`${this.found.id}: its ${RUN_FILES.config} lies outside the served folder`);
    const { config, arms } = readRunConfig(this.found.folder);
    this.config = config;
    this.arms = arms.map(({ name, cycles }) => ({ name, cycles }));
    for (const arm of arms) {
      if (!this.inside(arm.folder)) continue;
      for (const { seed, folder, begun } of seedFolders(arm.folder)) {
        if (!this.inside(folder)) continue;
        const key = `${arm.name}\n${seed}`;
        let followed = this.seeds.get(key);
        if (!followed) {
          const metrics = new MetricsFollower(join(folder, RUN_FILES.metrics));
          followed = {
            arm: arm.name,
            seed,
            folder,
            metrics,
            structure: new SeedStructure(folder, (path) => this.inside(path)),
            writing: false,
            checkpointed: false,
            begun,
          };
          this.seeds.set(key, followed);
        }
        followed.begun = begun;
        this.refreshSeed(followed);
      }
    }
    // summary.json comes after the last result.json: its change must move the version, or the page never fetches it.
    const summaryFile = join(this.found.folder, RUN_FILES.summary);
    const summaryTime = existsSync(summaryFile) ? statSync(summaryFile).mtimeMs : undefined;
    if (summaryTime !== this.summaryTime) {
      this.summaryTime = summaryTime;
      this.version++;
    }
    const cyclesDone = progressOf(this.statuses(), this.arms, 0, 0, [], now).cyclesDone;
    if (this.history[this.history.length - 1]?.cyclesDone !== cyclesDone) this.history.push({ time: now, cyclesDone });
    while (this.history.length > 2 && now - this.history[1].time > 2 * 60_000) this.history.shift();
  }

  private refreshSeed(seed: FollowedSeed): void {
    const lock = join(seed.folder, RUN_FILES.writerLock);
    seed.writing = existsSync(lock) && this.inside(lock) && liveHolder(lock) !== undefined;
    const checkpoint = join(seed.folder, RUN_FILES.checkpoint);
    seed.checkpointed = existsSync(checkpoint) && this.inside(checkpoint);
    if (!seed.begun) return;
    try {
      const metrics = seed.metrics.file;
      if (!this.inside(metrics)) throw new Error(`${metrics}: lies outside the served folder`);
      if (!this.following) seed.metrics.peek();
      else if (seed.metrics.update()) this.version++;
      this.lastWrite = Math.max(this.lastWrite, statSync(metrics).mtimeMs);
      // Read again only when it changed: a seed run again into the same folder (--force) loses its result until it ends.
      const resultFile = join(seed.folder, RUN_FILES.seedResult);
      const resultTime = existsSync(resultFile) && this.inside(resultFile) ? statSync(resultFile).mtimeMs : undefined;
      if (resultTime !== seed.resultTime) {
        seed.result = resultTime === undefined ? undefined : readSeedResult(resultFile);
        seed.resultTime = resultTime;
        this.version++;
      }
      seed.problem = undefined;
    } catch (error) {
      if (seed.problem !== (error as Error).message) this.version++;
      seed.problem = (error as Error).message;
    }
  }

  get name(): string {
    return this.config?.name ?? this.found.id;
  }

  get description(): string | undefined {
    return this.config?.description;
  }

  get armNames(): string[] {
    return this.arms.map((a) => a.name);
  }

  /** config.yaml as the run wrote it: the resolved config. */
  configText(): string {
    return readRunFile(join(this.found.folder, RUN_FILES.config), 'config');
  }

  /**
   * report's Markdown table of summary.json, when the run has one (a report was written); a
   * summary.json that does not read is this run's problem, `FILE: why`, not the server's.
   */
  summary(): { table: string } | { problem: string } | undefined {
    const file = join(this.found.folder, RUN_FILES.summary);
    if (!existsSync(file) || !this.inside(file)) return undefined;
    let summary: Summary;
    try {
      summary = JSON.parse(readRunFile(file, 'summary')) as Summary;
    } catch (error) {
      return { problem: `${file}: not JSON (${(error as Error).message})` };
    }
    try {
      return { table: summaryTable(summary) };
    } catch (error) {
      return { problem: `${file}: not a summary report wrote (${(error as Error).message})` };
    }
  }

  /** Seeds whose files did not read, each with `FILE[:LINE]: why`. */
  problems(): { arm: string; seed: number; problem: string }[] {
    return [...this.seeds.values()].flatMap((s) => (s.problem ? [{ arm: s.arm, seed: s.seed, problem: s.problem }] : []));
  }

  /** Median and inter-quartile band per arm, aggregated by report's `summarize` over the seeds' rows (thinned to MAX_POINTS). */
  curves(): ArmSeries[] {
    if (this.curvesOf?.version === this.version) return this.curvesOf.arms;
    const arms: ArmData[] = this.arms.map(({ name, cycles }) => {
      const followed = [...this.seeds.values()].filter((s) => s.arm === name && s.begun && !s.problem).sort((a, b) => a.seed - b.seed);
      const rows = Math.max(0, ...followed.map((s) => s.metrics.table.rows));
      const step = rowStep(rows);
      const seeds: SeedData[] = followed.map((s) => ({
        seed: s.seed,
        folder: s.folder,
        metrics: thinRows(s.metrics.table, step, rows - 1),
        ...(s.result ? { result: s.result } : {}),
      }));
      return { name, cycles, seeds };
    });
    const summary = summarize({ name: this.name, arms, unreadable: [], jobs: 0, unfinished: [] });
    this.curvesOf = { version: this.version, arms: armSeries(summary) };
    return this.curvesOf.arms;
  }

  /** One seed's columns, or undefined when the run has no such seed. */
  seed(arm: string, seed: number): Record<string, (number | null)[]> | undefined {
    const followed = this.begunSeed(arm, seed);
    return followed && seedColumns(followed.metrics.table);
  }

  /** One seed's lifelines (report's readLifelines, long ones thinned) and the signature of the files they come from; undefined: no such seed. */
  lifelines(arm: string, seed: number): { signature: string; lifelines: SeedLifelines } | undefined {
    const followed = this.begunSeed(arm, seed);
    return followed && { signature: followed.structure.signature(), lifelines: followed.structure.lifelines() };
  }

  /** A seed that has begun (its folder holds a metrics.csv): one merely locked by its run has nothing to show. */
  private begunSeed(arm: string, seed: number): FollowedSeed | undefined {
    const followed = this.seeds.get(`${arm}\n${seed}`);
    return followed?.begun ? followed : undefined;
  }

  /**
   * Units added and removed per interval, per arm and family: the median over the arm's seeds, the
   * numbers of report's births-deaths figure (same interval, same counts), cut at the interval its
   * seeds have reached. A seed whose files do not read is left out and named in `problems`.
   */
  birthsAndDeaths(): BirthsDeathsAnswer {
    const interval = birthsInterval(Math.max(...this.arms.map((a) => a.cycles)));
    const signatures: string[] = [];
    const problems: { arm: string; seed: number; problem: string }[] = [];
    const counted = this.arms.map(({ name, cycles }) => {
      const counts: BirthsAndDeaths[] = [];
      let reached = 0;
      // The seeds report's figure counts: begun (a queued seed's empty folder is no zero), and whose metrics read.
      for (const s of [...this.seeds.values()].filter((s) => s.arm === name && s.begun).sort((a, b) => a.seed - b.seed)) {
        try {
          if (s.problem) throw new Error(s.problem);
          signatures.push(s.structure.signature());
          counts.push(s.structure.birthsAndDeaths(interval, cycles));
          const table = s.metrics.table;
          reached = Math.max(reached, table.rows ? table.values.cycle[table.rows - 1] : 0);
        } catch (error) {
          problems.push({ arm: name, seed: s.seed, problem: (error as Error).message });
        }
      }
      return { name, seeds: counts.length, median: medianBirthsAndDeaths(counts, interval, cycles), bins: Math.max(1, Math.ceil(reached / interval)) };
    });
    const { families: drawn, left } = busiestFamilies(counted.map((c) => c.median));
    const arms = counted.map(({ name, seeds, median, bins }) => {
      const families = Object.fromEntries(
        Object.entries(median.families)
          .filter(([f]) => drawn.includes(f))
          .map(([f, c]) => [f, { births: c.births.slice(0, bins), deaths: c.deaths.slice(0, bins) }]),
      );
      return { name, seeds, cycles: median.cycles.slice(0, bins), families };
    });
    return { signature: signatures.join('|'), interval, arms, familiesLeftOut: left, problems };
  }

  /** Seeds of each arm, for the page's seed picker. */
  seedList(): { arm: string; seed: number }[] {
    return [...this.seeds.values()]
      .filter((s) => s.begun)
      .map(({ arm, seed }) => ({ arm, seed }))
      .sort((a, b) => a.arm.localeCompare(b.arm) || a.seed - b.seed);
  }

  private statuses(): SeedStatus[] {
    const cyclesOf = new Map(this.arms.map((a) => [a.name, a.cycles]));
    return [...this.seeds.values()].map((s) => ({
      arm: s.arm,
      seed: s.seed,
      cycle: s.metrics.lastCycle,
      cycles: cyclesOf.get(s.arm) ?? 0,
      state: seedState(s),
      begun: s.begun,
    }));
  }

  progress(now = Date.now()): Progress {
    const seedsPerArm = typeof this.config?.seeds === 'number' ? this.config.seeds : 0;
    return progressOf(this.statuses(), this.arms, seedsPerArm, this.lastWrite, this.history, now);
  }
}
