// A seed's unit lifelines drawn on <canvas> (a wide run has thousands of segments): each unit a
// horizontal line from its birth to its removal (or the last cycle), coloured by its |multiplier| on
// a log scale as report's lifelines figure is, inherited units and task switches marked.

/** Panels drawn at most (a residual run has a growable per block), the ones with the most units: report's MAX_LIFELINE_PANELS (lifelines-page.spec keeps them equal). */
const MAX_PANELS = 4;
/** The colour scale's lowest |multiplier|, report's LIFELINE_LOWEST_SHOWN (kept equal by lifelines-page.spec): below it, dying units look alike. */
const LOWEST_SHOWN = 0.005;
/** Colours the scale is cut into: the segments of one colour are stroked as one path. */
const STEPS = 64;
const VIRIDIS = ['#440154', '#472c7a', '#3b528b', '#2c718e', '#21918c', '#27ad81', '#5ec962', '#aadc32', '#fde725'];
const UNKNOWN = '#bbbbbb';
const INHERITED = '#d62728';
const MARGIN = { left: 44, right: 10, top: 6, bottom: 36 };

const rgb = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/** Viridis at t in [0, 1], interpolated between its nine anchors. */
function viridis(t) {
  const position = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const low = Math.floor(position);
  const high = Math.min(VIRIDIS.length - 1, low + 1);
  const [a, b] = [rgb(VIRIDIS[low]), rgb(VIRIDIS[high])];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * (position - low))).join(',')})`;
}
const PALETTE = Array.from({ length: STEPS }, (_, i) => viridis(i / (STEPS - 1)));

/** |m| → its step of the colour scale (log from LOWEST_SHOWN to `high`, clamped), or STEPS for no multiplier known. */
function scaleOf(high) {
  const low = Math.log(LOWEST_SHOWN);
  const span = Math.log(Math.max(high, 2 * LOWEST_SHOWN)) - low;
  return (m) => {
    if (m === null || m === 0 || !Number.isFinite(m)) return STEPS;
    const t = (Math.log(Math.abs(m)) - low) / span;
    return Math.min(STEPS - 1, Math.max(0, Math.round(t * (STEPS - 1))));
  };
}

/** A canvas of `width` × `height` CSS pixels backed by device pixels, so lines stay crisp on high-DPI screens. */
function crispCanvas(width, height) {
  const canvas = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { canvas, context };
}

/** Round ticks (1, 2 or 5 × 10^k apart) from 0 to `end`, about `count` of them. */
function ticks(end, count) {
  const rough = end / count;
  const power = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  return Array.from({ length: Math.floor(end / step) + 1 }, (_, i) => i * step);
}

const short = (value) => {
  if (value >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toPrecision(3)}k`;
  return String(+value.toPrecision(3));
};

/** One growable's lifelines; returns the canvas. */
function drawPanel(lifelines, switches, lastCycle, width, colourStep) {
  const units = lifelines.length;
  const plotHeight = Math.min(420, Math.max(120, units * 4));
  const { canvas, context } = crispCanvas(width, plotHeight + MARGIN.top + MARGIN.bottom);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const end = Math.max(1, lastCycle);
  const x = (cycle) => MARGIN.left + (Math.min(cycle, end) / end) * plotWidth;
  const rowHeight = plotHeight / Math.max(1, units);
  const y = (row) => MARGIN.top + (row + 0.5) * rowHeight;
  // Lines on whole device pixels: stretches of different colours then meet without a faint seam.
  const ratio = window.devicePixelRatio || 1;
  const lineWidth = Math.max(1, Math.round(Math.min(3, 0.7 * rowHeight) * ratio));
  const snapX = (cycle) => Math.round(x(cycle) * ratio) / ratio;
  const snapY = (row) => (Math.floor(y(row) * ratio) + (lineWidth % 2 ? 0.5 : 0)) / ratio;
  const paths = Array.from({ length: STEPS + 1 }, () => new Path2D());
  const marks = new Path2D();
  const mark = Math.min(5, Math.max(2.5, rowHeight));
  lifelines.forEach((line, row) => {
    const at = snapY(row);
    let drawn = false;
    const segment = (from, to, m) => {
      const [left, right] = [snapX(from), snapX(to)];
      if (right <= left) return;
      paths[colourStep(m)].moveTo(left, at);
      paths[colourStep(m)].lineTo(right, at);
      drawn = true;
    };
    // As report draws it: each stretch coloured by the multiplier at its start.
    const stop = line.death ?? lastCycle;
    let from = line.birth;
    let m = line.samples[0]?.[1] ?? null;
    for (const [cycle, value] of line.samples) {
      if (cycle > from) segment(from, cycle, m);
      from = Math.max(from, cycle);
      m = value;
    }
    if (stop > from) segment(from, stop, m);
    // A life shorter than a pixel is still drawn, a pixel long.
    if (!drawn) {
      paths[colourStep(line.samples[0]?.[1] ?? null)].moveTo(snapX(line.birth), at);
      paths[colourStep(line.samples[0]?.[1] ?? null)].lineTo(snapX(line.birth) + 1 / ratio, at);
    }
    if (line.inherited) {
      marks.moveTo(x(line.birth), at - mark);
      marks.lineTo(x(line.birth) + mark * 1.4, at);
      marks.lineTo(x(line.birth), at + mark);
      marks.closePath();
    }
  });
  context.lineWidth = lineWidth / ratio;
  paths.forEach((path, step) => {
    context.strokeStyle = step === STEPS ? UNKNOWN : PALETTE[step];
    context.stroke(path);
  });
  context.fillStyle = INHERITED;
  context.fill(marks);
  context.strokeStyle = '#444';
  context.lineWidth = 1;
  context.setLineDash([6, 4]);
  for (const cycle of switches) {
    context.beginPath();
    context.moveTo(Math.round(x(cycle)) + 0.5, MARGIN.top);
    context.lineTo(Math.round(x(cycle)) + 0.5, MARGIN.top + plotHeight);
    context.stroke();
  }
  context.setLineDash([]);
  context.strokeStyle = '#ddd';
  context.strokeRect(MARGIN.left - 0.5, MARGIN.top - 0.5, plotWidth + 1, plotHeight + 1);
  context.fillStyle = '#444';
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const cycle of ticks(end, Math.max(2, Math.floor(plotWidth / 90)))) context.fillText(short(cycle), x(cycle), MARGIN.top + plotHeight + 5);
  context.fillText('cycle', MARGIN.left + plotWidth / 2, MARGIN.top + plotHeight + 20);
  // Units numbered by birth, as report's figure does: the first born at the top.
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const row of ticks(Math.max(1, units - 1), Math.max(2, Math.floor(plotHeight / 40)))) context.fillText(String(row), MARGIN.left - 4, y(row));
  context.textAlign = 'center';
  context.textBaseline = 'top';
  context.save();
  context.translate(8, MARGIN.top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.fillText('units, by birth', 0, -6);
  context.restore();
  return canvas;
}

