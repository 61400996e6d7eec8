import { constants } from 'node:os';

/** The exit codes of `diffstruct`; docs/reliability.md#exit-codes and `diffstruct run --help` list them. */
export const EXIT = {
  done: 0,
  /** A bug in diffstruct: `--debug` shows the stack trace. */
  internalError: 1,
  /** Config, flags or files the user can fix (DiffstructError's default). */
  badInput: 2,
  seedsFailed: 3,
} as const;

/** 128 + the signal's number, as a shell reports a process that signal ended: SIGINT 130, SIGTERM 143. */
export function interruptedExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

export const EXIT_CODES_HELP = [
  'Exit codes: 0 every seed finished; 2 bad input (config, flags, files), or a file that could not be written',
  '(disk full: make room, then --resume); 3 some seeds failed;',
  '130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM (checkpoints written: --resume continues);',
  '1 an internal error (a bug: run again with --debug for the stack trace).',
].join('\n');
