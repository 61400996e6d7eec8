import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DiffstructError } from '@diffstruct/core';
import { registerBench } from './commands/bench.js';
import { registerCreatePlugin } from './commands/create-plugin.js';
import { registerPlugins } from './commands/plugins.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerExport, registerPredict, registerSample } from './commands/trained.js';
import { registerValidate } from './commands/validate.js';
import { EXIT } from './exit-codes.js';

/** The version of this install, from the CLI package's own package.json (dist/ sits beside it). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function buildProgram(): Command {
  const program = new Command('diffstruct')
    .description('neural networks whose structure is learned by gradient descent')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--debug', 'show stack traces of internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRun(program);
  registerReport(program);
  registerServe(program);
  registerValidate(program);
  registerPlugins(program);
  registerBench(program);
  registerSample(program);
  registerPredict(program);
  registerExport(program);
  registerCreatePlugin(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code. Users see messages, never stack traces (unless --debug). */
export async function main(argv: readonly string[]): Promise<number> {
  ignoreClosedPipes();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.done;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.done : EXIT.badInput;
    if (error instanceof DiffstructError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    const debug = argv.includes('--debug');
    process.stderr.write(`diffstruct: internal error: ${(error as Error).message ?? String(error)}\n`);
    process.stderr.write(debug ? `${(error as Error).stack}\n` : '(run again with --debug for the stack trace)\n');
    return EXIT.internalError;
  }
}

/** A reader that went away (`run … | head -1`) is not a failure of the run: its output is dropped, the work goes on. */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
