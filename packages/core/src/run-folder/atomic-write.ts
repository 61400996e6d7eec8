import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { writing } from './write-error.js';

/** The pattern of `temporaryName`: group 1 is the name of the file it stands for. */
export const TEMPORARY = /^(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * A unique name beside `file` to write it under before it gets its real name: `<file>.<12 hex>.tmp`.
 * Unique, so shards on other machines may write the same file of a shared folder at once.
 */
export function temporaryName(file: string): string {
  return `${file}.${randomBytes(6).toString('hex')}.tmp`;
}

/** The file a temporary name (a base name) stands for, or undefined when `name` is none. */
export function temporaryOf(name: string): string | undefined {
  return TEMPORARY.exec(basename(name))?.[1];
}

/**
 * Writes `file` so that a crash leaves either the old content or the new, never a mix. A write that
 * cannot complete (disk full, quota, I/O error) leaves the old file and no temporary one, and throws
 * a WriteError naming `file`.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temporary = temporaryName(file);
  writing(file, () => {
    try {
      writeAllSynced(temporary, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    fsyncFolder(dirname(file));
  });
}

/**
 * Creates `file` whole with `content` unless it exists: written under a temporary name, then
 * hard-linked to its name, which fails if the name exists. Returns false, writing nothing, when it
 * exists: of writers starting at the same instant exactly one creates it. Errors name `file`.
 */
export function createFileExclusive(file: string, content: string): boolean {
  const temporary = temporaryName(file);
  try {
    return writing(file, () => {
      writeAllSynced(temporary, Buffer.from(content, 'utf8'));
      if (!linkUnlessExists(temporary, file)) return false;
      fsyncFolder(dirname(file));
      return true;
    });
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Gives `file` the name `name` unless that name exists: the one atomic "create if absent" of a file with its content. */
export function linkUnlessExists(file: string, name: string): boolean {
  try {
    linkSync(file, name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Writes `file` with every byte on disk (fsynced) before the call returns. A short
 * `write` (a disk filling up) is continued until every byte is written or it throws.
 */
export function writeAllSynced(file: string, bytes: Uint8Array): void {
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

/** A new or renamed name is durable only once its folder is synced. */
export function fsyncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
