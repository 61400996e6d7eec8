import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed `diffstruct` command (the committed bin shim). */
export const BIN = fileURLToPath(new URL('../bin/diffstruct.js', import.meta.url));

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `diffstruct ...args` in a child process and returns its exit code and output. */
export function diffstruct(...args: string[]): CommandResult {
  return diffstructIn(process.cwd(), ...args);
}

/** Runs `diffstruct ...args` in a child process whose working directory is `cwd`. */
export function diffstructIn(cwd: string, ...args: string[]): CommandResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
