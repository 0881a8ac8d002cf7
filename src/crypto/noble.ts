/**
 * Synchronous reference primitives built on @noble. These define the SDK's behaviour; the
 * WebCrypto fast path (./webcrypto.ts) must give byte-identical results (spec/performance.md §4).
 * @module
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { concatBytes, equalBytes, wipe } from '../util/bytes.js';
import { hasSmallOrder, isCanonicalPointEncoding, passesLibsodiumPrechecks } from './ed25519-rules.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** libsodium `crypto_sign_seed_keypair`: public key and 64-byte `seed ‖ pk` secret key. */
export function ed25519KeyPairFromSeed(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const publicKey = ed25519.getPublicKey(seed);
  return { publicKey, secretKey: concatBytes(seed, publicKey) };
}

/** RFC 8032 Ed25519 signature with the seed (first 32 bytes of a libsodium secret key). */
export function ed25519SignSync(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, seed.subarray(0, 32));
}

/**
 * Verifies exactly as libsodium's `crypto_sign_verify_detached` (spec/security.md §3): byte
 * pre-checks, then the cofactorless equation `[S]B − [k]A` compared byte-for-byte with `R`.
 */
export function ed25519VerifySync(sig: Uint8Array, message: Uint8Array, pk: Uint8Array): boolean {
  if (!(message instanceof Uint8Array) || !passesLibsodiumPrechecks(sig, pk)) return false;
  let A;
  try {
    A = Point.fromBytes(pk, false);
  } catch {
    return false;
  }
  const k = bytesToNumberLE(sha512(concatBytes(sig.subarray(0, 32), pk, message))) % L;
  const S = bytesToNumberLE(sig.subarray(32));
  const rCheck = Point.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k)).toBytes();
  return equalBytes(rCheck, sig.subarray(0, 32));
}

/**
 * libsodium `crypto_sign_ed25519_pk_to_curve25519`: rejects small-order, non-canonical,
 * off-curve and not-prime-order points, then maps y to u = (1+y)/(1−y).
 */
export function ed25519PkToX25519Sync(pk: Uint8Array): Uint8Array {
  if (!isCanonicalPointEncoding(pk)) throw new SessionSdkError('INVALID_KEY', 'Ed25519 public key is not canonically encoded');
  if (hasSmallOrder(pk)) throw new SessionSdkError('SMALL_ORDER_KEY', 'Ed25519 public key has small order');
  let A;
  try {
    A = Point.fromBytes(pk, false);
  } catch {
    throw new SessionSdkError('INVALID_KEY', 'Ed25519 public key is not a curve point');
  }
  if (!A.isTorsionFree()) throw new SessionSdkError('INVALID_KEY', 'Ed25519 public key is not in the prime-order subgroup');
  return ed25519.utils.toMontgomery(pk);
}

/** libsodium `crypto_sign_ed25519_sk_to_curve25519`: clamp(SHA-512(seed)[0..32]). */
export function ed25519SeedToX25519Secret(seed: Uint8Array): Uint8Array {
  const h = sha512(seed.subarray(0, 32));
  const out = h.slice(0, 32);
  wipe(h);
  out[0]! &= 248;
  out[31]! &= 127;
  out[31]! |= 64;
  return out;
}

/** X25519 public key for a (clamped on use) secret scalar. */
export function x25519PublicKeySync(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

/** X25519 shared secret; an all-zero result (small-order peer key) throws `SMALL_ORDER_KEY`. */
export function x25519Sync(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  let out: Uint8Array;
  try {
    out = x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
  }
  if (out.every((b) => b === 0)) throw new SessionSdkError('SMALL_ORDER_KEY', 'X25519 public key has small order (all-zero shared secret)');
  return out;
}
