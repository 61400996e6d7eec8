import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import { Resvg } from '@resvg/resvg-js';
import { curvesSpec, finalSpec, signalsSpec } from './figure-specs.js';
import { quantile, quartiles } from './quartiles.js';
import { readRunFolders } from './run-data.js';
import { svgToPng } from './render.js';
import { summarize, wallTimes } from './summary.js';
import { SUMMARY_LEGEND, summaryLines } from './summary-lines.js';
import { summaryTable } from './summary-table.js';
import { tradeOffSpec } from './trade-off.js';
import { writeReport } from './write-report.js';

/** A run folder with metrics written by hand: units = seed + row, smooth loss = 20 − seed − row, 10 + seed seconds. */
function fakeRun(dir: string, arms: string[], seeds: number[], rows = 3, entropyFloor = 9): void {
  mkdirSync(dir, { recursive: true });
  const armsYaml = arms.map((a) => `  - { name: ${a}, cycles: ${rows * 100} }`).join('\n');
  writeFileSync(join(dir, 'config.yaml'), `name: fake\ncycles: ${rows * 100}\narms:\n${armsYaml}\n`);
  for (const arm of arms) {
    for (const seed of seeds) {
      const folder = join(dir, arm, `seed-${seed}`);
      mkdirSync(folder, { recursive: true });
      const lines = ['cycle,loss,smoothLoss,units,hidden,multiplierSum'];
      for (let r = 1; r <= rows; r++) lines.push(`${r * 100},1,${20 - seed - r},${seed + r},${seed + r},0.5`);
      writeFileSync(join(folder, 'metrics.csv'), lines.join('\n') + '\n');
      writeFileSync(
        join(folder, 'result.json'),
        JSON.stringify({ arm, seed, cycles: rows * 100, finished: true, entropyFloor, switches: [150], seconds: 10 + seed }),
      );
    }
  }
}

describe('figures', () => {
  it('plot each growable family in a panel of its own when a model has several', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-families-'));
    writeFileSync(join(dir, 'config.yaml'), 'name: depth\ncycles: 200\n');
    const folder = join(dir, 'seed-0');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'metrics.csv'), 'cycle,loss,smoothLoss,units,blocks,block-width,multiplierSum\n100,1,1,9,2,7,1\n200,1,1,12,3,9,1\n');
    writeFileSync(join(folder, 'result.json'), JSON.stringify({ arm: 'depth', seed: 0, cycles: 200, finished: true, switches: [], seconds: 1 }));
    const summary = summarize(readRunFolders([dir]));
    expect(summary.arms[0].final.growables).to.deep.equal({ blocks: quartiles([3]), 'block-width': quartiles([9]) });
    const titles = (spec: object) => JSON.stringify(spec).match(/"title":"(units|final units)[^"]*"/g);
    expect(titles(curvesSpec(summary))).to.deep.equal(['"title":"units: blocks"', '"title":"units: block-width"']);
    expect(titles(finalSpec(summary))).to.deep.equal(['"title":"final units: blocks"', '"title":"final units: block-width"']);
  });
});

describe('policy signals', () => {
  it('are summarised per arm over the seeds where they are numbers, and drawn in a figure of their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-signals-'));
    writeFileSync(join(dir, 'config.yaml'), 'name: plateau\ncycles: 200\n');
    const rows = ['1,NaN', '3,5'];
    for (const seed of [0, 1]) {
      const folder = join(dir, `seed-${seed}`);
      mkdirSync(folder, { recursive: true });
      const lines = [
        'cycle,loss,smoothLoss,units,hidden,multiplierSum,hidden.improvement',
        `100,1,9,2,2,1,${rows[seed].split(',')[0]}`,
        `200,1,8,3,3,1,${rows[seed].split(',')[1]}`,
      ];
      writeFileSync(join(folder, 'metrics.csv'), lines.join('\n') + '\n');
      writeFileSync(join(folder, 'result.json'), JSON.stringify({ arm: 'plateau', seed, cycles: 200, finished: true, switches: [], seconds: 1 }));
    }
    const summary = summarize(readRunFolders([dir]));
    const arm = summary.arms[0];
    expect(arm.final.growables).to.deep.equal({ hidden: quartiles([3, 3]) }, 'a signal is not a growable family');
    expect(arm.curve.map((p) => p.signals?.['hidden.improvement'])).to.deep.equal([quartiles([1, 3]), quartiles([5])]);
    expect(JSON.stringify(signalsSpec(summary))).to.include('"title":"hidden.improvement"');
    const { files } = await writeReport(dir, [dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).to.include.members(['signals.svg', 'signals.png']);
  });

  it('leave runs without them as they were: no signals entry, no figure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diffstruct-nosignals-'));
    fakeRun(dir, ['a'], [0]);
    const summary = summarize(readRunFolders([dir]));
    expect(summary.arms[0].curve[0]).to.not.have.property('signals');
    expect(signalsSpec(summary)).to.equal(undefined);
  });
});

