import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed `diffstruct` command (the committed bin shim). */
export const BIN = fileURLToPath(new URL('../bin/diffstruct.js', import.meta.url));

/** Runs `diffstruct ...args` in a child process and returns its exit code and output. */
export function diffstruct(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
