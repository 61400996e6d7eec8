import { type BirthsAndDeaths, birthsAndDeaths, readMultiplierRows, readSeedEvents } from './lifelines.js';
import { quantile } from './quartiles.js';

/**
 * One seed folder's births and deaths per interval, by family, over `lastCycle` cycles. Families
 * come from the events; events from before they named them (a run resumed across the change has
 * both) take the families of its multipliers.jsonl, where a growable born and gone between two
 * lines counts as a family of its own.
 */
export function seedBirthsAndDeaths(seedFolder: string, interval: number, lastCycle: number): BirthsAndDeaths {
  const familyOf: Record<string, string> = {};
  for (const row of readMultiplierRows(seedFolder) ?? []) for (const [id, g] of Object.entries(row.growables)) if (g.family) familyOf[id] = g.family;
  return birthsAndDeaths(readSeedEvents(seedFolder), interval, { lastCycle, familyOf });
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

/**
 * Families drawn in births-deaths.png (and by `serve`) at most: a model declares a few. A run from
 * before events named their families counts each growable that came and went between two
 * multipliers.jsonl lines as a family of its own (hundreds in an areas run).
 */
export const MAX_BIRTHS_PANELS = 6;

/**
 * The families to draw of these counts (each arm's median): the `MAX_BIRTHS_PANELS` with the most
 * units added and removed over all of them (ties by first appearance), in order of first
 * appearance (the model's order); `left` how many others there are.
 */
export function busiestFamilies(counts: readonly BirthsAndDeaths[]): { families: string[]; left: number } {
  const units = new Map<string, number>();
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  for (const c of counts) for (const [family, f] of Object.entries(c.families)) units.set(family, (units.get(family) ?? 0) + sum(f.births) + sum(f.deaths));
  const busiest = new Set([...units.keys()].sort((a, b) => units.get(b)! - units.get(a)!).slice(0, MAX_BIRTHS_PANELS));
  const families = [...units.keys()].filter((family) => busiest.has(family));
  return { families, left: units.size - families.length };
}
