import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { DiffstructError } from '../errors.js';
import { readFileCapped } from '../read-capped.js';

/** Data file (absolute path) → sha256 of the bytes read from it. */
export type DataFileHashes = Readonly<Record<string, string>>;

export interface ReadDataFileOptions {
  /** Most bytes the file may have; more is refused (`FileReadError`, exit 2). */
  readonly maxBytes: number;
  /** What such a file is, for the message of one over the cap ('a table'). */
  readonly what?: string;
}

/** Reads a data file whole (at most `maxBytes`); errors name the file (exit 2). */
export type ReadDataFile = (file: string, options: ReadDataFileOptions) => Buffer;

/**
 * How tasks read their data files (`TaskPrepareContext.readDataFile`): through `readFileCapped`,
 * hashing the very bytes it returns. The files read through it are the data files of a run, and
 * their hashes (`hashes`) what inputs.json records: never a second read that could see another
 * version of the file than the one the task parsed.
 */
export class DataFileReader {
  private readonly read = new Map<string, string>();

  readonly readDataFile: ReadDataFile = (file, { maxBytes, what = 'a data file' }) => {
    const bytes = readFileCapped(file, maxBytes, what);
    const path = resolve(file);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const earlier = this.read.get(path);
    if (earlier !== undefined && earlier !== hash)
      throw new DiffstructError(`${file}: changed while it was being read (read twice, with different contents); try again once nothing writes it`);
    this.read.set(path, hash);
    return bytes;
  };

  /** Each file read so far → sha256 of its bytes, sorted by file. */
  get hashes(): DataFileHashes {
    return Object.fromEntries([...this.read].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
