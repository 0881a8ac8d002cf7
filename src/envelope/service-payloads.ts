/**
 * Two small payloads Session services hand to clients, decrypted as libsession does
 * (spec/identity-envelope.md §3.7): Session ONS lookup results and push-notification bodies.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { parseSessionId } from '../identity/session-id.js';
import { assertBytes, toHex, utf8, wipe } from '../util/bytes.js';

/** Longest ONS name accepted (the registry's limit is far lower; this only bounds the input). */
const ONS_NAME_MAX = 256;

/**
 * Decrypts a Session ONS lookup result (libsession `decrypt_ons_response`, the XChaCha20 form used
 * since Oxen hard fork 16): `key = BLAKE2b-32(name; key = BLAKE2b-32(name))`, XChaCha20-Poly1305
 * with the response's 24-byte nonce and no associated data. The name is lower-cased first, as ONS
 * names are case-insensitive. The plaintext must be a 33-byte `05` Session ID, returned as hex.
 * The pre-HF16 Argon2 form (responses without a nonce) is not supported.
 *
 * Throws `DECRYPT_FAILED` for a wrong name or altered response, `INVALID_SESSION_ID` if the
 * decrypted value is not a valid `05` ID, `INVALID_LENGTH` / `INVALID_INPUT` for bad arguments.
 *
 * @example
 * ```ts
 * const sessionId = decryptOnsResponse('alice', fromHex(result.encrypted_value), fromHex(result.nonce));
 * ```
 */
export function decryptOnsResponse(name: string, ciphertext: Uint8Array, nonce: Uint8Array): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > ONS_NAME_MAX) {
    throw new SessionSdkError('INVALID_INPUT', `ONS name must be 1-${ONS_NAME_MAX} characters`);
  }
  assertBytes(ciphertext, 'ONS ciphertext');
  assertBytes(nonce, 'ONS nonce', 24);
  if (ciphertext.length < 16) throw new SessionSdkError('DECRYPT_FAILED', 'ONS response is too short');
  const n = utf8(name.toLowerCase());
  const nameHash = blake2b(n, { dkLen: 32 });
  const key = blake2b(n, { dkLen: 32, key: nameHash });
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(key, nonce).decrypt(ciphertext);
  } catch {
    throw new SessionSdkError('DECRYPT_FAILED', 'ONS response could not be decrypted with this name');
  } finally {
    wipe(key, nameHash);
  }
  if (plain.length !== 33) throw new SessionSdkError('INVALID_SESSION_ID', 'ONS value is not a 33-byte Session ID');
  const id = toHex(plain);
  if (parseSessionId(id).prefix !== 0x05) throw new SessionSdkError('INVALID_SESSION_ID', 'ONS value is not a 05 Session ID');
  return id;
}

/**
 * Decrypts a push-notification payload (libsession `decrypt_push_notification`):
 * `nonce(24) ‖ XChaCha20-Poly1305 ciphertext` under the 32-byte key registered with the push
 * server, no associated data; trailing zero bytes (padding) are stripped from the plaintext.
 * Throws `DECRYPT_FAILED` for a wrong key, truncation or tampering.
 *
 * @example
 * ```ts
 * const body = decryptPushNotification(payload, notificationKey);
 * ```
 */
export function decryptPushNotification(payload: Uint8Array, encKey: Uint8Array): Uint8Array {
  assertBytes(payload, 'push payload');
  assertBytes(encKey, 'push notification key', 32);
  if (payload.length < 24 + 16) throw new SessionSdkError('DECRYPT_FAILED', 'push payload is too short');
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(encKey, payload.subarray(0, 24)).decrypt(payload.subarray(24));
  } catch {
    throw new SessionSdkError('DECRYPT_FAILED', 'push payload could not be decrypted');
  }
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  const out = plain.slice(0, end);
  wipe(plain);
  return out;
}
