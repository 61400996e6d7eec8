import { quartiles, type Quartiles } from './quartiles.js';
import type { ArmData, RunData } from './run-data.js';

const FIXED_COLUMNS = new Set(['cycle', 'loss', 'smoothLoss', 'units', 'multiplierSum']);

export interface CurvePoint {
  readonly cycle: number;
  readonly loss: Quartiles;
  readonly units: Quartiles;
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
  /** Each seed's last logged smooth loss and units: the distribution behind the quartiles. */
  readonly finalBySeed: readonly { readonly seed: number; readonly cycle: number; readonly loss: number; readonly units: number }[];
  readonly curve: readonly CurvePoint[];
}

export interface Summary {
  readonly name: string;
  readonly description?: string;
  readonly arms: readonly ArmSummary[];
}

/** summary.json (DESIGN §5): medians and quartiles over seeds, per arm, at the end and along the run. */
export function summarize(run: RunData): Summary {
  return { name: run.name, ...(run.description ? { description: run.description } : {}), arms: run.arms.filter((a) => a.seeds.length).map(summarizeArm) };
}

function summarizeArm(arm: ArmData): ArmSummary {
  const seeds = arm.seeds;
  const last = (s: (typeof seeds)[number], column: string) => s.metrics.values[column][s.metrics.rows - 1];
  const growableIds = seeds[0].metrics.columns.filter((c) => !FIXED_COLUMNS.has(c));
  const rows = Math.min(...seeds.map((s) => s.metrics.rows));
  const curve: CurvePoint[] = [];
  for (let r = 0; r < rows; r++) {
    curve.push({
      cycle: seeds[0].metrics.values.cycle[r],
      loss: quartiles(seeds.map((s) => s.metrics.values.smoothLoss[r])),
      units: quartiles(seeds.map((s) => s.metrics.values.units[r])),
    });
  }
  const result = seeds.find((s) => s.result)?.result;
  return {
    name: arm.name,
    seeds: seeds.length,
    cycles: arm.cycles,
    unfinished: seeds.filter((s) => !s.result?.finished).map((s) => s.seed),
    ...(result?.entropyFloor === undefined ? {} : { entropyFloor: result.entropyFloor }),
    switches: result?.switches ?? [],
    final: {
      loss: quartiles(seeds.map((s) => last(s, 'smoothLoss'))),
      units: quartiles(seeds.map((s) => last(s, 'units'))),
      growables: Object.fromEntries(growableIds.map((id) => [id, quartiles(seeds.map((s) => last(s, id)))])),
    },
    finalBySeed: seeds.map((s) => ({ seed: s.seed, cycle: last(s, 'cycle'), loss: last(s, 'smoothLoss'), units: last(s, 'units') })),
    curve,
  };
}
