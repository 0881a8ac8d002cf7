/**
 * Removing members done right (spec/groups.md §2.11): everything an admin must push, in order.
 *
 * 1. namespace 12: a new keys message for the remaining members (removed members get no entry);
 *    namespaces 13 and 14: Info and Members re-encrypted with the new key — pushed together with
 *    the keys message (one `sequence` request), so no reader sees configs under a key it lacks;
 * 2. `revoke_subaccount` for the removed members' tokens (stops their store/retrieve in 11–14);
 * 3. namespace −11 (still readable by revoked subaccounts): the kicked notice.
 *
 * Limits (spec §2.11): a removed member keeps every key it had, so it can still read anything
 * encrypted before the removal; collusion with a current member defeats everything.
 * @module
 */
import type { ConfigPush } from '../config/state.js';
import type { GroupInfoConfig } from '../config/group-info.js';
import type { GroupMembersConfig } from '../config/group-members.js';
import { SessionSdkError } from '../errors.js';
import { sessionIdToPublicKey } from '../identity/session-id.js';
import { buildRevokeSubaccountRequest, type StorageRpcRequest } from '../onion/storage.js';
import { makeKickedNotice, signAsGroupAdmin } from './admin-signatures.js';
import type { GroupKeys } from './group-keys.js';
import { keyringInternals } from './keyring-internal.js';
import { rekey } from './rekey.js';
import { subaccountToken } from './subaccount.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * Group swarm namespaces (spec/groups.md §2.1).
 *
 * @example
 * ```ts
 * const req = await buildRetrieveRequest({ auth, namespace: GroupNamespace.keys }); // 12
 * ```
 */
export const GroupNamespace = /* @__PURE__ */ deepFreeze({ messages: 11, keys: 12, info: 13, members: 14, revokedRetrievable: -11 } as const);

/**
 * One message to store on the group swarm.
 *
 * @example
 * ```ts
 * for (const p of plan.rekeyPushes as GroupPush[]) console.log(p.kind, 'to namespace', p.namespace, p.data.length, 'bytes');
 * ```
 */
export interface GroupPush {
  /** What the message is: the keys message, a config, or the kicked notice. */
  kind: 'keys' | 'info' | 'members' | 'kicked';
  /** Group swarm namespace to store it in (see {@link GroupNamespace}). */
  namespace: number;
  /** The bytes to store. */
  data: Uint8Array;
  /** For info/members made from config objects: the push to `confirmPushed(seqno, hash)` and its obsolete hashes. */
  config?: ConfigPush;
}

/**
 * Produces the re-encrypted Info and Members config messages after the rekey (the config module's
 * job: push both with `keys.encryptionKey()`, which is the new, still pending key).
 *
 * @example
 * ```ts
 * const rekeyConfigs: GroupConfigRekeyer = async (keys) => ({ info: await myInfoPush(keys.encryptionKey()), members: await myMembersPush(keys.encryptionKey()) });
 * const plan = await planMemberRemoval(adminKeys, remaining, removed, { rekeyConfigs });
 * ```
 */
export type GroupConfigRekeyer = (keys: GroupKeys) => Promise<{ info: Uint8Array; members: Uint8Array }> | { info: Uint8Array; members: Uint8Array };

/**
 * Options for {@link planMemberRemoval}.
 *
 * @example
 * ```ts
 * const opts: MemberRemovalOptions = { configs: { info, members }, timestampMs: clock.now() };
 * const plan = await planMemberRemoval(adminKeys, remaining, [mallory.sessionId], opts);
 * ```
 */
export interface MemberRemovalOptions {
  /**
   * The group's Info and Members configs (admin copies): the removed members are erased from
   * Members, both get the new key list (marked dirty, as libsession's `replace_keys`) and are
   * pushed under the new key. Alternatively give {@link MemberRemovalOptions.rekeyConfigs}.
   */
  configs?: { info: GroupInfoConfig; members: GroupMembersConfig };
  /** A custom re-encryption of Info and Members; without this or `configs` those two pushes are missing (`configsIncluded`). */
  rekeyConfigs?: GroupConfigRekeyer;
  /** Network time (ms) for the revoke signature; defaults to `Date.now()`. */
  timestampMs?: number;
  /** Token flags the removed members were given (default: write, no delete, as `makeSubaccount`). */
  tokenWrite?: boolean;
  /** Whether the removed members were given the delete flag (default false). */
  tokenDelete?: boolean;
  /** Fixed kicked-notice nonce, **only** for test vectors. */
  kickedNonce?: Uint8Array;
}

/**
 * Result of {@link planMemberRemoval}.
 *
 * @example
 * ```ts
 * const plan: MemberRemovalPlan = await planMemberRemoval(adminKeys, remaining, removed, { configs: { info, members } });
 * await sequence(plan.rekeyPushes); await rpc(plan.revoke); await store(plan.kickedNotice);
 * ```
 */
