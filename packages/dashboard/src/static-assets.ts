import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A file of the page itself: its bytes, read once, and its type. */
export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

const PAGE = ['index.html', 'app.js', 'api.js', 'charts.js', 'lifelines.js', 'tables.js', 'style.css'];

/**
 * The page's own files, by URL path: a fixed list, so no path a request spells reaches the file
 * system. The chart library is uPlot, served from its npm package (nothing from a CDN: the page works
 * with no network).
 */
export function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const uplot = (file: string) => require.resolve(`uplot/dist/${file}`);
  const files: [string, string][] = [
    ['/', fileURLToPath(new URL('../public/index.html', import.meta.url))],
    ...PAGE.map((name): [string, string] => [`/${name}`, fileURLToPath(new URL(`../public/${name}`, import.meta.url))]),
    ['/vendor/uPlot.esm.js', uplot('uPlot.esm.js')],
    ['/vendor/uPlot.min.css', uplot('uPlot.min.css')],
  ];
  return new Map(files.map(([path, file]) => [path, { body: readFileSync(file), type: TYPES[file.slice(file.lastIndexOf('.') + 1)] }]));
}
