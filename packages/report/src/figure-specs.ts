import type { TopLevelSpec } from 'vega-lite';
import { plural } from '@diffstruct/core';
import { HELD_OUT_COLUMNS } from '@diffstruct/core/host';
import { shownEntropyFloor, type Summary } from './summary.js';

const FONT = 'DejaVu Sans';
const WIDTH = 560;

/** The paper's figures: median line and inter-quartile band of smooth loss and units, one colour per arm. */
export function curvesSpec(summary: Summary): TopLevelSpec {
  const arms = summary.arms.map((a) => a.name);
  const families = familiesOf(summary);
  const rows = summary.arms.flatMap((a) =>
    a.curve.map((p) => ({
      arm: a.name,
      cycle: p.cycle,
      lossMedian: p.loss.median,
      lossQ25: p.loss.q25,
      lossQ75: p.loss.q75,
      unitsMedian: p.units.median,
      unitsQ25: p.units.q25,
      unitsQ75: p.units.q75,
      ...Object.fromEntries(
        families.flatMap((family, i) => {
          const q = p.growables?.[family];
          return q
            ? [
                [`g${i}Median`, q.median],
                [`g${i}Q25`, q.q25],
                [`g${i}Q75`, q.q75],
              ]
            : [];
        }),
      ),
    })),
  );
  const switches = [...new Set(summary.arms.flatMap((a) => a.switches))].map((cycle) => ({ cycle }));
  const floors = [...new Set(summary.arms.flatMap((a) => shownEntropyFloor(a) ?? []))].map((floor) => ({ floor }));
  const color = { field: 'arm', type: 'nominal', sort: arms, title: 'arm', scale: { scheme: arms.length > 10 ? 'category20' : 'tableau10' } } as const;
  const x = { field: 'cycle', type: 'quantitative', title: 'cycle', axis: { format: '~s' } } as const;
  const lastCycle = Math.max(...rows.map((r) => r.cycle));
  // The first cycles start at the uniform guess (55 for 4 symbols): leave them off the scale.
  const settled = rows.filter((r) => r.cycle >= 0.05 * lastCycle);
  const lossHigh = Math.max(...settled.map((r) => r.lossQ75));
  const lossLow = Math.min(...settled.map((r) => r.lossQ25), ...floors.map((f) => f.floor));
  const lossDomain = [Math.max(0, Math.floor(lossLow - 0.5)), Math.ceil(lossHigh + 0.5)];

  const panel = (metric: string, title: string, domain?: number[]) => ({
    width: WIDTH,
    height: 220,
    layer: [
      {
        mark: { type: 'area', opacity: 0.2, clip: true },
        encoding: {
          x,
          y: { field: `${metric}Q25`, type: 'quantitative', title, scale: domain ? { domain, zero: false } : { zero: true } },
          y2: { field: `${metric}Q75` },
          color,
        },
      },
      { mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y: { field: `${metric}Median`, type: 'quantitative' }, color } },
      ...(switches.length
        ? [{ data: { values: switches }, mark: { type: 'rule', strokeDash: [6, 4], color: '#444' }, encoding: { x: { field: 'cycle', type: 'quantitative' } } }]
        : []),
      ...(metric === 'loss' && floors.length
        ? [{ data: { values: floors }, mark: { type: 'rule', strokeDash: [2, 3], color: '#888' }, encoding: { y: { field: 'floor', type: 'quantitative' } } }]
        : []),
    ],
  });

  const seeds = summary.arms.map((a) => a.seeds);
  const seedText = Math.min(...seeds) === Math.max(...seeds) ? plural(seeds[0], 'seed') : `${Math.min(...seeds)}–${Math.max(...seeds)} seeds`;
  const notes = [switches.length ? 'dashed: task switch' : '', floors.length ? 'dotted: entropy floor' : ''].filter(Boolean).join('; ');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: summary.name, subtitle: `median and inter-quartile range over ${seedText}${notes ? `; ${notes}` : ''}` },
    data: { values: rows },
    // One panel per growable family when there are several (e.g. blocks and the neurons in them).
    vconcat: [
      panel('loss', 'smooth loss', lossDomain),
      ...heldOutPanel(summary, x, color),
      ...(families.length > 1 ? families.map((f, i) => panel(`g${i}`, `units: ${f}`)) : [panel('units', 'units')]),
    ],
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' }, legend: { symbolOpacity: 1, symbolType: 'stroke', symbolStrokeWidth: 3 } },
  } as TopLevelSpec;
}

/**
 * With `eval:`, the validation loss at the rows evaluated (median line and inter-quartile band per
 * arm), under the smooth loss: the loss, not the accuracy, because every task has it (values too).
 * It is the mean per prediction (per symbol, per row), while the smooth loss is per training
 * example: a table model's mean over its batch's rows, but a sequence model's sum over a window's
 * symbols. So the two panels compare directly for tables only; the panel's title names its scale.
 */
