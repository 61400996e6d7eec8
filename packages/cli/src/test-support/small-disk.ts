/**
 * Preloaded with `node --import` in tests (in every thread): files under one folder share a disk
 * of a few bytes, as on a nearly full disk. A write that does not fit writes the part that does and
 * fails with ENOSPC, as the kernel does; `SMALL_DISK=<folder>:<bytes>` sets the folder and its size.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve, sep } from 'node:path';

const [folder, size] = (process.env.SMALL_DISK ?? '').split(/:(?=\d+$)/);
const capacity = Number(size);
if (!folder || !Number.isSafeInteger(capacity)) throw new Error(`SMALL_DISK: expected <folder>:<bytes>, found "${process.env.SMALL_DISK}"`);
const root = resolve(folder);
const original = { openSync: fs.openSync, writeSync: fs.writeSync, writeFileSync: fs.writeFileSync, appendFileSync: fs.appendFileSync };
const paths = new Map<number, string>();

const onDisk = (path: unknown) => typeof path === 'string' && (resolve(path) === root || resolve(path).startsWith(root + sep));

function used(dir = root): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Another thread may rename or remove a file between the listing and the stat.
    bytes += entry.isDirectory() ? used(path) : (fs.statSync(path, { throwIfNoEntry: false })?.size ?? 0);
  }
  return bytes;
}

/** How many of `wanted` new bytes fit; throws ENOSPC when none do. */
function room(wanted: number, path: string): number {
  const free = capacity - used();
  if (wanted > 0 && free <= 0) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28 });
  return Math.min(wanted, free);
}

const bytesOf = (data: unknown): Buffer => (typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array));

function sizedWrite(path: string, data: unknown, append: boolean): void {
  const bytes = bytesOf(data);
  const previous = append || !fs.existsSync(path) ? 0 : fs.statSync(path).size;
  const fits = room(Math.max(0, bytes.length - previous), path) + previous;
  // Through the originals of open and write alone: Node's own appendFileSync calls fs.writeFileSync, patched here.
  const fd = original.openSync(path, append ? 'a' : 'w');
  try {
    for (let written = 0; written < fits; ) written += original.writeSync(fd, bytes, written, fits - written);
  } finally {
    fs.closeSync(fd);
  }
  if (fits < bytes.length) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28 });
}

Object.assign(fs, {
  openSync(...args: Parameters<typeof fs.openSync>) {
    const fd = original.openSync(...args);
    if (onDisk(args[0])) paths.set(fd, String(args[0]));
    return fd;
  },
  writeSync(fd: number, data: Uint8Array, offset = 0, length = data.length - offset, position?: number | null) {
    const path = paths.get(fd);
    if (path === undefined || typeof data === 'string') return (original.writeSync as (...a: unknown[]) => number)(fd, data, offset, length, position);
    return original.writeSync(fd, data, offset, room(length, path), position);
  },
  writeFileSync(path: fs.PathOrFileDescriptor, data: string | NodeJS.ArrayBufferView, options?: fs.WriteFileOptions) {
    return onDisk(path) ? sizedWrite(String(path), data, false) : original.writeFileSync(path, data, options);
  },
  appendFileSync(path: fs.PathOrFileDescriptor, data: string | Uint8Array, options?: fs.WriteFileOptions) {
    return onDisk(path) ? sizedWrite(String(path), data, true) : original.appendFileSync(path, data, options);
  },
});
syncBuiltinESMExports();
