import { readFileSync } from 'node:fs';

let bootId: string | undefined | null = null;

/**
 * When process `pid` started, as one string that no other process of this machine shares: on
 * Linux the boot id and the start time in clock ticks since boot (field 22 of /proc/<pid>/stat).
 * Undefined where the OS does not tell (no /proc) or the process does not exist.
 */
export function processStart(pid: number): string | undefined {
  if (bootId === null) bootId = readOrUndefined('/proc/sys/kernel/random/boot_id')?.trim();
  if (bootId === undefined) return undefined;
  const stat = readOrUndefined(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) is in parentheses and may hold spaces and ")": fields 3… follow its last ")".
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
  return start === undefined ? undefined : `${bootId}:${start}`;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
