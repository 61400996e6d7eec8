import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '@diffstruct/core/host';
import type { TopLevelSpec } from 'vega-lite';
import { curvesSpec, finalSpec, signalsSpec } from './figure-specs.js';
import { renderSvg, svgToPng } from './render.js';
import { readRunFolders } from './run-data.js';
import { summarize, type Summary } from './summary.js';

export interface WrittenReport {
  readonly summary: Summary;
  readonly files: readonly string[];
}

/** Reads the run folders, writes summary.json and the figures (SVG + PNG) into `out`. */
export async function writeReport(out: string, dirs: readonly string[]): Promise<WrittenReport> {
  const summary = summarize(readRunFolders(dirs));
  const files = [join(out, RUN_FILES.summary)];
  writeFileSync(files[0], JSON.stringify(summary, null, 2) + '\n');
  if (!summary.arms.length) return { summary, files };
  const signals = signalsSpec(summary);
  const figures: [string, TopLevelSpec][] = [
    ['curves', curvesSpec(summary)],
    ['final', finalSpec(summary)],
  ];
  if (signals) figures.push(['signals', signals]);
  for (const [name, spec] of figures) {
    const svg = await renderSvg(spec);
    writeFileSync(join(out, `${name}.svg`), svg);
    writeFileSync(join(out, `${name}.png`), svgToPng(svg));
    files.push(join(out, `${name}.svg`), join(out, `${name}.png`));
  }
  return { summary, files };
}
