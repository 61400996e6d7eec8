import type { TopLevelSpec } from 'vega-lite';
import { DiffstructError, plural } from '@diffstruct/core';
import type { Summary } from './summary.js';

const FONT = 'DejaVu Sans';

/** Where `report --trade-off` reads each arm: its smooth loss at one cycle, its units at another (the same by default). */
export interface TradeOffCycles {
  readonly loss: number;
  readonly units: number;
}

/** A sweep crossed with declared arms names its arms `<arm>_<key>-<value>…`: then each declared arm is a series. */
const SWEPT_ARM = /^([^_]+)_(.+-.+)$/;

/**
 * One point per arm: median smooth loss at `cycles.loss` across, median units at `cycles.units`
 * up, with inter-quartile bars both ways, named by the arm: how much performance each setting
 * of a sweep pays for the size it ends at. When every arm is named as a sweep crossed with
 * declared arms names it, each declared arm is a colour and a line through its sweep's points
 * (in the sweep's order), labelled by the swept values. Refuses a cycle an arm did not log.
 */
export function tradeOffSpec(summary: Summary, cycles: TradeOffCycles): TopLevelSpec {
  const at = (cycle: number, arm: Summary['arms'][number]) => {
    const point = arm.curve.find((p) => p.cycle === cycle);
    if (!point)
      throw new DiffstructError(
        `--trade-off: arm "${arm.name}" logged no row at cycle ${cycle} (a multiple of its log.every is needed; its last row is at ${arm.curve.at(-1)?.cycle ?? 0})`,
      );
    return point;
  };
  const swept = summary.arms.every((arm) => SWEPT_ARM.test(arm.name));
  const rows = summary.arms.map((arm, order) => {
    const { loss } = at(cycles.loss, arm);
    const { units } = at(cycles.units, arm);
    const [, series = arm.name, label = arm.name] = swept ? (SWEPT_ARM.exec(arm.name) ?? []) : [];
    return {
      arm: arm.name,
      series,
      label,
      order,
      loss: loss.median,
      lossQ25: loss.q25,
      lossQ75: loss.q75,
      units: units.median,
      unitsQ25: units.q25,
      unitsQ75: units.q75,
    };
  });
  const series = [...new Set(rows.map((r) => r.series))];
  // Labels of different series alternate above and below their points, so points that meet keep readable labels.
  const labelled = rows.map((r) => ({ ...r, dy: series.indexOf(r.series) % 2 ? 12 : -6 }));
  const color = { field: 'series', type: 'nominal', sort: series, title: 'arm', scale: { scheme: series.length > 10 ? 'category20' : 'tableau10' } } as const;
  const x = { field: 'loss', type: 'quantitative', title: `smooth loss at cycle ${cycles.loss}`, scale: { zero: false } } as const;
  const y = { field: 'units', type: 'quantitative', title: `units at cycle ${cycles.units}`, scale: { zero: true } } as const;
  const counts = [...new Set(summary.arms.map((a) => a.seeds))];
  const seeds = counts.length === 1 ? plural(counts[0], 'seed') : `${counts.join('–')} seeds`;
  const text = (dy: number) => ({
    transform: [{ filter: { field: 'dy', equal: dy } }],
    mark: { type: 'text', align: 'left', dx: 6, dy, fontSize: 10 },
    encoding: { x, y, text: { field: 'label' }, color },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${summary.name}: size against loss`,
      subtitle: `median per arm, bars: inter-quartile range over ${seeds}; lower left is smaller and better`,
    },
    data: { values: labelled },
    width: 560,
    height: 360,
    layer: [
      ...(swept ? [{ mark: { type: 'line', opacity: 0.6 }, encoding: { x, y, color, order: { field: 'order' } } }] : []),
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x: { field: 'lossQ25', type: 'quantitative' }, x2: { field: 'lossQ75' }, y, color } },
      { mark: { type: 'rule', opacity: 0.5 }, encoding: { x, y: { field: 'unitsQ25', type: 'quantitative' }, y2: { field: 'unitsQ75' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x, y, color } },
      text(-6),
      text(12),
    ],
    background: 'white',
    config: { font: FONT, view: { stroke: '#ddd' } },
  } as TopLevelSpec;
}