/** The colour scale's key: a bar from LOWEST_SHOWN to `high`, labelled at powers of ten. */
function drawScaleKey(high) {
  const width = 240;
  const { canvas, context } = crispCanvas(width, 30);
  const top = Math.max(high, 2 * LOWEST_SHOWN);
  const bar = { left: 8, width: width - 16 };
  for (let i = 0; i < bar.width; i++) {
    context.fillStyle = viridis(i / (bar.width - 1));
    context.fillRect(bar.left + i, 0, 1, 12);
  }
  const at = (m) => bar.left + ((Math.log(m) - Math.log(LOWEST_SHOWN)) / (Math.log(top) - Math.log(LOWEST_SHOWN))) * bar.width;
  context.fillStyle = '#444';
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (let power = Math.ceil(Math.log10(LOWEST_SHOWN)); 10 ** power <= top; power++) {
    context.fillRect(at(10 ** power), 12, 1, 3);
    context.fillText(String(10 ** power), at(10 ** power), 16);
  }
  return canvas;
}

/**
 * Draws report's `readLifelines` of one seed into `holder`: a panel per growable (the first
 * MAX_PANELS in the order the server sends them, report's choice first, saying so when there are
 * more), one colour scale for all. Records on the holder how many lifelines it drew
 * (`data-lifelines`) and in how many panels, for whoever checks the page.
 */
export function drawLifelines(holder, title, data, width) {
  const growables = Object.entries(data.growables);
  const shown = growables.slice(0, MAX_PANELS);
  const magnitudes = shown.flatMap(([, g]) => g.lifelines.flatMap((l) => l.samples.map(([, m]) => (m === null ? 0 : Math.abs(m)))));
  const high = magnitudes.reduce((a, b) => Math.max(a, b), 0) || 1;
  const heading = document.createElement('h4');
  heading.textContent = title;
  const notes = [];
  if (growables.length > shown.length) {
    const families = new Set(growables.map(([, g]) => g.family)).size;
    notes.push(
      families > 1
        ? `${shown.length} of ${growables.length} growables: each family's largest first, then the others, by size`
        : `the ${shown.length} largest of ${growables.length} growables`,
    );
  }
  if (!data.sampled) notes.push('no multipliers.jsonl (a run from before it): multipliers at births and removals only');
  if (!growables.length) notes.push('no unit logged yet');
  const key = document.createElement('div');
  key.className = 'lifelines-key';
  const label = (text, className) => Object.assign(document.createElement('span'), { textContent: text, className });
  key.append(label('|multiplier| (log scale)'), drawScaleKey(high));
  if (shown.some(([, g]) => g.lifelines.some((l) => l.inherited))) key.append(label('▶ inherited unit', 'inherited'));
  if (data.switches.length) key.append(label('┆ task switch'));
  const note = Object.assign(document.createElement('p'), { className: 'hint', textContent: notes.join('; ') });
  const panels = shown.map(([id, g]) => {
    const panel = document.createElement('div');
    const family = g.family === id ? '' : ` (${g.family})`;
    panel.append(
      Object.assign(document.createElement('h5'), {
        textContent: `${id}${family}: ${g.lifelines.length} units born, ${g.lifelines.filter((l) => l.death === null).length} alive at the end`,
      }),
      drawPanel(g.lifelines, data.switches, data.lastCycle, width, scaleOf(high)),
    );
    return panel;
  });
  holder.replaceChildren(heading, key, ...(notes.length ? [note] : []), ...panels);
  holder.dataset.lifelines = String(shown.reduce((n, [, g]) => n + g.lifelines.length, 0));
  holder.dataset.panels = String(shown.length);
}
