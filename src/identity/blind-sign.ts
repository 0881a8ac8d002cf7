/**
 * Blinded signatures (spec/identity-envelope.md §4.3): Ed25519 signatures made with a blinded
 * scalar, so they verify with plain Ed25519 ({@link verifyEd25519}) against the 32-byte blinded
 * public key, i.e. the blinded ID without its prefix.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes } from '../util/bytes.js';
import { expandSecretKey, parseServerPublicKey, wipeExpandedKey, type ExpandedSecretKey, type ServerPublicKey } from './blinding-inputs.js';
import { blind15Scalar, blind25Scalar } from './blinding-core.js';
import { blind15SignWith, blind25SignWith, type Blind15NonceVariant } from './blind-sign-core.js';

export type { Blind15NonceVariant } from './blind-sign-core.js';

/**
 * Options of {@link blind15Sign}.
 *
 * @example
 * ```ts
 * const opts: Blind15SignOptions = { nonceVariant: 'desktop' }; // reproduce Desktop's exact bytes
 * const sig = blind15Sign(identity.ed25519SecretKey, serverPk, message, opts);
 * ```
 */
export interface Blind15SignOptions {
  /**
   * `'libsession'` (default, API.md): the nonce prefix is `SHA-512(seed ‖ pk)[32..64]`.
   * `'desktop'`: `SHA-512(seed)[32..64]` as Session Desktop's `blindedED25519Signature` does —
   * only needed to reproduce Desktop's bytes exactly (e.g. its X-SOGS test vectors).
   */
  nonceVariant?: Blind15NonceVariant;
}

function signWith(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  message: Uint8Array,
  sign: (key: ExpandedSecretKey, server: Uint8Array) => Uint8Array,
): Uint8Array {
  assertBytes(message, 'message');
  const server = parseServerPublicKey(serverPk);
  let key: ExpandedSecretKey | undefined;
  try {
    key = expandSecretKey(ed25519SecretKey);
    return sign(key, server);
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
 * const sig = blind15Sign(identity.ed25519SecretKey, serverPk, new TextEncoder().encode('hello'));
 * verifyEd25519(sig, new TextEncoder().encode('hello'), blind15KeyPair(identity.ed25519SecretKey, serverPk).publicKey); // true
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
  return signWith(ed25519SecretKey, serverPk, message, (key, server) => blind15SignWith(key, blind15Scalar(key, server), message, variant));
}

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
  return signWith(ed25519SecretKey, serverPk, message, (key, server) => blind25SignWith(key, blind25Scalar(key, server), message));
}
