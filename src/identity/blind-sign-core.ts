/**
 * The blinded-signature arithmetic of spec/identity-envelope.md §4.3 on an already expanded key
 * and blinded scalar, so that callers holding both (SOGS request signing) derive them once.
 * Internal module (not re-exported); the public API is ./blind-sign.ts.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, wipe } from '../util/bytes.js';
import type { ExpandedSecretKey } from './blinding-inputs.js';
import type { BlindedScalar } from './blinding-core.js';
import { mulBase, scalarAdd, scalarMul, scalarReduce, scalarToBytes } from './ed25519-noclamp.js';

/**
 * Which deterministic nonce a blind15 signature uses (both verify identically; §4.3, §8.1).
 *
 * @example
 * ```ts
 * const nonceVariant: Blind15NonceVariant = 'libsession'; // the default
 * blind15Sign(identity.ed25519SecretKey, serverPk, message, { nonceVariant });
 * ```
 */
export type Blind15NonceVariant = 'libsession' | 'desktop';

function reduceAndWipe(h: Uint8Array): bigint {
  const r = scalarReduce(h);
  wipe(h);
  return r;
}

/** R ‖ S with S = r + reduce(SHA-512(R ‖ A ‖ M))·a mod L, for a nonce scalar r and blinded key (a, A). */
function finishSignature(r: bigint, blinded: BlindedScalar, message: Uint8Array): Uint8Array {
  const R = mulBase(r);
  const h = scalarReduce(sha512(concatBytes(R, blinded.publicKey, message)));
  const S = scalarAdd(r, scalarMul(h, blinded.scalar));
  return concatBytes(R, scalarToBytes(S));
}

/**
 * blind15 signature: `r = reduce(SHA-512(H_rh ‖ kA ‖ M))` with `H_rh` the second half of
 * SHA-512 of the 64-byte secret key (libsession) or of the 32-byte seed (Desktop).
 */
export function blind15SignWith(key: ExpandedSecretKey, blinded: BlindedScalar, message: Uint8Array, variant: Blind15NonceVariant): Uint8Array {
  const h = sha512(variant === 'libsession' ? key.secretKey : key.seed);
  const input = concatBytes(h.subarray(32), blinded.publicKey, message);
  wipe(h);
  const rHash = sha512(input);
  wipe(input);
  return finishSignature(reduceAndWipe(rHash), blinded, message);
}

const SEED_KEY = new TextEncoder().encode('SessCommBlind25_seed');
const SIG_KEY = new TextEncoder().encode('SessCommBlind25_sig');

/**
 * blind25 signature: `r = reduce(BLAKE2b-64(seedhash ‖ A' ‖ M; key="SessCommBlind25_sig"))` with
 * `seedhash = BLAKE2b-32(seed; key="SessCommBlind25_seed")`.
 */
export function blind25SignWith(key: ExpandedSecretKey, blinded: BlindedScalar, message: Uint8Array): Uint8Array {
  const seedHash = blake2b(key.seed, { dkLen: 32, key: SEED_KEY });
  const input = concatBytes(seedHash, blinded.publicKey, message);
  wipe(seedHash);
  const rHash = blake2b(input, { dkLen: 64, key: SIG_KEY });
  wipe(input);
  return finishSignature(reduceAndWipe(rHash), blinded, message);
}
