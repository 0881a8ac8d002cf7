/**
 * Member swarm access for groups v2 (spec/groups.md §2.10): an admin hands each member a
 * 100-byte signing value `0x03 ‖ flags ‖ 0 ‖ 0 ‖ k ‖ Sig_C(0x03 ‖ flags ‖ 0 ‖ 0 ‖ kT)`; the member
 * then signs storage requests as the blinded key `kT` (libsession `swarm_make_subaccount`,
 * `swarm_subaccount_sign`, `swarm_subaccount_token`, `swarm_verify_subaccount`).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { ed25519SeedToX25519Secret } from '../crypto/noble.js';
import { SessionSdkError } from '../errors.js';
import type { StorageAuth } from '../onion/storage.js';
import { x25519PublicKeyToEd25519 } from '../identity/keys.js';
import { sessionIdToPublicKey } from '../identity/session-id.js';
import { assertBytes, concatBytes, wipe } from '../util/bytes.js';
import type { GroupKeys } from './group-keys.js';
import { keyringInternals, type KeyringInternals } from './keyring-internal.js';
import { blake2bKeyed } from './primitives.js';
import { GROUP_KEY_LABELS } from './rekey.js';
import { deepFreeze } from '../util/freeze.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

/**
 * Permission bits of byte 1 (oxen-storage-server subaccount flags).
 *
 * @example
 * ```ts
 * const canDelete = (auth.subaccount[1]! & SUBACCOUNT_FLAGS.delete) !== 0;
 * ```
 */
export const SUBACCOUNT_FLAGS = /* @__PURE__ */ deepFreeze({ read: 0b0001, write: 0b0010, delete: 0b0100, anyPrefix: 0b1000 } as const);

function leToBig(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

function bigToLe32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** `crypto_core_ed25519_scalar_reduce` of a 64-byte hash. */
const reduce64 = (h: Uint8Array): bigint => leToBig(h) % L;

/**
 * `crypto_scalarmult_ed25519_noclamp(k, P)`: rejects non-canonical, small-order and
 * non-prime-order points and an identity result, and (like libsodium) ignores bit 255 of `k`.
 */
function scalarMultNoClamp(kBytes: Uint8Array, p: Uint8Array): Uint8Array {
  const k = leToBig(kBytes) & ((1n << 255n) - 1n);
  let P;
  try {
    P = Point.fromBytes(p, false);
  } catch {
    throw new SessionSdkError('INVALID_KEY', 'not a valid Ed25519 point');
  }
  if (P.isSmallOrder() || !P.isTorsionFree()) throw new SessionSdkError('INVALID_KEY', 'Ed25519 point is not in the prime-order subgroup');
  const kr = k % L;
  if (kr === 0n) throw new SessionSdkError('INVALID_KEY', 'zero scalar');
  return P.multiply(kr).toBytes();
}

function flagsByte(write: boolean, del: boolean): number {
  return SUBACCOUNT_FLAGS.read | (write ? SUBACCOUNT_FLAGS.write : 0) | (del ? SUBACCOUNT_FLAGS.delete : 0);
}

/** The per-member blinding scalar `k = H64(0x05 ‖ X ‖ 0x03 ‖ C, key = seed_hash(mask)) mod L`. */
function blindFactor(ki: KeyringInternals, groupPk: Uint8Array, memberX: Uint8Array): bigint {
  const mask = ki.seedHash(GROUP_KEY_LABELS.subaccountMask);
  try {
    return reduce64(blake2bKeyed(64, mask, Uint8Array.of(0x05), memberX, Uint8Array.of(0x03), groupPk));
  } finally {
    wipe(mask);
  }
}

/** Member X and `T = |S|` (the positive XEd25519 key behind the Session ID). */
function memberPoint(memberSessionId: string): { X: Uint8Array; T: Uint8Array } {
  const X = sessionIdToPublicKey(typeof memberSessionId === 'string' ? memberSessionId.toLowerCase() : memberSessionId);
  return { X, T: x25519PublicKeyToEd25519(X) };
}

/**
 * Admin: the 100-byte subaccount signing value (`memberAuthData` of an invite) for a member. Read
 * access always; `write` defaults to true, `del` to false. Throws `NOT_ADMIN`, `INVALID_SESSION_ID`.
 *
 * @example
 * ```ts
 * const authData = await makeSubaccount(adminKeys, bob.sessionId); // put in GroupUpdateInviteMessage
 * ```
 */
export async function makeSubaccount(keys: GroupKeys, memberSessionId: string, write = true, del = false): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'makeSubaccount');
  const seed = ki.adminSeed();
  const { X, T } = memberPoint(memberSessionId);
  const k = bigToLe32(blindFactor(ki, keys.groupEd25519PublicKey, X));
  const kT = scalarMultNoClamp(k, T);
  const head = Uint8Array.of(0x03, flagsByte(!!write, !!del), 0, 0);
  const sig = await getCryptoProvider().ed25519Sign(seed, concatBytes(head, kT));
  return concatBytes(head, k, sig);
}

