/**
 * Per-hop encryption of onion requests (spec/onion.md §1): an X25519 shared secret between a
 * client key and a service node / server key, turned into a symmetric key one of two ways, and an
 * AEAD blob `nonce ‖ ciphertext ‖ tag`. The same key encrypts the request layer and the reply.
 * @module
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { SessionSdkError } from '../errors.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { assertBytes, equalBytes, randomBytes, wipe } from '../util/bytes.js';

/** The two per-hop ciphers the SDK emits (spec/onion.md §1.2–1.3). */
export type OnionEncType = 'xchacha20' | 'aes-gcm';

/** An X25519 key pair used for one onion layer. */
export interface X25519KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Nonce/IV length per cipher: 24 for XChaCha20-Poly1305, 12 for AES-256-GCM. */
export const HOP_NONCE_LENGTH: Readonly<Record<OnionEncType, number>> = { xchacha20: 24, 'aes-gcm': 12 };

/** Bytes a hop encryption adds (nonce + 16-byte tag): 40 for xchacha20, 28 for aes-gcm. */
export const HOP_OVERHEAD: Readonly<Record<OnionEncType, number>> = { xchacha20: 40, 'aes-gcm': 28 };

// HMAC key of the aes-gcm derivation; the shared secret is the HMAC *message* (spec/onion.md §1.2).
const LOKI = /* @__PURE__ */ new Uint8Array([0x4c, 0x4f, 0x4b, 0x49]);

/**
 * Reads an `enc_type` string the way receivers do (spec/onion.md §1.4): `aes-gcm`/`gcm` and
 * `xchacha20`/`xchacha20-poly1305`; absent means aes-gcm. Anything else (including the legacy
 * `aes-cbc`, which the SDK never speaks) throws `INVALID_INPUT`.
 *
 * @example
 * ```ts
 * parseEncType(json.enc_type); // 'xchacha20' | 'aes-gcm'
 * ```
 */
export function parseEncType(value: unknown): OnionEncType {
  if (value === undefined || value === null) return 'aes-gcm';
  if (value === 'aes-gcm' || value === 'gcm') return 'aes-gcm';
  if (value === 'xchacha20' || value === 'xchacha20-poly1305') return 'xchacha20';
  throw new SessionSdkError('INVALID_INPUT', `unsupported onion enc_type ${typeof value === 'string' ? JSON.stringify(value.slice(0, 32)) : typeof value}`);
}

function assertEncType(encType: unknown): asserts encType is OnionEncType {
  if (encType !== 'xchacha20' && encType !== 'aes-gcm') {
    throw new SessionSdkError('INVALID_INPUT', "encType must be 'xchacha20' or 'aes-gcm'");
  }
}

/**
 * Derives the symmetric key of one hop (spec/onion.md §1.2–1.3). For xchacha20 the BLAKE2b input
 * order is always (client public key, server public key), so both ends get the same key.
 * Callers that already know their own public key skip a scalar multiplication by passing it.
 * The returned key is a secret: wipe it after use.
 *
 * @example
 * ```ts
 * const key = await deriveHopKey('xchacha20', eph.secretKey, eph.publicKey, snodeX25519, false);
 * ```
 */
export async function deriveHopKey(
  encType: OnionEncType,
  localX25519SecretKey: Uint8Array,
  localX25519PublicKey: Uint8Array | undefined,
  remoteX25519PublicKey: Uint8Array,
  server: boolean,
): Promise<Uint8Array> {
  assertEncType(encType);
  assertBytes(localX25519SecretKey, 'local X25519 secret key', 32, 'INVALID_KEY');
  assertBytes(remoteX25519PublicKey, 'remote X25519 public key', 32, 'INVALID_KEY');
  const provider = getCryptoProvider();
  const shared = (await nativeSharedSecret(localX25519SecretKey, remoteX25519PublicKey)) ?? (await provider.x25519(localX25519SecretKey, remoteX25519PublicKey));
  try {
    // A 32-byte HMAC is cheaper in JS than a native key import + sign round trip (and identical).
    if (encType === 'aes-gcm') return hmac(sha256, LOKI, shared);
    let localPk = localX25519PublicKey;
    if (localPk === undefined) localPk = await provider.x25519PublicKey(localX25519SecretKey);
    else assertBytes(localPk, 'local X25519 public key', 32, 'INVALID_KEY');
    const h = blake2b.create({ dkLen: 32 });
    h.update(shared);
    if (server) h.update(remoteX25519PublicKey).update(localPk);
    else h.update(localPk).update(remoteX25519PublicKey);
    return h.digest();
  } finally {
    wipe(shared);
  }
}

/**
 * AEAD-encrypts with an already derived hop key: `nonce ‖ ciphertext ‖ tag`. `nonce` is for test
 * vectors only; by default a fresh random one is drawn.
 *
 * @example
 * ```ts
 * const blob = await encryptWithHopKey('xchacha20', key, frame);
 * ```
 */
