import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import {
  type MultipliersRow,
  parseMultipliersLine,
  type ReadRunFile,
  readRunFile,
  RUN_FILES,
  type TaskSwitched,
  type UnitAdded,
  type UnitRemoved,
} from '@diffstruct/core/host';

/** A line of events.jsonl. */
export type SeedEvent = UnitAdded | UnitRemoved | TaskSwitched;

/** One unit from its birth to its removal. Plain JSON data (the dashboard sends it, its samples thinned on long runs). */
export interface Lifeline {
  /** The unit's id, stable for its life, unique within its growable. */
  readonly unit: number;
  /**
   * The cycle it was added (its unitAdded event), or its removal's cycle less its age; else the first
   * logged cycle that lists it: 0 for the model's first units, about when it came for a unit that came
   * with its growable (a new residual block's neurons).
   */
  readonly birth: number;
  /** The cycle it was removed (or the first logged cycle without it, when its growable went with it); null: alive at the end. */
  readonly death: number | null;
  /** Its weights came from elsewhere (its unitAdded event's `init` is not `random`, e.g. `inherited`). */
  readonly inherited: boolean;
  /** The unit its weights came from, when they came from one. */
  readonly inheritedFrom?: number;
  /**
   * [cycle, multiplier] in cycle order: at its birth and removal (from its events), and at each logged
   * cycle it was alive (from multipliers.jsonl, rounded; null for a non-finite one).
   */
  readonly samples: [number, number | null][];
}

export interface GrowableLifelines {
  /** Its family (the metrics column its units count in); the growable's id when unknown. */
  readonly family: string;
  /** One per unit ever alive, by birth, then id. */
  readonly lifelines: Lifeline[];
}

export interface SeedLifelines {
  /** By growable id, in order of first appearance. */
  readonly growables: Record<string, GrowableLifelines>;
  /** The cycles of task switches. */
  readonly switches: number[];
  /** The last cycle the seed's files reach. */
  readonly lastCycle: number;
  /**
   * False when the seed has no multipliers.jsonl (a run from before it): lifelines come from the
   * events alone, sampled at births and removals only, and the first units that were never removed are missing.
   */
  readonly sampled: boolean;
}

/**
 * The complete lines of a run file: the last line is left out when it has no newline yet (a run
 * writing it, or one that crashed mid-line); a missing file has none.
 */
function completeLines(file: string, kind: ReadRunFile): string[] {
  if (!existsSync(file)) return [];
  const lines = readRunFile(file, kind).split('\n');
  lines.pop();
  return lines;
}

/** A seed folder's events.jsonl, through the capped reader; a line cut short at the end is left out. */
export function readSeedEvents(seedFolder: string): SeedEvent[] {
  const file = join(seedFolder, RUN_FILES.events);
  return completeLines(file, 'events').map((line, i) => {
    try {
      const event = JSON.parse(line) as SeedEvent;
      if (typeof event?.cycle === 'number' && typeof event.type === 'string') return event;
    } catch {}
    throw new DiffstructError(`${file}:${i + 1}: expected an event (a JSON object with "type" and "cycle"), found "${line.slice(0, 60)}"`);
  });
}

/** A seed folder's multipliers.jsonl (undefined when it has none), through the capped reader; a line cut short at the end is left out. */
export function readMultiplierRows(seedFolder: string): MultipliersRow[] | undefined {
  const file = join(seedFolder, RUN_FILES.multipliers);
  if (!existsSync(file)) return undefined;
  return completeLines(file, 'multipliers').map((line, i) => {
    const row = parseMultipliersLine(line, i + 1);
    if (typeof row === 'string') throw new DiffstructError(`${file}:${row}`);
    return row;
  });
}

/** The last logged cycle of metrics.csv (0 without a complete row); only the first cell of its last complete line is read. */
function lastMetricsCycle(seedFolder: string): number {
  const lines = completeLines(join(seedFolder, RUN_FILES.metrics), 'metrics');
  const cycle = lines.length > 1 ? Number(lines[lines.length - 1].split(',', 1)[0]) : 0;
  return Number.isFinite(cycle) ? cycle : 0;
}

interface Building {
  unit: number;
  birth: number;
  death: number | null;
  inherited: boolean;
  inheritedFrom?: number;
  samples: [number, number | null][];
}

/**
 * Every unit's lifeline in one seed folder, per growable: from events.jsonl (births, deaths,
 * inheritance, task switches) and multipliers.jsonl (the multiplier at each logged cycle). Reads a
 * seed being written (a last line cut short is left out) and a seed from before multipliers.jsonl
 * (`sampled: false`). A line that is not what the run writes throws a DiffstructError naming `FILE:LINE`.
 */