describe('quartiles', () => {
  it('interpolate linearly between order statistics, as numpy does', () => {
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
    expect(quartiles([4, 1, 3, 2])).to.deep.equal({ median: 2.5, q25: 1.75, q75: 3.25 });
    expect(quartiles([7])).to.deep.equal({ median: 7, q25: 7, q75: 7 });
    expect(quantile([0, 10], 0.9)).to.equal(9);
  });
});

describe('summary', () => {
  const base = mkdtempSync(join(tmpdir(), 'diffstruct-report-'));

  it("gives per-arm quartiles at the end and along the curve, and each seed's final values", () => {
    fakeRun(join(base, 'a'), ['grown', 'fixed'], [0, 1, 2, 3]);
    const summary = summarize(readRunFolders([join(base, 'a')]));
    expect(summary.arms.map((a) => a.name)).to.deep.equal(['grown', 'fixed']);
    const grown = summary.arms[0];
    expect(grown.seeds).to.equal(4);
    expect(grown.final.units).to.deep.equal(quartiles([3, 4, 5, 6]));
    expect(grown.final.loss).to.deep.equal(quartiles([17, 16, 15, 14]));
    expect(grown.final.growables.hidden).to.deep.equal(quartiles([3, 4, 5, 6]));
    expect(grown.curve.map((p) => p.cycle)).to.deep.equal([100, 200, 300]);
    expect(grown.curve[0].units.median).to.equal(2.5);
    expect(grown.finalBySeed[1]).to.deep.equal({ seed: 1, cycle: 300, loss: 16, units: 4, growables: { hidden: 4 } });
    expect(grown.curve[2].growables.hidden).to.deep.equal(quartiles([3, 4, 5, 6]));
    expect(grown).to.include({ entropyFloor: 9 }).and.have.deep.property('switches', [150]);
    expect(grown.unfinished).to.deep.equal([]);
    expect(grown.final).to.not.have.property('seconds', 'summary.json holds nothing that differs between two runs of one config');
    expect(wallTimes(readRunFolders([join(base, 'a')])).grown).to.deep.equal(quartiles([10, 11, 12, 13]));
  });

  it('prints a Markdown table at the end or at given cycles, and each seed sorted by loss', () => {
    const run = readRunFolders([join(base, 'a')]);
    const table = summaryTable(summarize(run), [100, 300], wallTimes(run));
    expect(table).to.contain('| grown | 4 | 100 | 17.50 [16.75, 18.25] | 2.5 [1.8, 3.3] | 9.00 |');
    expect(table).to.contain('| grown | 4 | 300 | 15.50 [14.75, 16.25] | 4.5 [3.8, 5.3] | 9.00 |');
    expect(table).to.contain('- grown: 14.00/6, 15.00/5, 16.00/4, 17.00/3');
    expect(table).to.contain('Wall time of a seed in seconds (one worker thread), median [q25, q75]:\n\n- grown: 11.5 [10.8, 12.3]');
    expect(summaryTable(summarize(readRunFolders([join(base, 'a')])))).to.contain('| fixed | 4 | 300 |');
    // A cycle between rows was not logged; one after the last row is past the run's end, and says where that is.
    const missing = summaryTable(summarize(run), [150, 400]);
    expect(missing).to.contain('| grown | 4 | 150 | not logged | not logged |');
    expect(missing).to.contain('| grown | 4 | 400 | past the end (300) | past the end (300) |');
  });

  it('shows no entropy floor of 0 (a table task: every loss is above it), and counts one seed as one seed', () => {
    fakeRun(join(base, 'table'), ['grown'], [0], 3, 0);
    const summary = summarize(readRunFolders([join(base, 'table')]));
    expect(summary.arms[0].entropyFloor, 'summary.json keeps what the task said').to.equal(0);
    expect(summaryTable(summary)).to.contain('| grown | 1 | 300 | 17.00 [17.00, 17.00] | 3.0 [3.0, 3.0] |  |');
    const curves = JSON.stringify(curvesSpec(summary));
    expect(curves).to.contain('median and inter-quartile range over 1 seed; dashed: task switch"').and.not.contain('entropy floor');
    expect(JSON.stringify(curvesSpec(summarize(readRunFolders([join(base, 'a')]))))).to.contain('over 4 seeds; dashed: task switch; dotted: entropy floor"');
  });

  it('says in the lines printed at the end what each number is: median [quartiles] of what, over how many seeds, at which cycle', () => {
    expect(SUMMARY_LEGEND).to.equal('per arm, median [first quartile, third quartile] over its seeds, at the last logged cycle:');
    expect(summaryLines(summarize(readRunFolders([join(base, 'a')])))).to.deep.equal([
      SUMMARY_LEGEND,
      '  grown (4 seeds, cycle 300): smooth loss 15.50 [14.75, 16.25] (entropy floor 9.00), units 4.5 [3.8, 5.3]',
      '  fixed (4 seeds, cycle 300): smooth loss 15.50 [14.75, 16.25] (entropy floor 9.00), units 4.5 [3.8, 5.3]',
    ]);
    fakeRun(join(base, 'table'), ['grown'], [0], 3, 0);
    expect(summaryLines(summarize(readRunFolders([join(base, 'table')])))[1]).to.equal(
      '  grown (1 seed, cycle 300): smooth loss 17.00 [17.00, 17.00], units 3.0 [3.0, 3.0]',
    );
    const mixed = join(base, 'mixed');
    fakeRun(mixed, ['grown'], [0, 1, 2], 3);
    const stopped = { arm: 'grown', seed: 2, cycles: 300, finished: false, interrupted: true, switches: [], seconds: 1 };
    writeFileSync(join(mixed, 'grown', 'seed-2', 'result.json'), JSON.stringify(stopped));
    expect(summaryLines(summarize(readRunFolders([mixed])))[1]).to.match(/^ {2}grown \(2 seeds; 1 unfinished left out, cycle 300\): smooth loss 16\.50 /);
  });

  it('merges shard folders into one set of seeds, and refuses a seed found twice', () => {
    fakeRun(join(base, 'shard-0'), ['grown'], [0, 2]);
    fakeRun(join(base, 'shard-1'), ['grown'], [1, 3]);
    const run = readRunFolders([join(base, 'shard-0'), join(base, 'shard-1')]);
    expect(run.arms[0].seeds.map((s) => s.seed)).to.deep.equal([0, 1, 2, 3]);
    expect(() => readRunFolders([join(base, 'shard-0'), join(base, 'shard-0')])).to.throw(DiffstructError, 'appears in two run folders');
    expect(() => readRunFolders([join(base, 'nothing-here')])).to.throw(DiffstructError, 'not a run folder');
  });

  it('refuses to merge runs whose arms of one name ran other configs or other data, naming the runs, the arm and what differs', () => {
    const [a, b, c] = ['config-a', 'config-b', 'config-c'].map((d) => join(base, d));
    fakeRun(a, ['grown'], [0, 1]);
    fakeRun(b, ['grown'], [2, 3], 6);
    expect(() => readRunFolders([a, b])).to.throw(DiffstructError, `runs ${a} and ${b} ran arm "grown" with different configs (cycles: 300 vs 600)`);
    fakeRun(c, ['grown'], [2, 3]);
    const policy = (k: number) => `name: fake\ncycles: 300\narms:\n  - { name: grown, cycles: 300, policy: { type: threshold, k: ${k} } }\n`;
    writeFileSync(join(a, 'config.yaml'), policy(1));
    writeFileSync(join(c, 'config.yaml'), policy(2));
    expect(() => readRunFolders([a, c])).to.throw(DiffstructError, 'ran arm "grown" with different configs (policy.k: 1 vs 2)');
    // The same config, but the data file changed between the two runs.
    writeFileSync(join(c, 'config.yaml'), policy(1));
    const inputs = (hash: string) => JSON.stringify({ arms: {}, data: { '/data/table.csv': hash.repeat(64) } });
    writeFileSync(join(a, 'inputs.json'), inputs('a'));
    writeFileSync(join(c, 'inputs.json'), inputs('b'));
    expect(() => readRunFolders([a, c])).to.throw(
      DiffstructError,
      `runs ${a} and ${c} read different data; report them separately:\n  /data/table.csv: its contents changed`,
    );
    writeFileSync(join(c, 'inputs.json'), inputs('a'));
    expect(readRunFolders([a, c]).arms[0].seeds.map((s) => s.seed)).to.deep.equal([0, 1, 2, 3]);
  });

  it('merges runs whose arms have the same settings written otherwise: keys in another order, other descriptions, seeds and checkpoints', () => {
    const [a, c] = ['order-a', 'order-c'].map((d) => join(base, d));
    fakeRun(a, ['grown'], [0, 1]);
    fakeRun(c, ['grown'], [2, 3]);
    writeFileSync(
      join(a, 'config.yaml'),
      'name: fake\nseeds: 2\ncycles: 300\nlog: { every: 100 }\ncheckpoint: { every: 100 }\narms:\n  - { name: grown, cycles: 300, task: { type: schedule, phases: [ { task: easy, until: 800 } ] } }\n',
    );
    writeFileSync(
      join(c, 'config.yaml'),
      'name: fake\nseeds: 4\ncycles: 300\ncheckpoint: { every: 500 }\nlog: { every: 100 }\narms:\n  - { task: { phases: [ { until: 800, task: easy } ], type: schedule }, description: said otherwise, cycles: 300, name: grown }\n',
    );
    expect(readRunFolders([a, c]).arms[0].seeds.map((s) => s.seed)).to.deep.equal([0, 1, 2, 3]);
    writeFileSync(join(c, 'config.yaml'), readFileSync(join(c, 'config.yaml'), 'utf8').replace('log: { every: 100 }', 'log: { every: 50 }'));
    expect(() => readRunFolders([a, c])).to.throw(DiffstructError, 'ran arm "grown" with different configs (log.every: 100 vs 50)');
  });

  it('writes summary.json and figures as SVG with visible text and as PNG', async function () {
    this.timeout(20000);
    const dir = join(base, 'a');
    const { files } = await writeReport(dir, [dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).to.deep.equal(['summary.json', 'curves.svg', 'curves.png', 'final.svg', 'final.png']);
    const svg = readFileSync(join(dir, 'curves.svg'), 'utf8');
    expect(svg).to.match(/^<svg/).and.contain('smooth loss').and.contain('grown').and.contain('fixed');
    const png = readFileSync(join(dir, 'curves.png'));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).to.equal('PNG');
    expect(png.readUInt32BE(16)).to.be.greaterThan(800); // width: rendered at twice the SVG's size
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).arms[0].name).to.equal('grown');
  });

  it('draws the text into the PNG (without fonts resvg would leave it out silently)', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="5" y="25" font-family="sans-serif" font-size="16">units</text></svg>';
    const withoutFonts = new Resvg(svg, { font: { loadSystemFonts: false }, background: 'white', fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
    const blank = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"></svg>', {
      background: 'white',
      fitTo: { mode: 'zoom', value: 2 },
    })
      .render()
      .asPng();
    expect(Buffer.compare(withoutFonts, blank)).to.equal(0);
    expect(Buffer.compare(svgToPng(svg), blank)).to.not.equal(0);
  });
});

