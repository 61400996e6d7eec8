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

/** The last entry of every command's exit codes help. */
export const INTERNAL_ERROR_HELP = `${EXIT.internalError} an internal error (a bug: run again with --debug for the stack trace).`;

export const EXIT_CODES_HELP = [
  `Exit codes: ${EXIT.done} every seed finished; ${EXIT.badInput} bad input (config, flags, files), or a file that could not be written`,
  `(disk full: make room, then --resume); ${EXIT.seedsFailed} some seeds failed;`,
  `${interruptedExitCode('SIGINT')} interrupted by SIGINT (Ctrl-C), ${interruptedExitCode('SIGTERM')} by SIGTERM (checkpoints written: --resume continues);`,
  INTERNAL_ERROR_HELP,
].join('\n');
