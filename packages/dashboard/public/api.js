// The server's JSON API: every figure is computed there (report's quartiles), the page only draws.

/** GET a JSON answer; throws with the server's message on an error. */
export async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${path}: ${response.status}`);
  return body;
}

const curvesSeen = new Map();

/** A run's curves; the last answer again when the run has not changed (the server says 304 to its ETag). */
export async function getCurves(run) {
  const seen = curvesSeen.get(run);
  const headers = seen ? { 'If-None-Match': seen.etag } : {};
  const response = await fetch(`/api/curves?run=${encodeURIComponent(run)}`, { cache: 'no-store', headers });
  if (response.status === 304 && seen) return { ...seen.body, unchanged: true };
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `curves of ${run}: ${response.status}`);
  curvesSeen.set(run, { etag: response.headers.get('ETag'), body });
  return body;
}

export const listRuns = () => getJson('/api/runs');
export const getRun = (run) => getJson(`/api/run?run=${encodeURIComponent(run)}`);
export const getSeed = (run, arm, seed) => getJson(`/api/seed?run=${encodeURIComponent(run)}&arm=${encodeURIComponent(arm)}&seed=${seed}`);
