import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { SLOT_KEYS } from '../plugins/extension-points.js';
import { temporaryOf } from './atomic-write.js';
import { readRunFile, RUN_FILES, RUN_LEVEL_FILES, SEED_FILES, SEED_FOLDER } from './run-folder.js';
import { describeHolder, liveHolder } from './writer-lock.js';

/** The figures a report draws, each as `<name>.svg` and `<name>.png` at the top of the run folder. */
export const RUN_FIGURES = Object.freeze({
  curves: 'curves',
  final: 'final',
  signals: 'signals',
  lifelines: 'lifelines',
  birthsDeaths: 'births-deaths',
  tradeOff: 'trade-off',
});
export const FIGURE_FORMATS: readonly string[] = Object.freeze(['svg', 'png']);

/** Every file diffstruct writes at the top of a run folder, beside the arm or seed folders. */
export const RUN_FOLDER_FILES: readonly string[] = Object.freeze([
  ...Object.values(RUN_LEVEL_FILES),
  ...Object.values(RUN_FIGURES).flatMap((figure) => FIGURE_FORMATS.map((format) => `${figure}.${format}`)),
]);

/** Every file diffstruct writes in a seed folder. */
const SEED_FOLDER_FILES: readonly string[] = Object.freeze(Object.values(SEED_FILES));

/**
 * The run-folder file an arm folder named `arm` would clash with, if any: compared without case (as
 * on macOS and Windows), and including the temporary names those files are written under.
 */
export function runFolderFileClash(arm: string): string | undefined {
  const name = arm.toLowerCase();
  return RUN_FOLDER_FILES.find((file) => name === file.toLowerCase() || name.startsWith(`${file.toLowerCase()}.`));
}

/** Why `dir` is not a run folder (a folder holding a config.yaml), or undefined when it is one. */
export function runFolderProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return `${dir}: not a run folder (no such folder)`;
  if (!statSync(dir).isDirectory()) return `${dir}: not a run folder (it is a file)`;
  if (!existsSync(join(dir, RUN_FILES.config))) return `${dir}: not a run folder (no ${RUN_FILES.config})`;
  return undefined;
}

/**
 * Why `--force` must not delete `dir`, or undefined when it may: it must not be the root, the home
 * folder, the working directory or one of its ancestors; its config.yaml must be a resolved config
 * (what `run` writes: every slot with its type, seeds, cycles, log and checkpoint intervals, plugins),
 * which a hand-written config or another tool's file almost never is; and it must hold nothing but
 * what runs write, so deleting it loses no file of the user's. No run may be writing it.
 */
export function deletionProblem(dir: string): string | undefined {
  const protectedAs = protectedFolder(dir);
  if (protectedAs) return `${dir}: refusing to delete ${protectedAs}`;
  // Deleting a link deletes only the link: the run it points to would stay, and the new run land elsewhere.
  if (lstatSync(dir).isSymbolicLink()) return `${dir}: a symbolic link (to ${realpathSync(dir)}), not a run folder itself; give that folder as --out`;
  const basic = runFolderProblem(dir);
  if (basic) return basic;
  const config = resolvedConfig(join(dir, RUN_FILES.config));
  if (typeof config === 'string') return `${dir}: not recognisably a diffstruct run folder (${config})`;
  const arms = config.arms?.map((arm) => arm.name);
  const foreign: string[] = [];
  const locked: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && isRunFile(entry.name, RUN_FOLDER_FILES)) continue;
    const isFolder = entry.isDirectory();
    if (isFolder && arms?.includes(entry.name)) {
      for (const seed of readdirSync(join(dir, entry.name), { withFileTypes: true })) {
        if (seed.isDirectory() && SEED_FOLDER.test(seed.name)) seedFolderContents(join(dir, entry.name, seed.name), dir, foreign, locked);
        else foreign.push(join(entry.name, seed.name));
      }
    } else if (isFolder && !arms && SEED_FOLDER.test(entry.name)) seedFolderContents(join(dir, entry.name), dir, foreign, locked);
    else foreign.push(entry.name);
  }
  if (locked.length) return `${dir}: refusing to delete a folder a run is writing (${locked[0]})`;
  if (foreign.length) {
    const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : '';
    return `${dir}: holds files no diffstruct run writes (${foreign.slice(0, 3).join(', ')}${more}), so --force will not delete it`;
  }
  return undefined;
}

