import type { MessagePort } from 'node:worker_threads';
import { runSeed, type SeedJob } from './seed-run.js';

/** Piscina worker: runs one seed, posting progress on `port`. */
export default async function runSeedInWorker({ job, port }: { job: SeedJob; port: MessagePort }) {
  try {
    return await runSeed(job, (progress) => port.postMessage(progress));
  } finally {
    port.close();
  }
}
