import type { StateValue } from '../contracts/stateful.js';
import { RandomStream, type RandomStreamState } from './random-stream.js';

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

  /** Every stream's position, by purpose. */
  saveState(): StateValue {
    return this.entries().map(([purpose, s]) => {
      const { words, spareNormal } = s.getState();
      return { purpose, words: [...words], spareNormal };
    });
  }

  /** Moves each saved stream (created if need be) to its saved position. */
  loadState(state: StateValue): void {
    if (!Array.isArray(state)) throw new Error('saved state: expected a list of random streams');
    for (const entry of state as { purpose: string; words: number[]; spareNormal: number | null }[]) {
      if (typeof entry?.purpose !== 'string' || !Array.isArray(entry.words) || entry.words.length !== 4)
        throw new Error('saved state: a malformed random stream');
      const [w0, w1, w2, w3] = entry.words;
      const words: RandomStreamState['words'] = [w0, w1, w2, w3];
      this.stream(entry.purpose).setState({ words, spareNormal: entry.spareNormal });
    }
  }

  /** Every stream created so far, by purpose (what a checkpoint must save). */
  entries(): [string, RandomStream][] {
    return [...this.streams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
