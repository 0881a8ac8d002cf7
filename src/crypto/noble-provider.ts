/**
 * The pure-JS provider: @noble everywhere, wrapped in promises. It is the reference every other
 * provider is tested against.
 * @module
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, randomBytes, wipe } from '../util/bytes.js';
import { ed25519SignSync, ed25519VerifySync, x25519PublicKeySync, x25519Sync } from './noble.js';
import type { CryptoProvider } from './provider.js';
import { deepFreeze } from '../util/freeze.js';

/** AES-256 only: a wrong key or IV length is the caller's bug, reported the same on every provider. */
export function assertAesParams(key: Uint8Array, iv: Uint8Array, ivLength: 12 | 16): void {
  assertBytes(key, 'AES-256 key', 32, 'INVALID_KEY');
  assertBytes(iv, ivLength === 12 ? 'AES-GCM nonce' : 'AES-CBC IV', ivLength);
}

function decryptFailed(): never {
  throw new SessionSdkError('DECRYPT_FAILED', 'decryption failed');
}

/**
 * Pure-JS {@link CryptoProvider} on @noble.
 *
 * @example
 * ```ts
 * setCryptoProvider(nobleProvider); // same as setCryptoProvider('noble')
 * await nobleProvider.sha256(data);
 * ```
 */
export const nobleProvider: CryptoProvider = /* @__PURE__ */ deepFreeze({
  name: 'noble',
  ed25519Sign: async (sk, m) => ed25519SignSync(sk, m),
  ed25519Verify: async (sig, m, pk) => ed25519VerifySync(sig, m, pk),
  x25519: async (sk, pk) => x25519Sync(sk, pk),
  x25519PublicKey: async (sk) => x25519PublicKeySync(sk),
  x25519EphemeralKeyPair: async () => {
    const secretKey = randomBytes(32);
    return { publicKey: x25519PublicKeySync(secretKey), secretKey };
  },
  forgetSecretKey: (sk) => wipe(sk),
  sha256: async (d) => sha256(d),
  sha512: async (d) => sha512(d),
  hmacSha256: async (k, d) => hmac(sha256, k, d),
  aesCbcEncrypt: async (k, iv, p) => {
    assertAesParams(k, iv, 16);
    return cbc(k, iv).encrypt(p);
  },
  aesCbcDecrypt: async (k, iv, c) => {
    assertAesParams(k, iv, 16);
    try {
      return cbc(k, iv).decrypt(c);
    } catch {
      return decryptFailed();
    }
  },
  aesGcmEncrypt: async (k, iv, p, aad) => {
    assertAesParams(k, iv, 12);
    return gcm(k, iv, aad).encrypt(p);
  },
  aesGcmDecrypt: async (k, iv, c, aad) => {
    assertAesParams(k, iv, 12);
    try {
      return gcm(k, iv, aad).decrypt(c);
    } catch {
      return decryptFailed();
    }
  },
});
