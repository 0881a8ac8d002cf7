/**
 * Shared pieces of the groups verifiers (src/vectors/groups*.ts): the test identities of
 * groups-v2-keys.json, group keyrings built from vector seeds, and the spec's keyed BLAKE2b
 * (spec/groups.md §0) for intermediates the SDK deliberately keeps private.
 *
 * Intermediates (seed hashes, H1, junk seeds, blinding scalars…) are recomputed here with
 * @noble primitives directly — independently of the SDK's own `src/groups/primitives.ts` — and
 * every recomputed value is tied back to an output of the SDK's public API, so a vector's
 * intermediate can only pass if it is the value the SDK really used. All keys handled here are
 * the vectors' published test keys, so nothing is wiped.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { createGroupKeys, identityFromSeed, type GroupKeys, type Identity } from '../index.js';
import { byId, expectEqual, hex, toHex, VectorMismatch, type FileRecorder } from './check.js';

/** `Hk(n, key = ASCII label or bytes, m…)` of spec/groups.md §0: keyed (not personalised) BLAKE2b. */
export function hk(outLen: number, key: string | Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const k = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  const h = blake2b.create({ key: k, dkLen: outLen });
  for (const p of parts) h.update(p);
  return h.digest();
}

/** ASCII/UTF-8 bytes of `s`. */
export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Compares bytes with a hex expectation of the vector. */
export function expectHex(what: string, got: Uint8Array, want: unknown): void {
  expectEqual(what, toHex(got), want);
}

/** Expects that the SDK produced nothing (a must-fail decryption, no wrapper, no notice…). */
export function expectNone(what: string, got: unknown): void {
  expectEqual(`${what} (absent)`, got === undefined ? 'absent' : 'present', 'absent');
}

/** Hex of bytes, or `undefined` when the SDK produced nothing (compared against a vector string). */
export const hexOrNone = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : toHex(b));

/**
 * The named test users of groups-v2-keys.json's `test_identities` (its inputs: seeds only), as
 * identities. Throws (malformed vector) when the vector or a seed is missing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function testUsers(keysDoc: any): Map<string, Identity> {
  const users = byId(keysDoc, 'test_identities')?.inputs?.users;
  if (typeof users !== 'object' || users === null) throw new Error('groups-v2-keys.json has no test_identities users');
  return new Map(Object.entries(users).map(([name, seed]) => [name, identityFromSeed(hex(seed))]));
}

/** The test user with Session ID `sid`; throws (malformed vector) if none has it. */
export function userBySessionId(users: Map<string, Identity>, sid: unknown): Identity {
  for (const u of users.values()) if (u.sessionId === sid) return u;
  throw new Error(`no test identity has Session ID ${String(sid)}`);
}

/** A keyring for the user with seed `userSeed` in the group with seed `groupSeed` (admin when asked). */
export function keyringFor(userSeed: Uint8Array, groupSeed: Uint8Array, admin: boolean): GroupKeys {
  const group = identityFromSeed(groupSeed);
  return createGroupKeys({
    userEd25519SecretKey: userSeed,
    groupEd25519PublicKey: group.ed25519PublicKey,
    ...(admin ? { groupEd25519SecretKey: group.ed25519SecretKey } : {}),
  });
}

/**
 * Runs a named entry of `doc.vectors` as one vector labelled by its name, if the file has it
 * (absent entries are left to `skipOtherVectors`' count of unknown ones, i.e. not run).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function namedVectorRunner(doc: any, rec: FileRecorder): (name: string, body: (v: any) => void | Promise<void>) => Promise<void> {
  return async (name, body) => {
    const v = byId(doc, name);
    if (v) await rec.vector(name, () => body(v));
  };
}

/** XChaCha20-Poly1305 open (no AD, spec/groups.md §0); a failed tag is a mismatch of `what`. */
export function xOpen(what: string, key: Uint8Array, nonce: Uint8Array, ct: Uint8Array): Uint8Array {
  try {
    return xchacha20poly1305(key, nonce).decrypt(ct);
  } catch {
    throw new VectorMismatch(`${what}: does not authenticate`);
  }
}

