/**
 * Module-private access to a {@link GroupKeys}' secrets and state transitions. Not exported from
 * the package: callers get only the public, copy-returning accessors, so no secret key or mutator
 * is reachable through the public API surface.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import type { GroupKeyInfo, GroupKeys } from './group-keys.js';

/** What the groups module's functions need from a keyring. */
export interface KeyringInternals {
  /** 64-byte libsodium secret key (seed ‖ pk). */
  readonly userEd25519SecretKey: Uint8Array;
  readonly userX25519SecretKey: Uint8Array;
  /** Throws `DESTROYED` after destroy(). */
  assertAlive(): void;
  /** The 32-byte group seed; throws `NOT_ADMIN` / `DESTROYED`. */
  adminSeed(): Uint8Array;
  /** 64-byte group secret key (admins). */
  adminSecretKey(): Uint8Array;
  /** The group's X25519 secret (admins). */
  adminX25519SecretKey(): Uint8Array;
  /** `seed_hash(label)` (admins); the caller wipes the result. */
  seedHash(label: string): Uint8Array;
  /** The current encryption key (not a copy). */
  encryptionKey(): Uint8Array;
  /** Pending first, then newest to oldest (not copies). */
  decryptionKeys(): Uint8Array[];
  /**
   * Our member wrap key `BLAKE2b-32("SessionGroupKeyMemberKey", DH(x, A') ‖ A' ‖ X)`: fixed for a
   * (user, group) pair, so derived once and kept (wiped by destroy()).
   */
  memberWrapKey(): Promise<Uint8Array>;
  setPending(generation: number, key: Uint8Array, message: Uint8Array): void;
  confirmPending(firstNew: GroupKeyInfo): void;
  insertKey(k: GroupKeyInfo, hash: string | undefined): void;
  noteMessage(generation: number, hash: string | undefined): void;
}

const INTERNALS = new WeakMap<object, KeyringInternals>();

/** @internal called once by the GroupKeys constructor. */
export function registerKeyringInternals(keys: GroupKeys, internals: KeyringInternals): void {
  INTERNALS.set(keys, internals);
}

/** The internals of a keyring; anything else is `INVALID_INPUT`. Also serves as the type check. */
export function keyringInternals(keys: GroupKeys, fn: string): KeyringInternals {
  const i = typeof keys === 'object' && keys !== null ? INTERNALS.get(keys) : undefined;
  if (!i) throw new SessionSdkError('INVALID_INPUT', `${fn} needs a GroupKeys from createGroupKeys`);
  return i;
}