/**
 * Admin: the 36-byte token `0x03 ‖ flags ‖ 0 ‖ 0 ‖ kT` identifying a member's subaccount, as
 * passed to the storage server's `revoke_subaccount` / `unrevoke_subaccount`.
 *
 * @example
 * ```ts
 * const token = subaccountToken(adminKeys, bob.sessionId);
 * ```
 */
export function subaccountToken(keys: GroupKeys, memberSessionId: string, write = true, del = false): Uint8Array {
  const ki = keyringInternals(keys, 'subaccountToken');
  ki.adminSeed();
  const { X, T } = memberPoint(memberSessionId);
  return concatBytes(Uint8Array.of(0x03, flagsByte(!!write, !!del), 0, 0), scalarMultNoClamp(bigToLe32(blindFactor(ki, keys.groupEd25519PublicKey, X)), T));
}

/** `kT` for our own key: T = our Ed25519 pk with the sign bit cleared; `neg` records the flip. */
function ownBlinded(userEdSk: Uint8Array, k: Uint8Array): { kT: Uint8Array; neg: boolean } {
  const T = userEdSk.slice(32, 64);
  const neg = (T[31]! & 0x80) !== 0;
  T[31]! &= 0x7f;
  return { kT: scalarMultNoClamp(k, T), neg };
}

/**
 * Member: signs a storage request `message` (e.g. `"retrieve" ‖ namespace ‖ timestamp`) with the
 * subaccount from `signingValue`. Returns the 36-byte `subaccount` token, the admin's 64-byte
 * `subaccountSig` and a 64-byte Ed25519 `signature` under `kT` (base64-encode them for JSON).
 * Deterministic: the nonce is `BLAKE2b-64("SubaccountSig", BLAKE2b-32("SubaccountSeed", seed) ‖ kT ‖ M)`.
 *
 * @example
 * ```ts
 * const { subaccount, subaccountSig, signature } = subaccountSign(memberKeys, new TextEncoder().encode('retrieve111700000000000'), authData);
 * ```
 */
export function subaccountSign(
  keys: GroupKeys,
  message: Uint8Array,
  signingValue: Uint8Array,
): { subaccount: Uint8Array; subaccountSig: Uint8Array; signature: Uint8Array } {
  const ki = keyringInternals(keys, 'subaccountSign');
  ki.assertAlive();
  assertBytes(message, 'message');
  assertBytes(signingValue, 'subaccount signing value', 100);
  const kBytes = signingValue.subarray(4, 36);
  const sk = ki.userEd25519SecretKey;
  const { kT, neg } = ownBlinded(sk, kBytes);
  // crypto_core_ed25519_scalar_mul reduces the full 256-bit k (unlike the point multiplication).
  const k = leToBig(kBytes) % L;
  const subaccount = concatBytes(signingValue.subarray(0, 4), kT);

  // Our signing scalar: kt with t = ±x (x = the X25519 secret, negated if we flipped S's sign).
  const xBytes = ed25519SeedToX25519Secret(sk);
  const x = leToBig(xBytes) % L;
  wipe(xBytes);
  const t = neg ? (L - x) % L : x;
  const kt = (k * t) % L;

  const hseed = blake2bKeyed(32, 'SubaccountSeed', sk.subarray(0, 32));
  const rHash = blake2bKeyed(64, 'SubaccountSig', hseed, kT, message);
  const r = reduce64(rHash);
  wipe(hseed, rHash);
  if (r === 0n) throw new SessionSdkError('INVALID_KEY', 'degenerate signature nonce');
  const R = Point.BASE.multiply(r).toBytes();
  const hram = sha512(concatBytes(R, kT, message));
  const S = (r + reduce64(hram) * kt) % L;
  return { subaccount, subaccountSig: signingValue.slice(36), signature: concatBytes(R, bigToLe32(S)) };
}

/**
 * Member: checks a signing value received in an invite (libsession `swarm_verify_subaccount`):
 * `03` prefix (or the any-prefix flag), the read flag, the requested write/delete flags, and the
 * admin signature over `prefix ‖ kT` with the group key. Bit 7 of byte 35 (the top bit of `k`) is
 * not covered, because libsodium's point multiplication ignores it; libsession behaves the same.
 *
 * @example
 * ```ts
 * if (!(await verifySubaccount(memberKeys, invite.memberAuthData))) reject();
 * ```
 */
