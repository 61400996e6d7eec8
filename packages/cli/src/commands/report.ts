import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readRunFolders, summarize, summaryLines, summaryTable, wallTimes, writeReport } from '@diffstruct/report';
import { InvalidArgumentError } from 'commander';

/** Writes summary.json and figures, and says where they are. */
export async function reportRun(out: string, dirs: readonly string[]): Promise<void> {
  const { summary, files } = await writeReport(out, dirs);
  if (summary.arms.length) process.stderr.write(summaryLines(summary).join('\n') + '\n');
  process.stderr.write(`summary and figures:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
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
        process.stdout.write(summaryTable(summarize(run), flags.at, wallTimes(run)));
        return;
      }
      await reportRun(resolve(flags.out ?? folders[0]), folders);
    });
}

function cycleList(value: string): number[] {
  const cycles = value.split(',').map((v) => Number(v.trim()));
  if (cycles.some((c) => !Number.isSafeInteger(c) || c < 1)) throw new InvalidArgumentError(`--at: expected cycles like 100000,200000, found "${value}"`);
  return cycles;
}
