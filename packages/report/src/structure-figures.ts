import type { TopLevelSpec } from 'vega-lite';
import { plural } from '@diffstruct/core';
import { busiestFamilies, medianBirthsAndDeaths, seedBirthsAndDeaths } from './births-deaths.js';
import { type Lifeline, readLifelines } from './lifelines.js';
import type { ArmData, RunData, SeedData } from './run-data.js';

const FONT = 'DejaVu Sans';
const WIDTH = 560;
/** Growables drawn per arm: a residual run has one per block; `drawnGrowables` chooses. */
export const MAX_LIFELINE_PANELS = 4;
/** Line segments per panel at most (SVG size): longer lifelines are drawn from every k-th sample. */
const MAX_SEGMENTS = 20000;
/** The colour scale's lowest |multiplier|: below it (the reserve's dying units) all look alike. */
export const LIFELINE_LOWEST_SHOWN = 0.005;

/** The seed whose final smooth loss is the median of the arm's (the lower middle one for an even count). */
export function medianSeed(arm: ArmData): SeedData | undefined {
  const ranked = arm.seeds
    .filter((s) => s.metrics.rows > 0)
    .map((s) => ({ s, loss: s.metrics.values.smoothLoss[s.metrics.rows - 1] }))
    .sort((a, b) => a.loss - b.loss || a.s.seed - b.s.seed);
  return ranked[Math.floor((ranked.length - 1) / 2)]?.s;
}

interface Panel {
  readonly title: string;
  readonly lifelines: readonly Lifeline[];
  readonly switches: readonly number[];
  readonly lastCycle: number;
}

/**
 * The `MAX_LIFELINE_PANELS` growables drawn, from growables largest first: the largest of each
 * family first (so the areas of an areas model or a residual net's blocks are drawn beside their
 * many neuron growables), then the largest others; in the order given.
 */
export function drawnGrowables<G extends { readonly family: string }>(growables: readonly (readonly [string, G])[]): (readonly [string, G])[] {
  const families = new Set<string>();
  const firstOfFamily = growables.filter(([, g]) => {
    if (families.has(g.family)) return false;
    families.add(g.family);
    return true;
  });
  const chosen = new Set([...new Set([...firstOfFamily, ...growables])].slice(0, MAX_LIFELINE_PANELS));
  return growables.filter((entry) => chosen.has(entry));
}

/** One panel per drawn growable of the median seed of each arm, or nothing when no seed has a unit. */
export function lifelinePanels(run: RunData): { panels: Panel[]; notes: string[] } {
  const panels: Panel[] = [];
  const notes: string[] = [];
  for (const arm of run.arms) {
    const seed = medianSeed(arm);
    if (!seed) continue;
    const read = readLifelines(seed.folder);
    const growables = Object.entries(read.growables).sort((a, b) => b[1].lifelines.length - a[1].lifelines.length);
    const shown = drawnGrowables(growables);
    if (growables.length > shown.length) {
      const families = new Set(growables.map(([, g]) => g.family)).size;
      const which =
        families > 1
          ? `${shown.length} of ${growables.length} growables: each family's largest first, then the others, by size`
          : `the ${shown.length} largest of ${growables.length} growables`;
      notes.push(`${arm.name}: ${which}`);
    }
    if (!read.sampled)
      notes.push(`${arm.name}: no multipliers.jsonl (a run from before it): multipliers at births and removals only, first units that lived on missing`);
    for (const [id, g] of shown) {
      const family = g.family === id ? '' : ` (${g.family})`;
      panels.push({
        title: `${arm.name}, seed ${seed.seed}: ${id}${family}, ${plural(g.lifelines.length, 'unit')} born, ${g.lifelines.filter((l) => l.death === null).length} alive at the end`,
        lifelines: g.lifelines,
        switches: read.switches,
        lastCycle: read.lastCycle,
      });
    }
  }
  return { panels, notes };
}

