import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type MetricsTable, parseMetrics, readRunFileFrom } from '@diffstruct/core/host';

const NEWLINE = 0x0a;
/** `peek` reads at most this much of a file's end: many times a row of the widest metrics.csv. */
const TAIL_BYTES = 64 * 1024;

/**
 * A metrics.csv followed as its run appends to it: each `update()` reads only the bytes written since
 * the last (by byte offset, under the metrics cap), parses the whole rows among them with core's
 * `parseMetrics`, and appends them to column arrays that grow by doubling. A row not yet ended by its
 * newline waits for the next update. The file is read again from the start when it is not the one
 * read so far: it got shorter (a resumed seed cut back to its checkpoint), it is another file (its
 * device and inode changed: the seed folder was replaced), or its header or the last line read are
 * no longer where they were (rewritten in place: `run --force` may already have written past the
 * old offset).
 */
export class MetricsFollower {
  private offset = 0;
  private header = '';
  /** The last line read (the header before any row), with its newline: it must still end at `offset`. */
  private lastLine: Buffer = Buffer.alloc(0);
  private identity = '';
  private mtime = 0;
  private columnNames: string[] = [];
  private arrays: Record<string, Float64Array> = {};
  private count = 0;
  /** What `peek` saw: the file's size then, and the cycle of its last row (0 before the first). */
  private peeked = { size: -1, cycle: 0 };

  constructor(readonly file: string) {}

  /**
   * Reads only the last row's cycle, from the file's end (the run list needs no more), when the file
   * changed size; the rows are not kept. Cycle is a metrics.csv's first column.
   */
  peek(): void {
    const { size } = statSync(this.file);
    if (size === this.peeked.size) return;
    const from = Math.max(0, size - TAIL_BYTES);
    const bytes = readRunFileFrom(this.file, 'metrics', from);
    const end = bytes.lastIndexOf(NEWLINE);
    const start = end > 0 ? bytes.lastIndexOf(NEWLINE, end - 1) + 1 : 0;
    if (end < 0 || (start === 0 && from > 0)) return;
    const cycle = from === 0 && start === 0 ? 0 : Number.parseFloat(bytes.subarray(start, end).toString('utf8'));
    this.peeked = { size, cycle: Number.isFinite(cycle) ? cycle : 0 };
  }

  /** The cycle of the last row read, by `update` when following, else by `peek`. */
  get lastCycle(): number {
    return this.count ? this.arrays.cycle[this.count - 1] : this.peeked.cycle;
  }

  /** Forgets the rows read (a run nobody looks at): the next `update` reads the file from the start. */
  release(): void {
    this.peeked = { size: -1, cycle: this.lastCycle };
    this.reset();
    this.identity = '';
  }

  /** Reads what was appended; returns whether rows were added (or the file started over). */
  update(): boolean {
    const stat = statSync(this.file);
    const identity = `${stat.dev}:${stat.ino}`;
    if (stat.size === this.offset && stat.mtimeMs === this.mtime && identity === this.identity) return false;
    this.mtime = stat.mtimeMs;
    const restarted = this.offset > 0 && (stat.size < this.offset || identity !== this.identity || !this.headerUnchanged());
    if (restarted) this.reset();
    this.identity = identity;
    if (stat.size === this.offset) return restarted;
    const from = this.offset - this.lastLine.length;
    let bytes = readRunFileFrom(this.file, 'metrics', from);
    if (!bytes.subarray(0, this.lastLine.length).equals(this.lastLine)) {
      this.reset();
      this.update();
      return true;
    }
    bytes = bytes.subarray(this.lastLine.length);
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    if (end === 0) return restarted;
    let text = bytes.subarray(0, end).toString('utf8');
    const firstRowLine = this.count + 2;
    if (this.offset === 0) {
      this.header = text.slice(0, text.indexOf('\n'));
      text = text.slice(this.header.length + 1);
    }
    const table = parseMetricsAt(`${this.header}\n${text}`, this.file, firstRowLine);
    if (this.offset === 0) {
      this.columnNames = [...table.columns];
      this.arrays = Object.fromEntries(this.columnNames.map((c) => [c, new Float64Array(Math.max(64, table.rows))]));
    }
    this.append(table);
    this.offset += end;
    this.lastLine = Buffer.from(bytes.subarray(end > 1 ? bytes.lastIndexOf(NEWLINE, end - 2) + 1 : 0, end));
    return true;
  }

  /** Whether the file still starts with the header read. */
  private headerUnchanged(): boolean {
    const expected = Buffer.from(`${this.header}\n`);
    const found = Buffer.alloc(expected.length);
    const fd = openSync(this.file, 'r');
    try {
      return readSync(fd, found, 0, found.length, 0) === found.length && found.equals(expected);
    } finally {
      closeSync(fd);
    }
  }

  /** The rows read so far, as core's MetricsTable (views of the column arrays, no copy). */
  get table(): MetricsTable {
    const values = Object.fromEntries(this.columnNames.map((c) => [c, this.arrays[c].subarray(0, this.count)]));
    return { columns: this.columnNames, values, rows: this.count };
  }

  private append(table: MetricsTable): void {
    const needed = this.count + table.rows;
    for (const column of this.columnNames) {
      let array = this.arrays[column];
      if (needed > array.length) {
        const grown = new Float64Array(Math.max(needed, array.length * 2));
        grown.set(array.subarray(0, this.count));
        this.arrays[column] = array = grown;
      }
      array.set(table.values[column], this.count);
    }
    this.count = needed;
  }

  private reset(): void {
    this.offset = 0;
    this.lastLine = Buffer.alloc(0);
    this.count = 0;
    this.columnNames = [];
    this.arrays = {};
  }
}

/** parseMetrics on a header and the rows from line `firstRowLine` of the file on, its FILE:LINE messages pointing at lines of the whole file. */
function parseMetricsAt(text: string, file: string, firstRowLine: number): MetricsTable {
  try {
    return parseMetrics(text, file);
  } catch (error) {
    const message = (error as Error).message;
    const prefix = `${file}:`;
    const line = /^(\d+):/.exec(message.slice(prefix.length));
    if (!message.startsWith(prefix) || !line || Number(line[1]) === 1) throw error;
    throw new Error(`${prefix}${Number(line[1]) + firstRowLine - 2}${message.slice(prefix.length + line[1].length)}`);
  }
}
