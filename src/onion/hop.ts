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
import { assertBytes, randomBytes, wipe } from '../util/bytes.js';
import { forgetReplyKey } from './reply-keys.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * The two per-hop ciphers the SDK emits (spec/onion.md §1.2–1.3).
 *
 * @example
 * ```ts
 * const encType: OnionEncType = 'xchacha20'; // libsession's default
 * const req = await buildOnionRequest({ encType, path, destination, payload });
 * ```
 */
export type OnionEncType = 'xchacha20' | 'aes-gcm';

/**
 * An X25519 key pair used for one onion layer.
 *
 * @example
 * ```ts
 * const pair: X25519KeyPair = req.finalEphemeral; // the innermost layer's keys
 * const key = await deriveHopKey('xchacha20', pair.secretKey, pair.publicKey, req.destinationX25519PublicKey, false);
 * ```
 */
export interface X25519KeyPair {
  /** 32-byte X25519 public key. */
  publicKey: Uint8Array;
  /** 32-byte X25519 secret key; wipe it when done. */
  secretKey: Uint8Array;
}

/**
 * Nonce/IV length per cipher: 24 for XChaCha20-Poly1305, 12 for AES-256-GCM.
 *
 * @example
 * ```ts
 * HOP_NONCE_LENGTH['aes-gcm']; // 12
 * ```
 */
export const HOP_NONCE_LENGTH: Readonly<Record<OnionEncType, number>> = /* @__PURE__ */ deepFreeze({ xchacha20: 24, 'aes-gcm': 12 });

/**
 * Bytes a hop encryption adds (nonce + 16-byte tag): 40 for xchacha20, 28 for aes-gcm.
 *
 * @example
 * ```ts
 * const blobLength = plaintext.length + HOP_OVERHEAD.xchacha20; // + 40 bytes
 * ```
 */
export const HOP_OVERHEAD: Readonly<Record<OnionEncType, number>> = /* @__PURE__ */ deepFreeze({ xchacha20: 40, 'aes-gcm': 28 });

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
  const shared = await provider.x25519(localX25519SecretKey, remoteX25519PublicKey);
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
  assertBytes(key, 'hop key', 32, 'INVALID_KEY');
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
  assertBytes(key, 'hop key', 32, 'INVALID_KEY');
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
 * A fresh random X25519 key pair for one onion layer (spec/onion.md §1.1), from the crypto
 * provider's ephemeral key generation, or the pair of a given secret (deterministic, **for test
 * vectors only**).
 *
 * @example
 * ```ts
 * const eph = await onionEphemeralKeyPair();
 * ```
 */
export async function onionEphemeralKeyPair(secretKey?: Uint8Array): Promise<X25519KeyPair> {
  if (secretKey === undefined) return getCryptoProvider().x25519EphemeralKeyPair();
  assertBytes(secretKey, 'ephemeral X25519 secret key', 32, 'INVALID_KEY');
  const sk = new Uint8Array(secretKey);
  return { publicKey: await getCryptoProvider().x25519PublicKey(sk), secretKey: sk };
}

/**
 * Wipes an ephemeral secret key and drops the native key the provider may have cached for it.
 *
 * @example
 * ```ts
 * releaseOnionEphemeral(req.finalEphemeral.secretKey);
 * ```
 */
export function releaseOnionEphemeral(secretKey: Uint8Array): void {
  if (!(secretKey instanceof Uint8Array)) return;
  forgetReplyKey(secretKey);
  getCryptoProvider().forgetSecretKey(secretKey);
}
