import { type BirthsAndDeaths, birthsAndDeaths, readMultiplierRows, readSeedEvents } from './lifelines.js';
import { quantile } from './quartiles.js';

/**
 * One seed folder's births and deaths per interval, by family, over `lastCycle` cycles. Families
 * come from the events; a run from before events named them is read with the families of its
 * multipliers.jsonl (a growable born and gone between two of its lines then counts as a family of its own).
 */
export function seedBirthsAndDeaths(seedFolder: string, interval: number, lastCycle: number): BirthsAndDeaths {
  const events = readSeedEvents(seedFolder);
  const familyOf: Record<string, string> = {};
  if (!events.some((e) => e.type !== 'taskSwitched' && e.family !== undefined))
    for (const row of readMultiplierRows(seedFolder) ?? []) for (const [id, g] of Object.entries(row.growables)) if (g.family) familyOf[id] = g.family;
  return birthsAndDeaths(events, interval, { lastCycle, familyOf });
}

/**
 * The median over seeds of their births and deaths per interval (`seedBirthsAndDeaths` of each, at
 * the same interval and cycles), per family: a seed without a family counts 0 for it. Families in
 * order of first appearance over the seeds; none without seeds.
 */
export function medianBirthsAndDeaths(seeds: readonly BirthsAndDeaths[], interval: number, lastCycle: number): BirthsAndDeaths {
  const { cycles } = birthsAndDeaths([], interval, { lastCycle });
  const families: BirthsAndDeaths['families'] = {};
  for (const family of new Set(seeds.flatMap((s) => Object.keys(s.families)))) {
    const median = (kind: 'births' | 'deaths') =>
      cycles.map((_, k) =>
        quantile(
          seeds.map((s) => s.families[family]?.[kind][k] ?? 0).sort((a, b) => a - b),
          0.5,
        ),
      );
    families[family] = { births: median('births'), deaths: median('deaths') };
  }
  return { interval, cycles, families };
}