export async function verifySubaccount(keys: GroupKeys, signingValue: Uint8Array, write = false, del = false): Promise<boolean> {
  const ki = keyringInternals(keys, 'verifySubaccount');
  ki.assertAlive();
  if (!(signingValue instanceof Uint8Array) || signingValue.length !== 100) return false;
  const flags = signingValue[1]!;
  if (signingValue[0] !== 0x03 && !(flags & SUBACCOUNT_FLAGS.anyPrefix)) return false;
  if (!(flags & SUBACCOUNT_FLAGS.read)) return false;
  if (write && !(flags & SUBACCOUNT_FLAGS.write)) return false;
  if (del && !(flags & SUBACCOUNT_FLAGS.delete)) return false;
  let kT: Uint8Array;
  try {
    kT = ownBlinded(ki.userEd25519SecretKey, signingValue.subarray(4, 36)).kT;
  } catch {
    return false;
  }
  return getCryptoProvider().ed25519Verify(signingValue.subarray(36), concatBytes(signingValue.subarray(0, 4), kT), keys.groupEd25519PublicKey);
}

/**
 * What a storage request signed with a subaccount carries (all binary; base64-decode JSON fields first).
 *
 * @example
 * ```ts
 * const auth: SubaccountAuth = subaccountSign(memberKeys, message, authData);
 * await verifySubaccountAuth(groupPk, message, auth); // true
 * ```
 */
export interface SubaccountAuth {
  /** The 36-byte token `0x03 ‖ flags ‖ 0 ‖ 0 ‖ kT`. */
  subaccount: Uint8Array;
  /** The admin's 64-byte signature over the token. */
  subaccountSig: Uint8Array;
  /** The member's 64-byte signature over the request's signed string, under `kT`. */
  signature: Uint8Array;
}

/**
 * Verifier side of subaccount authentication, as a storage node would check it: the token is
 * signed by the group key, carries the `03` prefix (or the any-prefix flag) and the permissions
 * the request needs, and `signature` verifies over `message` under the token's `kT`. Follows
 * libsession's token semantics; the storage server's own code was not examined
 * (spec/groups.md §2.10), so treat this as a client-side and test-network check.
 *
 * @example
 * ```ts
 * const ok = await verifySubaccountAuth(groupPk, new TextEncoder().encode(`retrieve12${ts}`), auth, { write: false });
 * ```
 */
export async function verifySubaccountAuth(
  groupEd25519PublicKey: Uint8Array,
  message: Uint8Array,
  auth: SubaccountAuth,
  need: { write?: boolean; del?: boolean } = {},
): Promise<boolean> {
  assertBytes(groupEd25519PublicKey, 'group Ed25519 public key', 32);
  assertBytes(message, 'message');
  const { subaccount, subaccountSig, signature } = auth ?? ({} as SubaccountAuth);
  if (!(subaccount instanceof Uint8Array) || subaccount.length !== 36) return false;
  if (!(subaccountSig instanceof Uint8Array) || subaccountSig.length !== 64) return false;
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  const flags = subaccount[1]!;
  if (subaccount[0] !== 0x03 && !(flags & SUBACCOUNT_FLAGS.anyPrefix)) return false;
  if (!(flags & SUBACCOUNT_FLAGS.read)) return false;
  if (need.write && !(flags & SUBACCOUNT_FLAGS.write)) return false;
  if (need.del && !(flags & SUBACCOUNT_FLAGS.delete)) return false;
  const provider = getCryptoProvider();
  const [tokenOk, sigOk] = await Promise.all([
    provider.ed25519Verify(subaccountSig, subaccount, groupEd25519PublicKey),
    provider.ed25519Verify(signature, message, subaccount.subarray(4)),
  ]);
  return tokenOk && sigOk;
}

/**
 * The {@link StorageAuth} for this participant's requests to the group swarm: admins sign with the
 * group key; members sign as their subaccount with `signingValue` (the 100-byte `memberAuthData`
 * from their invite). Pass it to the onion module's request builders.
 *
 * @example
 * ```ts
 * const auth = groupStorageAuth(memberKeys, authData);
 * const req = await buildRetrieveRequest({ auth, namespace: 12 });
 * ```
 */
export function groupStorageAuth(keys: GroupKeys, signingValue?: Uint8Array): StorageAuth {
  const ki = keyringInternals(keys, 'groupStorageAuth');
  ki.assertAlive();
  if (keys.isAdmin) {
    return { pubkey: keys.groupId, sign: async (m: Uint8Array) => ({ signature: await getCryptoProvider().ed25519Sign(ki.adminSeed(), m) }) };
  }
  assertBytes(signingValue, 'subaccount signing value', 100);
  const value = signingValue.slice();
  return { pubkey: keys.groupId, sign: (m: Uint8Array) => subaccountSign(keys, m, value) };
}
