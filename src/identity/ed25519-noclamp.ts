/**
 * Ed25519 scalar and point arithmetic with libsodium's exact semantics, as community blinding
 * needs it (spec/identity-envelope.md §4): `crypto_core_ed25519_scalar_{reduce,mul,add,negate}`,
 * `crypto_scalarmult_ed25519_noclamp` and `crypto_scalarmult_ed25519_base_noclamp`.
 *
 * Internal module (not re-exported). Scalars travel as `bigint` in `[0, L)` because that is what
 * noble's point multiplication takes; JavaScript cannot zeroise a bigint, so callers wipe the
 * byte forms they own and keep the bigint lifetimes short (spec/security.md §5).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError, type SessionSdkErrorCode } from '../errors.js';
import { hasSmallOrder, isCanonicalPointEncoding } from '../crypto/ed25519-rules.js';

const Point = ed25519.Point;
/** A decoded Ed25519 point (noble's extended coordinates). */
export type EdPoint = InstanceType<typeof Point>;

const Fn = Point.Fn;
const Fp = Point.Fp;
/** The prime order L of the Ed25519 base point. */
export const L: bigint = Fn.ORDER;

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** `crypto_core_ed25519_scalar_reduce`: a little-endian byte string (64 bytes in practice) mod L. */
export function scalarReduce(bytes: Uint8Array): bigint {
  return bytesToNumberLE(bytes) % L;
}

/**
 * Reads a 32-byte scalar as libsodium's `noclamp` functions do: bit 255 is cleared, the value is
 * otherwise taken as is (a point of order L only sees it mod L).
 */
export function scalarFromNoclampBytes(n: Uint8Array): bigint {
  if (n.length !== 32) throw new SessionSdkError('INVALID_LENGTH', `scalar must be 32 bytes, got ${n.length}`);
  const t = n.slice();
  t[31]! &= 0x7f;
  const s = bytesToNumberLE(t) % L;
  t.fill(0);
  return s;
}

/** `crypto_core_ed25519_scalar_mul` (inputs already reduced). */
export function scalarMul(a: bigint, b: bigint): bigint {
  return Fn.mul(a, b);
}

/** `crypto_core_ed25519_scalar_add` (inputs already reduced). */
export function scalarAdd(a: bigint, b: bigint): bigint {
  return Fn.add(a, b);
}

/** `crypto_core_ed25519_scalar_negate`: L − s mod L. */
export function scalarNegate(s: bigint): bigint {
  return Fn.neg(s);
}

/** 32-byte little-endian encoding of a reduced scalar. */
export function scalarToBytes(s: bigint): Uint8Array {
  return Fn.toBytes(s);
}

/**
 * Decodes a point exactly as libsodium's noclamp scalar multiplication accepts it: canonical y,
 * not of small order, on the curve, and in the prime-order subgroup (`ge25519_is_on_main_subgroup`).
 * Small-order points throw `SMALL_ORDER_KEY`; every other rejection throws `code`.
 */
export function decodeMainSubgroupPoint(
  p: Uint8Array,
  what: string,
  code: SessionSdkErrorCode = 'INVALID_KEY',
): EdPoint {
  if (!(p instanceof Uint8Array) || p.length !== 32) throw new SessionSdkError('INVALID_LENGTH', `${what} must be 32 bytes`);
  if (!isCanonicalPointEncoding(p)) throw new SessionSdkError(code, `${what} is not a canonical point encoding`);
  if (hasSmallOrder(p)) throw new SessionSdkError('SMALL_ORDER_KEY', `${what} is a point of small order`);
  let P: EdPoint;
  try {
    P = Point.fromBytes(p, false);
  } catch {
    throw new SessionSdkError(code, `${what} is not a point on Ed25519`);
  }
  if (!P.isTorsionFree()) throw new SessionSdkError(code, `${what} is not in the prime-order subgroup`);
  return P;
}

/**
 * `s·P` for a point already validated by {@link decodeMainSubgroupPoint}. libsodium reports the
 * identity result (s ≡ 0 mod L) as a failure; so do we, with `code`.
 */
export function mulPoint(P: EdPoint, s: bigint, code: SessionSdkErrorCode = 'INVALID_KEY'): Uint8Array {
  if (s === 0n) throw new SessionSdkError(code, 'scalar multiplication gave the identity point');
  return P.multiply(s).toBytes();
}

/** `crypto_scalarmult_ed25519_base_noclamp` for a reduced scalar; a zero scalar fails like libsodium. */
export function mulBase(s: bigint, code: SessionSdkErrorCode = 'INVALID_KEY'): Uint8Array {
  if (s === 0n) throw new SessionSdkError(code, 'scalar multiplication gave the identity point');
  return Point.BASE.multiply(s).toBytes();
}

/**
 * `crypto_scalarmult_ed25519_noclamp(n, p)` on bytes: same acceptance set and same output,
 * including failure for small-order, non-canonical, off-curve and mixed-order points and for a
 * scalar that is 0 mod L.
 */
export function scalarMultNoclamp(n: Uint8Array, p: Uint8Array, code: SessionSdkErrorCode = 'INVALID_KEY'): Uint8Array {
  const P = decodeMainSubgroupPoint(p, 'point', code);
  return mulPoint(P, scalarFromNoclampBytes(n), code);
}

/** `crypto_scalarmult_ed25519_base_noclamp(n)` on bytes (bit 255 ignored, 0 mod L fails). */
export function scalarMultBaseNoclamp(n: Uint8Array, code: SessionSdkErrorCode = 'INVALID_KEY'): Uint8Array {
  return mulBase(scalarFromNoclampBytes(n), code);
}

/**
 * The Ed25519 key with sign bit 0 whose Montgomery form is the X25519 key `u` (libsession's
 * XEd25519 `pubkey()`): y = (u − 1)/(u + 1). Spec §1.1.5 — the true key may be its negation.
 * `u` must already be a canonical, non-small-order X25519 key (so u + 1 ≠ 0).
 */
export function xed25519PublicKey(u: Uint8Array): Uint8Array {
  const x = Fp.create(bytesToNumberLE(u) & ((1n << 255n) - 1n));
  const y = Fp.div(Fp.sub(x, Fp.ONE), Fp.add(x, Fp.ONE));
  return Fp.toBytes(y);
}

/** Montgomery u of an Ed25519 point (`crypto_sign_ed25519_pk_to_curve25519` after validation). */
export function pointToX25519(P: EdPoint): Uint8Array {
  const { y } = P.toAffine();
  return Fp.toBytes(Fp.div(Fp.add(Fp.ONE, y), Fp.sub(Fp.ONE, y)));
}