function heldOutPanel(summary: Summary, x: object, color: object): object[] {
  const column = HELD_OUT_COLUMNS.loss;
  const evaluated = summary.arms.flatMap((a) => (a.heldOut ? [HELD_OUT_COLUMNS.bitsPerSymbol in a.heldOut.final ? 'symbol' : 'row'] : []));
  const per = new Set(evaluated).size === 1 ? evaluated[0] : 'prediction';
  const rows = summary.arms.flatMap((a) =>
    a.curve.flatMap((p) => {
      const q = p.heldOut?.[column];
      return q ? [{ arm: a.name, cycle: p.cycle, median: q.median, q25: q.q25, q75: q.q75 }] : [];
    }),
  );
  if (!rows.length) return [];
  // Evaluated rows start later than logged ones: the other panels' cycles, so the panels line up.
  const cycles = summary.arms.flatMap((a) => a.curve.map((p) => p.cycle));
  const along = { ...x, scale: { domain: [Math.min(...cycles), Math.max(...cycles)] } };
  return [
    {
      width: WIDTH,
      height: 180,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            x: along,
            y: { field: 'q25', type: 'quantitative', title: `validation loss per ${per}`, scale: { zero: false } },
            y2: { field: 'q75' },
            color,
          },
        },
        { mark: { type: 'line', strokeWidth: 2, point: true }, encoding: { x: along, y: { field: 'median', type: 'quantitative' }, color } },
      ],
    },
  ];
}

/** The growable families of every arm, in order of first appearance. */
function familiesOf(summary: Summary): string[] {
  return [...new Set(summary.arms.flatMap((a) => Object.keys(a.final.growables)))];
}

/** Every seed's final smooth loss and units per arm: the distribution behind the medians. */
export function finalSpec(summary: Summary): TopLevelSpec {
  const arms = summary.arms.map((a) => a.name);
  const families = familiesOf(summary);
  const byFamily = (values: Readonly<Record<string, number>> | undefined) => Object.fromEntries(families.map((f, i) => [`g${i}`, values?.[f] ?? null]));
  const rows = summary.arms.flatMap((a) => a.finalBySeed.map((s) => ({ arm: a.name, seed: s.seed, loss: s.loss, units: s.units, ...byFamily(s.growables) })));
  const medians = summary.arms.map((a) => ({
    arm: a.name,
    loss: a.final.loss.median,
    units: a.final.units.median,
    ...byFamily(Object.fromEntries(Object.entries(a.final.growables).map(([f, q]) => [f, q.median]))),
  }));
  const y = { field: 'arm', type: 'nominal', sort: arms, title: null } as const;
  const color = { field: 'arm', type: 'nominal', sort: arms, legend: null, scale: { scheme: arms.length > 10 ? 'category20' : 'tableau10' } } as const;
  const strip = (field: string, title: string) => ({
    width: 280,
    height: { step: 28 },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, opacity: 0.6, size: 50 },
        encoding: {
          x: { field, type: 'quantitative', title, scale: { zero: false } },
          y,
          color,
          yOffset: { field: 'seed', type: 'quantitative', scale: { range: [6, 22] } }, // within the row's 28-pixel band, measured from its top
        },
      },
      { data: { values: medians }, mark: { type: 'tick', color: 'black', thickness: 2, size: 22 }, encoding: { x: { field, type: 'quantitative' }, y } },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${summary.name}: the end of every seed`, subtitle: 'dots: seeds; bar: median' },
    hconcat: [
      strip('loss', 'final smooth loss'),
      ...(families.length > 1 ? families.map((f, i) => strip(`g${i}`, `final units: ${f}`)) : [strip('units', 'final units')]),
    ],
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}

/** The policies' signals along the run: one panel per signal column, median line and inter-quartile band per arm. */
export function signalsSpec(summary: Summary): TopLevelSpec | undefined {
  const columns = [...new Set(summary.arms.flatMap((a) => Object.keys(a.curve[0]?.signals ?? {})))];
  if (!columns.length) return undefined;
  const arms = summary.arms.map((a) => a.name);
  const rows = summary.arms.flatMap((a) =>
    a.curve.flatMap((p) =>
      columns.flatMap((signal) => {
        const q = p.signals?.[signal];
        return q && Number.isFinite(q.median) ? [{ arm: a.name, cycle: p.cycle, signal, median: q.median, q25: q.q25, q75: q.q75 }] : [];
      }),
    ),
  );
  const color = { field: 'arm', type: 'nominal', sort: arms, title: 'arm', scale: { scheme: arms.length > 10 ? 'category20' : 'tableau10' } } as const;
  const x = { field: 'cycle', type: 'quantitative', title: 'cycle', axis: { format: '~s' } } as const;
  const panel = (signal: string) => ({
    width: WIDTH,
    height: 180,
    transform: [{ filter: { field: 'signal', equal: signal } }],
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: { x, y: { field: 'q25', type: 'quantitative', title: signal, scale: { zero: false } }, y2: { field: 'q75' }, color },
      },
      { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'median', type: 'quantitative' }, color } },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${summary.name}: policy signals`, subtitle: 'median and inter-quartile range over seeds; <family>.<signal>' },
    data: { values: rows },
    vconcat: columns.map(panel),
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' }, legend: { symbolOpacity: 1, symbolType: 'stroke', symbolStrokeWidth: 3 } },
  } as TopLevelSpec;
}
