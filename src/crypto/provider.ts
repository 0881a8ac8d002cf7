/**
 * One internal crypto provider for every hot path (spec/performance.md §4.2). Two implementations
 * ship: `noble` (pure JS, the reference) and `webcrypto` (the platform's native Ed25519, X25519,
 * AES, SHA and HMAC, falling back to noble per algorithm where the runtime lacks one). Both give
 * byte-identical output and the same accept/reject decisions; tests run every vector on both.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { nobleProvider } from './noble-provider.js';
import { webCryptoProvider } from './webcrypto-provider.js';

/**
 * The asynchronous primitives the protocol modules are built from.
 *
 * @example
 * ```ts
 * const provider: CryptoProvider = getCryptoProvider();
 * const sig = await provider.ed25519Sign(identity.seed, message);
 * await provider.ed25519Verify(sig, message, identity.ed25519PublicKey); // true
 * ```
 */
export interface CryptoProvider {
  /** `'noble'`, `'webcrypto'` or a custom name. */
  readonly name: string;
  /** Ed25519 signature with a 32-byte seed (or the 64-byte libsodium secret key). */
  ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  /** Ed25519 verification with libsodium's exact acceptance rules (spec/security.md §3). */
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
  /** X25519 scalar multiplication; throws `SMALL_ORDER_KEY` on an all-zero result. */
  x25519(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  /** X25519 public key of a secret scalar. */
  x25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array>;
  /**
   * A fresh random X25519 key pair for one-time (ephemeral) use. The native provider generates
   * it with WebCrypto's `generateKey` (the platform CSPRNG behind `getRandomValues`), because
   * importing a raw secret costs several times more than generating one, and keeps the native
   * key cached for later {@link x25519} calls with the returned `secretKey` buffer.
   */
  x25519EphemeralKeyPair(): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
  /** Wipes `secretKey` and drops any native key cached for it. */
  forgetSecretKey(secretKey: Uint8Array): void;
  /** SHA-256 digest. */
  sha256(data: Uint8Array): Promise<Uint8Array>;
  /** SHA-512 digest. */
  sha512(data: Uint8Array): Promise<Uint8Array>;
  /** HMAC-SHA-256 tag (32 bytes). */
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** AES-256-CBC with PKCS#7 padding. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** AES-256-CBC with PKCS#7 padding; bad padding throws `DECRYPT_FAILED`. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM, output `ciphertext ‖ tag(16)`. */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM of `ciphertext ‖ tag`; a bad tag throws `DECRYPT_FAILED`. */
  aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
}

let current: CryptoProvider | undefined;

/**
 * The provider in use: `webcrypto` when the runtime has `crypto.subtle`, else `noble`, unless
 * {@link setCryptoProvider} chose another.
 *
 * @example
 * ```ts
 * const sig = await getCryptoProvider().ed25519Sign(identity.seed, msg);
 * ```
 */
export function getCryptoProvider(): CryptoProvider {
  current ??= globalThis.crypto?.subtle ? webCryptoProvider : nobleProvider;
  return current;
}

/**
 * Selects the provider for all later calls: `'noble'`, `'webcrypto'`, or your own implementation
 * (for example one backed by libsodium). Returns the previous provider.
 *
 * @example
 * ```ts
 * setCryptoProvider('noble'); // pure JS everywhere, e.g. to compare with the native path
 * ```
 */
export function setCryptoProvider(p: 'noble' | 'webcrypto' | CryptoProvider): CryptoProvider {
  const prev = getCryptoProvider();
  if (p === 'noble') current = nobleProvider;
  else if (p === 'webcrypto') {
    if (!globalThis.crypto?.subtle) throw new SessionSdkError('INVALID_INPUT', 'this runtime has no crypto.subtle');
    current = webCryptoProvider;
  } else current = p;
  return prev;
}

export { nobleProvider, webCryptoProvider };
