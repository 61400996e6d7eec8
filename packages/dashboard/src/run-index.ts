import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { DiffstructError } from '@diffstruct/core';
import { RUN_FILES, SEED_FOLDER } from '@diffstruct/core/host';

/** A folder named on the command line, with every link resolved: nothing outside it is served. */
export interface Root {
  readonly given: string;
  readonly real: string;
}

/** A run folder found under a root; `id` is what the page and the API name it by. */
export interface FoundRun {
  readonly id: string;
  readonly root: Root;
  readonly folder: string;
}

/** How deep under a root run folders are looked for (runs/<sweep>/<name> is 2), and how many folders at most. */
const MAX_DEPTH = 4;
const MAX_FOLDERS = 5000;

/** The folders named on the command line; one that is missing or a file is refused, naming it. */
export function openRoots(folders: readonly string[]): Root[] {
  return folders.map((given) => {
    if (!existsSync(given)) throw new DiffstructError(`${given}: no such folder (expected a folder of runs, or a run folder)`);
    if (!statSync(given).isDirectory()) throw new DiffstructError(`${given}: is a file, not a folder of runs`);
    return { given, real: realpathSync(given) };
  });
}

/**
 * The run folders (a folder with a config.yaml) under each root, the root itself included, without
 * following symbolic links and without looking inside a run folder. The id is the root's name and the
 * path under it, with `/` between parts whatever the system.
 */
export function findRuns(roots: readonly Root[]): FoundRun[] {
  const runs: FoundRun[] = [];
  const taken = new Set<string>();
  let visited = 0;
  for (const root of roots) {
    let name = basename(root.real) || 'root';
    for (let n = 2; taken.has(name); n++) name = `${basename(root.real)}-${n}`;
    taken.add(name);
    const visit = (folder: string, depth: number): void => {
      if (++visited > MAX_FOLDERS) return;
      if (existsSync(join(folder, RUN_FILES.config))) {
        const path = relative(root.real, folder).split(sep).join('/');
        runs.push({ id: path ? `${name}/${path}` : name, root, folder });
        return;
      }
      if (depth >= MAX_DEPTH) return;
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name)))
        if (entry.isDirectory() && !SEED_FOLDER.test(entry.name) && !entry.name.startsWith('.')) visit(join(folder, entry.name), depth + 1);
    };
    visit(root.real, 0);
  }
  return runs;
}
