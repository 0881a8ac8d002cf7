/**
 * Blinded signatures (spec/identity-envelope.md §4.3): Ed25519 signatures made with a blinded
 * scalar, so they verify with plain Ed25519 ({@link verifyEd25519}) against the 32-byte blinded
 * public key, i.e. the blinded ID without its prefix.
 * @module
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, wipe } from '../util/bytes.js';
import { expandSecretKey, parseServerPublicKey, wipeExpandedKey, type ExpandedSecretKey, type ServerPublicKey } from './blinding-inputs.js';
import { blind15Scalar, blind25Scalar, type BlindedScalar } from './blinding-core.js';
import { mulBase, scalarAdd, scalarMul, scalarReduce, scalarToBytes } from './ed25519-noclamp.js';

/** Which deterministic nonce a blind15 signature uses (both verify identically; §4.3, §8.1). */
export type Blind15NonceVariant = 'libsession' | 'desktop';

/** Options of {@link blind15Sign}. */
export interface Blind15SignOptions {
  /**
   * `'libsession'` (default, API.md): the nonce prefix is `SHA-512(seed ‖ pk)[32..64]`.
   * `'desktop'`: `SHA-512(seed)[32..64]` as Session Desktop's `blindedED25519Signature` does —
   * only needed to reproduce Desktop's bytes exactly (e.g. its X-SOGS test vectors).
   */
  nonceVariant?: Blind15NonceVariant;
}

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

function signWith(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  message: Uint8Array,
  blind: (k: ExpandedSecretKey, s: Uint8Array) => BlindedScalar,
  nonce: (k: ExpandedSecretKey, blindedPk: Uint8Array) => bigint,
): Uint8Array {
  assertBytes(message, 'message');
  const server = parseServerPublicKey(serverPk);
  let key: ExpandedSecretKey | undefined;
  try {
    key = expandSecretKey(ed25519SecretKey);
    const blinded = blind(key, server);
    return finishSignature(nonce(key, blinded.publicKey), blinded, message);
  } finally {
    wipeExpandedKey(key);
  }
}

/**
 * Signs `message` with the blind15 key (§4.3), deterministic nonce
 * `r = reduce(SHA-512(H_rh ‖ kA ‖ M))`. By default `H_rh` is libsession's (second half of
 * SHA-512 of the 64-byte secret key); see {@link Blind15SignOptions} for Desktop's variant.
 *
 * @example
 * ```ts
 * const sig = blind15Sign(identity.ed25519SecretKey, serverPk, utf8('hello'));
 * verifyEd25519(sig, utf8('hello'), blind15KeyPair(identity.ed25519SecretKey, serverPk).publicKey); // true
 * ```
 */
export function blind15Sign(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  message: Uint8Array,
  opts: Blind15SignOptions = {},
): Uint8Array {
  const variant = opts.nonceVariant ?? 'libsession';
  if (variant !== 'libsession' && variant !== 'desktop') {
    throw new SessionSdkError('INVALID_INPUT', "nonceVariant must be 'libsession' or 'desktop'");
  }
  return signWith(ed25519SecretKey, serverPk, message, blind15Scalar, (key, kA) => {
    const h = sha512(variant === 'libsession' ? key.secretKey : key.seed);
    const input = concatBytes(h.subarray(32), kA, message);
    wipe(h);
    const rHash = sha512(input);
    wipe(input);
    return reduceAndWipe(rHash);
  });
}

const SEED_KEY = new TextEncoder().encode('SessCommBlind25_seed');
const SIG_KEY = new TextEncoder().encode('SessCommBlind25_sig');

/**
 * Signs `message` with the blind25 key (§4.3): `seedhash = BLAKE2b-32(seed; key="SessCommBlind25_seed")`,
 * `r = reduce(BLAKE2b-64(seedhash ‖ A' ‖ M; key="SessCommBlind25_sig"))`, `S = r + H(R ‖ A' ‖ M)·a'`.
 *
 * @example
 * ```ts
 * const sig = blind25Sign(identity.ed25519SecretKey, serverPk, body);
 * ```
 */
export function blind25Sign(ed25519SecretKey: Uint8Array, serverPk: ServerPublicKey, message: Uint8Array): Uint8Array {
  return signWith(ed25519SecretKey, serverPk, message, blind25Scalar, (key, A) => {
    const seedHash = blake2b(key.seed, { dkLen: 32, key: SEED_KEY });
    const input = concatBytes(seedHash, A, message);
    wipe(seedHash);
    const rHash = blake2b(input, { dkLen: 64, key: SIG_KEY });
    wipe(input);
    return reduceAndWipe(rHash);
  });
}