/** Why `--force` must not delete the seed folder `folder` of the run folder `out` (with --shard), or undefined. */
export function seedFolderDeletionProblem(folder: string, out: string): string | undefined {
  const protectedAs = protectedFolder(folder);
  if (protectedAs) return `${folder}: refusing to delete ${protectedAs}`;
  const outside = outsideProblem(folder, out);
  if (outside) return outside;
  const foreign: string[] = [];
  const locked: string[] = [];
  seedFolderContents(folder, folder, foreign, locked);
  if (locked.length) return `${folder}: refusing to delete a folder a run is writing (${locked[0]})`;
  if (foreign.length) return `${folder}: holds files no diffstruct run writes (${foreign.join(', ')}), so --force will not delete it`;
  return undefined;
}

/**
 * Why `folder` (under `out`) may lead outside `out`, or undefined. The contents check alone would let
 * a symbolic link to another run's seed folder (or an arm folder linked elsewhere) be deleted there.
 */
function outsideProblem(folder: string, out: string): string | undefined {
  const parts = relative(out, folder).split(sep);
  let path = out;
  for (const part of parts) {
    path = join(path, part);
    if (lstatSync(path).isSymbolicLink()) return `${path} is a symbolic link; --force deletes only folders inside ${out}, never what a link leads to`;
  }
  const real = realpathSync(folder);
  if (real !== join(realpathSync(out), ...parts)) return `${folder} is ${real}, outside ${out}; --force will not delete it`;
  return undefined;
}

function seedFolderContents(folder: string, shownFrom: string, foreign: string[], locked: string[]): void {
  for (const file of readdirSync(folder, { withFileTypes: true })) {
    const shown = join(relative(shownFrom, folder), file.name);
    if (!file.isFile() || !isRunFile(file.name, SEED_FOLDER_FILES)) foreign.push(shown);
    else if (file.name === RUN_FILES.writerLock) {
      const holder = liveHolder(join(folder, file.name));
      if (holder) locked.push(`${join(folder, file.name)} is held by ${describeHolder(holder)}`);
    }
  }
}

function isRunFile(name: string, files: readonly string[]): boolean {
  return files.includes(name) || files.includes(temporaryOf(name) ?? '');
}

/** What `dir` is if it must never be deleted whole: the root, the home folder, the working directory or an ancestor of it. */
function protectedFolder(dir: string): string | undefined {
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
  const target = real(dir);
  if (dirname(target) === target) return 'the root of the file system';
  if (target === real(homedir())) return 'the home folder';
  const fromTarget = relative(target, real(process.cwd()));
  if (fromTarget === '') return 'the working directory';
  if (fromTarget !== '..' && !fromTarget.startsWith(`..${sep}`) && !isAbsolute(fromTarget)) return 'a folder holding the working directory';
  return undefined;
}

interface ResolvedConfig {
  readonly arms?: readonly { readonly name: string }[];
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The config.yaml `run` wrote, or why `file` is not one. */
function resolvedConfig(file: string): ResolvedConfig | string {
  let data: unknown;
  try {
    data = parse(readRunFile(file, 'config'));
  } catch {
    return `its ${RUN_FILES.config} does not parse`;
  }
  if (!isMapping(data)) return `its ${RUN_FILES.config} is not a mapping`;
  const key = ['name', 'seeds', 'cycles', 'log', 'checkpoint', 'plugins'].find((k) => data[k] === undefined);
  if (key) return `its ${RUN_FILES.config} has no "${key}", so diffstruct run did not write it`;
  const arms = data.arms;
  if (arms !== undefined && !(Array.isArray(arms) && arms.every((arm) => isMapping(arm) && typeof arm.name === 'string')))
    return `its ${RUN_FILES.config} has arms without names`;
  for (const arm of (arms as Record<string, unknown>[] | undefined) ?? [data]) {
    const slot = SLOT_KEYS.find((k) => !isMapping(arm[k]) || typeof arm[k].type !== 'string');
    if (slot) return `its ${RUN_FILES.config} has no "${slot}.type", so diffstruct run did not write it`;
  }
  return arms === undefined ? {} : { arms: arms as { name: string }[] };
}