/** The segments of one lifeline: birth → each sample → death (or the end), each coloured by the multiplier at its start. */
function segments(line: Lifeline, y: number, end: number, step: number): object[] {
  const stop = line.death ?? end;
  const kept = line.samples.filter((_, i) => i % step === 0);
  if (!kept.length) return [{ y, from: line.birth, to: stop, m: null }];
  const out: object[] = [];
  let from = line.birth;
  let m = kept[0][1];
  for (const [cycle, value] of kept) {
    if (cycle > from) out.push({ y, from, to: cycle, m: m === null ? null : Math.abs(m) });
    from = Math.max(from, cycle);
    m = value;
  }
  if (stop > from) out.push({ y, from, to: stop, m: m === null ? null : Math.abs(m) });
  return out;
}

function lifelinePanel(panel: Panel, domain: [number, number]): object {
  const samples = panel.lifelines.reduce((n, l) => n + l.samples.length, 0);
  const step = Math.max(1, Math.ceil(samples / MAX_SEGMENTS));
  const all = panel.lifelines.flatMap((line, y) => segments(line, y, panel.lastCycle, step)) as { m: number | null }[];
  // A log scale drops a missing multiplier (none known, or not finite): those are drawn grey, in a layer of their own.
  const rows = all.filter((r) => r.m !== null && r.m > 0);
  const unknown = all.filter((r) => !(r.m !== null && r.m > 0));
  const inherited = panel.lifelines.flatMap((line, y) => (line.inherited ? [{ y, birth: line.birth }] : []));
  const units = panel.lifelines.length;
  const height = Math.min(420, Math.max(120, units * 4));
  const strokeWidth = Math.max(0.6, Math.min(3, (0.7 * height) / units));
  const x = { type: 'quantitative', title: 'cycle', scale: { domain: [0, panel.lastCycle] }, axis: { format: '~s' } } as const;
  const y = { field: 'y', type: 'quantitative', title: 'units, by birth', scale: { domain: [-0.5, units - 0.5], reverse: true, nice: false } } as const;
  return {
    title: { text: panel.title, fontSize: 12, anchor: 'start' },
    width: WIDTH,
    height,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rule', strokeWidth },
        encoding: {
          x: { ...x, field: 'from' },
          x2: { field: 'to' },
          y,
          color: {
            field: 'm',
            type: 'quantitative',
            title: '|multiplier|',
            scale: { type: 'log', domain, clamp: true, scheme: 'viridis' },
            legend: { format: '.2~g', gradientLength: 160 },
          },
        },
      },
      ...(unknown.length
        ? [{ data: { values: unknown }, mark: { type: 'rule', color: '#bbb', strokeWidth }, encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' }, y } }]
        : []),
      ...(inherited.length
        ? [
            {
              data: { values: inherited },
              mark: { type: 'point', shape: 'triangle-right', filled: true, color: '#d62728', size: 30 },
              encoding: { x: { ...x, field: 'birth' }, y },
            },
          ]
        : []),
      ...(panel.switches.length
        ? [
            {
              data: { values: panel.switches.map((cycle) => ({ cycle })) },
              mark: { type: 'rule', strokeDash: [6, 4], color: '#444' },
              encoding: { x: { ...x, field: 'cycle' } },
            },
          ]
        : []),
    ],
  };
}

