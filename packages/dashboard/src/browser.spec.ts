import { expect } from 'chai';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES, WriterLocks } from '@diffstruct/core/host';
import { readLifelines } from '@diffstruct/report';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type Dashboard, startDashboard } from './server.js';
import { twoArmRun } from './test-support.js';

/** Debian's chromium package (no browser is downloaded); CHROMIUM_PATH names another. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));

describe('diffstruct serve in a real browser', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-serve-browser-'));
  const runs = join(dir, 'runs');
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  let pair: string;
  /** Errors thrown on the page: none may be, in any test. */
  const errors: string[] = [];
  const seedFoldersOf = (run: string) => ['easy', 'hard'].flatMap((arm) => [0, 1].map((seed) => join(runs, run, arm, `seed-${seed}`)));

  /** `run`'s metrics.csv of every seed cut to its first `rows` rows, as while the run writes. */
  const cutTo = (run: string, rows: number) => {
    for (const arm of ['easy', 'hard'])
      for (const seed of [0, 1]) {
        const lines = readFileSync(join(pair, arm, `seed-${seed}`, 'metrics.csv'), 'utf8').split('\n');
        writeFileSync(join(runs, run, arm, `seed-${seed}`, 'metrics.csv'), lines.slice(0, rows + 1).join('\n') + '\n');
        rmSync(join(runs, run, arm, `seed-${seed}`, 'result.json'), { force: true });
      }
  };

  before(async function () {
    if (!CHROMIUM) {
      process.stderr.write('  skipped: no Chromium found; install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable\n');
      this.skip();
    }
    mkdirSync(runs);
    pair = await twoArmRun(runs, 'pair');
    cpSync(pair, join(runs, 'growing'), { recursive: true });
    rmSync(join(runs, 'growing', 'summary.json'));
    cutTo('growing', 2);
    // A run stopped long ago (its files untouched for a day), that a writer takes up again.
    cpSync(join(runs, 'growing'), join(runs, 'halted'), { recursive: true });
    const dayAgo = new Date(Date.now() - 86_400_000);
    for (const folder of seedFoldersOf('halted')) utimesSync(join(folder, 'metrics.csv'), dayAgo, dayAgo);
    dashboard = await startDashboard({ folders: [runs], port: 0, host: '127.0.0.1' });
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(dashboard.url);
    await page.waitForSelector('#runs li');
  });
  afterEach(() => expect(errors, 'errors thrown on the page').to.deep.equal([]));
  after(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  const chart = (key: string) =>
    page.$eval(`#charts [data-chart="${key}"]`, (el) => ({
      lines: Number((el as HTMLElement).dataset.lines),
      points: Number((el as HTMLElement).dataset.points),
      series: (el as unknown as { uplot: { series: unknown[] } }).uplot.series.length,
    }));
  const openRun = async (id: string, lines: number) => {
    await page.click(`#runs li[data-run="${id}"] button`);
    await page.waitForFunction(
      (n) => document.querySelector('#charts [data-chart="smoothLoss"]')?.getAttribute('data-lines') === String(n),
      { timeout: 10000 },
      lines,
    );
  };

  it('lists the runs and draws one line per arm, each with its inter-quartile band', async () => {
    expect(await page.$$eval('#runs li', (items) => items.map((li) => (li as HTMLElement).dataset.run))).to.deep.equal([
      'runs/growing',
      'runs/halted',
      'runs/pair',
    ]);
    await openRun('runs/pair', 2);
    // uPlot's series: the cycles, then per arm its median and the two quartiles that bound its band.
    expect(await chart('smoothLoss')).to.deep.equal({ lines: 2, points: 6, series: 1 + 2 * 3 });
    expect(await chart('units')).to.include({ lines: 2 });
    expect(await page.$eval('#summary table', (t) => (t as HTMLTableElement).rows.length)).to.equal(3);
  });

  it('shows the structure: a seed’s lifelines on a canvas, one per unit, and births and deaths with one line per arm', async () => {
    await openRun('runs/pair', 2);
    await page.waitForSelector('#births-deaths [data-chart="births-hidden"]', { timeout: 10000 });
    const births = await page.$eval('#births-deaths [data-chart="births-hidden"]', (el) => ({
      lines: Number((el as HTMLElement).dataset.lines),
      series: (el as unknown as { uplot: { series: unknown[] } }).uplot.series.length,
    }));
    expect(births).to.deep.equal({ lines: 2, series: 1 + 2 });
    expect(await page.$('#births-deaths [data-chart="deaths-hidden"]')).to.not.equal(null);
    await page.select('#seed-picker', JSON.stringify(['hard', 1]));
    await page.waitForSelector('#lifelines[data-lifelines]', { timeout: 10000 });
    const units = readLifelines(join(pair, 'hard', 'seed-1')).growables.hidden.lifelines.length;
    expect(await page.$eval('#lifelines', (el) => Number((el as HTMLElement).dataset.lifelines))).to.equal(units);
    // Drawn, not just made: the panel's canvas has coloured (not white, not grey) pixels, at the screen's pixel ratio.
    const drawn = await page.$eval('#lifelines canvas:last-of-type', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4)
        if (pixels[i + 3] > 0 && Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) > 40) coloured++;
      return { coloured, ratio: c.width / c.getBoundingClientRect().width };
    });
    expect(drawn.coloured).to.be.above(100);
    expect(drawn.ratio).to.be.closeTo(await page.evaluate(() => window.devicePixelRatio), 0.01);
    expect(await page.$$eval('#summary ul li strong', (names) => names.map((n) => n.textContent))).to.deep.equal(['easy:', 'hard:']);
    await page.select('#seed-picker', '');
  });

  it('draws the arms of a ticked run on the same charts', async () => {
    await page.click('#runs li[data-run="runs/growing"] input');
    await page.waitForFunction(() => document.querySelector('#charts [data-chart="smoothLoss"]')?.getAttribute('data-lines') === '4', { timeout: 10000 });
    const legend = await page.$$eval('#charts [data-chart="smoothLoss"] .legend span', (keys) => keys.map((k) => k.textContent));
    expect(legend).to.deep.equal(['runs/pair · easy', 'runs/pair · hard', 'runs/growing · easy', 'runs/growing · hard']);
    await page.click('#runs li[data-run="runs/growing"] input');
  });

  it('grows a curve while the run writes', async () => {
    await openRun('runs/growing', 2);
    expect(await chart('smoothLoss')).to.include({ points: 2 });
    expect(await page.$eval('#progress', (p) => p.textContent)).to.match(/^seeds 0\/4 done; running/);
    cutTo('growing', 5);
    await page.waitForFunction(() => document.querySelector('#charts [data-chart="smoothLoss"]')?.getAttribute('data-points') === '5', { timeout: 10000 });
    expect(await chart('smoothLoss')).to.deep.equal({ lines: 2, points: 5, series: 7 });
  });

  it('updates the progress when only it changed (a writer came and went, no row written)', async () => {
    await openRun('runs/halted', 2);
    const progress = () => page.$eval('#progress', (p) => p.textContent ?? '');
    expect(await progress()).to.match(/^seeds 0\/4 done; 4 stopped before a checkpoint \(run --resume starts them again\)/);
    const locks = WriterLocks.take(
      seedFoldersOf('halted').map((folder) => join(folder, RUN_FILES.writerLock)),
      (file) => file,
    );
    try {
      await page.waitForFunction(() => /; running: easy seed 0 at 100\/300/.test(document.getElementById('progress')?.textContent ?? ''), { timeout: 10000 });
    } finally {
      locks.release();
    }
    await page.waitForFunction(() => /4 stopped before a checkpoint/.test(document.getElementById('progress')?.textContent ?? ''), { timeout: 10000 });
  });
});
