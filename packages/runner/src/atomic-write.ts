import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { writing } from '@diffstruct/core/host';

/**
 * Writes `file` so that a crash leaves either the old content or the new, never a mix. The
 * temporary name is unique, so shards on other machines may write the same file in a shared folder.
 * A write that cannot complete (disk full, quota, I/O error) leaves the old file and no temporary
 * one, and throws a WriteError naming `file`.
 */
export function writeFileAtomic(file: string, content: string): void {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writing(file, () => {
    try {
      writeAllSynced(temporary, Buffer.from(content, 'utf8'));
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    const folder = openSync(dirname(file), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  });
}

/** writeSync may write fewer bytes than asked (a disk filling up): it is called until every byte is written or it throws. */
function writeAllSynced(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes.length; ) {
      const count = writeSync(fd, bytes, written, bytes.length - written);
      if (count <= 0) throw Object.assign(new Error(`${file}: the write made no progress`), { code: 'EIO' });
      written += count;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
