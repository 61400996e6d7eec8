// The server's JSON API: every figure is computed there (report's quartiles), the page only draws.

/** GET a JSON answer; throws with the server's message on an error. */
export async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${path}: ${response.status}`);
  return body;
}

const seenAnswers = new Map();

/** GET a JSON answer the server tags; the last answer again, marked `unchanged`, when the server says 304 to its ETag. */
async function getTagged(path) {
  const seen = seenAnswers.get(path);
  const headers = seen ? { 'If-None-Match': seen.etag } : {};
  const response = await fetch(path, { cache: 'no-store', headers });
  if (response.status === 304 && seen) return { ...seen.body, unchanged: true };
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `${path}: ${response.status}`);
  seenAnswers.set(path, { etag: response.headers.get('ETag'), body });
  return body;
}

const query = (run, seed) => `run=${encodeURIComponent(run)}${seed ? `&arm=${encodeURIComponent(seed.arm)}&seed=${seed.seed}` : ''}`;

/** A run's curves (the last answer again, `unchanged`, when the run has not changed). */
export const getCurves = (run) => getTagged(`/api/curves?${query(run)}`);
/** One seed's lifelines, report's readLifelines (`unchanged` when its files have not changed). */
export const getLifelines = (run, arm, seed) => getTagged(`/api/lifelines?${query(run, { arm, seed })}`);
/** Units added and removed per interval, per arm (median over seeds). */
export const getBirthsDeaths = (run) => getTagged(`/api/births-deaths?${query(run)}`);

export const listRuns = () => getJson('/api/runs');
export const getRun = (run) => getJson(`/api/run?run=${encodeURIComponent(run)}`);
export const getSeed = (run, arm, seed) => getJson(`/api/seed?${query(run, { arm, seed })}`);
