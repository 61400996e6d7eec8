import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curvesSpec } from './figure-specs.js';
import { readRunFolders } from './run-data.js';
import { summarize } from './summary.js';
import { summaryLines } from './summary-lines.js';
import { summaryTable } from './summary-table.js';
import { writeReport } from './write-report.js';

/**
 * A run with eval (or without): rows every 100 cycles, evaluated at 200 and 400 (NaN at 100 and 300),
 * valLoss = 1 + seed/10 + 100/cycle, valAccuracy = 0.5 + seed/10, test loss 2 + seed.
 */
function heldOutRun(dir: string, seeds: number[], withEval = true, sequence = false): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'name: held\ncycles: 400\nlog: { every: 100 }\n');
  for (const seed of seeds) {
    const folder = join(dir, `seed-${seed}`);
    mkdirSync(folder, { recursive: true });
    const bits = sequence ? ',valBitsPerSymbol' : '';
    const lines = [`cycle,loss,smoothLoss,units,hidden1,multiplierSum${withEval ? `,valLoss,valAccuracy${bits}` : ''}`];
    for (const cycle of [100, 200, 300, 400]) {
      const evaluated = cycle !== 100 && cycle !== 300;
      const loss = 1 + seed / 10 + 100 / cycle;
      const cells = evaluated ? `${loss},${0.5 + seed / 10}${bits && `,${loss / Math.LN2}`}` : `NaN,NaN${bits && ',NaN'}`;
      lines.push(`${cycle},1,${5 - seed},${seed + 2},${seed + 2},0.5${withEval ? `,${cells}` : ''}`);
    }
    writeFileSync(join(folder, 'metrics.csv'), lines.join('\n') + '\n');
    const test = withEval ? { test: { loss: 2 + seed, accuracy: 0.25 * seed } } : {};
    writeFileSync(join(folder, 'result.json'), JSON.stringify({ arm: 'held', seed, cycles: 400, finished: true, switches: [], seconds: 1, ...test }));
  }
}

describe('held-out figures in the report', () => {
  const base = mkdtempSync(join(tmpdir(), 'diffstruct-report-held-out-'));
  heldOutRun(join(base, 'eval'), [0, 1, 2]);
  heldOutRun(join(base, 'plain'), [0, 1, 2], false);
  heldOutRun(join(base, 'sequence'), [0, 1, 2], true, true);

  it('summarises each seed at its last evaluated row, NaN rows read as not evaluated, and the test figures', () => {
    const [arm] = summarize(readRunFolders([join(base, 'eval')])).arms;
    expect(arm.heldOut?.final.valLoss).to.deep.equal({ median: 1.35, q25: 1.3, q75: 1.4 });
    expect(arm.heldOut?.final.valAccuracy.median).to.be.closeTo(0.6, 1e-12);
    expect(arm.heldOut?.test).to.deep.equal({ loss: { median: 3, q25: 2.5, q75: 3.5 }, accuracy: { median: 0.25, q25: 0.125, q75: 0.375 } });
    expect(arm.heldOut?.bySeed.map((s) => [s.seed, s.cycle, s.test?.loss])).to.deep.equal([
      [0, 400, 2],
      [1, 400, 3],
      [2, 400, 4],
    ]);
    expect(arm.curve.map((p) => p.heldOut?.valLoss.median)).to.deep.equal([undefined, 1.6, undefined, 1.35]);
  });

  it('prints val and test columns at the end, and leaves a run without eval as it was', () => {
    const summary = summarize(readRunFolders([join(base, 'eval')]));
    expect(summaryLines(summary)[1]).to.contain('; valLoss 1.350 [1.300, 1.400], valAccuracy 0.600 [0.550, 0.650]; test loss 3.000 [2.500, 3.500]');
    const table = summaryTable(summary).split('\n');
    expect(table[0]).to.equal('| arm | seeds | cycle | smooth loss | units | entropy floor | valLoss | valAccuracy | test loss | test accuracy |');
    expect(table[2]).to.contain('| 1.350 [1.300, 1.400] | 0.600 [0.550, 0.650] | 3.000 [2.500, 3.500] | 0.250 [0.125, 0.375] |');
    expect(summaryTable(summary, [100, 200]).split('\n')[2]).to.contain('| not evaluated | not evaluated |  |  |');
    const plain = summarize(readRunFolders([join(base, 'plain')]));
    expect(plain.arms[0]).not.to.have.property('heldOut');
    expect(plain.arms[0].curve.some((p) => 'heldOut' in p)).to.equal(false);
    expect(summaryTable(plain).split('\n')[0]).to.equal('| arm | seeds | cycle | smooth loss | units | entropy floor |');
    expect(summaryLines(plain)[1]).not.to.contain('val');
  });

  it('draws a validation loss panel under the smooth loss, titled with its scale (per row, per symbol), only for a run with eval', async function () {
    this.timeout(30000);
    type Panels = { vconcat: { layer: { encoding: { y: { title?: string } } }[] }[] };
    const titles = (folder: string) =>
      (curvesSpec(summarize(readRunFolders([join(base, folder)]))) as unknown as Panels).vconcat.map((p) => p.layer[0].encoding.y.title);
    expect(titles('eval')).to.deep.equal(['smooth loss', 'validation loss per row', 'units']);
    expect(titles('sequence')).to.deep.equal(['smooth loss', 'validation loss per symbol', 'units']);
    const plain = curvesSpec(summarize(readRunFolders([join(base, 'plain')]))) as unknown as { vconcat: unknown[] };
    expect(plain.vconcat).to.have.length(2);
    const { warnings } = await writeReport(join(base, 'eval'), [join(base, 'eval')]);
    expect(warnings).to.deep.equal([]);
  });
});
