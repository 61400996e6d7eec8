import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readRunFolders, runWarnings, summarize, summaryLines, summaryTable, wallTimes, writeReport } from '@diffstruct/report';
import { InvalidArgumentError } from 'commander';
import { DiffstructError, plural } from '@diffstruct/core';
import { checkWritableFolder } from './writable-folder.js';

/** Writes summary.json and figures, and says where they are; exits 3 when seeds had to be left out. */
export async function reportRun(out: string, dirs: readonly string[]): Promise<void> {
  const { summary, files, warnings } = await writeReport(out, dirs);
  if (summary.arms.length) process.stderr.write(summaryLines(summary).join('\n') + '\n');
  process.stderr.write(`summary and figures:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  leftOut(summary.unreadable?.length ?? 0);
}

/** Exit 3 when seeds had to be left out of the summary: the numbers shown are not the whole run. */
function leftOut(unreadable: number): void {
  if (unreadable) throw new DiffstructError(`the summary leaves out ${plural(unreadable, 'unreadable seed')} (see above)`, 3);
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(re)draw summary.json and figures from run folders, merging several (e.g. shards) into one')
    .argument('<dirs...>', 'run folders of one experiment')
    .option('--out <dir>', 'where to write summary and figures (default: the first folder)')
    .option('--table', 'print a Markdown table of the results instead of writing files')
    .option('--at <cycles>', 'with --table: the cycles to report (comma-separated; default: the end)', cycleList)
    .action(async (dirs: string[], flags: { out?: string; table?: boolean; at?: number[] }) => {
      const folders = dirs.map((d) => resolve(d));
      if (flags.table) {
        const run = readRunFolders(folders);
        for (const warning of runWarnings(run)) process.stderr.write(`warning: ${warning}\n`);
        process.stdout.write(summaryTable(summarize(run), flags.at, wallTimes(run)));
        leftOut(run.unreadable.length);
        return;
      }
      const out = resolve(flags.out ?? folders[0]);
      checkWritableFolder(out);
      await reportRun(out, folders);
    });
}

function cycleList(value: string): number[] {
  const cycles = value.split(',').map((v) => Number(v.trim()));
  if (cycles.some((c) => !Number.isSafeInteger(c) || c < 1)) throw new InvalidArgumentError(`--at: expected cycles like 100000,200000, found "${value}"`);
  return cycles;
}
