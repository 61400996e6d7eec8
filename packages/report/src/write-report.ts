import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FIGURES, RUN_FILES, writeFileAtomic, writing } from '@diffstruct/core/host';
import type { TopLevelSpec } from 'vega-lite';
import { curvesSpec, finalSpec, signalsSpec } from './figure-specs.js';
import { renderSvg, svgToPng } from './render.js';
import { birthsDeathsSpec, lifelinePanels, lifelinesSpec } from './structure-figures.js';
import { readRunFolders, type RunData } from './run-data.js';
import { summarize, type Summary } from './summary.js';
import { type TradeOffCycles, tradeOffSpec } from './trade-off.js';

export interface WrittenReport {
  readonly summary: Summary;
  readonly files: readonly string[];
  /** What the user should know: seeds left out, figures not drawn. */
  readonly warnings: readonly string[];
}

/** What the user should know about the seeds read: those left out (jobs not finished are `incompleteLines`). */
export function runWarnings(run: RunData): string[] {
  return run.unreadable.map((u) => `${u.arm} seed ${u.seed} left out: ${u.problem}`);
}

export interface ReportOptions {
  /** Also draw `trade-off`: each arm's units against its loss at these cycles. */
  readonly tradeOff?: TradeOffCycles;
}

/** Reads the run folders, writes summary.json and the figures (SVG + PNG) into `out`. */
export async function writeReport(out: string, dirs: readonly string[], options: ReportOptions = {}): Promise<WrittenReport> {
  const run = readRunFolders(dirs);
  const summary = summarize(run);
  // Before anything is written: a cycle the run did not log is bad input, not a figure left out.
  const tradeOff = options.tradeOff && summary.arms.length ? tradeOffSpec(summary, options.tradeOff) : undefined;
  const warnings = runWarnings(run);
  const files = [join(out, RUN_FILES.summary)];
  writing(out, () => mkdirSync(out, { recursive: true }));
  // Atomic: a full disk keeps the previous summary and figures whole, never cut off.
  writeFileAtomic(files[0], JSON.stringify(summary, null, 2) + '\n');
  if (!summary.arms.length) return { summary, files, warnings: [...warnings, 'no figures drawn: no seed has logged a metrics row'] };
  const signals = signalsSpec(summary);
  const figures: [string, TopLevelSpec][] = [
    [RUN_FIGURES.curves, curvesSpec(summary)],
    [RUN_FIGURES.final, finalSpec(summary)],
  ];
  if (signals) figures.push([RUN_FIGURES.signals, signals]);
  if (tradeOff) figures.push([RUN_FIGURES.tradeOff, tradeOff]);
  try {
    const { panels, notes } = lifelinePanels(run);
    if (panels.length) figures.push([RUN_FIGURES.lifelines, lifelinesSpec(summary.name, panels, notes)]);
    const births = birthsDeathsSpec(run);
    if (births) figures.push([RUN_FIGURES.birthsDeaths, births]);
  } catch (error) {
    // A seed's events or multipliers that do not read cost these figures only, not the report.
    warnings.push(`figures ${RUN_FIGURES.lifelines} and ${RUN_FIGURES.birthsDeaths} not drawn: ${(error as Error).message}`);
  }
  for (const [name, spec] of figures) {
    let svg: string;
    let png: Buffer;
    try {
      svg = await renderSvg(spec);
      png = svgToPng(svg);
    } catch (error) {
      warnings.push(`figure ${name} could not be drawn: ${(error as Error).message}`);
      continue;
    }
    for (const [file, content] of [
      [join(out, `${name}.svg`), svg],
      [join(out, `${name}.png`), png],
    ] as const) {
      writeFileAtomic(file, content);
      files.push(file);
    }
  }
  return { summary, files, warnings };
}
