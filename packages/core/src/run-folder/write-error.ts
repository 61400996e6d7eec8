import { DiffstructError } from '../errors.js';

/** OS errors meaning a file cannot be written here at all, whatever diffstruct does: the user must act. */
const WRITE_FAILURES: Readonly<Record<string, string>> = Object.freeze({
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ENOENT: 'it, or a folder on its path, does not exist',
});

/** A file of the run folder could not be written; the previous good version of it is kept. */
export class WriteError extends DiffstructError {
  constructor(
    readonly file: string,
    /** What the OS said, in words, with its code: `disk full (ENOSPC)`. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** `error` as a WriteError naming `file` when it is an OS write failure; otherwise `error` itself. */
export function asWriteError(error: unknown, file: string): unknown {
  if (error instanceof WriteError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && code in WRITE_FAILURES ? new WriteError(file, `${WRITE_FAILURES[code]} (${code})`) : error;
}

/** Runs `write`, turning an OS write failure into a WriteError naming `file`. */
export function writing<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw asWriteError(error, file);
  }
}
