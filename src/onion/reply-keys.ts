/**
 * Reply keys of onion requests (internal, not exported from the package). The destination's reply
 * is encrypted with the very key that sealed the innermost layer (spec/onion.md §3), so the
 * request builder remembers it here, keyed by the final ephemeral secret buffer, and reply
 * decryption skips a second key agreement. An entry is used only while the secret, the
 * destination key and the cipher are unchanged; it goes with the secret (releaseOnionEphemeral)
 * or with the buffer itself (weak map).
 * @module
 */
import { equalBytes, wipe } from '../util/bytes.js';

type EncType = 'xchacha20' | 'aes-gcm';
const replyKeys = new WeakMap<Uint8Array, { secretCopy: Uint8Array; remote: Uint8Array; encType: EncType; key: Uint8Array }>();

/** Records the innermost layer's hop key (onion request builder). */
export function rememberReplyKey(secretKey: Uint8Array, remote: Uint8Array, encType: EncType, key: Uint8Array): void {
  replyKeys.set(secretKey, { secretCopy: secretKey.slice(), remote: remote.slice(), encType, key: key.slice() });
}

/** A copy of the hop key recorded for exactly this secret, destination and cipher, if any. */
export function recallReplyKey(secretKey: unknown, remote: unknown, encType: EncType): Uint8Array | undefined {
  if (!(secretKey instanceof Uint8Array) || !(remote instanceof Uint8Array)) return undefined;
  const m = replyKeys.get(secretKey);
  if (!m || m.encType !== encType || !equalBytes(m.secretCopy, secretKey) || !equalBytes(m.remote, remote)) return undefined;
  return m.key.slice();
}

/** Wipes and drops the entry for `secretKey`. */
export function forgetReplyKey(secretKey: Uint8Array): void {
  const m = replyKeys.get(secretKey);
  if (m) wipe(m.secretCopy, m.key);
  replyKeys.delete(secretKey);
}
