import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DiffstructError } from './errors.js';

/** Bytes read at a time: large enough for few system calls, small enough to stop near the cap. */
const CHUNK_BYTES = 1 << 20;

/** A file that could not be read whole: `reason` says why without the file's name (the message has both). */
export class FileReadError extends DiffstructError {
  override readonly name = 'FileReadError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** `bytes` as whole MiB when it is some, else as bytes, for messages. */
export function formatBytes(bytes: number): string {
  const mib = bytes / (1 << 20);
  if (mib >= 1024) return `${Number((mib / 1024).toFixed(1))} GiB`;
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/**
 * A file's bytes from byte `from` on (0: the whole file), the file at most `maxBytes` long (`what` names such a file in the message: 'a config file');
 * a `from` past the end gives no bytes, so a reader following a growing file asks for what was appended since. It reads until the end or one byte past the cap, whatever
 * `stat` says: a device reports size 0 and may never end (/dev/zero). A FIFO or socket is
 * refused: opening one waits for a writer that may never come. Throws a `FileReadError` (exit 2)
 * for a missing file, a folder, a FIFO or socket, or a file over the cap.
 */
export function readFileCapped(file: string, maxBytes: number, what: string, from = 0): Buffer {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO without a writer returns at once instead of waiting.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileReadError(file, describeOsError(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFIFO() || stat.isSocket()) throw new FileReadError(file, `is a pipe, not a file; ${what} must be a regular file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, maxBytes + 1 - from - total)));
      // From the start the file's own position (a device that cannot seek reads as before); from later, an explicit one.
      const read = readSync(fd, chunk, 0, chunk.length, from ? from + total : null);
      if (read === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (from + total > maxBytes) throw new FileReadError(file, `file over ${formatBytes(maxBytes)}; ${what} is at most ${formatBytes(maxBytes)}`);
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(file, describeOsError(error));
  } finally {
    closeSync(fd);
  }
}

function describeOsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `cannot read: ${(error as Error).message}`;
}
