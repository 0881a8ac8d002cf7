/**
 * The layers between a serialized config message and its encryption (spec/config.md §2.3–§2.4):
 * optional `z`+zstd compression (used only when shorter) and leading-zero padding to libsession's
 * size buckets. Receivers strip the zeros and inflate `z` payloads with `fzstd`.
 * @module
 */
import { decompress } from 'fzstd';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes } from '../util/bytes.js';
import { CONFIG_ENCRYPT_OVERHEAD } from './encrypt.js';

/** Largest final push (after wrapping), libsession `MAX_MESSAGE_SIZE` (spec/config.md §2.11). */
export const CONFIG_MAX_MESSAGE_SIZE = 76800;
/** Most bytes a received `z` payload may inflate to (bounds memory on hostile input). */
export const CONFIG_MAX_DECOMPRESSED_SIZE = 8 * 1024 * 1024;

/** A zstd level-1 compressor producing one standard frame (e.g. libzstd's `ZSTD_compress`). */
export type ConfigCompressor = (message: Uint8Array) => Uint8Array;

/**
 * libsession `padded_size`: rounds `size + overhead` up to 256 B below 5 KiB, 1 KiB below 20 KiB,
 * 2 KiB below 40 KiB, else 5 KiB, minus `overhead` (spec/config.md §2.3).
 *
 * @example
 * ```ts
 * configPaddedSize(1, 0); // 256
 * ```
 */
export function configPaddedSize(size: number, overhead: number = CONFIG_ENCRYPT_OVERHEAD): number {
  if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(overhead) || overhead < 0) {
    throw new SessionSdkError('INVALID_INPUT', 'size and overhead must be non-negative integers');
  }
  const s2 = size + overhead;
  const chunk = s2 < 5120 ? 256 : s2 < 20480 ? 1024 : s2 < 40960 ? 2048 : 5120;
  return Math.ceil(s2 / chunk) * chunk - overhead;
}

/**
 * Serialized message → the plaintext that gets encrypted: `z`+compressed when a compressor is
 * given and the result is strictly shorter, then prefixed with zero bytes to the padded size.
 *
 * @example
 * ```ts
 * const padded = encodeConfigPayload(serialized); // uncompressed, padded
 * ```
 */
export function encodeConfigPayload(message: Uint8Array, compress?: ConfigCompressor): Uint8Array {
  assertBytes(message, 'message');
  let m = message;
  if (compress) {
    const z = concatBytes(Uint8Array.of(0x7a), compress(message));
    if (z.length < m.length) m = z;
  }
  return concatBytes(new Uint8Array(configPaddedSize(m.length) - m.length), m);
}

/**
 * Reads one zstd frame sequence without decoding it and bounds what it could allocate: window and
 * declared content sizes, and the total the blocks could regenerate. `fzstd` would otherwise
 * allocate whatever a (hostile) header declares.
 */
function checkZstdBounds(z: Uint8Array, cap: number): void {
  const bad = (): never => {
    throw new SessionSdkError('INVALID_ENCODING', 'config payload: invalid or oversized zstd data');
  };
  let p = 0;
  let total = 0;
  const u32 = (o: number): number => (z[o]! | (z[o + 1]! << 8) | (z[o + 2]! << 16)) + z[o + 3]! * 2 ** 24;
  while (p < z.length) {
    if (p + 4 > z.length) bad();
    const magic = u32(p);
    if (magic >>> 4 === 0x184d2a5) {
      if (p + 8 > z.length) bad();
      p += 8 + u32(p + 4); // skippable frame
      continue;
    }
    if (magic !== 0xfd2fb528) bad();
    p += 4;
    if (p >= z.length) bad();
    const fhd = z[p++]!;
    const fcsFlag = fhd >> 6;
    const single = (fhd >> 5) & 1;
    const dictFlag = fhd & 3;
    const checksum = (fhd >> 2) & 1;
    let window = 0;
    if (!single) {
      if (p >= z.length) bad();
      const wd = z[p++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    p += dictFlag === 3 ? 4 : dictFlag;
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    if (p + fcsBytes > z.length) bad();
    let fcs = 0;
    for (let i = fcsBytes - 1; i >= 0; i--) fcs = fcs * 256 + z[p + i]!;
    if (fcsBytes === 2) fcs += 256;
    p += fcsBytes;
    if (single) window = fcs;
    if (window > cap || fcs > cap) bad();
    for (let last = 0; !last; ) {
      if (p + 3 > z.length) bad();
      const h = z[p]! | (z[p + 1]! << 8) | (z[p + 2]! << 16);
      p += 3;
      last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >>> 3;
      if (type === 3) bad();
      total += type === 2 ? Math.min(131072, window) : size;
      p += type === 1 ? 1 : size;
      if (total > cap || p > z.length) bad();
    }
    if (checksum) p += 4;
    if (p > z.length) bad();
  }
}

/**
 * Decrypted plaintext → serialized config message: strips all leading zero bytes and inflates a
 * `z` payload (spec/config.md §2.6). Throws `CONFIG_INVALID` for an empty or multi-part (`m`)
 * payload, `INVALID_ENCODING` for bad or oversized zstd data.
 *
 * @example
 * ```ts
 * const serialized = decodeConfigPayload(configDecrypt(c, key, 'Contacts'));
 * ```
 */
export function decodeConfigPayload(plaintext: Uint8Array): Uint8Array {
  assertBytes(plaintext, 'plaintext');
  let i = 0;
  while (i < plaintext.length && plaintext[i] === 0) i++;
  const m = plaintext.subarray(i);
  if (m.length === 0) throw new SessionSdkError('CONFIG_INVALID', 'config payload contains no data');
  if (m[0] === 0x6d) throw new SessionSdkError('CONFIG_INVALID', 'multi-part config messages are not supported');
  if (m[0] !== 0x7a) return m.slice();
  const z = m.subarray(1);
  checkZstdBounds(z, CONFIG_MAX_DECOMPRESSED_SIZE);
  let out: Uint8Array;
  try {
    out = decompress(z);
  } catch {
    throw new SessionSdkError('INVALID_ENCODING', 'config payload: zstd decompression failed');
  }
  if (out.length === 0) throw new SessionSdkError('CONFIG_INVALID', 'config payload decompressed to nothing');
  return out;
}
