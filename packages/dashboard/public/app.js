import { getBirthsDeaths, getCurves, getLifelines, getRun, getSeed, listRuns } from './api.js';
import { drawChart } from './charts.js';
import { drawLifelines } from './lifelines.js';
import { renderMarkdown } from './tables.js';

/** The page polls this often; the server reads only what the runs appended since. */
const POLL_MS = 2000;
const CHART_WIDTH = 560;
/** Two charts and the gap between them. */
const LIFELINES_WIDTH = 2 * CHART_WIDTH + 12;

/** `heldOutTitles`: the held-out columns runs log and their titles, as the server sends them with a run. */
const state = { open: undefined, compared: new Set(), seed: '', heldOutTitles: {} };
const $ = (id) => document.getElementById(id);

function duration(seconds) {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function describeProgress(p) {
  if (!p) return '';
  const failed = p.seedsFailed ? `, ${p.seedsFailed} failed (the error is in its result.json)` : '';
  const seeds = `seeds ${p.seedsDone}/${p.seedsTotal} done${failed}`;
  if (p.complete) return `${seeds}: complete`;
  const elsewhere = p.unfinished['not started'] ? [`${p.unfinished['not started']} not in this folder (another shard?)`] : [];
  if (!p.inFlight) {
    // As report says it: run --resume continues a seed from its checkpoint, and starts one without any again.
    const stopped = p.unfinished.stopped ? [`${p.unfinished.stopped} stopped with a checkpoint (run --resume continues them)`] : [];
    const interrupted = p.unfinished.interrupted ? [`${p.unfinished.interrupted} stopped before a checkpoint (run --resume starts them again)`] : [];
    return [seeds, ...stopped, ...interrupted, ...elsewhere].join('; ');
  }
  const running = p.running.map((r) => `${r.arm} seed ${r.seed} at ${r.cycle}/${r.cycles}`).join(', ');
  const eta = p.etaSeconds === undefined ? 'ETA: measuring…' : `${Math.round(p.cyclesPerSecond)} cycles/s, ETA ${duration(p.etaSeconds)}`;
  return [seeds, `running: ${running || '—'}`, eta, ...elsewhere].join('; ');
}

function renderRunList(runs) {
  const list = $('runs');
  list.replaceChildren();
  for (const run of runs) {
    const item = list.appendChild(document.createElement('li'));
    item.dataset.run = run.id;
    item.classList.toggle('open', run.id === state.open);
    const tick = item.appendChild(document.createElement('input'));
    tick.type = 'checkbox';
    tick.title = 'compare: draw its arms on the open run’s charts';
    tick.checked = state.compared.has(run.id);
    tick.addEventListener('change', () => {
      if (tick.checked) state.compared.add(run.id);
      else state.compared.delete(run.id);
      refreshCharts(true);
    });
    const open = item.appendChild(document.createElement('button'));
    open.textContent = run.id;
    open.title = run.description ?? run.name;
    open.addEventListener('click', () => openRun(run.id));
    const status = item.appendChild(document.createElement('span'));
    status.className = run.progress?.inFlight ? 'state live' : 'state';
    status.textContent = run.problem ? 'unreadable' : run.progress?.inFlight ? 'live' : `${run.progress?.seedsDone ?? 0}/${run.progress?.seedsTotal ?? 0}`;
  }
}

/** Each arm's band of one measure (`pick(arm)`) as chart lines, labelled with the run when several are drawn. */
function linesOf(curves, pick, withRun) {
  return curves.flatMap(({ id, arms }) =>
    arms.flatMap((arm) => {
      const band = pick(arm);
      return band ? [{ label: withRun ? `${id} · ${arm.name}` : arm.name, cycle: arm.cycle, ...band }] : [];
    }),
  );
}

/** The chart `key` in the container `within` (by id), made when missing. */
function chartHolder(key, within = 'charts') {
  let holder = document.querySelector(`#${within} [data-chart="${key}"]`);
  if (!holder) {
    holder = $(within).appendChild(document.createElement('div'));
    holder.dataset.chart = key;
  }
  return holder;
}

/** Draws the open run's curves (and the compared runs'); false when nothing changed since the last time. */
async function refreshCharts(force = false) {
  if (!state.open) return false;
  const ids = [state.open, ...[...state.compared].filter((id) => id !== state.open)];
  const curves = await Promise.all(ids.map(getCurves));
  if (!force && curves.every((c) => c.unchanged)) return false;
  const withRun = ids.length > 1;
  const measures = [
    ['smoothLoss', 'smooth loss (median, inter-quartile band over seeds)', (arm) => arm.smoothLoss],
    ['units', 'units', (arm) => arm.units],
  ];
  const families = [...new Set(curves.flatMap((c) => c.arms.flatMap((arm) => Object.keys(arm.growables))))];
  if (families.length > 1) for (const f of families) measures.push([`growable-${f}`, `units of ${f}`, (arm) => arm.growables[f]]);
  const heldOut = [...new Set(curves.flatMap((c) => c.arms.flatMap((arm) => Object.keys(arm.heldOut))))];
  for (const column of heldOut) measures.push([column, state.heldOutTitles[column] ?? column, (arm) => arm.heldOut[column]]);
  const keys = new Set(measures.map(([key]) => key));
  for (const old of document.querySelectorAll('#charts [data-chart]')) if (!keys.has(old.dataset.chart)) old.remove();
  for (const [key, title, pick] of measures) drawChart(chartHolder(key), title, linesOf(curves, pick, withRun), CHART_WIDTH);
  return true;
}

async function refreshSeed() {
  const holder = $('seed-charts');
  if (!state.seed) return holder.replaceChildren();
  const [arm, seed] = JSON.parse(state.seed);
  const { columns } = await getSeed(state.open, arm, seed);
  const line = (name) => ({ label: `${arm} seed ${seed}: ${name}`, cycle: columns.cycle, median: columns[name] });
  const names = ['smoothLoss', 'units', ...Object.keys(state.heldOutTitles).filter((c) => columns[c])];
  const existing = [...holder.children];
  names.forEach((name, i) => {
    const chart = existing[i] ?? holder.appendChild(document.createElement('div'));
    drawChart(chart, `${name} of ${arm} seed ${seed}`, [line(name)], CHART_WIDTH);
  });
  for (const extra of existing.slice(names.length)) extra.remove();
}

/** Units added and removed per interval, a chart of each per growable family (the busiest, as report draws), one stepped line per arm. */
function drawBirthsDeaths({ interval, arms, familiesLeftOut }) {
  const families = [...new Set(arms.flatMap((arm) => Object.keys(arm.families)))];
  const keys = new Set();
  for (const family of families)
    for (const [kind, verb] of [
      ['births', 'added'],
      ['deaths', 'removed'],
    ]) {
      const key = `${kind}-${family}`;
      keys.add(key);
      const lines = arms.map((arm) => {
        const counts = arm.families[family]?.[kind] ?? arm.cycles.map(() => 0);
        // A step per interval, ending at its last cycle: the first starts at cycle 0.
        return { label: arm.name, cycle: [0, ...arm.cycles], median: [counts[0], ...counts] };
      });
      const of = families.length > 1 ? ` (${family})` : '';
      drawChart(chartHolder(key, 'births-deaths'), `units ${verb}${of} per ${interval.toLocaleString('en-US')} cycles, median over seeds`, lines, CHART_WIDTH, {
        stepped: true,
      });
    }
  for (const old of document.querySelectorAll('#births-deaths [data-chart]')) if (!keys.has(old.dataset.chart)) old.remove();
  $('births-deaths-none').hidden = families.length > 0;
  const left = $('births-deaths-left');
  left.hidden = !familiesLeftOut;
  left.textContent = `The ${families.length} families with the most units added and removed; ${familiesLeftOut} more not drawn.`;
}

/** The structure section: births and deaths per arm, and the lifelines of the seed chosen above; redrawn only when they changed. */
async function refreshStructure(force = false) {
  if (!state.open) return;
  const run = state.open;
  const counts = await getBirthsDeaths(run);
  if (run !== state.open) return;
  $('structure').hidden = false;
  if (force || !counts.unchanged) drawBirthsDeaths(counts);
  const holder = $('lifelines');
  if (!state.seed) {
    holder.replaceChildren(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Choose a seed above to see its unit lifelines.' }));
    delete holder.dataset.lifelines;
    return;
  }
  const chosen = state.seed;
  const [arm, seed] = JSON.parse(chosen);
  const data = await getLifelines(run, arm, seed);
  if (chosen !== state.seed || run !== state.open || (!force && data.unchanged)) return;
  const width = Math.max(400, Math.min(LIFELINES_WIDTH, $('structure').clientWidth));
  drawLifelines(holder, `Unit lifelines of ${arm} seed ${seed}`, data.lifelines, width);
}

/** What changes as a run goes on besides its curves: its summary (once it ends), problems, and the seeds begun so far. */
function showRunDetails(run) {
  if (run.summaryTable) renderMarkdown($('summary'), run.summaryTable);
  else $('summary').textContent = run.summaryProblem ?? 'No summary.json yet: the run writes it (through report) when it ends.';
  $('problems').replaceChildren(
    ...run.problems.map((p) => Object.assign(document.createElement('li'), { textContent: `${p.arm} seed ${p.seed}: ${p.problem}` })),
  );
  const picker = $('seed-picker');
  const values = ['', ...run.seeds.map((s) => JSON.stringify([s.arm, s.seed]))];
  if (values.join('\n') !== [...picker.options].map((o) => o.value).join('\n'))
    picker.replaceChildren(new Option('choose a seed…', ''), ...run.seeds.map((s) => new Option(`${s.arm} seed ${s.seed}`, JSON.stringify([s.arm, s.seed]))));
  picker.value = state.seed;
}

async function openRun(id) {
  state.open = id;
  state.seed = '';
  $('charts').replaceChildren();
  $('seed-charts').replaceChildren();
  $('births-deaths').replaceChildren();
  $('structure').hidden = true;
  const run = await getRun(id);
  $('empty').hidden = true;
  $('run').hidden = false;
  // Two folders may hold runs of one experiment name: the folder tells them apart.
  $('run-name').textContent = run.name === id ? id : `${run.name} — ${id}`;
  $('run-description').textContent = run.description ?? '';
  $('config').textContent = run.config;
  $('progress').textContent = describeProgress(run.progress);
  state.heldOutTitles = run.heldOutTitles;
  showRunDetails(run);
  for (const item of document.querySelectorAll('#runs li')) item.classList.toggle('open', item.dataset.run === id);
  await refreshCharts(true);
  await refreshStructure(true);
}

async function poll() {
  try {
    const { runs } = await listRuns();
    renderRunList(runs);
    // Progress changes with time (ETA, a writer gone) when no row does: it comes with the list, which is never answered 304.
    const listed = runs.find((run) => run.id === state.open);
    if (listed) $('progress').textContent = describeProgress(listed.progress);
    const open = state.open;
    if ((await refreshCharts()) && open === state.open) showRunDetails(await getRun(open));
    if (state.seed) await refreshSeed();
    await refreshStructure();
    document.body.dataset.polled = String(Number(document.body.dataset.polled ?? 0) + 1);
  } catch (error) {
    $('progress').textContent = `the server did not answer (${error.message}); still trying`;
  }
  setTimeout(poll, POLL_MS);
}

$('seed-picker').addEventListener('change', (event) => {
  state.seed = event.target.value;
  refreshSeed();
  refreshStructure(true);
});
poll();
