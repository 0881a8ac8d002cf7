/**
 * The native provider: WebCrypto's Ed25519, X25519, AES-CBC/GCM, SHA-2 and HMAC, with imported
 * keys cached (spec/performance.md §4.3). Where the runtime lacks an algorithm it falls back to
 * noble for that algorithm only; results are byte-identical either way (tested).
 * @module
 */
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import { passesLibsodiumPrechecks } from './ed25519-rules.js';
import { assertAesParams, nobleProvider } from './noble-provider.js';
import type { CryptoProvider } from './provider.js';
import { deepFreeze } from '../util/freeze.js';

// RFC 8410 PKCS#8 wrappers for a raw 32-byte Ed25519 seed / X25519 scalar.
const PKCS8_ED25519 = /* @__PURE__ */ Uint8Array.from([0x30, 0x2e, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, 0x70, 4, 0x22, 4, 0x20]);
const PKCS8_X25519 = /* @__PURE__ */ Uint8Array.from([0x30, 0x2e, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, 0x6e, 4, 0x22, 4, 0x20]);
/** Below this size a native digest costs more in promise overhead than noble does in hashing. */
const NATIVE_HASH_MIN = 1024;
/** Enough for a service-node pool or a 1000-member group; one-time keys age out first. */
const PUBLIC_CACHE_MAX = 2048;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const u8 = (b: ArrayBuffer): Uint8Array => new Uint8Array(b);
/** WebCrypto's typings want ArrayBuffer-backed views; ours always are (never SharedArrayBuffer). */
const B = (u: Uint8Array): Uint8Array<ArrayBuffer> => u as Uint8Array<ArrayBuffer>;
type Alg = 'Ed25519' | 'X25519';

/** Secret keys cached per buffer; the copy detects a caller that mutated or wiped the buffer. */
const secretCache: Record<Alg, WeakMap<Uint8Array, { copy: Uint8Array; key: CryptoKey }>> = {
  Ed25519: new WeakMap(),
  X25519: new WeakMap(),
};
const publicCache: Record<Alg, Map<string, CryptoKey>> = { Ed25519: new Map(), X25519: new Map() };
const support: Partial<Record<Alg, Promise<boolean>>> = {};

function supported(alg: Alg): Promise<boolean> {
  support[alg] ??= (async () => {
    try {
      const usages: KeyUsage[] = alg === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits'];
      await subtle().generateKey({ name: alg } as Algorithm, false, usages);
      return true;
    } catch {
      return false;
    }
  })();
  return support[alg]!;
}

/**
 * Imports (or finds cached) the native key for the 32-byte secret at the start of `buf`. The cache
 * is keyed by the caller's buffer, so a 64-byte libsodium secret key hits the same entry on every
 * call; the stored copy detects a buffer that was mutated or wiped since.
 */
async function importSecret(alg: Alg, buf: Uint8Array): Promise<CryptoKey> {
  const raw32 = buf.subarray(0, 32);
  const hit = secretCache[alg].get(buf);
  if (hit && equalBytes(hit.copy, raw32)) return hit.key;
  const der = concatBytes(alg === 'Ed25519' ? PKCS8_ED25519 : PKCS8_X25519, raw32);
  const usages: KeyUsage[] = alg === 'Ed25519' ? ['sign'] : ['deriveBits'];
  try {
    const key = await subtle().importKey('pkcs8', B(der), { name: alg }, alg === 'X25519', usages);
    secretCache[alg].set(buf, { copy: raw32.slice(), key });
    return key;
  } finally {
    der.fill(0);
  }
}

