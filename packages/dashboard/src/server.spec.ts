import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELD_OUT_COLUMNS, readRunFile } from '@diffstruct/core/host';
import {
  type BirthsAndDeaths,
  birthsInterval,
  medianBirthsAndDeaths,
  readLifelines,
  readRunFolders,
  type SeedLifelines,
  type Summary,
  seedBirthsAndDeaths,
  summarize,
  summaryTable,
} from '@diffstruct/report';
import type { ArmSeries } from './series.js';
import { REFRESH_MS } from './live-run.js';
import { type Dashboard, startDashboard } from './server.js';
import { getJson, rawRequest, twoArmRun } from './test-support.js';

interface RunList {
  runs: { id: string; arms: string[]; progress: { seedsDone: number; seedsTotal: number; complete: boolean }; problem?: string }[];
}
interface BirthsDeaths {
  interval: number;
  arms: { name: string; seeds: number; cycles: number[]; families: BirthsAndDeaths['families'] }[];
  familiesLeftOut: number;
  problems: { arm: string; seed: number; problem: string }[];
}
interface Curves {
  version: number;
  arms: ArmSeries[];
}

const SECRET = 'top secret, outside the served folder';

describe('diffstruct serve: the API', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'diffstruct-serve-'));
  const runs = join(dir, 'runs');
  const outside = join(dir, 'outside');
  let pair: string;
  let dashboard: Dashboard;
  let url: string;

  before(async () => {
    mkdirSync(runs);
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), SECRET);
    pair = await twoArmRun(runs, 'pair');
    // A run followed while it writes: the pair's easy seed 0 with only its first 2 rows, no result yet.
    cpSync(pair, join(runs, 'growing'), { recursive: true });
    // Runs whose files lead outside: a seed folder and a metrics.csv that are links, and a run folder that is one.
    cpSync(pair, join(runs, 'linked'), { recursive: true });
    rmSync(join(runs, 'linked', 'easy', 'seed-0'), { recursive: true });
    cpSync(join(pair, 'easy', 'seed-0'), join(outside, 'seed-0'), { recursive: true });
    symlinkSync(join(outside, 'seed-0'), join(runs, 'linked', 'easy', 'seed-0'));
    unlinkSync(join(runs, 'linked', 'hard', 'seed-1', 'metrics.csv'));
    symlinkSync(join(outside, 'secret.txt'), join(runs, 'linked', 'hard', 'seed-1', 'metrics.csv'));
    cpSync(pair, join(outside, 'elsewhere'), { recursive: true });
    symlinkSync(join(outside, 'elsewhere'), join(runs, 'a-link'));
    dashboard = await startDashboard({ folders: [runs], port: 0, host: '127.0.0.1' });
    url = dashboard.url;
  });
  after(() => dashboard?.close());

  const metricsOf = (run: string, arm: string, seed: number) => join(runs, run, arm, `seed-${seed}`, 'metrics.csv');
  const cutTo = (file: string, rows: number) => {
    const lines = readFileSync(join(pair, file.slice(join(runs, 'growing').length + 1)), 'utf8').split('\n');
    writeFileSync(file, lines.slice(0, rows + 1).join('\n') + '\n');
  };

  it('lists the run folders under the folder, not following links out of it', async () => {
    const { runs: list } = await getJson<RunList>(url, '/api/runs');
    expect(list.map((r) => r.id)).to.deep.equal(['runs/growing', 'runs/linked', 'runs/pair']);
    const listed = list.find((r) => r.id === 'runs/pair');
    expect(listed?.arms).to.deep.equal(['easy', 'hard']);
    expect(listed?.progress).to.include({ seedsDone: 4, seedsTotal: 4, complete: true });
  });

  it('sends per arm the medians and quartiles report computes (its summarize), one line per arm', async () => {
    const { arms } = await getJson<Curves>(url, '/api/curves?run=runs/pair');
    const expected = summarize(readRunFolders([pair])).arms;
    expect(arms.map((a) => a.name)).to.deep.equal(['easy', 'hard']);
    arms.forEach((arm, i) => {
      expect(arm.cycle).to.deep.equal(expected[i].curve.map((p) => p.cycle));
      expect(arm.smoothLoss.median).to.deep.equal(expected[i].curve.map((p) => p.loss.median));
      expect(arm.units.q75).to.deep.equal(expected[i].curve.map((p) => p.units.q75));
      expect(arm.cycle).to.have.length(6);
    });
  });

  it('follows a run while it writes: rows appended to metrics.csv show up, and an unchanged run answers 304', async () => {
    const file = metricsOf('growing', 'easy', 0);
    cutTo(file, 2);
    rmSync(join(runs, 'growing', 'easy', 'seed-0', 'result.json'));
    await new Promise((r) => setTimeout(r, 1100));
    const first = await rawRequest(url, '/api/curves?run=runs/growing');
    const before = JSON.parse(first.body) as Curves;
    const seed0 = (c: Curves) => c.arms[0].smoothLoss.median.length;
    expect(seed0(before), 'the other easy seed has all 6 rows').to.equal(6);
    const etag = String(first.headers.etag);
    const unchanged = await rawRequest(url, '/api/curves?run=runs/growing', { headers: { 'If-None-Match': etag } });
    expect(unchanged.status).to.equal(304);
    expect(unchanged.body).to.equal('');

    const { seeds } = await getJson<{ seeds: unknown[] }>(url, '/api/run?run=runs/growing');
    expect(seeds).to.have.length(4);
    const seed = await getJson<{ columns: Record<string, number[]> }>(url, '/api/seed?run=runs/growing&arm=easy&seed=0');
    expect(seed.columns.cycle).to.deep.equal([50, 100]);
    cutTo(file, 5);
    await new Promise((r) => setTimeout(r, 1100));
    const after = await getJson<Curves>(url, '/api/curves?run=runs/growing');
    expect(after.version).to.be.above(before.version);
    const grown = await getJson<{ columns: Record<string, number[]> }>(url, '/api/seed?run=runs/growing&arm=easy&seed=0');
    expect(grown.columns.cycle).to.deep.equal([50, 100, 150, 200, 250]);
    const progress = (await getJson<RunList>(url, '/api/runs')).runs.find((r) => r.id === 'runs/growing')?.progress;
    expect(progress).to.include({ seedsDone: 3, seedsTotal: 4, complete: false });
  });

  it('sends a seed’s lifelines as report’s readLifelines reads them, 304 while its files are unchanged', async () => {
    const seedFolder = join(pair, 'hard', 'seed-1');
    const sent = await rawRequest(url, '/api/lifelines?run=runs/pair&arm=hard&seed=1');
    const { lifelines } = JSON.parse(sent.body) as { lifelines: SeedLifelines };
    expect(lifelines).to.deep.equal(JSON.parse(JSON.stringify(readLifelines(seedFolder))));
    expect(Object.values(lifelines.growables)[0].lifelines.length, 'a run that grew').to.be.above(2);
    const again = await rawRequest(url, '/api/lifelines?run=runs/pair&arm=hard&seed=1', { headers: { 'If-None-Match': String(sent.headers.etag) } });
    expect(again.status).to.equal(304);
  });

  it('reads a seed’s lifelines again when its files change, as while the run writes', async () => {
    const events = join(runs, 'growing', 'hard', 'seed-0', 'events.jsonl');
    const whole = readFileSync(events, 'utf8');
    writeFileSync(events, whole.split('\n').slice(0, 2).join('\n') + '\n');
    const path = '/api/lifelines?run=runs/growing&arm=hard&seed=0';
    const cut = await getJson<{ lifelines: SeedLifelines }>(url, path);
    expect(cut.lifelines).to.deep.equal(JSON.parse(JSON.stringify(readLifelines(join(runs, 'growing', 'hard', 'seed-0')))));
    writeFileSync(events, whole);
    const grown = await getJson<{ lifelines: SeedLifelines }>(url, path);
    expect(grown.lifelines).to.not.deep.equal(cut.lifelines);
    expect(grown.lifelines).to.deep.equal(JSON.parse(JSON.stringify(readLifelines(join(runs, 'growing', 'hard', 'seed-0')))));
  });

  it('sends births and deaths per interval per arm: the median over seeds report’s births-deaths figure draws', async () => {
    const sent = await getJson<BirthsDeaths>(url, '/api/births-deaths?run=runs/pair');
    const interval = birthsInterval(300);
    expect(sent.interval).to.equal(interval);
    expect(sent.familiesLeftOut, 'one family: none left out').to.equal(0);
    expect(sent.arms.map((a) => a.name)).to.deep.equal(['easy', 'hard']);
    for (const arm of sent.arms) {
      const seeds = [0, 1].map((seed) => seedBirthsAndDeaths(join(pair, arm.name, `seed-${seed}`), interval, 300));
      const expected = medianBirthsAndDeaths(seeds, interval, 300);
      expect(arm).to.deep.equal({ name: arm.name, seeds: 2, cycles: expected.cycles, families: expected.families });
    }
    expect(
      sent.arms[1].families.hidden.births.reduce((a, b) => a + b),
      'units were added',
    ).to.be.above(0);
    const linked = await getJson<BirthsDeaths>(url, '/api/births-deaths?run=runs/linked');
    expect(linked.problems).to.deep.equal([{ arm: 'hard', seed: 1, problem: `${metricsOf('linked', 'hard', 1)}: lies outside the served folder` }]);
    const refused = await rawRequest(url, '/api/lifelines?run=runs/linked&arm=hard&seed=1');
    expect(refused.status).to.equal(422);
    expect(refused.body).to.not.contain('secret');
  });

  it('counts in births and deaths only the seeds report’s figure counts: a seed folder its run locked but not begun is no zero', async () => {
    const before = await getJson<BirthsDeaths>(url, '/api/births-deaths?run=runs/pair');
    const queued = join(pair, 'hard', 'seed-2');
    mkdirSync(queued);
    try {
      await new Promise((r) => setTimeout(r, REFRESH_MS + 100));
      const after = await getJson<BirthsDeaths>(url, '/api/births-deaths?run=runs/pair');
      expect(after.arms).to.deep.equal(before.arms);
      expect((await rawRequest(url, '/api/lifelines?run=runs/pair&arm=hard&seed=2')).status, 'nothing to draw yet').to.equal(404);
      expect((await rawRequest(url, '/api/seed?run=runs/pair&arm=hard&seed=2')).status).to.equal(404);
    } finally {
      rmSync(queued, { recursive: true });
    }
  });

  it('tells its curves’ versions from those of another LiveRun of the same run (each counts from 0)', async () => {
    const [one, two] = await Promise.all([0, 1].map(() => startDashboard({ folders: [runs], port: 0, host: '127.0.0.1' })));
    try {
      const first = await rawRequest(one.url, '/api/curves?run=runs/pair');
      const etag = String(first.headers.etag);
      const other = await rawRequest(two.url, '/api/curves?run=runs/pair', { headers: { 'If-None-Match': etag } });
      expect(other.status).to.equal(200);
      expect((JSON.parse(other.body) as Curves).version, 'the same version, read the same way').to.equal((JSON.parse(first.body) as Curves).version);
      expect(other.headers.etag).to.not.equal(etag);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('moves a run’s version when its summary.json is written, so the page fetches it after the last row', async () => {
    const etag = String((await rawRequest(url, '/api/curves?run=runs/pair')).headers.etag);
    expect((await rawRequest(url, '/api/curves?run=runs/pair', { headers: { 'If-None-Match': etag } })).status).to.equal(304);
    const file = join(pair, 'summary.json');
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    await new Promise((r) => setTimeout(r, REFRESH_MS + 100));
    expect((await rawRequest(url, '/api/curves?run=runs/pair', { headers: { 'If-None-Match': etag } })).status).to.equal(200);
  });

  it('sends the resolved config and report’s summary table of summary.json', async () => {
    const run = await getJson<{ config: string; summaryTable: string | null }>(url, '/api/run?run=runs/pair');
    expect(run.config).to.equal(readFileSync(join(pair, 'config.yaml'), 'utf8'));
    expect(run.summaryTable).to.equal(summaryTable(JSON.parse(readRunFile(join(pair, 'summary.json'), 'summary')) as Summary));
  });

  it('shows a summary.json that does not read as a problem of its run, not a 500', async () => {
    const file = join(runs, 'growing', 'summary.json');
    writeFileSync(file, '{"arms": [');
    const broken = await getJson<{ summaryTable: string | null; summaryProblem?: string }>(url, '/api/run?run=runs/growing');
    expect(broken.summaryTable).to.equal(null);
    expect(broken.summaryProblem).to.satisfy((problem: string) => problem.startsWith(`${file}: not JSON (`));
    writeFileSync(file, '{}');
    const odd = await getJson<{ summaryProblem?: string }>(url, '/api/run?run=runs/growing');
    expect(odd.summaryProblem).to.contain(`${file}: not a summary report wrote (`);
  });

  it('sends the held-out columns core’s runs log, with their titles (the page keeps no list of its own)', async () => {
    const run = await getJson<{ heldOutTitles: Record<string, string> }>(url, '/api/run?run=runs/pair');
    expect(Object.keys(run.heldOutTitles)).to.deep.equal(Object.values(HELD_OUT_COLUMNS));
    for (const title of Object.values(run.heldOutTitles)) expect(title).to.match(/^validation /);
  });

  it('walks the folders again at most once a REFRESH_MS', async () => {
    const listed = async () => (await getJson<RunList>(url, '/api/runs')).runs.map((r) => r.id);
    await new Promise((r) => setTimeout(r, REFRESH_MS + 100));
    const walked = Date.now();
    await listed();
    mkdirSync(join(runs, 'late'));
    cpSync(join(pair, 'config.yaml'), join(runs, 'late', 'config.yaml'));
    const soon = await listed();
    if (Date.now() - walked < REFRESH_MS) expect(soon).to.not.include('runs/late');
    await new Promise((r) => setTimeout(r, REFRESH_MS + 100));
    expect(await listed()).to.include('runs/late');
    rmSync(join(runs, 'late'), { recursive: true });
  });

  it('reads no file whose real path is outside the served folder: a linked seed folder is left out, a linked metrics.csv is a problem', async () => {
    const run = await getJson<{ seeds: { arm: string; seed: number }[]; problems: { problem: string }[] }>(url, '/api/run?run=runs/linked');
    expect(run.seeds).to.deep.equal([
      { arm: 'easy', seed: 1 },
      { arm: 'hard', seed: 0 },
      { arm: 'hard', seed: 1 },
    ]);
    expect(run.problems.map((p) => p.problem)).to.deep.equal([`${metricsOf('linked', 'hard', 1)}: lies outside the served folder`]);
    const seed = await rawRequest(url, '/api/seed?run=runs/linked&arm=hard&seed=1');
    expect(seed.body).to.not.contain('secret');
    expect((await rawRequest(url, '/api/run?run=runs/a-link')).status).to.equal(404);
  });

  it('refuses every other method with 405 (read-only), and answers HEAD without a body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const reply = await rawRequest(url, '/api/runs', { method });
      expect(reply.status, method).to.equal(405);
      expect(reply.headers.allow).to.equal('GET, HEAD');
    }
    const head = await rawRequest(url, '/', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.body).to.equal('');
  });

  it('refuses path traversal, plain and encoded, in the path and in a run’s name', async () => {
    const attempts = [
      '/../outside/secret.txt',
      '/%2e%2e/outside/secret.txt',
      '/%2E%2E%2Foutside%2Fsecret.txt',
      '/%252e%252e/outside/secret.txt',
      '/..%5coutside%5csecret.txt',
      '/..\\outside\\secret.txt',
      `/${join(outside, 'secret.txt')}`,
      `//${join(outside, 'secret.txt')}`,
      '/index.html%00.txt',
      '/vendor/../../outside/secret.txt',
      '/vendor/%2e%2e%2f%2e%2e%2fpackage.json',
      '/runs/pair/config.yaml',
      '/api/runs/../../outside/secret.txt',
      '/api/run?run=../outside',
      '/api/run?run=runs/../../outside',
      '/api/run?run=%2e%2e%2foutside',
      '/api/run?run=%252e%252e%252foutside',
      '/api/run?run=runs%5c..%5c..%5coutside',
      `/api/run?run=${encodeURIComponent(join(outside, 'elsewhere'))}`,
      '/api/run?run=runs/pair%00',
      '/api/seed?run=runs/pair&arm=../../outside&seed=0',
      '/api/seed?run=runs/pair&arm=easy&seed=../../outside',
      '/api/lifelines?run=runs/pair&arm=../../outside&seed=0',
      '/api/lifelines?run=runs/pair&arm=easy&seed=..%2f..%2foutside',
      '/api/lifelines?run=runs/pair&arm=easy&seed=7',
      '/api/lifelines?run=%2e%2e%2foutside&arm=easy&seed=0',
      `/api/lifelines?run=${encodeURIComponent(join(outside, 'elsewhere'))}&arm=easy&seed=0`,
      '/api/births-deaths?run=runs/../../outside',
      '/api/births-deaths?run=%252e%252e%252foutside',
    ];
    for (const path of attempts) {
      const reply = await rawRequest(url, path);
      expect(reply.status, path).to.equal(404);
      expect(reply.body, path).to.not.contain('secret');
    }
  });

  it('answers only requests addressed to this machine’s loopback (no DNS rebinding)', async () => {
    expect((await rawRequest(url, '/api/runs', { headers: { Host: 'attacker.example:80' } })).status).to.equal(403);
    expect((await rawRequest(url, '/api/runs', { headers: { Host: `localhost:${new URL(url).port}` } })).status).to.equal(200);
  });

  it('checks the Host also when it listens on every network (0.0.0.0 answers on loopback too)', async () => {
    const everywhere = await startDashboard({ folders: [runs], port: 0, host: '0.0.0.0' });
    try {
      const local = `http://127.0.0.1:${new URL(everywhere.url).port}/`;
      expect((await rawRequest(local, '/api/runs', { headers: { Host: 'evil.example' } })).status).to.equal(403);
      expect((await rawRequest(local, '/api/runs', { headers: { Host: `${hostname()}:${new URL(local).port}` } })).status).to.equal(200);
      expect((await rawRequest(local, '/api/runs')).status).to.equal(200);
    } finally {
      await everywhere.close();
    }
  });

  it('serves the page and uPlot from its npm package, with safety headers', async () => {
    const page = await rawRequest(url, '/');
    expect(page.body).to.contain('<script type="module" src="/app.js">');
    expect(page.headers['content-security-policy']).to.contain("default-src 'self'");
    const uplot = await rawRequest(url, '/vendor/uPlot.esm.js');
    expect(uplot.status).to.equal(200);
    expect(uplot.headers['content-type']).to.contain('text/javascript');
    expect(uplot.body).to.contain('export { uPlot as default }');
  });
});
