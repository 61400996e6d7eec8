import { RandomStream } from './random-stream.js';

/** The purposes a run draws random numbers for; each gets a stream of its own. */
export type RandomPurpose = 'init' | 'policy' | 'data' | (string & {});

/**
 * One independent stream per purpose, derived from the run seed and the purpose's name, so a
 * draw added for one purpose never shifts the numbers another purpose sees.
 */
export class RandomStreams {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  }

  stream(purpose: RandomPurpose): RandomStream {
    let stream = this.streams.get(purpose);
    if (!stream) {
      stream = new RandomStream(this.seed, purpose);
      this.streams.set(purpose, stream);
    }
    return stream;
  }

  /** Every stream created so far, by purpose (what a checkpoint must save). */
  entries(): [string, RandomStream][] {
    return [...this.streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
