/**
 * libsodium-compatible `crypto_box_seal` / `crypto_box_seal_open` (spec/identity-envelope.md §3.1):
 * `E ‖ MAC(16) ‖ XSalsa20(P)` with `nonce = BLAKE2b-24(E ‖ Y)` and the box key
 * `HSalsa20(X25519(e, Y), 0¹⁶)`. X25519 and ephemeral key generation go through the crypto
 * provider (see {@link deriveRandomSealKeys}).
 * BLAKE2b, HSalsa20 and XSalsa20-Poly1305 are @noble. Output is byte-identical to libsodium for the
 * same ephemeral key, and each side opens the other's boxes (test/envelope/sealed-box.test.ts).
 * @module
 */
import { xsalsa20poly1305, hsalsa } from '@noble/ciphers/salsa.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, wipe } from '../util/bytes.js';
import { getCryptoProvider } from './provider.js';

/** Bytes a sealed box adds to its plaintext: ephemeral public key (32) and Poly1305 tag (16). */
export const SEALED_BOX_OVERHEAD = 48;

// "expand 32-byte k" as native-endian words: noble's hsalsa takes word views of byte arrays and
// normalises the order itself on big-endian hosts.
const SIGMA = new Uint32Array(Uint8Array.from('expand 32-byte k', (c) => c.charCodeAt(0)).buffer);
const ZERO_16 = new Uint32Array(4);

/** Native-endian word view of a fresh, aligned copy of `b` (length a multiple of 4). */
function words(b: Uint8Array): Uint32Array {
  return new Uint32Array(new Uint8Array(b).buffer);
}

/**
 * libsodium `crypto_box_beforenm` after the scalar multiplication: HSalsa20 of the X25519 shared
 * secret with an all-zero 16-byte input. Returns a 32-byte key the caller must wipe.
 *
 * @example
 * ```ts
 * const key = boxKeyFromSharedSecret(await getCryptoProvider().x25519(mySk, theirPk));
 * ```
 */
export function boxKeyFromSharedSecret(shared: Uint8Array): Uint8Array {
  assertBytes(shared, 'shared secret', 32);
  const k = words(shared);
  const out = new Uint32Array(8);
  try {
    hsalsa(SIGMA, k, ZERO_16, out);
    return new Uint8Array(out.buffer);
  } finally {
    k.fill(0);
  }
}

/**
 * The sealed-box nonce: unkeyed BLAKE2b with a 24-byte output over `ephemeralPk ‖ recipientPk`.
 *
 * @example
 * ```ts
 * const nonce = sealedBoxNonce(ciphertext.subarray(0, 32), recipientX25519Pk);
 * ```
 */
export function sealedBoxNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  assertBytes(ephemeralPublicKey, 'ephemeral public key', 32);
  assertBytes(recipientPublicKey, 'recipient public key', 32);
  return blake2b.create({ dkLen: 24 }).update(ephemeralPublicKey).update(recipientPublicKey).digest();
}

/** The per-box values a sealed box needs before its plaintext is known (see {@link sealWithKeys}). */
export interface SealKeys {
  /** `E`, written in front of the box. */
  ephemeralPublicKey: Uint8Array;
  /** HSalsa20 box key; secret, wiped by {@link sealWithKeys}. */
  key: Uint8Array;
  /** BLAKE2b-24(E ‖ Y). */
  nonce: Uint8Array;
}

/**
 * First half of a seal: X25519 with the ephemeral secret (through the provider), the HSalsa20
 * box key and the nonce. Splitting it from {@link sealWithKeys} lets callers run it concurrently
 * with other work, such as the Ed25519 signature of the 1:1 envelope. `ephemeralPublicKey` is
 * computed from `ephemeralSecretKey` when not given. For reproducible vectors; real seals use
 * {@link deriveRandomSealKeys}.
 *
 * @example
 * ```ts
 * const box = sealWithKeys(await deriveSealKeys(recipientPk, fixedTestEphemeral), plaintext);
 * ```
 */
export async function deriveSealKeys(
  recipientX25519PublicKey: Uint8Array,
  ephemeralSecretKey: Uint8Array,
  ephemeralPublicKey?: Uint8Array,
): Promise<SealKeys> {
  assertBytes(recipientX25519PublicKey, 'recipient X25519 public key', 32);
  assertBytes(ephemeralSecretKey, 'ephemeral secret key', 32);
  const provider = getCryptoProvider();
  const epk = ephemeralPublicKey ?? (await provider.x25519PublicKey(ephemeralSecretKey));
  assertBytes(epk, 'ephemeral public key', 32);
  const shared = await provider.x25519(ephemeralSecretKey, recipientX25519PublicKey);
  try {
    return { ephemeralPublicKey: epk, key: boxKeyFromSharedSecret(shared), nonce: sealedBoxNonce(epk, recipientX25519PublicKey) };
  } finally {
    wipe(shared);
  }
}

/**
 * {@link SealKeys} for a fresh random ephemeral key pair from the crypto provider (natively
 * generated under WebCrypto); the ephemeral secret is forgotten as soon as the key is derived.
 *
 * @example
 * ```ts
 * const box = sealWithKeys(await deriveRandomSealKeys(recipientPk), plaintext);
 * ```
 */
