/**
 * Layout of libsession's deterministic "S" attachments (spec/identity-envelope.md §6.2; LS-new
 * `src/attachments.cpp` `encrypted_padding`, `encrypted_size`, `decrypted_max_size`):
 * `'S' ‖ header(24) ‖ secretstream chunks`, where the secretstream carries
 * `0x00 × (padding − 1) ‖ 0x01 ‖ data` in 32 768-byte pieces, each growing by 17 bytes.
 * @module
 */
import { SessionSdkError } from '../../errors.js';

/** First byte of an "S" attachment. */
export const ATTACHMENT_FORMAT_S = 0x53;
/**
 * Plaintext bytes per secretstream chunk (libsession `ENCRYPT_CHUNK_SIZE`).
 *
 * @example
 * ```ts
 * const chunks = Math.ceil((file.length + attachmentPaddingSize(file.length)) / ATTACHMENT_CHUNK_SIZE);
 * ```
 */
export const ATTACHMENT_CHUNK_SIZE = 32_768;
/** Secretstream header length (libsession `ENCRYPT_HEADER`). */
export const ATTACHMENT_HEADER_SIZE = 24;
/** Per-chunk overhead: tag byte + Poly1305 MAC (libsession `ENCRYPT_CHUNK_OVERHEAD`). */
export const ATTACHMENT_CHUNK_OVERHEAD = 17;
/** An encrypted full chunk (`ENCRYPTED_CHUNK_TOTAL`). */
export const ATTACHMENT_ENCRYPTED_CHUNK_SIZE = ATTACHMENT_CHUNK_SIZE + ATTACHMENT_CHUNK_OVERHEAD;
/** Bytes before the first chunk: `'S'` and the header. */
export const ATTACHMENT_PREFIX_SIZE = 1 + ATTACHMENT_HEADER_SIZE;

function checkSize(n: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new SessionSdkError('INVALID_INPUT', `${name} must be a non-negative safe integer`);
}

/** Largest power of two ≤ `x` (x ≥ 1), exact for all safe integers. */
function bitFloor(x: number): number {
  let p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);

/**
 * Padding bytes (≥ 1: zeros then a final `0x01`) placed before `plaintextSize` bytes of data so
 * the total is rounded up to a multiple of 1/32 of its leading power of two (minimum granularity
 * 4096), counting the per-chunk overhead the padding itself induces (LS-new `encrypted_padding`).
 *
 * @example
 * ```ts
 * attachmentPaddingSize(0); // 4054: an empty file encrypts to 4096 bytes
 * ```
 */
export function attachmentPaddingSize(plaintextSize: number): number {
  checkSize(plaintextSize, 'plaintextSize');
  const chunks = ceilDiv(plaintextSize, ATTACHMENT_CHUNK_SIZE);
  const enc = plaintextSize + ATTACHMENT_PREFIX_SIZE + 1 + chunks * ATTACHMENT_CHUNK_OVERHEAD;
  const factor = bitFloor(Math.max(enc, 131_072)) / 32;
  let padding = ceilDiv(enc, factor) * factor - enc + 1;
  // Each whole chunk of padding brings its own 17-byte overhead, which counts towards the padding.
  let implicit = Math.floor(padding / ATTACHMENT_ENCRYPTED_CHUNK_SIZE) * ATTACHMENT_CHUNK_OVERHEAD;
  // So does the extra chunk started when the remaining padding overflows the data's last chunk.
  const free = chunks * ATTACHMENT_CHUNK_SIZE - plaintextSize;
  if (padding % ATTACHMENT_ENCRYPTED_CHUNK_SIZE > free) implicit += ATTACHMENT_CHUNK_OVERHEAD;
  padding -= implicit;
  return padding;
}

/**
 * Exact size of the "S" encryption of `plaintextSize` bytes (LS-new `encrypted_size`).
 *
 * @example
 * ```ts
 * attachmentEncryptedSize(10_218_286); // 10_223_616
 * ```
 */
export function attachmentEncryptedSize(plaintextSize: number): number {
  const padded = plaintextSize + attachmentPaddingSize(plaintextSize);
  return ATTACHMENT_PREFIX_SIZE + padded + ceilDiv(padded, ATTACHMENT_CHUNK_SIZE) * ATTACHMENT_CHUNK_OVERHEAD;
}

/**
 * Upper bound on the plaintext inside an `encryptedSize`-byte "S" attachment (the real size is
 * smaller by the padding), or `undefined` when no attachment can be that short (LS-new
 * `decrypted_max_size`).
 *
 * @example
 * ```ts
 * attachmentDecryptedMaxSize(4096); // 4053
 * ```
 */
export function attachmentDecryptedMaxSize(encryptedSize: number): number | undefined {
  checkSize(encryptedSize, 'encryptedSize');
  const body = encryptedSize - ATTACHMENT_PREFIX_SIZE - 1;
  if (body < 0) return undefined;
  const max = body - ceilDiv(body, ATTACHMENT_ENCRYPTED_CHUNK_SIZE) * ATTACHMENT_CHUNK_OVERHEAD;
  return max < 0 ? undefined : max;
}
