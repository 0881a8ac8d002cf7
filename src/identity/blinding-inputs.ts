/**
 * Input parsing shared by community blinding, SOGS authentication and blinded DMs
 * (spec/identity-envelope.md §4): server public keys, a user's Ed25519 secret key, and blinded IDs.
 * Internal module (not re-exported).
 * @module
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, equalBytes, fromHex, wipe } from '../util/bytes.js';
import { ed25519KeyPairFromSeed } from '../crypto/noble.js';
import { parseSessionId, SessionIdPrefix } from './session-id.js';
import { scalarFromNoclampBytes } from './ed25519-noclamp.js';

/**
 * X25519 encodings of small order with bit 255 ignored, as libsodium's `has_small_order` list
 * (including the non-canonical p and p+1). A server key is only ever hashed by the blinding
 * formulas, but one of these means a broken or hostile configuration, so it is refused.
 */
const SMALL_ORDER_U: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => fromHex(h));

/**
 * A community server key as given by the API: 32 bytes, or 64 hex digits in either case.
 *
 * @example
 * ```ts
 * const serverPk: ServerPublicKey = 'a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238'; // or its 32 bytes
 * const id = blind15IdFromEd25519(identity.ed25519PublicKey, serverPk);
 * ```
 */
export type ServerPublicKey = Uint8Array | string;

/**
 * Parses a community (SOGS) server public key into a fresh 32-byte array. Throws
 * `INVALID_LENGTH` / `INVALID_HEX` / `INVALID_INPUT` for the wrong shape and `SMALL_ORDER_KEY`
 * for a small-order X25519 key.
 */
export function parseServerPublicKey(serverPk: ServerPublicKey): Uint8Array {
  let pk: Uint8Array;
  if (typeof serverPk === 'string') {
    if (serverPk.length !== 64) {
      throw new SessionSdkError('INVALID_LENGTH', `server public key must be 64 hex characters, got ${Math.min(serverPk.length, 1e6)}`);
    }
    pk = fromHex(serverPk, 'server public key');
  } else {
    assertBytes(serverPk, 'server public key', 32);
    pk = serverPk.slice();
  }
  for (const bad of SMALL_ORDER_U) {
    let d = (pk[31]! & 0x7f) ^ bad[31]!;
    for (let i = 0; i < 31; i++) d |= pk[i]! ^ bad[i]!;
    if (d === 0) throw new SessionSdkError('SMALL_ORDER_KEY', 'server public key has small order');
  }
  return pk;
}

/** The pieces of a user's Ed25519 key that blinding needs. Caller wipes with {@link wipeExpandedKey}. */
export interface ExpandedSecretKey {
  /** 32-byte seed. */
  seed: Uint8Array;
  /** 64-byte libsodium secret key `seed ‖ publicKey`. */
  secretKey: Uint8Array;
  /** 32-byte Ed25519 public key A. */
  publicKey: Uint8Array;
  /** 32-byte clamped scalar bytes, libsodium `crypto_sign_ed25519_sk_to_curve25519`. */
  scalarBytes: Uint8Array;
  /** The same scalar a, reduced mod L. */
  scalar: bigint;
}

/**
 * Accepts a 32-byte seed or a 64-byte libsodium secret key (`seed ‖ pk`). A 64-byte key whose
 * second half is not the public key of its seed is refused (`INVALID_KEY`): libsession would
 * silently derive blinded IDs for the wrong public key.
 */
export function expandSecretKey(sk: Uint8Array, name = 'Ed25519 secret key'): ExpandedSecretKey {
  assertBytes(sk, name, [32, 64]);
  const seed = sk.slice(0, 32);
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed);
  if (sk.length === 64 && !equalBytes(sk.subarray(32), publicKey)) {
    wipe(seed, secretKey);
    throw new SessionSdkError('INVALID_KEY', `${name}: second half is not the public key of its seed`);
  }
  const h = sha512(seed);
  const scalarBytes = h.slice(0, 32);
  wipe(h);
  scalarBytes[0]! &= 248;
  scalarBytes[31]! &= 127;
  scalarBytes[31]! |= 64;
  // A clamped value lies in [2^254, 2^255) and is a multiple of 8, so it is never 0 mod L (8L > 2^255).
  const scalar = scalarFromNoclampBytes(scalarBytes);
  return { seed, secretKey, publicKey, scalarBytes, scalar };
}

/** Zeroes the byte arrays of an {@link ExpandedSecretKey}. */
export function wipeExpandedKey(k: ExpandedSecretKey | undefined): void {
  if (k) wipe(k.seed, k.secretKey, k.scalarBytes);
}

/** A parsed `15…` or `25…` community-blinded ID. */
export interface BlindedId {
  prefix: typeof SessionIdPrefix.BLINDED_15 | typeof SessionIdPrefix.BLINDED_25;
  /** The 32-byte blinded Ed25519 key (a valid prime-order point encoding). */
  publicKey: Uint8Array;
  /** The full 33 bytes, prefix first. */
  bytes: Uint8Array;
}

/**
 * Parses a 66-hex blinded ID; the key must be a canonical Ed25519 point not of small order
 * (`INVALID_SESSION_ID`), the prefix `15` or `25` (`INVALID_PREFIX`).
 */
export function parseBlindedId(id: string, what = 'blinded ID'): BlindedId {
  const { prefix, publicKey } = parseSessionId(id);
  if (prefix !== SessionIdPrefix.BLINDED_15 && prefix !== SessionIdPrefix.BLINDED_25) {
    throw new SessionSdkError('INVALID_PREFIX', `${what} must start with 15 or 25, got ${id.slice(0, 2)}`);
  }
  const bytes = new Uint8Array(33);
  bytes[0] = prefix;
  bytes.set(publicKey, 1);
  return { prefix, publicKey, bytes };
}
