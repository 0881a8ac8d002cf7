/**
 * Admin-signed group control data (spec/groups.md §2.9, §2.11): signatures carried in invites,
 * info/member change and content deletion messages, promotion, and the "kicked" notice left in
 * namespace −11 for removed members.
 * @module
 */
import { getCryptoProvider } from '../crypto/provider.js';
import { SessionSdkError } from '../errors.js';
import { parseSessionId, sessionIdToPublicKey } from '../identity/session-id.js';
import { assertBytes, concatBytes, copyBytes, equalBytes, fromUtf8, utf8 } from '../util/bytes.js';
import type { GroupKeys } from './group-keys.js';
import { keyringInternals } from './keyring-internal.js';
import { decryptForMultipleSimple, encryptForMultipleSimple } from './multi-encrypt.js';
import { GROUP_KEY_LABELS } from './rekey.js';
import { deepFreeze } from '../util/freeze.js';

function ts(v: number, name = 'timestampMs'): string {
  if (!Number.isSafeInteger(v) || v < 0) throw new SessionSdkError('INVALID_INPUT', `${name} must be a non-negative integer`);
  return String(v);
}

function sid(id: string): string {
  if (typeof id !== 'string') throw new SessionSdkError('INVALID_SESSION_ID', 'Session ID must be a string');
  const lower = id.toLowerCase();
  parseSessionId(lower);
  return lower;
}

/**
 * What each kind of admin signature covers (UTF-8 of the concatenation), spec/groups.md §2.9.
 *
 * @example
 * ```ts
 * const data = groupAdminSignedData.invite(bob.sessionId, sentAt);
 * const adminSignature = await signAsGroupAdmin(adminKeys, data);
 * ```
 */
export const groupAdminSignedData = /* @__PURE__ */ deepFreeze({
  /** `"INVITE" ‖ member Session ID ‖ timestamp` — `GroupUpdateInviteMessage.adminSignature`. */
  invite: (memberSessionId: string, timestampMs: number): Uint8Array => utf8(`INVITE${sid(memberSessionId)}${ts(timestampMs)}`),
  /** `"INFO_CHANGE" ‖ type ‖ timestamp` — `GroupUpdateInfoChangeMessage.adminSignature`. */
  infoChange: (type: number, timestampMs: number): Uint8Array => utf8(`INFO_CHANGE${ts(type, 'type')}${ts(timestampMs)}`),
  /** `"MEMBER_CHANGE" ‖ type ‖ timestamp` — `GroupUpdateMemberChangeMessage.adminSignature`. */
  memberChange: (type: number, timestampMs: number): Uint8Array => utf8(`MEMBER_CHANGE${ts(type, 'type')}${ts(timestampMs)}`),
  /** `"DELETE_CONTENT" ‖ timestamp ‖ session IDs ‖ message hashes` — `GroupUpdateDeleteMemberContentMessage`. */
  deleteContent: (timestampMs: number, memberSessionIds: string[], messageHashes: string[]): Uint8Array =>
    utf8(`DELETE_CONTENT${ts(timestampMs)}${memberSessionIds.map(sid).join('')}${messageHashes.join('')}`),
} as const);

/**
 * Signs control data with the group key `c` (admins). Throws `NOT_ADMIN`.
 *
 * @example
 * ```ts
 * const adminSignature = await signAsGroupAdmin(keys, groupAdminSignedData.invite(bob.sessionId, now));
 * ```
 */
export async function signAsGroupAdmin(keys: GroupKeys, data: Uint8Array): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'signAsGroupAdmin');
  assertBytes(data, 'data');
  return getCryptoProvider().ed25519Sign(ki.adminSeed(), data);
}

/**
 * Checks an admin signature against the group key (libsodium acceptance rules).
 *
 * @example
 * ```ts
 * if (!(await verifyGroupAdminSignature(keys.groupEd25519PublicKey, data, sig))) drop();
 * ```
 */
export async function verifyGroupAdminSignature(groupEd25519PublicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  assertBytes(groupEd25519PublicKey, 'group Ed25519 public key', 32);
  assertBytes(data, 'data');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  return getCryptoProvider().ed25519Verify(signature, data, groupEd25519PublicKey);
}

/**
 * The 32-byte group seed an admin sends in `GroupUpdatePromoteMessage.groupIdentitySeed` (1:1,
 * encrypted) to make someone an admin; the recipient calls `keys.loadAdminKey(seed)`. Promotion is
 * irreversible: there is no cryptographic demotion (spec/groups.md §2.1).
 *
 * @example
 * ```ts
 * const seed = groupPromotionSeed(adminKeys); // then wipe it after sending
 * ```
 */
export function groupPromotionSeed(keys: GroupKeys): Uint8Array {
  return copyBytes(keyringInternals(keys, 'groupPromotionSeed').adminSeed());
}

/**
 * Options for {@link makeKickedNotice}.
 *
 * @example
 * ```ts
 * const opts: KickedNoticeOptions = { nonce: vectorNonce }; // test vectors only
 * const notice = await makeKickedNotice(adminKeys, [mallory.sessionId], adminKeys.generation, opts);
 * ```
 */
export interface KickedNoticeOptions {
  /** Fixed 24-byte nonce **only** for test vectors; random by default. */
  nonce?: Uint8Array;
}

/**
 * The notice for namespace −11 telling removed members they were kicked (spec/groups.md §2.11):
 * `encrypt_for_multiple_simple` from the group's X25519 key, domain "SessionGroupKickedMessage",
 * message per member `X_member ‖ ascii(generation)`.
 *
 * @example
 * ```ts
 * const notice = await makeKickedNotice(adminKeys, [mallory.sessionId], adminKeys.generation);
 * ```
 */
export async function makeKickedNotice(keys: GroupKeys, removedSessionIds: string[], generation: number, opts: KickedNoticeOptions = {}): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'makeKickedNotice');
  if (!Array.isArray(removedSessionIds) || removedSessionIds.length === 0) throw new SessionSdkError('INVALID_INPUT', 'no removed members given');
  const gen = utf8(ts(generation, 'generation'));
  const xs = removedSessionIds.map((s) => sessionIdToPublicKey(sid(s)));
  return encryptForMultipleSimple(
    xs.map((x) => concatBytes(x, gen)),
    xs,
    { x25519SecretKey: ki.adminX25519SecretKey(), x25519PublicKey: keys.groupX25519PublicKey },
    GROUP_KEY_LABELS.kicked,
    { nonce: opts.nonce },
  );
}

/**
 * Member side: `{ generation }` if this notice says we were removed, otherwise undefined.
 * Malformed notices throw `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const kicked = await openKickedNotice(keys, msgFromNamespaceMinus11);
 * if (kicked) leaveGroup(kicked.generation);
 * ```
 */
export async function openKickedNotice(keys: GroupKeys, notice: Uint8Array): Promise<{ generation: number } | undefined> {
  const ki = keyringInternals(keys, 'openKickedNotice');
  ki.assertAlive();
  const pt = await decryptForMultipleSimple(
    notice,
    { x25519SecretKey: ki.userX25519SecretKey, x25519PublicKey: keys.userX25519PublicKey },
    keys.groupX25519PublicKey,
    GROUP_KEY_LABELS.kicked,
  );
  if (!pt || pt.length < 33 || !equalBytes(pt.subarray(0, 32), keys.userX25519PublicKey)) return undefined;
  const g = fromUtf8(pt.subarray(32));
  if (!/^(0|[1-9][0-9]{0,15})$/.test(g)) return undefined;
  return { generation: Number(g) };
}
