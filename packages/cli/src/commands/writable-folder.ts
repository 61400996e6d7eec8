import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import { asWriteError, WriteError } from '@diffstruct/core/host';

/** `--out` must be a folder this process can write in (or one it can create): checked before any work. */
export function checkWritableFolder(out: string): void {
  let existing = out;
  while (!existsSync(existing)) existing = dirname(existing);
  if (!statSync(existing).isDirectory())
    throw new DiffstructError(`--out ${out}: ${existing === out ? 'is a file' : `${existing} is a file`}, not a folder; choose a folder`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    const failure = asWriteError(error, existing);
    const reason = failure instanceof WriteError ? failure.reason : (error as Error).message;
    throw new DiffstructError(`--out ${out}: cannot write in ${existing}: ${reason}; choose another folder`);
  }
}