export async function deriveRandomSealKeys(recipientX25519PublicKey: Uint8Array): Promise<SealKeys> {
  assertBytes(recipientX25519PublicKey, 'recipient X25519 public key', 32);
  const provider = getCryptoProvider();
  const eph = await provider.x25519EphemeralKeyPair();
  try {
    return await deriveSealKeys(recipientX25519PublicKey, eph.secretKey, eph.publicKey);
  } finally {
    provider.forgetSecretKey(eph.secretKey);
  }
}

/**
 * Second half of a seal: `E ‖ crypto_box_easy(plaintext)` under keys from {@link deriveSealKeys}
 * or {@link deriveRandomSealKeys}. Wipes `keys.key`, so each {@link SealKeys} seals exactly one
 * message.
 *
 * @example
 * ```ts
 * const pending = deriveRandomSealKeys(recipientPk); // start the key agreement…
 * const payload = await buildPayload();              // …while doing other work
 * const box = sealWithKeys(await pending, payload);
 * ```
 */
export function sealWithKeys(keys: SealKeys, plaintext: Uint8Array): Uint8Array {
  assertBytes(plaintext, 'plaintext');
  try {
    // noble's cipher needs `len + 32` bytes of output (32 scratch bytes in front) and returns
    // its last `len + 16` bytes, MAC ‖ ciphertext. Handing it out[16..] of a `len + 48` buffer
    // leaves out[0..32] for E, so the sealed box is assembled without another copy.
    const out = new Uint8Array(SEALED_BOX_OVERHEAD + plaintext.length);
    const boxed = xsalsa20poly1305(keys.key, keys.nonce).encrypt(plaintext, out.subarray(16));
    out.set(keys.ephemeralPublicKey, 0);
    if (boxed.buffer === out.buffer && boxed.byteOffset === out.byteOffset + 32) return out;
    return concatBytes(keys.ephemeralPublicKey, boxed); // defensive: a future noble that ignores `output`
  } finally {
    wipe(keys.key);
  }
}

/**
 * libsodium `crypto_box_seal`: anonymous public-key encryption to an X25519 key, with a fresh
 * ephemeral key pair for every call (from the crypto provider).
 *
 * `opts.ephemeralSecretKey` pins the ephemeral secret (32 bytes, clamped on use) so that test
 * vectors are reproducible. Never reuse an ephemeral key for real messages.
 *
 * @example
 * ```ts
 * const box = await cryptoBoxSeal(plaintext, bob.x25519PublicKey);
 * const back = await cryptoBoxSealOpen(box, bob.x25519PublicKey, bob.x25519SecretKey);
 * ```
 */
export async function cryptoBoxSeal(
  plaintext: Uint8Array,
  recipientX25519PublicKey: Uint8Array,
  opts: { ephemeralSecretKey?: Uint8Array } = {},
): Promise<Uint8Array> {
  assertBytes(plaintext, 'plaintext');
  assertBytes(recipientX25519PublicKey, 'recipient X25519 public key', 32);
  const injected = opts.ephemeralSecretKey;
  if (injected === undefined) return sealWithKeys(await deriveRandomSealKeys(recipientX25519PublicKey), plaintext);
  assertBytes(injected, 'ephemeral secret key', 32);
  const ephemeralSk = new Uint8Array(injected);
  try {
    return sealWithKeys(await deriveSealKeys(recipientX25519PublicKey, ephemeralSk), plaintext);
  } finally {
    wipe(ephemeralSk);
  }
}

/**
 * libsodium `crypto_box_seal_open`. Every failure — too short, small-order ephemeral key, bad
 * tag — throws the same `DECRYPT_FAILED` error and returns no plaintext.
 *
 * @example
 * ```ts
 * const plaintext = await cryptoBoxSealOpen(box, me.x25519PublicKey, me.x25519SecretKey);
 * ```
 */
export async function cryptoBoxSealOpen(
  ciphertext: Uint8Array,
  recipientX25519PublicKey: Uint8Array,
  recipientX25519SecretKey: Uint8Array,
): Promise<Uint8Array> {
  assertBytes(ciphertext, 'ciphertext');
  assertBytes(recipientX25519PublicKey, 'recipient X25519 public key', 32);
  assertBytes(recipientX25519SecretKey, 'recipient X25519 secret key', 32);
  if (ciphertext.length < SEALED_BOX_OVERHEAD) throw openFailed();
  const ephemeralPk = ciphertext.subarray(0, 32);
  let shared: Uint8Array;
  try {
    shared = await getCryptoProvider().x25519(recipientX25519SecretKey, ephemeralPk);
  } catch (e) {
    // libsodium's crypto_box_beforenm refuses an all-zero shared secret; same outcome here.
    if (e instanceof SessionSdkError) throw openFailed();
    throw e;
  }
  const key = boxKeyFromSharedSecret(shared);
  wipe(shared);
  try {
    const nonce = sealedBoxNonce(ephemeralPk, recipientX25519PublicKey);
    return xsalsa20poly1305(key, nonce).decrypt(ciphertext.subarray(32));
  } catch {
    throw openFailed();
  } finally {
    wipe(key);
  }
}

function openFailed(): SessionSdkError {
  return new SessionSdkError('DECRYPT_FAILED', 'sealed box could not be opened');
}
