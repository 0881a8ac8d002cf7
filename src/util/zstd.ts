/**
 * Bounded zstd decompression for the `z` field of group messages (spec/groups.md §2.8), on top of
 * fzstd. fzstd sizes its window from the frame header (up to 2 GiB) and has no output limit, so a
 * hostile but validly signed message could exhaust memory; we walk the frame structure first
 * (without decoding) to bound every allocation, then stream-decompress with an output counter.
 * @module
 */
import { Decompress } from 'fzstd';
import { SessionSdkError } from '../errors.js';
import { assertBytes } from './bytes.js';

/** Largest window we let the decoder allocate for one frame. */
const MAX_WINDOW = 8 * 1024 * 1024;

function bad(msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', `zstd: ${msg}`);
}

/** Checks frame headers and block framing of every frame; returns nothing, throws on problems. */
function checkFrames(data: Uint8Array, maxOutput: number): void {
  let p = 0;
  let frames = 0;
  while (p < data.length) {
    if (data.length - p < 8) bad('truncated frame');
    const magic = (data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24)) >>> 0;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // skippable frame: 4-byte little-endian length
      const len = (data[p + 4]! | (data[p + 5]! << 8) | (data[p + 6]! << 16) | (data[p + 7]! << 24)) >>> 0;
      p += 8 + len;
      if (p > data.length) bad('truncated skippable frame');
      continue;
    }
    if (magic !== 0xfd2fb528) bad('bad frame magic');
    frames++;
    const fhd = data[p + 4]!;
    if (fhd & 0x08) bad('reserved header bit set');
    const singleSegment = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    const fcsFlag = fhd >> 6;
    const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
    let q = p + 5;
    let window = 0;
    if (!singleSegment) {
      const wd = data[q++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    q += dictBytes;
    if (q + fcsBytes > data.length) bad('truncated frame header');
    let fcs = 0;
    for (let i = 0; i < fcsBytes; i++) fcs += data[q + i]! * 2 ** (8 * i);
    if (fcsBytes === 2) fcs += 256;
    q += fcsBytes;
    if (singleSegment) window = fcs;
    if (window > MAX_WINDOW) bad('window too large');
    if (fcsBytes && fcs > maxOutput) bad('declared content size exceeds the limit');
    for (;;) {
      if (q + 3 > data.length) bad('truncated block header');
      const bh = data[q]! | (data[q + 1]! << 8) | (data[q + 2]! << 16);
      q += 3;
      const type = (bh >> 1) & 3;
      if (type === 3) bad('reserved block type');
      q += type === 1 ? 1 : bh >>> 3;
      if (q > data.length) bad('truncated block');
      if (bh & 1) break;
    }
    q += checksum * 4;
    if (q > data.length) bad('truncated checksum');
    p = q;
  }
  if (frames === 0) bad('no zstd frame');
}

/**
 * Decompresses zstd data, refusing more than `maxOutput` bytes of output (libsession caps group
 * messages at 1 MB). Throws `INVALID_ENCODING` on malformed or oversized input.
 *
 * @example
 * ```ts
 * const text = zstdDecompressBounded(z, 1_000_000);
 * ```
 */
export function zstdDecompressBounded(data: Uint8Array, maxOutput: number): Uint8Array {
  assertBytes(data, 'zstd data');
  checkFrames(data, maxOutput);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const d = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxOutput) bad('output exceeds the limit');
    chunks.push(chunk.slice());
  });
  try {
    d.push(data, true);
  } catch (e) {
    if (e instanceof SessionSdkError) throw e;
    bad('invalid compressed data');
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
