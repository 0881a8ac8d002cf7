/**
 * The pure-JS provider: @noble everywhere, wrapped in promises. It is the reference every other
 * provider is tested against.
 * @module
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { ed25519SignSync, ed25519VerifySync, x25519PublicKeySync, x25519Sync } from './noble.js';
import type { CryptoProvider } from './provider.js';

function decryptFailed(): never {
  throw new SessionSdkError('DECRYPT_FAILED', 'decryption failed');
}

/** Pure-JS {@link CryptoProvider} on @noble. */
export const nobleProvider: CryptoProvider = {
  name: 'noble',
  ed25519Sign: async (sk, m) => ed25519SignSync(sk, m),
  ed25519Verify: async (sig, m, pk) => ed25519VerifySync(sig, m, pk),
  x25519: async (sk, pk) => x25519Sync(sk, pk),
  x25519PublicKey: async (sk) => x25519PublicKeySync(sk),
  sha256: async (d) => sha256(d),
  sha512: async (d) => sha512(d),
  hmacSha256: async (k, d) => hmac(sha256, k, d),
  aesCbcEncrypt: async (k, iv, p) => cbc(k, iv).encrypt(p),
  aesCbcDecrypt: async (k, iv, c) => {
    try {
      return cbc(k, iv).decrypt(c);
    } catch {
      return decryptFailed();
    }
  },
  aesGcmEncrypt: async (k, iv, p, aad) => gcm(k, iv, aad).encrypt(p),
  aesGcmDecrypt: async (k, iv, c, aad) => {
    try {
      return gcm(k, iv, aad).decrypt(c);
    } catch {
      return decryptFailed();
    }
  },
};
