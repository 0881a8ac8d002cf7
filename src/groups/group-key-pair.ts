/**
 * A new groups-v2 group's identity: an Ed25519 key pair whose public key, prefixed `03`, is the
 * group ID (spec/groups.md §2.1). The creating admin keeps the secret key; members only ever see
 * the public key.
 * @module
 */
import { ed25519KeyPairFromSeed } from '../crypto/noble.js';
import { randomBytes, toHex, wipe } from '../util/bytes.js';

/**
 * A group's Ed25519 key pair and its `03…` group ID.
 *
 * @example
 * ```ts
 * const g: GroupKeyPair = generateGroupKeyPair();
 * const keys = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: g.ed25519PublicKey, groupEd25519SecretKey: g.ed25519SecretKey });
 * ```
 */
export interface GroupKeyPair {
  /** `03` + hex Ed25519 public key. */
  groupId: string;
  /** 32-byte Ed25519 public key. */
  ed25519PublicKey: Uint8Array;
  /** 64-byte libsodium secret key (`seed ‖ public key`): the admin secret. */
  ed25519SecretKey: Uint8Array;
}

/**
 * Generates the key pair of a new group from `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * const g = generateGroupKeyPair();
 * const admin = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey,
 *   groupEd25519PublicKey: g.ed25519PublicKey, groupEd25519SecretKey: g.ed25519SecretKey });
 * ```
 */
export function generateGroupKeyPair(): GroupKeyPair {
  const seed = randomBytes(32);
  try {
    const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed);
    return { groupId: '03' + toHex(publicKey), ed25519PublicKey: publicKey, ed25519SecretKey: secretKey };
  } finally {
    wipe(seed);
  }
}
