import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed `diffstruct` command (the committed bin shim). */
export const BIN = fileURLToPath(new URL('../bin/diffstruct.js', import.meta.url));

/** Runs `diffstruct ...args` in a child process and returns its exit code and output. */
export function diffstruct(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return diffstructIn(process.cwd(), ...args);
}

/** Runs `diffstruct ...args` in the folder `cwd` (so file names in its messages are as relative as given). */
export function diffstructIn(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