export function readLifelines(seedFolder: string): SeedLifelines {
  const events = readSeedEvents(seedFolder);
  const rows = readMultiplierRows(seedFolder);
  const units = new Map<string, Map<number, Building>>();
  const families = new Map<string, string>();
  const unitsOf = (growable: string) => {
    const map = units.get(growable) ?? new Map<number, Building>();
    units.set(growable, map);
    return map;
  };
  const switches: number[] = [];
  for (const e of events) {
    if (e.type !== 'taskSwitched' && e.family !== undefined) families.set(e.growable, e.family);
    if (e.type === 'taskSwitched') switches.push(e.cycle);
    else if (e.type === 'unitAdded') {
      const from = e.inheritedFrom === undefined ? {} : { inheritedFrom: e.inheritedFrom };
      const samples: [number, number | null][] = [[e.cycle, e.multiplier]];
      unitsOf(e.growable).set(e.unit, { unit: e.unit, birth: e.cycle, death: null, inherited: e.init !== 'random', ...from, samples });
    } else if (e.type === 'unitRemoved') {
      const map = unitsOf(e.growable);
      const unit = map.get(e.unit) ?? { unit: e.unit, birth: e.cycle - e.age, death: null, inherited: false, samples: [] };
      map.set(e.unit, unit);
      unit.death = e.cycle;
    }
  }
  // Removal samples go last, after the logged ones.
  const removals = events.filter((e): e is UnitRemoved => e.type === 'unitRemoved');
  // The last cycle each unit was listed at, to find units that went with their growable (no event).
  const lastListed = new Map<Building, number>();
  for (const row of rows ?? []) {
    for (const [growable, { family, ids, multipliers }] of Object.entries(row.growables)) {
      if (family !== undefined) families.set(growable, family);
      const map = unitsOf(growable);
      for (let i = 0; i < ids.length; i++) {
        const unit = map.get(ids[i]) ?? { unit: ids[i], birth: row.cycle, death: null, inherited: false, samples: [] };
        map.set(ids[i], unit);
        // A row logged in the cycle the unit was added replaces its birth sample: the same cycle, logged after.
        if (unit.samples.at(-1)?.[0] === row.cycle) unit.samples.pop();
        unit.samples.push([row.cycle, multipliers[i]]);
        lastListed.set(unit, row.cycle);
      }
    }
  }
  for (const e of removals) units.get(e.growable)?.get(e.unit)?.samples.push([e.cycle, e.multiplier]);
  if (rows) {
    const cycles = rows.map((r) => r.cycle);
    for (const [unit, last] of lastListed) {
      const next = cycles.find((c) => c > last);
      if (unit.death === null && next !== undefined) unit.death = next;
    }
  }
  const lastCycle = Math.max(lastMetricsCycle(seedFolder), rows?.at(-1)?.cycle ?? 0, events.at(-1)?.cycle ?? 0);
  const growables: Record<string, GrowableLifelines> = {};
  for (const [growable, map] of units) {
    const lifelines = [...map.values()].sort((a, b) => a.birth - b.birth || a.unit - b.unit);
    growables[growable] = { family: families.get(growable) ?? growable, lifelines };
  }
  return { growables, switches, lastCycle, sampled: rows !== undefined };
}

/** Units added and removed per interval of cycles, per growable family. Plain JSON data. */
export interface BirthsAndDeaths {
  readonly interval: number;
  /** The last cycle of each interval: interval k holds the events of cycles (k·interval, (k+1)·interval]. */
  readonly cycles: number[];
  /** By family: births and deaths per interval, aligned with `cycles`. */
  readonly families: Record<string, { births: number[]; deaths: number[] }>;
}

/**
 * Counts the unitAdded and unitRemoved events per `interval` cycles and per family (the event's
 * `family`; for events without one, from a run before it, `familyOf` maps a growable id to its
 * family, e.g. from `readLifelines`; the id itself otherwise), over
 * `lastCycle` cycles (the last event's by default). Units that come or go with their growable (a
 * residual block's neurons) have no event and are not counted: they are counted as the block.
 */
export function birthsAndDeaths(
  events: readonly SeedEvent[],
  interval: number,
  options: { lastCycle?: number; familyOf?: Readonly<Record<string, string>> } = {},
): BirthsAndDeaths {
  if (!(Number.isInteger(interval) && interval >= 1)) throw new DiffstructError(`birthsAndDeaths: interval must be a whole number ≥ 1, found ${interval}`);
  const lastCycle = options.lastCycle ?? events.reduce((last, e) => Math.max(last, e.cycle), 0);
  const bins = Math.max(1, Math.ceil(lastCycle / interval));
  const cycles = Array.from({ length: bins }, (_, k) => (k + 1) * interval);
  const families: Record<string, { births: number[]; deaths: number[] }> = {};
  for (const e of events) {
    if (e.type === 'taskSwitched') continue;
    const family = e.family ?? options.familyOf?.[e.growable] ?? e.growable;
    families[family] ??= { births: new Array(bins).fill(0), deaths: new Array(bins).fill(0) };
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(e.cycle / interval) - 1));
    (e.type === 'unitAdded' ? families[family].births : families[family].deaths)[bin]++;
  }
  return { interval, cycles, families };
}
