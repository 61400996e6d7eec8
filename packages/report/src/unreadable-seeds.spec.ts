import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRunFolders } from './run-data.js';
import { writeReport } from './write-report.js';

/** A run folder of one arm whose seeds hold two logged rows each, or what `files` gives instead. */
function runFolder(seeds: Record<number, { metrics?: string; result?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-unreadable-'));
  writeFileSync(join(dir, 'config.yaml'), 'name: bad-seeds\ncycles: 200\n');
  for (const [seed, files] of Object.entries(seeds)) {
    const folder = join(dir, `seed-${seed}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'metrics.csv'), files.metrics ?? 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,2,1\n200,1,4,3,3,1\n');
    writeFileSync(
      join(folder, 'result.json'),
      files.result ?? JSON.stringify({ arm: 'bad-seeds', seed: Number(seed), cycles: 200, finished: true, switches: [], seconds: 1 }),
    );
  }
  return dir;
}

describe('report of a run with unreadable seeds', function () {
  this.timeout(60000);

  it('summarises the other seeds, and names each bad file with why, in the summary and its warnings', async () => {
    const dir = runFolder({
      0: {},
      1: { result: '{"arm":"bad-seeds","seed":1,"cyc' },
      2: { metrics: 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,2,1\n200,1,4' },
      3: { metrics: 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,x,1\n' },
    });
    const { summary, warnings, files } = await writeReport(dir, [dir]);
    expect(summary.arms.map((a) => [a.name, a.seeds])).to.deep.equal([['bad-seeds', 1]]);
    const problems = summary.unreadable?.map((u) => `${u.seed}: ${u.problem}`);
    expect(problems).to.have.length(3);
    expect(problems?.[0]).to.match(new RegExp(`^1: ${join(dir, 'seed-1', 'result.json')}: not JSON`));
    expect(problems?.[1]).to.equal(`2: ${join(dir, 'seed-2', 'metrics.csv')}:3: the last row is cut short (no newline at its end): the file was truncated`);
    expect(problems?.[2]).to.equal(`3: ${join(dir, 'seed-3', 'metrics.csv')}:2: expected a number in column "hidden", found "x"`);
    expect(warnings[0]).to.contain('bad-seeds seed 1 left out:');
    expect(files.some((f) => f.endsWith('curves.png'))).to.equal(true);
  });

  it('a blank cell is no number (it is not read as 0)', async () => {
    const header = 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n';
    const dir = runFolder({ 0: {}, 1: { metrics: `${header}100,1,5,2,,1\n` }, 2: { metrics: `${header}100,1,5,2, ,1\n` } });
    const { summary } = await writeReport(dir, [dir]);
    expect(summary.unreadable?.map((u) => u.problem)).to.deep.equal([
      `${join(dir, 'seed-1', 'metrics.csv')}:2: expected a number in column "hidden", found ""`,
      `${join(dir, 'seed-2', 'metrics.csv')}:2: expected a number in column "hidden", found " "`,
    ]);
  });

  it('leaves out a finished seed with no rows, naming the file, and says that no figure is drawn, instead of leaving them out silently', async () => {
    const dir = runFolder({ 0: { metrics: 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n' } });
    const { summary, warnings } = await writeReport(dir, [dir]);
    expect(summary.unreadable?.map((u) => u.problem)).to.deep.equal([
      `${join(dir, 'seed-0', 'metrics.csv')}:1: there are no rows, only the header, but ${join(dir, 'seed-0', 'result.json')} says the seed finished at cycle 200: rows are missing (the file was cut short)`,
    ]);
    expect(warnings).to.include('no figures drawn: no seed has logged a metrics row');
    expect(existsSync(join(dir, 'curves.svg'))).to.equal(false);
  });

  it('leaves out a finished seed whose metrics.csv was cut back at a line boundary (its last row before its last cycle)', () => {
    const dir = runFolder({ 0: {}, 1: { metrics: 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n100,1,5,2,2,1\n' } });
    const run = readRunFolders([dir]);
    expect(run.arms[0].seeds.map((s) => s.seed)).to.deep.equal([0]);
    expect(run.unreadable.map((u) => u.problem)).to.deep.equal([
      `${join(dir, 'seed-1', 'metrics.csv')}:2: the last row is at cycle 100, but ${join(dir, 'seed-1', 'result.json')} says the seed finished at cycle 200: rows are missing (the file was cut short)`,
    ]);
  });

  it('leaves out a seed with no rows that nothing explains, and keeps one that failed or was stopped before its first row', () => {
    const header = 'cycle,loss,smoothLoss,units,hidden,multiplierSum\n';
    const failed = JSON.stringify({ arm: 'bad-seeds', seed: 1, cycles: 40, finished: false, error: 'diverged', switches: [], seconds: 1 });
    const dir = runFolder({ 0: {}, 1: { metrics: header, result: failed }, 2: { metrics: header }, 3: { metrics: header } });
    rmSync(join(dir, 'seed-2', 'result.json'));
    rmSync(join(dir, 'seed-3', 'result.json'));
    writeFileSync(join(dir, 'seed-3', 'checkpoint.json'), '');
    const run = readRunFolders([dir]);
    expect(run.arms[0].seeds.map((s) => s.seed)).to.deep.equal([0, 1, 3]);
    expect(run.unreadable.map((u) => u.problem)).to.deep.equal([
      `${join(dir, 'seed-2', 'metrics.csv')}: no rows, only the header, and neither result.json nor checkpoint.json says why (the file was cut back, or the seed's other files are gone)`,
    ]);
  });
});

describe('report reads every run file with a byte cap', function () {
  this.timeout(60000);

  it('leaves out a seed whose metrics.csv or result.json is endless (/dev/zero), naming the file and the cap', () => {
    const dir = runFolder({ 0: {}, 1: {}, 2: {} });
    rmSync(join(dir, 'seed-1', 'metrics.csv'));
    symlinkSync('/dev/zero', join(dir, 'seed-1', 'metrics.csv'));
    rmSync(join(dir, 'seed-2', 'result.json'));
    symlinkSync('/dev/zero', join(dir, 'seed-2', 'result.json'));
    const run = readRunFolders([dir]);
    expect(run.arms[0].seeds.map((s) => s.seed)).to.deep.equal([0]);
    expect(run.unreadable.map((u) => u.problem)).to.deep.equal([
      `${join(dir, 'seed-1', 'metrics.csv')}: file over 256 MiB; a run's metrics.csv is at most 256 MiB`,
      `${join(dir, 'seed-2', 'result.json')}: file over 64 MiB; a run's result.json is at most 64 MiB`,
    ]);
  });

  it('refuses (exit 2) a run whose config.yaml or inputs.json is endless, naming the file', () => {
    const dir = runFolder({ 0: {} });
    symlinkSync('/dev/zero', join(dir, 'inputs.json'));
    expect(() => readRunFolders([dir])).to.throw(`${join(dir, 'inputs.json')}: file over 64 MiB`);
    rmSync(join(dir, 'config.yaml'));
    symlinkSync('/dev/zero', join(dir, 'config.yaml'));
    expect(() => readRunFolders([dir])).to.throw(`${join(dir, 'config.yaml')}: file over 1 MiB`);
  });
});
