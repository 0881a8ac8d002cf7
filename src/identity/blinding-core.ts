/**
 * The blinding factors and blinded scalars/keys of spec/identity-envelope.md §4.1–4.2, shared by
 * the public blinding API, blinded signatures, SOGS authentication and blinded DMs.
 * Internal module (not re-exported).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '../crypto/blake2b.js';
import { concatBytes, wipe } from '../util/bytes.js';
import type { ExpandedSecretKey } from './blinding-inputs.js';
import { type EdPoint, mulBase, mulPoint, scalarMul, scalarNegate, scalarReduce } from './ed25519-noclamp.js';

/** blind15 factor k = reduce(BLAKE2b-64(server_pk)) — depends on the server only (§4.1). */
export function blind15Factor(serverPk: Uint8Array): bigint {
  const h = blake2b(serverPk, { dkLen: 64 });
  return scalarReduce(h);
}

/** blind25 factor k = reduce(BLAKE2b-64(0x05 ‖ X ‖ server_pk)), X = the user's X25519 key (§4.2). */
export function blind25Factor(x25519Pk: Uint8Array, serverPk: Uint8Array): bigint {
  const h = blake2b(concatBytes(Uint8Array.of(0x05), x25519Pk, serverPk), { dkLen: 64 });
  return scalarReduce(h);
}

/** A blinded key: the scalar (secret) and the point encoding (public). */
export interface BlindedScalar {
  /** ka (blind15) or k'a (blind25), reduced mod L. */
  scalar: bigint;
  /** The 32-byte blinded public key, scalar·B. */
  publicKey: Uint8Array;
  /** The blinding factor used (k for blind15, the sign-adjusted k' for blind25). */
  factor: bigint;
}

/** blind15 key: ka = k·a, kA = ka·B (§4.1). kA keeps the sign of the real A. */
export function blind15Scalar(key: ExpandedSecretKey, serverPk: Uint8Array): BlindedScalar {
  const k = blind15Factor(serverPk);
  const scalar = scalarMul(k, key.scalar);
  return { scalar, publicKey: mulBase(scalar), factor: k };
}

/**
 * blind25 key (§4.2): k' = k, negated when A's sign bit is set, so that k'a·B = k·|A| — the
 * blinded key computable from the Session ID alone, without a sign ambiguity.
 */
export function blind25Scalar(key: ExpandedSecretKey, serverPk: Uint8Array): BlindedScalar {
  // Our own A comes from our seed, so it is a valid prime-order point: no need to re-validate.
  const x = ed25519.utils.toMontgomery(key.publicKey);
  const k = blind25Factor(x, serverPk);
  wipe(x);
  const factor = key.publicKey[31]! & 0x80 ? scalarNegate(k) : k;
  const scalar = scalarMul(factor, key.scalar);
  return { scalar, publicKey: mulBase(scalar), factor };
}

/** blinded15 key of a validated Ed25519 point A: k·A (sign of A kept; libsession `blinded15_id_from_ed`). */
export function blinded15KeyOfPoint(A: EdPoint, serverPk: Uint8Array): Uint8Array {
  return mulPoint(A, blind15Factor(serverPk));
}

/**
 * blinded25 key of a validated Ed25519 point A with X25519 form `x`: k·|A|
 * (libsession `blinded25_id_from_ed`).
 */
export function blinded25KeyOfPoint(A: EdPoint, x: Uint8Array, serverPk: Uint8Array, aIsNegative: boolean): Uint8Array {
  const absA = aIsNegative ? A.negate() : A;
  return mulPoint(absA, blind25Factor(x, serverPk));
}
