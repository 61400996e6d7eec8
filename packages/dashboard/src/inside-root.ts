import { realpathSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * Whether `path`, with every symbolic link resolved, is `realRoot` or inside it. A run folder may hold
 * links (a seed folder or metrics.csv pointing at /etc), so each file is checked where it really is
 * before it is read; a path that does not exist is not inside anything.
 */
export function isInside(path: string, realRoot: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}