export async function encryptWithHopKey(
  encType: OnionEncType,
  key: Uint8Array,
  plaintext: Uint8Array,
  nonce?: Uint8Array,
): Promise<Uint8Array> {
  assertEncType(encType);
  assertBytes(plaintext, 'plaintext');
  const nlen = HOP_NONCE_LENGTH[encType];
  if (nonce !== undefined) assertBytes(nonce, `${encType} nonce`, nlen);
  const n = nonce ?? randomBytes(nlen);
  const out = new Uint8Array(nlen + plaintext.length + 16);
  out.set(n, 0);
  if (encType === 'xchacha20') {
    // Encrypt straight into the output buffer after the nonce: no intermediate copy.
    xchacha20poly1305(key, n).encrypt(plaintext, out.subarray(nlen));
  } else {
    out.set(await getCryptoProvider().aesGcmEncrypt(key, n, plaintext), nlen);
  }
  return out;
}

/**
 * Opens `nonce ‖ ciphertext ‖ tag` with an already derived hop key; throws `DECRYPT_FAILED`.
 *
 * @example
 * ```ts
 * const frame = await decryptWithHopKey('xchacha20', key, blob);
 * ```
 */
export async function decryptWithHopKey(encType: OnionEncType, key: Uint8Array, blob: Uint8Array): Promise<Uint8Array> {
  assertEncType(encType);
  assertBytes(blob, 'ciphertext');
  if (blob.length < HOP_OVERHEAD[encType]) {
    throw new SessionSdkError('DECRYPT_FAILED', `${encType} ciphertext too short: ${blob.length} bytes, need at least ${HOP_OVERHEAD[encType]}`);
  }
  const nlen = HOP_NONCE_LENGTH[encType];
  const nonce = blob.subarray(0, nlen);
  const body = blob.subarray(nlen);
  if (encType === 'aes-gcm') return getCryptoProvider().aesGcmDecrypt(key, nonce, body);
  try {
    return xchacha20poly1305(key, nonce).decrypt(body);
  } catch {
    throw new SessionSdkError('DECRYPT_FAILED', 'xchacha20 onion layer failed authentication');
  }
}

/**
 * Encrypts one onion layer or reply (spec/onion.md §1). `server` says which side we are: it only
 * matters for xchacha20, whose key hashes (client public key, server public key) in that order.
 *
 * `opts.nonce` pins the nonce/IV (24 bytes xchacha20, 12 bytes aes-gcm) and exists **only for
 * reproducible test vectors**: reusing a nonce with the same key breaks the cipher. Without it a
 * fresh random nonce is drawn. `opts.localPublicKey` (the public key of `localX25519SecretKey`)
 * saves one scalar multiplication.
 *
 * @example
 * ```ts
 * const blob = await hopEncrypt('xchacha20', ephemeral.secretKey, snodeX25519, frame);
 * ```
 */
export async function hopEncrypt(
  encType: OnionEncType,
  localX25519SecretKey: Uint8Array,
  remoteX25519PublicKey: Uint8Array,
  plaintext: Uint8Array,
  opts: { nonce?: Uint8Array; server?: boolean; localPublicKey?: Uint8Array } = {},
): Promise<Uint8Array> {
  assertEncType(encType);
  assertBytes(plaintext, 'plaintext');
  if (opts.nonce !== undefined) assertBytes(opts.nonce, `${encType} nonce`, HOP_NONCE_LENGTH[encType]);
  const key = await deriveHopKey(encType, localX25519SecretKey, opts.localPublicKey, remoteX25519PublicKey, opts.server ?? false);
  try {
    return await encryptWithHopKey(encType, key, plaintext, opts.nonce);
  } finally {
    wipe(key);
  }
}

/**
 * Decrypts one onion layer or reply (spec/onion.md §1). `server` defaults to **true** (a node
 * opening a layer sent to it); a client reading a reply passes `server: false`. A wrong key,
 * truncated input or any flipped bit throws `DECRYPT_FAILED`.
 *
 * @example
 * ```ts
 * const frame = await hopDecrypt('xchacha20', snode.x25519SecretKey, ephemeralPublicKey, blob);
 * ```
 */
export async function hopDecrypt(
  encType: OnionEncType,
  localX25519SecretKey: Uint8Array,
  remoteX25519PublicKey: Uint8Array,
  ciphertext: Uint8Array,
  opts: { server?: boolean; localPublicKey?: Uint8Array } = {},
): Promise<Uint8Array> {
  assertEncType(encType);
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < HOP_OVERHEAD[encType]) {
    throw new SessionSdkError('DECRYPT_FAILED', `${encType} ciphertext too short: ${ciphertext.length} bytes, need at least ${HOP_OVERHEAD[encType]}`);
  }
  const key = await deriveHopKey(encType, localX25519SecretKey, opts.localPublicKey, remoteX25519PublicKey, opts.server ?? true);
  try {
    return await decryptWithHopKey(encType, key, ciphertext);
  } finally {
    wipe(key);
  }
}