describe('trade-off figure', () => {
  const base = mkdtempSync(join(tmpdir(), 'diffstruct-trade-off-'));
  fakeRun(join(base, 'run'), ['small', 'large'], [0, 1, 2, 3]);

  it('places each arm at its median loss at one cycle and its median units at another, with quartile bars', () => {
    const spec = tradeOffSpec(summarize(readRunFolders([join(base, 'run')])), { loss: 100, units: 300 }) as {
      data: { values: Record<string, number | string>[] };
    };
    // Seeds 0..3: smooth loss 20 − seed − row, units seed + row.
    expect(spec.data.values[0]).to.deep.include({ arm: 'small', loss: 17.5, lossQ25: 16.75, lossQ75: 18.25, units: 4.5, unitsQ25: 3.75, unitsQ75: 5.25 });
    expect(spec.data.values.map((r) => [r.series, r.label])).to.deep.equal([
      ['small', 'small'],
      ['large', 'large'],
    ]);
  });

  it('makes each declared arm of a sweep crossed with arms a series: a colour, a line in sweep order, points labelled by the swept values', () => {
    fakeRun(join(base, 'swept'), ['paper_l1-0.1', 'paper_l1-0.2', 'pressed_l1-0.1', 'pressed_l1-0.2'], [0, 1]);
    const spec = tradeOffSpec(summarize(readRunFolders([join(base, 'swept')])), { loss: 300, units: 300 }) as {
      data: { values: Record<string, number | string>[] };
      layer: { mark: { type: string } }[];
    };
    expect(spec.data.values.map((r) => [r.series, r.label, r.order])).to.deep.equal([
      ['paper', 'l1-0.1', 0],
      ['paper', 'l1-0.2', 1],
      ['pressed', 'l1-0.1', 2],
      ['pressed', 'l1-0.2', 3],
    ]);
    expect(spec.layer[0].mark.type).to.equal('line');
    const plain = tradeOffSpec(summarize(readRunFolders([join(base, 'run')])), { loss: 300, units: 300 }) as { layer: { mark: { type: string } }[] };
    expect(plain.layer.map((l) => l.mark.type)).to.not.include('line');
  });

  it('is drawn by writeReport when asked; a cycle no row was logged at is refused before anything is written', async function () {
    this.timeout(20000);
    const out = join(base, 'out');
    const { files } = await writeReport(out, [join(base, 'run')], { tradeOff: { loss: 200, units: 200 } });
    expect(files.map((f) => f.slice(out.length + 1))).to.include.members(['trade-off.svg', 'trade-off.png']);
    const refused = join(base, 'refused');
    const error = await writeReport(refused, [join(base, 'run')], { tradeOff: { loss: 250, units: 300 } }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(DiffstructError).and.have.property('message').that.includes('arm "small" logged no row at cycle 250');
    expect(() => readFileSync(join(refused, 'summary.json'))).to.throw();
  });
});
