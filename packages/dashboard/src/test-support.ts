import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { loadExperiment } from '@diffstruct/core/host';
import { readRunFolders, summarize } from '@diffstruct/report';
import { createContainer, runExperiment } from '@diffstruct/runner';

/** A run of two arms (easy, hard) × two seeds, 300 cycles logged every 50, written into `<dir>/<name>` as `diffstruct run` would, with its summary.json. */
export async function twoArmRun(dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  const yaml = [
    `name: ${name}`,
    'seeds: 2',
    'cycles: 300',
    'log: { every: 50 }',
    'model: { hidden: 2 }',
    'arms:',
    '  - { name: easy, task: easy }',
    '  - { name: hard, task: hard }',
    '',
  ];
  writeFileSync(file, yaml.join('\n'));
  const out = join(dir, name);
  const { config, plugins, taskData, dataFiles } = await loadExperiment(file, createContainer());
  await runExperiment(config, { out, workers: 1, resolveFrom: file, plugins, taskData, dataFiles });
  writeFileSync(join(out, 'summary.json'), JSON.stringify(summarize(readRunFolders([out]))));
  return out;
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw HTTP request: the path is sent exactly as written (fetch would normalise `..` and `%2e`). */
export function rawRequest(url: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = request({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** The JSON of a GET that must answer 200. */
export async function getJson<T>(url: string, path: string): Promise<T> {
  const reply = await rawRequest(url, path);
  if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.body}`);
  return JSON.parse(reply.body) as T;
}