/**
 * A fresh random X25519 key pair for one onion layer (spec/onion.md §1.1), or the pair of a given
 * secret (deterministic, **for test vectors only**).
 *
 * With the native (`webcrypto`) provider a fresh pair is made by WebCrypto `generateKey` and its
 * `CryptoKey` is kept (weakly, keyed by the returned `secretKey` buffer) for the layer's key
 * agreement: importing a raw X25519 secret into WebCrypto costs ≈1 ms (PKCS#8 decoding), more than
 * the rest of an onion layer. `generateKey` draws from the same platform CSPRNG that backs
 * `crypto.getRandomValues`; the noble provider uses {@link randomBytes}.
 *
 * @example
 * ```ts
 * const eph = await onionEphemeralKeyPair();
 * ```
 */
export async function onionEphemeralKeyPair(secretKey?: Uint8Array): Promise<X25519KeyPair> {
  if (secretKey !== undefined) assertBytes(secretKey, 'ephemeral X25519 secret key', 32, 'INVALID_KEY');
  if (secretKey === undefined && (await nativeX25519Available())) {
    const pair = (await subtle().generateKey({ name: 'X25519' } as Algorithm, true, ['deriveBits'])) as CryptoKeyPair;
    const jwk = await subtle().exportKey('jwk', pair.privateKey);
    const sk = fromBase64Url(jwk.d!);
    const pk = fromBase64Url(jwk.x!);
    if (sk.length !== 32 || pk.length !== 32) throw new SessionSdkError('INVALID_KEY', 'native X25519 key generation returned a malformed key');
    nativeSecrets.set(sk, { copy: new Uint8Array(sk), key: pair.privateKey });
    return { publicKey: pk, secretKey: sk };
  }
  const sk = secretKey ? new Uint8Array(secretKey) : randomBytes(32);
  return { publicKey: await getCryptoProvider().x25519PublicKey(sk), secretKey: sk };
}

/**
 * Wipes an ephemeral secret key and drops the native key cached for it by
 * {@link onionEphemeralKeyPair} (otherwise released when the buffer is garbage-collected).
 *
 * @example
 * ```ts
 * releaseOnionEphemeral(req.finalEphemeral.secretKey);
 * ```
 */
export function releaseOnionEphemeral(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array)) return;
  const hit = nativeSecrets.get(secretKey);
  if (hit) {
    wipe(hit.copy);
    nativeSecrets.delete(secretKey);
  }
  wipe(secretKey);
}

// ---------------------------------------------------------------------------------------------
// Native fast path for ephemeral keys made by onionEphemeralKeyPair (webcrypto provider only).

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const nativeSecrets = new WeakMap<Uint8Array, { copy: Uint8Array; key: CryptoKey }>();
const nativePublics = new Map<string, CryptoKey>();
const NATIVE_PUBLIC_CACHE_MAX = 256;
let nativeSupport: Promise<boolean> | undefined;

function nativeX25519Available(): Promise<boolean> {
  if (getCryptoProvider().name !== 'webcrypto' || !globalThis.crypto?.subtle) return Promise.resolve(false);
  nativeSupport ??= subtle()
    .generateKey({ name: 'X25519' } as Algorithm, true, ['deriveBits'])
    .then(
      () => true,
      () => false,
    );
  return nativeSupport;
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * X25519 with a secret made by {@link onionEphemeralKeyPair} on the native path, or `undefined`
 * when `sk` is not such a key (or was modified), so the caller uses the provider.
 */
async function nativeSharedSecret(sk: Uint8Array, remote: Uint8Array): Promise<Uint8Array | undefined> {
  const hit = nativeSecrets.get(sk);
  if (!hit || getCryptoProvider().name !== 'webcrypto' || !equalBytes(hit.copy, sk)) return undefined;
  let id = '';
  for (const b of remote) id += String.fromCharCode(b);
  let out: Uint8Array;
  try {
    let pub = nativePublics.get(id);
    if (!pub) {
      pub = await subtle().importKey('raw', remote as Uint8Array<ArrayBuffer>, { name: 'X25519' } as Algorithm, true, []);
      if (nativePublics.size >= NATIVE_PUBLIC_CACHE_MAX) nativePublics.delete(nativePublics.keys().next().value!);
      nativePublics.set(id, pub);
    }
    out = new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: pub } as Algorithm, hit.key, 256));
  } catch {
    throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
  }
  if (out.every((b) => b === 0)) throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
  return out;
}