export interface MemberRemovalPlan {
  /** Generation of the new key. */
  generation: number;
  /** Step 1, to store together (one `sequence` request): keys, then info and members. */
  rekeyPushes: GroupPush[];
  /** False when neither `configs` nor `rekeyConfigs` was given: Info and Members must still be re-pushed with the new key. */
  configsIncluded: boolean;
  /**
   * Step 2: the signed `revoke_subaccount` storage RPC for the removed members' tokens (built by
   * the onion module's `buildRevokeSubaccountRequest`; signature over `"revoke_subaccount" ‖
   * timestamp ‖ tokens` by the group key).
   */
  revoke: StorageRpcRequest;
  /** Step 3. */
  kickedNotice: GroupPush;
  /** All pushes in order (rekey pushes, then the kicked notice); `revoke` goes between them. */
  pushes: GroupPush[];
}

/**
 * Builds every message an admin must send to remove `removedSessionIds`, leaving
 * `remainingMemberSessionIds` (all members who stay, admins included). The rekey's key is pending
 * in `keys` until the keys message is loaded back with `loadKeyMessage` after the push succeeds.
 * Throws `NOT_ADMIN`, `INVALID_SESSION_ID`, or `INVALID_INPUT` when a removed member is also listed
 * as remaining or nobody is removed.
 *
 * @example
 * ```ts
 * const plan = await planMemberRemoval(adminKeys, [admin.sessionId, alice.sessionId], [mallory.sessionId],
 *   { configs: { info, members } });
 * await sequence(plan.rekeyPushes); await rpc(plan.revoke); await store(plan.kickedNotice);
 * ```
 */
export async function planMemberRemoval(
  keys: GroupKeys,
  remainingMemberSessionIds: string[],
  removedSessionIds: string[],
  opts: MemberRemovalOptions = {},
): Promise<MemberRemovalPlan> {
  keyringInternals(keys, 'planMemberRemoval').adminSeed();
  if (!Array.isArray(removedSessionIds) || removedSessionIds.length === 0) throw new SessionSdkError('INVALID_INPUT', 'no members to remove');
  if (!Array.isArray(remainingMemberSessionIds)) throw new SessionSdkError('INVALID_INPUT', 'remaining members must be an array');
  const lower = (s: string) => {
    if (typeof s !== 'string') throw new SessionSdkError('INVALID_SESSION_ID', 'Session IDs must be strings');
    return s.toLowerCase();
  };
  const removed = [...new Set(removedSessionIds.map(lower))];
  const remaining = new Set(remainingMemberSessionIds.map(lower));
  removed.forEach((s) => sessionIdToPublicKey(s));
  for (const r of removed) if (remaining.has(r)) throw new SessionSdkError('INVALID_INPUT', `member ${r.slice(0, 10)}… is both removed and remaining`);
  const timestampMs = opts.timestampMs ?? Date.now();
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) throw new SessionSdkError('INVALID_INPUT', 'timestampMs must be a non-negative integer');

  const keysMsg = await rekey(keys, [...remaining]);
  const generation = keys.generation;
  const rekeyPushes: GroupPush[] = [{ kind: 'keys', namespace: GroupNamespace.keys, data: keysMsg }];
  if (opts.configs) {
    const { info, members } = opts.configs;
    for (const r of removed) members.erase(r);
    const keyList = keys.decryptionKeys(); // newest (the pending one) first: it encrypts the pushes
    info.setKeys(keyList, { dirty: true });
    members.setKeys(keyList, { dirty: true });
    for (const k of keyList) k.fill(0);
    const [pi, pm] = [await info.push(), await members.push()];
    rekeyPushes.push(
      { kind: 'info', namespace: GroupNamespace.info, data: pi.data, config: pi },
      { kind: 'members', namespace: GroupNamespace.members, data: pm.data, config: pm },
    );
  } else if (opts.rekeyConfigs) {
    const { info, members } = await opts.rekeyConfigs(keys);
    rekeyPushes.push({ kind: 'info', namespace: GroupNamespace.info, data: info }, { kind: 'members', namespace: GroupNamespace.members, data: members });
  }

  const tokens = removed.map((s) => subaccountToken(keys, s, opts.tokenWrite ?? true, opts.tokenDelete ?? false));
  const revoke = await buildRevokeSubaccountRequest({
    auth: { pubkey: keys.groupId, sign: async (m) => ({ signature: await signAsGroupAdmin(keys, m) }) },
    tokens,
    timestamp: timestampMs,
  });

  const kickedNotice: GroupPush = {
    kind: 'kicked',
    namespace: GroupNamespace.revokedRetrievable,
    data: await makeKickedNotice(keys, removed, generation, { nonce: opts.kickedNonce }),
  };
  return { generation, rekeyPushes, configsIncluded: !!(opts.configs || opts.rekeyConfigs), revoke, kickedNotice, pushes: [...rekeyPushes, kickedNotice] };
}
