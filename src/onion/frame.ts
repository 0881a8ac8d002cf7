/**
 * The onion frame `u32le(N) ‖ blob[N] ‖ json` (spec/onion.md §2.1): the shape of the body sent to
 * the guard and of every decrypted layer. The JSON runs to the end of the buffer.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes } from '../util/bytes.js';
import { parseJsonObject, type JsonObject } from './json.js';

/**
 * Largest onion request a storage server / onion-request server accepts (10 MiB, spec §2.5).
 *
 * @example
 * ```ts
 * if (req.wire.length > MAX_ONION_REQUEST_SIZE) throw new Error('payload too large for an onion request');
 * ```
 */
export const MAX_ONION_REQUEST_SIZE = 10_485_760;

/**
 * Writes `u32le(blob.length) ‖ blob ‖ json`.
 *
 * @example
 * ```ts
 * const frame = encodeOnionFrame(ciphertext, new TextEncoder().encode('{"ephemeral_key":"…","enc_type":"xchacha20"}'));
 * ```
 */
export function encodeOnionFrame(blob: Uint8Array, json: Uint8Array): Uint8Array {
  assertBytes(blob, 'onion frame blob');
  assertBytes(json, 'onion frame JSON');
  if (blob.length + json.length + 4 > MAX_ONION_REQUEST_SIZE) {
    throw new SessionSdkError('TOO_LARGE', `onion frame of ${blob.length + json.length + 4} bytes exceeds ${MAX_ONION_REQUEST_SIZE}`);
  }
  const out = new Uint8Array(4 + blob.length + json.length);
  new DataView(out.buffer).setUint32(0, blob.length, true);
  out.set(blob, 4);
  out.set(json, 4 + blob.length);
  return out;
}

/**
 * A split onion frame; `blob` and `json` are views into the input (no copy).
 *
 * @example
 * ```ts
 * const { blob, json }: OnionFrame = decodeOnionFrame(body);
 * const meta = JSON.parse(new TextDecoder().decode(json));
 * ```
 */
export interface OnionFrame {
  /** The `N`-byte blob: the encrypted inner layer. */
  blob: Uint8Array;
  /** The JSON bytes after it (routing information, not parsed). */
  json: Uint8Array;
}

/**
 * Splits `u32le(N) ‖ blob[N] ‖ json` without interpreting the JSON. Throws `INVALID_ENCODING`
 * when N runs past the end, `TOO_LARGE` above {@link MAX_ONION_REQUEST_SIZE}.
 *
 * @example
 * ```ts
 * const { blob, json } = decodeOnionFrame(body);
 * ```
 */
export function decodeOnionFrame(frame: Uint8Array): OnionFrame {
  assertBytes(frame, 'onion frame');
  if (frame.length > MAX_ONION_REQUEST_SIZE) {
    throw new SessionSdkError('TOO_LARGE', `onion frame of ${frame.length} bytes exceeds ${MAX_ONION_REQUEST_SIZE}`);
  }
  if (frame.length < 4) throw new SessionSdkError('INVALID_ENCODING', 'onion frame shorter than its 4-byte length prefix');
  const n = new DataView(frame.buffer, frame.byteOffset, 4).getUint32(0, true);
  if (n > frame.length - 4) throw new SessionSdkError('INVALID_ENCODING', `onion frame says ${n} blob bytes but only ${frame.length - 4} follow`);
  return { blob: frame.subarray(4, 4 + n), json: frame.subarray(4 + n) };
}

/**
 * {@link decodeOnionFrame} plus the JSON part parsed; it must be a JSON object.
 *
 * @example
 * ```ts
 * const { blob, metadata } = parseOnionFrame(body); metadata.ephemeral_key;
 * ```
 */
export function parseOnionFrame(frame: Uint8Array): OnionFrame & { metadata: JsonObject } {
  const f = decodeOnionFrame(frame);
  return { ...f, metadata: parseJsonObject(f.json, 'onion frame JSON') };
}