/** Public keys in an LRU: relays, contacts and senders repeat; one-time keys age out. */
async function importPublic(alg: Alg, raw: Uint8Array): Promise<CryptoKey> {
  let id = '';
  for (const b of raw) id += String.fromCharCode(b);
  const cache = publicCache[alg];
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const usages: KeyUsage[] = alg === 'Ed25519' ? ['verify'] : [];
  const key = await subtle().importKey('raw', B(raw), { name: alg }, true, usages);
  if (cache.size >= PUBLIC_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(id, key);
  return key;
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function decryptFailed(): never {
  throw new SessionSdkError('DECRYPT_FAILED', 'decryption failed');
}

/**
 * Native {@link CryptoProvider} on `crypto.subtle`, noble per missing algorithm.
 *
 * @example
 * ```ts
 * if (globalThis.crypto?.subtle) setCryptoProvider(webCryptoProvider);
 * getCryptoProvider().name; // 'webcrypto'
 * ```
 */
export const webCryptoProvider: CryptoProvider = /* @__PURE__ */ deepFreeze({
  name: 'webcrypto',

  async ed25519Sign(sk, m) {
    if (!(await supported('Ed25519'))) return nobleProvider.ed25519Sign(sk, m);
    const key = await importSecret('Ed25519', sk);
    return u8(await subtle().sign({ name: 'Ed25519' }, key, B(m)));
  },

  async ed25519Verify(sig, m, pk) {
    if (!(m instanceof Uint8Array) || !passesLibsodiumPrechecks(sig, pk)) return false;
    if (!(await supported('Ed25519'))) return nobleProvider.ed25519Verify(sig, m, pk);
    try {
      // OpenSSL's check is cofactorless with an exact R comparison; with libsodium's byte
      // pre-checks above the verdicts coincide (spec/security.md §3; tested on Wycheproof).
      return await subtle().verify({ name: 'Ed25519' }, await importPublic('Ed25519', pk), B(sig), B(m));
    } catch {
      return false;
    }
  },

  async x25519(sk, pk) {
    if (!(await supported('X25519'))) return nobleProvider.x25519(sk, pk);
    let out: Uint8Array;
    try {
      const priv = await importSecret('X25519', sk);
      const pub = await importPublic('X25519', pk);
      out = u8(await subtle().deriveBits({ name: 'X25519', public: pub } as Algorithm, priv, 256));
    } catch {
      throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
    }
    if (out.every((b) => b === 0)) throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
    return out;
  },

  async x25519PublicKey(sk) {
    if (!(await supported('X25519'))) return nobleProvider.x25519PublicKey(sk);
    const jwk = await subtle().exportKey('jwk', await importSecret('X25519', sk));
    return fromBase64Url(jwk.x!);
  },

  async x25519EphemeralKeyPair() {
    if (!(await supported('X25519'))) return nobleProvider.x25519EphemeralKeyPair();
    const pair = (await subtle().generateKey({ name: 'X25519' } as Algorithm, true, ['deriveBits'])) as CryptoKeyPair;
    const jwk = await subtle().exportKey('jwk', pair.privateKey); // carries both d and x
    const secretKey = fromBase64Url(jwk.d!);
    const publicKey = fromBase64Url(jwk.x!);
    if (secretKey.length !== 32 || publicKey.length !== 32) throw new SessionSdkError('INVALID_KEY', 'native X25519 key generation returned a malformed key');
    secretCache.X25519.set(secretKey, { copy: secretKey.slice(), key: pair.privateKey });
    return { publicKey, secretKey };
  },

  forgetSecretKey(sk) {
    for (const alg of ['Ed25519', 'X25519'] as const) {
      const hit = secretCache[alg].get(sk);
      if (hit) {
        hit.copy.fill(0);
        secretCache[alg].delete(sk);
      }
    }
    sk.fill(0);
  },

  async sha256(d) {
    return d.length < NATIVE_HASH_MIN ? nobleSha256(d) : u8(await subtle().digest('SHA-256', B(d)));
  },
  async sha512(d) {
    return d.length < NATIVE_HASH_MIN ? nobleSha512(d) : u8(await subtle().digest('SHA-512', B(d)));
  },
  async hmacSha256(k, d) {
    if (k.length === 0) return nobleProvider.hmacSha256(k, d); // WebCrypto refuses empty HMAC keys
    const key = await subtle().importKey('raw', B(k), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return u8(await subtle().sign('HMAC', key, B(d)));
  },

  async aesCbcEncrypt(k, iv, p) {
    assertAesParams(k, iv, 16);
    const key = await subtle().importKey('raw', B(k), 'AES-CBC', false, ['encrypt']);
    return u8(await subtle().encrypt({ name: 'AES-CBC', iv: B(iv) }, key, B(p)));
  },
  async aesCbcDecrypt(k, iv, c) {
    assertAesParams(k, iv, 16);
    const key = await subtle().importKey('raw', B(k), 'AES-CBC', false, ['decrypt']);
    try {
      return u8(await subtle().decrypt({ name: 'AES-CBC', iv: B(iv) }, key, B(c)));
    } catch {
      return decryptFailed();
    }
  },
  async aesGcmEncrypt(k, iv, p, aad) {
    assertAesParams(k, iv, 12);
    const key = await subtle().importKey('raw', B(k), 'AES-GCM', false, ['encrypt']);
    const params: AesGcmParams = aad ? { name: 'AES-GCM', iv: B(iv), additionalData: B(aad) } : { name: 'AES-GCM', iv: B(iv) };
    return u8(await subtle().encrypt(params, key, B(p)));
  },
  async aesGcmDecrypt(k, iv, c, aad) {
    assertAesParams(k, iv, 12);
    const key = await subtle().importKey('raw', B(k), 'AES-GCM', false, ['decrypt']);
    const params: AesGcmParams = aad ? { name: 'AES-GCM', iv: B(iv), additionalData: B(aad) } : { name: 'AES-GCM', iv: B(iv) };
    try {
      return u8(await subtle().decrypt(params, key, B(c)));
    } catch {
      return decryptFailed();
    }
  },
});
