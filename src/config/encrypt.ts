/**
 * Config encryption (spec/config.md §2.2): XChaCha20-Poly1305 with a key bound to the plaintext
 * length and domain, and a deterministic nonce (keyed BLAKE2b of the plaintext), appended.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, utf8, wipe } from '../util/bytes.js';

const NONCE_KEY_PREFIX = 'libsessionutil-config-encrypted-';
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/**
 * Ciphertext overhead: 16-byte tag + 24-byte nonce.
 *
 * @example
 * ```ts
 * configEncrypt(message, key, 'UserProfile').length === message.length + CONFIG_ENCRYPT_OVERHEAD; // true
 * ```
 */
export const CONFIG_ENCRYPT_OVERHEAD = NONCE_BYTES + TAG_BYTES;

function checkInputs(keyBase: Uint8Array, domain: string): Uint8Array {
  assertBytes(keyBase, 'keyBase', 32, 'INVALID_KEY');
  if (typeof domain !== 'string' || !/^[\x20-\x7e]{1,24}$/.test(domain)) {
    throw new SessionSdkError('INVALID_INPUT', 'config encryption domain must be 1 to 24 printable ASCII characters');
  }
  return utf8(domain);
}

/** K = BLAKE2b-256(keyBase ‖ u64_be(plaintext length) ‖ domain): one key per length and domain. */
function deriveKey(keyBase: Uint8Array, plaintextLength: number, domain: Uint8Array): Uint8Array {
  // One buffer and the one-shot (WASM) hash: cheaper than an incremental hasher for ≤ 64 bytes.
  const input = new Uint8Array(32 + 8 + domain.length);
  input.set(keyBase);
  new DataView(input.buffer).setBigUint64(32, BigInt(plaintextLength), false);
  input.set(domain, 40);
  try {
    return blake2b(input, { dkLen: 32 });
  } finally {
    wipe(input); // holds keyBase
  }
}

/**
 * libsession `config::encrypt`: deterministic XChaCha20-Poly1305, output `ct ‖ tag ‖ nonce`
 * (`message.length + 40` bytes). No padding or compression here (see {@link encodeConfigPayload}).
 *
 * @example
 * ```ts
 * const c = configEncrypt(new TextEncoder().encode('some message 1'), keyBase, 'test-suite1');
 * configDecrypt(c, keyBase, 'test-suite1'); // the message again
 * ```
 */
export function configEncrypt(message: Uint8Array, keyBase: Uint8Array, domain: string): Uint8Array {
  assertBytes(message, 'message');
  const d = checkInputs(keyBase, domain);
  // The nonce depends only on plaintext and domain, so equal pushes give equal ciphertexts.
  const nonce = blake2b(message, { dkLen: NONCE_BYTES, key: concatBytes(utf8(NONCE_KEY_PREFIX), d) });
  const key = deriveKey(keyBase, message.length, d);
  try {
    return concatBytes(xchacha20poly1305(key, nonce).encrypt(message), nonce);
  } finally {
    wipe(key);
  }
}

/**
 * libsession `config::decrypt`. Throws `DECRYPT_FAILED` for a short, forged or wrong-key
 * ciphertext (the message does not say which).
 *
 * @example
 * ```ts
 * const padded = configDecrypt(ciphertext, identity.seed, 'UserProfile');
 * ```
 */
export function configDecrypt(ciphertext: Uint8Array, keyBase: Uint8Array, domain: string): Uint8Array {
  assertBytes(ciphertext, 'ciphertext');
  const d = checkInputs(keyBase, domain);
  if (ciphertext.length < CONFIG_ENCRYPT_OVERHEAD) {
    throw new SessionSdkError('DECRYPT_FAILED', 'config ciphertext too short');
  }
  const split = ciphertext.length - NONCE_BYTES;
  const nonce = ciphertext.subarray(split);
  const key = deriveKey(keyBase, split - TAG_BYTES, d);
  try {
    return xchacha20poly1305(key, nonce).decrypt(ciphertext.subarray(0, split));
  } catch {
    throw new SessionSdkError('DECRYPT_FAILED', 'config decryption failed');
  } finally {
    wipe(key);
  }
}
