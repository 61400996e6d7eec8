import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  incompleteLines,
  readRunFolders,
  type ReportOptions,
  runWarnings,
  type Summary,
  summarize,
  summaryLines,
  summaryTable,
  type TradeOffCycles,
  wallTimes,
  writeReport,
} from '@diffstruct/report';
import { InvalidArgumentError } from 'commander';
import { DiffstructError, plural } from '@diffstruct/core';
import { EXIT, INTERNAL_ERROR_HELP } from '../exit-codes.js';
import { checkWritableFolder } from './writable-folder.js';

/**
 * Writes summary.json and figures, and says where they are and which jobs have not finished; exits
 * 3 when seeds had to be left out. `run` passes `incompleteIsError: false`: it says itself which seeds failed.
 */
export async function reportRun(out: string, dirs: readonly string[], incompleteIsError = true, options: ReportOptions = {}): Promise<void> {
  const { summary, files, warnings } = await writeReport(out, dirs, options);
  if (summary.arms.length) process.stderr.write(summaryLines(summary).join('\n') + '\n');
  process.stderr.write(`summary and figures:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  notWhole(summary, incompleteIsError);
}

/**
 * Says which jobs have not finished; exit 3 when seeds had to be left out of the summary or (for
 * `report`) jobs have not finished: the numbers shown are not the whole run.
 */
function notWhole(summary: Summary, incompleteIsError: boolean): void {
  const incomplete = incompleteLines(summary);
  if (incomplete.length) process.stderr.write(incomplete.join('\n') + '\n');
  const unreadable = summary.unreadable?.length ?? 0;
  if (unreadable) throw new DiffstructError(`the summary leaves out ${plural(unreadable, 'unreadable seed')} (see above)`, EXIT.seedsFailed);
  if (incomplete.length && incompleteIsError) throw new DiffstructError('the run is incomplete (see above): the summary is partial', EXIT.seedsFailed);
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(re)draw summary.json and figures from run folders, merging several (e.g. shards) into one')
    .argument('<dirs...>', 'run folders of one experiment')
    .option('--out <dir>', 'where to write summary and figures (default: the first folder)')
    .option('--table', 'print a Markdown table of the results instead of writing files')
    .option('--at <cycles>', 'with --table: the cycles to report (comma-separated; default: the end)', cycleList)
    .option(
      '--trade-off <cycles>',
      "also draw trade-off.png: each arm's median units against its smooth loss, at LOSS[,UNITS] cycles (e.g. 200000,300000)",
      tradeOffCycles,
    )
    .addHelpText(
      'after',
      [
        '',
        'A sweep whose shards still run (or never ran, or stopped) is summarised as far as it got, and',
        'report lists the (arm, seed) jobs in flight, stopped (with or without a checkpoint) or not started.',
        '',
        `Exit codes: ${EXIT.done} every job of the experiment finished and was read; ${EXIT.badInput} bad input (not a run folder,`,
        `runs of other experiments or settings, a file that cannot be written); ${EXIT.seedsFailed} the summary is not the`,
        'whole run: seeds left out as unreadable, or jobs not finished (listed);',
        INTERNAL_ERROR_HELP,
      ].join('\n'),
    )
    .action(async (dirs: string[], flags: { out?: string; table?: boolean; at?: number[]; tradeOff?: TradeOffCycles }) => {
      const folders = dirs.map((d) => resolve(d));
      if (flags.table) {
        if (flags.tradeOff) throw new DiffstructError('--trade-off draws a figure and --table writes none: give one of them', EXIT.badInput);
        const run = readRunFolders(folders);
        for (const warning of runWarnings(run)) process.stderr.write(`warning: ${warning}\n`);
        const summary = summarize(run);
        process.stdout.write(summaryTable(summary, flags.at, wallTimes(run)));
        notWhole(summary, true);
        return;
      }
      const out = resolve(flags.out ?? folders[0]);
      checkWritableFolder(out);
      await reportRun(out, folders, true, { tradeOff: flags.tradeOff });
    });
}

function cycles(value: string, flag: string): number[] {
  const cycles = value.split(',').map((v) => Number(v.trim()));
  if (cycles.some((c) => !Number.isSafeInteger(c) || c < 1)) throw new InvalidArgumentError(`${flag}: expected cycles like 100000,200000, found "${value}"`);
  return cycles;
}

const cycleList = (value: string) => cycles(value, '--at');

function tradeOffCycles(value: string): TradeOffCycles {
  const [loss, units = loss, ...more] = cycles(value, '--trade-off');
  if (more.length) throw new InvalidArgumentError(`--trade-off: expected LOSS or LOSS,UNITS cycles, found "${value}"`);
  return { loss, units };
}
