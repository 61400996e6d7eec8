import { metricsColumnKinds } from '@diffstruct/core/host';
import { heldOutAt, type HeldOutSummary, summarizeHeldOut } from './held-out.js';
import { quartiles, type Quartiles } from './quartiles.js';
import type { ArmData, RunData, UnfinishedJob, UnreadableSeed } from './run-data.js';

export interface CurvePoint {
  readonly cycle: number;
  readonly loss: Quartiles;
  readonly units: Quartiles;
  /** Units of each growable family (the metrics columns beyond the fixed ones). */
  readonly growables: Readonly<Record<string, Quartiles>>;
  /** The policies' signals (`<family>.<name>` columns), over the seeds where they are numbers; absent when none. */
  readonly signals?: Readonly<Record<string, Quartiles>>;
  /** Held-out columns (valLoss...) over the seeds evaluated at this row; absent on rows not evaluated and in runs without `eval:`. */
  readonly heldOut?: Readonly<Record<string, Quartiles>>;
}

export interface ArmSummary {
  readonly name: string;
  readonly seeds: number;
  readonly cycles: number;
  /** Seeds whose run stopped early (diverged, crashed) or is still running. */
  readonly unfinished: readonly number[];
  readonly entropyFloor?: number;
  readonly switches: readonly number[];
  readonly final: {
    readonly loss: Quartiles;
    readonly units: Quartiles;
    readonly growables: Readonly<Record<string, Quartiles>>;
  };
  /** Each finished seed's last logged smooth loss and units: the distribution behind the quartiles. */
  readonly finalBySeed: readonly {
    readonly seed: number;
    readonly cycle: number;
    readonly loss: number;
    readonly units: number;
    readonly growables: Readonly<Record<string, number>>;
  }[];
  readonly curve: readonly CurvePoint[];
  /** The held-out figures, for a run with `eval:`: validation at each seed's last evaluation, test at its end. */
  readonly heldOut?: HeldOutSummary;
}

export interface FailedSeed {
  readonly arm: string;
  readonly seed: number;
  readonly cycles: number;
  readonly error: string;
}

export interface Summary {
  readonly name: string;
  readonly description?: string;
  readonly arms: readonly ArmSummary[];
  /** Seeds that stopped with an error (diverged, crashed), whether or not they logged anything. */
  readonly failed: readonly FailedSeed[];
  /** Seeds left out because their files do not read (a corrupt result.json, a truncated metrics.csv); absent when none. */
  readonly unreadable?: readonly UnreadableSeed[];
  /** When some (arm, seed) jobs have not finished and may yet: how many the experiment has, how many finished, and the others. */
  readonly incomplete?: { readonly jobs: number; readonly finished: number; readonly unfinished: readonly UnfinishedJob[] };
}

/** summary.json (docs/architecture.md#the-run-folder): medians and quartiles over seeds, per arm, at the end and along the run. */
export function summarize(run: RunData): Summary {
  const arms = run.arms.map((a) => ({ ...a, seeds: a.seeds.filter((s) => s.metrics.rows > 0) })).filter((a) => a.seeds.length);
  const failed = run.arms.flatMap((a) =>
    a.seeds.flatMap((s) => (s.result?.error === undefined ? [] : [{ arm: a.name, seed: s.seed, cycles: s.result.cycles, error: s.result.error }])),
  );
  const unreadable = run.unreadable.length ? { unreadable: run.unreadable } : {};
  const finished = run.arms.reduce((sum, a) => sum + a.seeds.filter((s) => s.result?.finished).length, 0);
  const incomplete = run.unfinished.length ? { incomplete: { jobs: run.jobs, finished, unfinished: run.unfinished } } : {};
  return { name: run.name, ...(run.description ? { description: run.description } : {}), arms: arms.map(summarizeArm), failed, ...unreadable, ...incomplete };
}

/**
 * The entropy floor to show beside an arm's loss: none when the task knows none, and none when it
 * is 0 (a table whose labels are a function of the inputs), since no loss is below 0 anyway.
 */
export function shownEntropyFloor(arm: Pick<ArmSummary, 'entropyFloor'>): number | undefined {
  return arm.entropyFloor ? arm.entropyFloor : undefined;
}

/**
 * Wall time of a seed (one worker thread) per arm, over its finished seeds, for arms where every
 * one recorded it. Not in summary.json, which stays the same for the same config and seeds (a
 * sharded run's and a whole one's alike). A resumed seed records its last session only.
 */
export function wallTimes(run: RunData): Readonly<Record<string, Quartiles>> {
  const times: Record<string, Quartiles> = {};
  for (const arm of run.arms) {
    const seconds = arm.seeds.filter((s) => s.result?.finished).map((s) => s.result?.seconds ?? NaN);
    if (seconds.length && seconds.every(Number.isFinite)) times[arm.name] = quartiles(seconds);
  }
  return times;
}

function summarizeArm(arm: ArmData): ArmSummary {
  const unfinished = arm.seeds.filter((s) => !s.result?.finished);
  // Final values come from the seeds that finished; a seed that stopped early is listed, not averaged in.
  const seeds = unfinished.length < arm.seeds.length ? arm.seeds.filter((s) => s.result?.finished) : arm.seeds;
  const last = (s: (typeof seeds)[number], column: string) => s.metrics.values[column][s.metrics.rows - 1];
  const { families: growableIds, signals } = metricsColumnKinds(seeds[0].metrics.columns);
  const signalQuartiles = (values: number[]) => quartiles(values.filter((v) => !Number.isNaN(v)));
  const rows = Math.max(...arm.seeds.map((s) => s.metrics.rows));
  const curve: CurvePoint[] = [];
  for (let r = 0; r < rows; r++) {
    const present = arm.seeds.filter((s) => r < s.metrics.rows);
    const heldOut = heldOutAt(present, r);
    curve.push({
      cycle: present[0].metrics.values.cycle[r],
      loss: quartiles(present.map((s) => s.metrics.values.smoothLoss[r])),
      units: quartiles(present.map((s) => s.metrics.values.units[r])),
      growables: Object.fromEntries(growableIds.map((id) => [id, quartiles(present.map((s) => s.metrics.values[id]?.[r] ?? NaN))])),
      ...(signals.length
        ? { signals: Object.fromEntries(signals.map((column) => [column, signalQuartiles(present.map((s) => s.metrics.values[column]?.[r] ?? NaN))])) }
        : {}),
      ...(heldOut ? { heldOut } : {}),
    });
  }
  const heldOut = summarizeHeldOut(seeds);
  const result = seeds.find((s) => s.result)?.result;
  return {
    name: arm.name,
    seeds: arm.seeds.length,
    cycles: arm.cycles,
    unfinished: unfinished.map((s) => s.seed),
    ...(result?.entropyFloor === undefined ? {} : { entropyFloor: result.entropyFloor }),
    switches: result?.switches ?? [],
    final: {
      loss: quartiles(seeds.map((s) => last(s, 'smoothLoss'))),
      units: quartiles(seeds.map((s) => last(s, 'units'))),
      growables: Object.fromEntries(growableIds.map((id) => [id, quartiles(seeds.map((s) => last(s, id)))])),
    },
    finalBySeed: seeds.map((s) => ({
      seed: s.seed,
      cycle: last(s, 'cycle'),
      loss: last(s, 'smoothLoss'),
      units: last(s, 'units'),
      growables: Object.fromEntries(growableIds.map((id) => [id, last(s, id)])),
    })),
    curve,
    ...(heldOut ? { heldOut } : {}),
  };
}
