/**
 * Community blinding (spec/identity-envelope.md §4.1, §4.2, §4.5): blind15 and blind25 key pairs
 * and IDs, matching a Session ID against a blinded ID, and the `07` version-check key.
 *
 * A community (SOGS) sees a per-server blinded key instead of the Session ID. blind15 (legacy)
 * multiplies by a factor derived from the server key only; blind25 also mixes in the Session ID.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { equalBytes, toHex, wipe } from '../util/bytes.js';
import { ed25519KeyPairFromSeed } from '../crypto/noble.js';
import { sessionIdToPublicKey, SessionIdPrefix } from './session-id.js';
import { decodeMainSubgroupPoint, pointToX25519, scalarToBytes, xed25519PublicKey } from './ed25519-noclamp.js';
import {
  expandSecretKey,
  parseBlindedId,
  parseServerPublicKey,
  wipeExpandedKey,
  type ExpandedSecretKey,
  type ServerPublicKey,
} from './blinding-inputs.js';
import { blind15Scalar, blind25Scalar, blinded15KeyOfPoint, blinded25KeyOfPoint, type BlindedScalar } from './blinding-core.js';

export type { ServerPublicKey } from './blinding-inputs.js';

/**
 * A blinded key pair: the 32-byte blinded public key and the 32-byte blinded scalar.
 *
 * @example
 * ```ts
 * const kp: BlindedKeyPair = blind25KeyPair(identity.ed25519SecretKey, serverPk);
 * const blindedId = formatSessionId(SessionIdPrefix.BLINDED_25, kp.publicKey); // '25…'
 * ```
 */
export interface BlindedKeyPair {
  /** 32-byte blinded Ed25519 public key (the blinded ID without its `15`/`25` prefix). */
  publicKey: Uint8Array;
  /** 32-byte little-endian blinded scalar (`ka`), reduced mod L. Secret: wipe it when done. */
  secretKey: Uint8Array;
}

function keyPairWith(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  blind: (k: ExpandedSecretKey, s: Uint8Array) => BlindedScalar,
): BlindedKeyPair {
  const server = parseServerPublicKey(serverPk);
  let key: ExpandedSecretKey | undefined;
  try {
    key = expandSecretKey(ed25519SecretKey);
    const b = blind(key, server);
    return { publicKey: b.publicKey, secretKey: scalarToBytes(b.scalar) };
  } finally {
    wipeExpandedKey(key);
  }
}

/**
 * The blind15 key pair of a user on one community server (§4.1): `ka = k·a mod L`, `kA = ka·B`,
 * with `k = reduce(BLAKE2b-64(serverPk))`. `ed25519SecretKey` is the 32-byte seed or the 64-byte
 * libsodium secret key.
 *
 * @example
 * ```ts
 * const { publicKey } = blind15KeyPair(identity.ed25519SecretKey, serverPkHex);
 * const blindedId = '15' + toHex(publicKey);
 * ```
 */
export function blind15KeyPair(ed25519SecretKey: Uint8Array, serverPk: ServerPublicKey): BlindedKeyPair {
  return keyPairWith(ed25519SecretKey, serverPk, blind15Scalar);
}

/**
 * The blind25 key pair (§4.2): `k = reduce(BLAKE2b-64(0x05 ‖ X ‖ serverPk))`, negated when the
 * user's Ed25519 key is negative, so the public key always equals {@link blind25Id}'s key.
 *
 * @example
 * ```ts
 * const { publicKey, secretKey } = blind25KeyPair(identity.ed25519SecretKey, serverPk);
 * ```
 */
export function blind25KeyPair(ed25519SecretKey: Uint8Array, serverPk: ServerPublicKey): BlindedKeyPair {
  return keyPairWith(ed25519SecretKey, serverPk, blind25Scalar);
}

/** The XEd25519 point (sign bit 0) of a Session ID, validated for noclamp multiplication. */
function positiveKeyOfSessionId(sessionId: string) {
  const x = sessionIdToPublicKey(sessionId, SessionIdPrefix.STANDARD);
  // An X25519 key on the quadratic twist maps to no Ed25519 point; libsession refuses it too.
  return { x, A: decodeMainSubgroupPoint(xed25519PublicKey(x), 'Session ID key', 'INVALID_SESSION_ID') };
}

/**
 * Both blind15 IDs a Session ID may have on a server (§4.1). The Session ID fixes the Ed25519 key
 * only up to sign, so libsession returns the ID from the positive key first and its sign-flipped
 * twin (last byte `^ 0x80`) second; the account's real ID is one of them.
 *
 * @example
 * ```ts
 * const [pos, neg] = blind15Ids('05fe94b7…', serverPkHex); // '15…', '15…'
 * ```
 */