/** Each unit's life as a horizontal line, coloured by its |multiplier| over time: one panel per drawn growable. */
export function lifelinesSpec(name: string, panels: readonly Panel[], notes: readonly string[]): TopLevelSpec {
  const magnitudes = panels.flatMap((p) => p.lifelines.flatMap((l) => l.samples.flatMap(([, m]) => (m === null || m === 0 ? [] : [Math.abs(m)]))));
  const high = magnitudes.length ? Math.max(...magnitudes) : 1;
  const domain: [number, number] = [LIFELINE_LOWEST_SHOWN, Math.max(high, 2 * LIFELINE_LOWEST_SHOWN)];
  const marks = [
    'colour: |multiplier| (log scale)',
    panels.some((p) => p.lifelines.some((l) => l.inherited)) ? 'red triangle: inherited unit' : '',
    panels.some((p) => p.switches.length) ? 'dashed: task switch' : '',
  ].filter(Boolean);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${name}: unit lifelines`,
      subtitle: [
        'each arm’s median seed by final smooth loss (of an even count, the lower middle one); a line per unit, birth to removal',
        marks.join('; '),
        ...notes,
      ],
    },
    vconcat: panels.map((p) => lifelinePanel(p, domain)),
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** About 40 intervals over `cycles`, each a round number of cycles (1, 2 or 5 × 10^k). */
export function birthsInterval(cycles: number): number {
  const rough = Math.max(1, cycles / 40);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((f) => f * power).find((i) => i >= rough) ?? 10 * power;
}

interface BirthsRow {
  readonly arm: string;
  readonly family: string;
  readonly kind: 'births' | 'deaths';
  readonly cycle: number;
  readonly count: number;
}

/** Births and deaths per interval, median over each arm's seeds, one panel per family (the busiest `MAX_BIRTHS_PANELS`); undefined when no unit came or went. */
export function birthsDeathsSpec(run: RunData): TopLevelSpec | undefined {
  const interval = birthsInterval(Math.max(...run.arms.map((a) => a.cycles)));
  const medians = run.arms.map((arm) =>
    medianBirthsAndDeaths(
      arm.seeds.map((s) => seedBirthsAndDeaths(s.folder, interval, arm.cycles)),
      interval,
      arm.cycles,
    ),
  );
  const { families, left } = busiestFamilies(medians);
  const rows: BirthsRow[] = [];
  run.arms.forEach((arm, a) => {
    const median = medians[a];
    for (const family of families) {
      const counts = median.families[family];
      if (!counts) continue;
      for (const kind of ['births', 'deaths'] as const) {
        median.cycles.forEach((cycle, k) => {
          const count = counts[kind][k];
          // Drawn as steps ending at each interval's last cycle: the first step starts at cycle 0.
          if (k === 0) rows.push({ arm: arm.name, family, kind, cycle: 0, count });
          rows.push({ arm: arm.name, family, kind, cycle, count });
        });
      }
    }
  });
  if (!rows.some((r) => r.count > 0)) return undefined;
  const arms = run.arms.map((a) => a.name);
  const seeds = run.arms.map((a) => a.seeds.length);
  const seedText = Math.min(...seeds) === Math.max(...seeds) ? plural(seeds[0], 'seed') : `${Math.min(...seeds)}–${Math.max(...seeds)} seeds`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${run.name}: units added and removed`,
      subtitle: [
        `per ${interval.toLocaleString('en-US')} cycles (1/40 of the run, rounded up to a round number), counted from the events at the cycle each happened,`,
        `median over ${seedText}; solid: added, dashed: removed`,
        ...(left ? [`the ${families.length} families with the most units added and removed; ${plural(left, 'other')} not drawn`] : []),
      ],
    },
    data: { values: rows },
    vconcat: families.map((family) => ({
      width: WIDTH,
      height: 160,
      transform: [{ filter: { field: 'family', equal: family } }],
      mark: { type: 'line', interpolate: 'step-before', strokeWidth: 1.8 },
      encoding: {
        x: { field: 'cycle', type: 'quantitative', title: 'cycle', axis: { format: '~s' } },
        y: { field: 'count', type: 'quantitative', title: `units: ${family}` },
        color: { field: 'arm', type: 'nominal', sort: arms, title: 'arm', scale: { scheme: arms.length > 10 ? 'category20' : 'tableau10' } },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          sort: ['births', 'deaths'],
          title: null,
          legend: { labelExpr: "datum.label === 'births' ? 'added' : 'removed'" },
        },
        detail: { field: 'kind' },
      },
    })),
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' }, legend: { symbolType: 'stroke', symbolStrokeWidth: 2 } },
  } as TopLevelSpec;
}
