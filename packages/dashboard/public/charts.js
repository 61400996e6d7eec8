import uPlot from '/vendor/uPlot.esm.js';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
export const colourOf = (index) => COLOURS[index % COLOURS.length];

/**
 * The cycles of every line, merged and sorted, and each line's values on them (null where a line has
 * no point): runs compared on one chart may log at different cycles, and uPlot wants one x axis.
 */
function alignOnCycles(lines) {
  const cycles = [...new Set(lines.flatMap((line) => line.cycle))].sort((a, b) => a - b);
  const position = new Map(cycles.map((cycle, i) => [cycle, i]));
  const place = (line, values) => {
    const placed = new Array(cycles.length).fill(null);
    line.cycle.forEach((cycle, i) => {
      placed[position.get(cycle)] = values[i];
    });
    return placed;
  };
  return { cycles, place };
}

/**
 * A chart of lines, each a median with its inter-quartile band when it has one: `lines` are
 * `{ label, cycle: [], median: [], q25?: [], q75?: [] }`. Drawn into `holder` (replacing what was
 * there), which records how many lines and points it shows for whoever checks the page.
 * `stepped`: counts per interval, each value held back to the previous cycle (the interval it counts).
 */
export function drawChart(holder, title, lines, width, { stepped = false } = {}) {
  holder.replaceChildren();
  holder.className = 'chart';
  holder.dataset.lines = String(lines.length);
  const heading = document.createElement('h4');
  heading.textContent = title;
  const legend = document.createElement('div');
  legend.className = 'legend';
  for (const [i, line] of lines.entries()) {
    const key = document.createElement('span');
    key.textContent = line.label;
    key.style.setProperty('--colour', colourOf(i));
    legend.append(key);
  }
  holder.append(heading, legend);
  const { cycles, place } = alignOnCycles(lines);
  holder.dataset.points = String(cycles.length);
  const data = [cycles];
  const series = [{ label: 'cycle' }];
  const bands = [];
  for (const [i, line] of lines.entries()) {
    data.push(place(line, line.median));
    const paths = stepped ? { paths: uPlot.paths.stepped({ align: -1 }) } : {};
    series.push({ label: line.label, stroke: colourOf(i), width: 1.5, spanGaps: true, points: { show: false }, ...paths });
    if (!line.q25) continue;
    data.push(place(line, line.q25), place(line, line.q75));
    const edge = { stroke: 'transparent', spanGaps: true, points: { show: false } };
    series.push({ ...edge, label: `${line.label} q25` }, { ...edge, label: `${line.label} q75` });
    bands.push({ series: [series.length - 1, series.length - 2], fill: `${colourOf(i)}33` });
  }
  const options = { width, height: 260, series, bands, legend: { show: false }, scales: { x: { time: false } }, axes: [{ label: 'cycle' }, {}] };
  holder.uplot = new uPlot(options, data, holder);
}
