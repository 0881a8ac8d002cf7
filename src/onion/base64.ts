/**
 * Standard base64 (RFC 4648 §4) without `Buffer`, strict on input: the storage RPC and onion
 * replies use it, and a lenient decoder would accept bytes a peer did not send. Internal.
 * @module
 */
import { SessionSdkError } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64, padded unless `pad` is false. */
export function toBase64(bytes: Uint8Array, pad = true): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

/**
 * Decodes standard base64, padded or unpadded; rejects other characters, bad padding and
 * non-zero trailing bits with `INVALID_ENCODING`.
 */
export function fromBase64(s: string, what = 'base64'): Uint8Array {
  if (typeof s !== 'string') throw new SessionSdkError('INVALID_INPUT', `${what} must be a string`);
  let end = s.length;
  if (end % 4 === 0 && end > 0) {
    if (s.charCodeAt(end - 1) === 61) end--;
    if (s.charCodeAt(end - 1) === 61) end--;
  }
  const rem = end % 4;
  if (rem === 1) throw new SessionSdkError('INVALID_ENCODING', `${what} has an impossible length`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new SessionSdkError('INVALID_ENCODING', `${what} contains a character outside the base64 alphabet`);
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new SessionSdkError('INVALID_ENCODING', `${what} has non-zero padding bits`);
  return out;
}
