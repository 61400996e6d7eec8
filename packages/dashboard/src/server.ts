import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiffstructError } from '@diffstruct/core';
import { allowedHosts } from './allowed-hosts.js';
import { LiveRun, REFRESH_MS } from './live-run.js';
import { findRuns, openRoots, type Root } from './run-index.js';
import { HELD_OUT_TITLES } from './series.js';
import { type Asset, loadAssets } from './static-assets.js';

export interface DashboardOptions {
  /** Folders of runs (or run folders) to serve; nothing outside them is read. */
  readonly folders: readonly string[];
  readonly port: number;
  readonly host: string;
}

export interface Dashboard {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Headers on every answer: no sniffing, no framing, scripts and styles from this server only. */
const SAFETY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

/**
 * The request handler of `diffstruct serve`: the page's own files and a JSON API over the runs found
 * under `roots`. Read-only (GET and HEAD; anything else 405). A run is named by the id the run list
 * gave it, never by a path, so no request can name a file; the files of a run are read only where
 * their real paths lie inside the root (see LiveRun).
 */
export function dashboardHandler(
  roots: readonly Root[],
  isAllowedHost: (hostHeader: string) => boolean,
): (request: IncomingMessage, response: ServerResponse) => void {
  const assets = loadAssets();
  const live = new Map<string, LiveRun>();
  // The folders are walked again at most once a REFRESH_MS, however many requests come.
  let walked = { at: -Infinity, found: [] as ReturnType<typeof findRuns> };
  const runs = (): LiveRun[] => {
    const now = Date.now();
    if (now - walked.at >= REFRESH_MS) walked = { at: now, found: findRuns(roots) };
    const found = walked.found;
    for (const run of found) if (!live.has(run.id) || live.get(run.id)?.found.folder !== run.folder) live.set(run.id, new LiveRun(run));
    const ids = new Set(found.map((r) => r.id));
    for (const id of live.keys()) if (!ids.has(id)) live.delete(id);
    return found.map((r) => live.get(r.id) as LiveRun);
  };
  return (request, response) => {
    const send = (status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
      response.writeHead(status, { ...SAFETY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const json = (status: number, value: unknown, extra: Record<string, string> = {}) => {
      if (status !== 304) return send(status, JSON.stringify(value), 'application/json; charset=utf-8', { 'Cache-Control': 'no-store', ...extra });
      response.writeHead(status, { ...SAFETY_HEADERS, 'Cache-Control': 'no-store', ...extra });
      response.end();
    };
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: 'read-only: only GET and HEAD' }, { Allow: 'GET, HEAD' });
      // A page on another site can point a name it owns at this machine (DNS rebinding): only this machine's names are answered.
      const hostHeader = request.headers.host ?? '';
      if (!isAllowedHost(hostHeader)) return json(403, { error: `host "${hostHeader.slice(0, 200)}" is not a name or address of this machine` });
      const url = new URL(request.url ?? '/', 'http://localhost');
      const asset: Asset | undefined = assets.get(url.pathname);
      if (asset) return send(200, asset.body, asset.type, { 'Cache-Control': 'no-cache' });
      if (!url.pathname.startsWith('/api/')) return json(404, { error: 'not found' });
      const { status, body, headers } = api(url, runs, request.headers['if-none-match']);
      return json(status, body, headers);
    } catch (error) {
      const message = error instanceof DiffstructError || error instanceof Error ? error.message : String(error);
      return json(500, { error: message });
    }
  };
}

/** What the API answers: a status, a JSON body, extra headers. */
interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const answer = (status: number, body?: unknown, headers?: Record<string, string>): Answer => ({ status, body, ...(headers ? { headers } : {}) });

/** An answer that is 304 when the page already has it: `signature` says which files it was read from, and when. */
function cached(signature: string, ifNoneMatch: string | undefined, body: () => unknown): Answer {
  const etag = `"${createHash('sha1').update(signature).digest('base64url')}"`;
  return ifNoneMatch === etag ? answer(304, undefined, { ETag: etag }) : answer(200, body(), { ETag: etag });
}

function api(url: URL, runs: () => LiveRun[], ifNoneMatch: string | undefined): Answer {
  if (url.pathname === '/api/runs') {
    const list = runs().map((run) => {
      try {
        run.refresh();
        return { id: run.found.id, name: run.name, description: run.description, arms: run.armNames, progress: run.progress() };
      } catch (error) {
        return { id: run.found.id, name: run.found.id, arms: [], problem: (error as Error).message };
      }
    });
    return answer(200, { runs: list });
  }
  const id = url.searchParams.get('run') ?? '';
  const run = runs().find((r) => r.found.id === id);
  if (!run) return answer(404, { error: `no run "${id.slice(0, 200)}" under the served folders` });
  // A run asked for by name is followed in full (its curves, a seed's); the list above reads only what it shows.
  run.refresh(Date.now(), true);
  switch (url.pathname) {
    case '/api/run': {
      const summary = run.summary();
      return answer(200, {
        id,
        name: run.name,
        description: run.description,
        config: run.configText(),
        summaryTable: summary && 'table' in summary ? summary.table : null,
        ...(summary && 'problem' in summary ? { summaryProblem: summary.problem } : {}),
        heldOutTitles: HELD_OUT_TITLES,
        progress: run.progress(),
        seeds: run.seedList(),
        problems: run.problems(),
      });
    }
    case '/api/curves': {
      // The page polls; an unchanged run answers 304 and is not aggregated again. Progress, which changes with time, is /api/runs'.
      const etag = `"${run.nonce}-${run.version}"`;
      if (ifNoneMatch === etag) return answer(304, undefined, { ETag: etag });
      return answer(200, { id, version: run.version, arms: run.curves() }, { ETag: etag });
    }
    case '/api/seed': {
      const seed = Number(url.searchParams.get('seed'));
      const columns = run.seed(url.searchParams.get('arm') ?? '', seed);
      if (!columns) return answer(404, { error: `run "${id}" has no such seed` });
      return answer(200, { id, arm: url.searchParams.get('arm'), seed, columns });
    }
    case '/api/lifelines': {
      const arm = url.searchParams.get('arm') ?? '';
      const seed = Number(url.searchParams.get('seed'));
      let found: ReturnType<LiveRun['lifelines']>;
      try {
        found = run.lifelines(arm, seed);
      } catch (error) {
        return answer(422, { error: (error as Error).message });
      }
      if (!found) return answer(404, { error: `run "${id}" has no such seed` });
      return cached(found.signature, ifNoneMatch, () => ({ id, arm, seed, lifelines: found.lifelines }));
    }
    case '/api/births-deaths': {
      const { signature, ...counts } = run.birthsAndDeaths();
      return cached(signature, ifNoneMatch, () => ({ id, ...counts }));
    }
    default:
      return answer(404, { error: 'not found' });
  }
}

/** Starts `serve`: listens on host:port (port 0: a free one) and resolves once listening, with the page's URL. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const roots = openRoots(options.folders);
  const server = createServer(dashboardHandler(roots, allowedHosts(options.host)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new DiffstructError(`port ${options.port} on ${options.host} is taken (another serve?): choose another with --port, or --port 0 for a free one`),
        );
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new DiffstructError(`--host ${options.host}: not an address of this machine (expected e.g. 127.0.0.1 or 0.0.0.0)`));
      else reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
