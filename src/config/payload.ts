/**
 * The layers between a serialized config message and its encryption (spec/config.md §2.3–§2.4):
 * optional `z`+zstd compression (used only when shorter) and leading-zero padding to libsession's
 * size buckets. Receivers strip the zeros and inflate `z` payloads with `fzstd`.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes } from '../util/bytes.js';
import { zstdDecompressBounded } from '../util/zstd.js';
import { CONFIG_ENCRYPT_OVERHEAD } from './encrypt.js';

/**
 * Largest final push (after wrapping), libsession `MAX_MESSAGE_SIZE` (spec/config.md §2.11).
 *
 * @example
 * ```ts
 * const push = await profile.push();
 * push.data.length <= CONFIG_MAX_MESSAGE_SIZE; // true: push() throws TOO_LARGE otherwise
 * ```
 */
export const CONFIG_MAX_MESSAGE_SIZE = 76800;
/**
 * Most bytes a received `z` payload may inflate to (bounds memory on hostile input).
 *
 * @example
 * ```ts
 * // decodeConfigPayload refuses a `z` payload that inflates past this
 * CONFIG_MAX_DECOMPRESSED_SIZE; // 8 MiB
 * ```
 */
export const CONFIG_MAX_DECOMPRESSED_SIZE = 8 * 1024 * 1024;

/**
 * A zstd level-1 compressor producing one standard frame (e.g. libzstd's `ZSTD_compress`).
 *
 * @example
 * ```ts
 * const compress: ConfigCompressor = zstdCompress;
 * const profile = new UserProfileConfig({ ed25519SecretKey: sk, compress });
 * ```
 */
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
  const out = zstdDecompressBounded(z, CONFIG_MAX_DECOMPRESSED_SIZE);
  if (out.length === 0) throw new SessionSdkError('CONFIG_INVALID', 'config payload decompressed to nothing');
  return out;
}
