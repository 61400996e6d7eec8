import { DiffstructError } from '@diffstruct/core';

/**
 * The Unicode code points of UTF-8 `bytes`, checked strictly (no overlong form, no surrogate, none
 * above U+10FFFF, no sequence cut short); a leading byte-order mark is dropped. A bad byte is
 * refused with `file`'s line and column (in characters, from 1) where it stands.
 */
export function decodeUtf8CodePoints(bytes: Uint8Array, file: string): Int32Array {
  const points = new Int32Array(bytes.length);
  let count = 0;
  let line = 1;
  let lineStart = 0; // index in `points` of the line's first character
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    let point: number;
    let size: number;
    if (lead < 0x80) {
      point = lead;
      size = 1;
    } else {
      size = sequenceLength(lead);
      point = lead & (0x7f >> size);
      let bad = size === 0 || i + size > bytes.length;
      for (let k = 1; !bad && k < size; k++) {
        const next = bytes[i + k];
        if ((next & 0xc0) !== 0x80) bad = true;
        point = (point << 6) | (next & 0x3f);
      }
      // Overlong three- and four-byte forms, surrogates and points past U+10FFFF.
      if (size === 3 && (point < 0x800 || (point >= 0xd800 && point <= 0xdfff))) bad = true;
      if (size === 4 && (point < 0x10000 || point > 0x10ffff)) bad = true;
      if (bad) {
        const column = count - lineStart + 1;
        const shown = [...bytes.subarray(i, i + Math.max(size, 1))].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
        throw new DiffstructError(`${file}:${line}:${column}: expected UTF-8 text, found invalid UTF-8 at byte ${i + 1} (${shown})`);
      }
    }
    points[count++] = point;
    i += size;
    if (point === 0x0a) {
      line++;
      lineStart = count;
    }
  }
  return points.subarray(0, count);
}

/** Bytes of the UTF-8 sequence `lead` starts: 2 to 4, or 0 for a byte no sequence starts with (a continuation byte, an overlong two-byte lead 0xc0-0xc1, 0xf5 up). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}
