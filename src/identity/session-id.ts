/**
 * Session ID strings and their prefixes (spec/identity-envelope.md §1.2, spec/security.md §4).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError } from '../errors.js';
import { fromHex, toHex } from '../util/bytes.js';
import { hasSmallOrder, isCanonicalPointEncoding } from '../crypto/ed25519-rules.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * ID prefixes: standard account, groups v2, blind15, blind25, unblinded community, version-blinded.
 *
 * @example
 * ```ts
 * const groupId = formatSessionId(SessionIdPrefix.GROUP, groupEd25519PublicKey); // '03…'
 * ```
 */
export const SessionIdPrefix = /* @__PURE__ */ deepFreeze({
  /** `05`: an account's X25519 key. */
  STANDARD: 0x05,
  /** `03`: a groups-v2 group's Ed25519 key. */
  GROUP: 0x03,
  /** `15`: legacy community-blinded Ed25519 key. */
  BLINDED_15: 0x15,
  /** `25`: community-blinded Ed25519 key. */
  BLINDED_25: 0x25,
  /** `00`: unblinded community key (plain Ed25519). */
  UNBLINDED: 0x00,
  /** `07`: version-blinded key for the file/version server. */
  VERSION_BLINDED: 0x07,
} as const);
/**
 * One of the {@link SessionIdPrefix} values.
 *
 * @example
 * ```ts
 * const prefix: SessionIdPrefixByte = parseSessionId(id).prefix;
 * if (prefix === SessionIdPrefix.GROUP) openGroup(id);
 * ```
 */
export type SessionIdPrefixByte = (typeof SessionIdPrefix)[keyof typeof SessionIdPrefix];

const PREFIXES = new Set<number>(Object.values(SessionIdPrefix));

/** X25519 u-coordinates of small order (libsodium's blocklist; sign bit is never valid here). */
const X25519_SMALL_ORDER = new Set([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
]);

function invalid(msg: string): never {
  throw new SessionSdkError('INVALID_SESSION_ID', msg);
}

/**
 * True for a canonical X25519 u (< p, bit 255 clear) that is not of small order.
 *
 * @example
 * ```ts
 * isValidX25519PublicKey(identity.x25519PublicKey); // true
 * isValidX25519PublicKey(new Uint8Array(32));       // false: small order
 * ```
 */
export function isValidX25519PublicKey(u: Uint8Array): boolean {
  // A predicate answers false for anything that is not a key, including non-byte values from JS.
  if (!(u instanceof Uint8Array) || u.length !== 32 || u[31]! & 0x80) return false;
  if (!isCanonicalPointEncoding(u)) return false;
  return !X25519_SMALL_ORDER.has(toHex(u));
}

/**
 * True for a canonical, on-curve Ed25519 public key that is not of small order.
 *
 * @example
 * ```ts
 * isValidEd25519PublicKey(identity.ed25519PublicKey); // true
 * isValidEd25519PublicKey(new Uint8Array(32));        // false: small order
 * ```
 */
export function isValidEd25519PublicKey(pk: Uint8Array): boolean {
  if (!(pk instanceof Uint8Array) || pk.length !== 32 || !isCanonicalPointEncoding(pk) || hasSmallOrder(pk)) return false;
  try {
    ed25519.Point.fromBytes(pk, false);
    return true;
  } catch {
    return false;
  }
}

/**
 * A parsed ID: its prefix byte and the 32-byte key after it.
 *
 * @example
 * ```ts
 * const { prefix, publicKey }: ParsedSessionId = parseSessionId(bob.sessionId);
 * prefix === SessionIdPrefix.STANDARD; // true; publicKey is Bob's X25519 key
 * ```
 */
export interface ParsedSessionId {
  /** First byte of the ID. */
  prefix: SessionIdPrefixByte;
  /** X25519 key for `05`, Ed25519 key for every other prefix. */
  publicKey: Uint8Array;
}

/**
 * Parses any prefixed ID (`05`, `03`, `15`, `25`, `00`, `07` + 64 hex, either case) and checks its
 * key: an X25519 key for `05`, an Ed25519 key for the others; small-order and non-canonical keys
 * are rejected so that one key never has two ID strings. Throws `INVALID_SESSION_ID`.
 *
 * @example
 * ```ts
 * const { prefix, publicKey } = parseSessionId('05d2ad01…'); // prefix === 0x05
 * ```
 */
export function parseSessionId(id: string): ParsedSessionId {
  if (typeof id !== 'string') invalid('Session ID must be a string');
  if (id.length !== 66) invalid(`Session ID must be 66 hex characters, got ${Math.min(id.length, 1e6)}`);
  const bytes = fromHex(id, 'Session ID', 'INVALID_SESSION_ID');
  const prefix = bytes[0]!;
  if (!PREFIXES.has(prefix)) invalid(`unknown Session ID prefix ${id.slice(0, 2)}`);
  const publicKey = bytes.slice(1);
  const ok = prefix === SessionIdPrefix.STANDARD ? isValidX25519PublicKey(publicKey) : isValidEd25519PublicKey(publicKey);
  if (!ok) invalid(`Session ID ${id.slice(0, 2)}… carries an invalid or small-order public key`);
  return { prefix: prefix as SessionIdPrefixByte, publicKey };
}

/**
 * Parses an ID and requires one prefix (default `05`). Returns the 32-byte key.
 *
 * @example
 * ```ts
 * const x25519Pk = sessionIdToPublicKey(bobSessionId);
 * ```
 */
export function sessionIdToPublicKey(id: string, prefix: SessionIdPrefixByte = SessionIdPrefix.STANDARD): Uint8Array {
  const p = parseSessionId(id);
  if (p.prefix !== prefix) {
    throw new SessionSdkError('INVALID_PREFIX', `expected a ${prefix.toString(16).padStart(2, '0')}-prefixed ID, got ${id.slice(0, 2)}`);
  }
  return p.publicKey;
}

/**
 * Formats a prefix and 32-byte key as a lowercase ID string.
 *
 * @example
 * ```ts
 * formatSessionId(SessionIdPrefix.STANDARD, id.x25519PublicKey) === id.sessionId;
 * ```
 */
export function formatSessionId(prefix: SessionIdPrefixByte, publicKey: Uint8Array): string {
  if (!PREFIXES.has(prefix)) throw new SessionSdkError('INVALID_PREFIX', 'unknown Session ID prefix');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new SessionSdkError('INVALID_LENGTH', 'public key must be 32 bytes');
  }
  return prefix.toString(16).padStart(2, '0') + toHex(publicKey);
}