export function blind15Ids(sessionId: string, serverPk: ServerPublicKey): [string, string] {
  const kA = blind15KeyOfSessionId(sessionId, parseServerPublicKey(serverPk));
  const first = '15' + toHex(kA);
  kA[31]! ^= 0x80;
  return [first, '15' + toHex(kA)];
}

function blind15KeyOfSessionId(sessionId: string, server: Uint8Array): Uint8Array {
  return blinded15KeyOfPoint(positiveKeyOfSessionId(sessionId).A, server);
}

function blind25KeyOfSessionId(sessionId: string, server: Uint8Array): Uint8Array {
  const { x, A } = positiveKeyOfSessionId(sessionId);
  return blinded25KeyOfPoint(A, x, server, false);
}

/**
 * The blind25 ID of a Session ID on a server (§4.2); unambiguous, unlike blind15.
 *
 * @example
 * ```ts
 * blind25Id('05fe94b7…', 'abcdef01…') // '253b991d…'
 * ```
 */
export function blind25Id(sessionId: string, serverPk: ServerPublicKey): string {
  return '25' + toHex(blind25KeyOfSessionId(sessionId, parseServerPublicKey(serverPk)));
}

/**
 * The exact blind15 ID of a known Ed25519 public key (no sign ambiguity; libsession
 * `blinded15_id_from_ed`). Throws `INVALID_KEY` / `SMALL_ORDER_KEY` for an unusable key.
 *
 * @example
 * ```ts
 * blind15IdFromEd25519(identity.ed25519PublicKey, serverPk) // '15…'
 * ```
 */
export function blind15IdFromEd25519(ed25519PublicKey: Uint8Array, serverPk: ServerPublicKey): string {
  const server = parseServerPublicKey(serverPk);
  const A = decodeMainSubgroupPoint(ed25519PublicKey, 'Ed25519 public key');
  return '15' + toHex(blinded15KeyOfPoint(A, server));
}

/**
 * The blind25 ID of a known Ed25519 public key (libsession `blinded25_id_from_ed`); equals
 * {@link blind25Id} of the key's Session ID.
 *
 * @example
 * ```ts
 * blind25IdFromEd25519(identity.ed25519PublicKey, serverPk) === blind25Id(identity.sessionId, serverPk)
 * ```
 */
export function blind25IdFromEd25519(ed25519PublicKey: Uint8Array, serverPk: ServerPublicKey): string {
  const server = parseServerPublicKey(serverPk);
  const A = decodeMainSubgroupPoint(ed25519PublicKey, 'Ed25519 public key');
  const x = pointToX25519(A);
  return '25' + toHex(blinded25KeyOfPoint(A, x, server, (ed25519PublicKey[31]! & 0x80) !== 0));
}

/**
 * True when `blindedId` (`15…` or `25…`) belongs to `sessionId` on the server: for blind15
 * either sign candidate matches (§4.1). Malformed input throws (`INVALID_SESSION_ID`,
 * `INVALID_PREFIX`, `INVALID_HEX`, `INVALID_LENGTH`, `SMALL_ORDER_KEY`); a well-formed ID of
 * someone else gives `false`.
 *
 * @example
 * ```ts
 * if (sessionIdMatchesBlindedId(contact.sessionId, post.sender, serverPk)) showName(contact);
 * ```
 */
export function sessionIdMatchesBlindedId(sessionId: string, blindedId: string, serverPk: ServerPublicKey): boolean {
  const blinded = parseBlindedId(blindedId);
  const server = parseServerPublicKey(serverPk);
  if (blinded.prefix === SessionIdPrefix.BLINDED_25) return equalBytes(blind25KeyOfSessionId(sessionId, server), blinded.publicKey);
  const kA = blind15KeyOfSessionId(sessionId, server);
  if (equalBytes(kA, blinded.publicKey)) return true;
  kA[31]! ^= 0x80;
  return equalBytes(kA, blinded.publicKey);
}

const VERSION_KEY = new TextEncoder().encode('VersionCheckKey_sig');

/**
 * The `07` version-check key pair (§4.5): seed' = BLAKE2b-32(seed; key = "VersionCheckKey_sig"),
 * then the ordinary Ed25519 key pair of seed'. `secretKey` is 64 bytes (`seed' ‖ publicKey`).
 *
 * @example
 * ```ts
 * const { publicKey } = versionBlindKeyPair(identity.ed25519SecretKey);
 * const versionId = '07' + toHex(publicKey);
 * ```
 */
export function versionBlindKeyPair(ed25519SecretKey: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  let key: ExpandedSecretKey | undefined;
  let seed: Uint8Array | undefined;
  try {
    key = expandSecretKey(ed25519SecretKey);
    seed = blake2b(key.seed, { dkLen: 32, key: VERSION_KEY });
    return ed25519KeyPairFromSeed(seed);
  } finally {
    wipeExpandedKey(key);
    wipe(seed);
  }
}
