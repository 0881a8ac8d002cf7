/**
 * Admin side of groups-v2 key distribution: full keys messages (`rekey`, spec/groups.md §2.4) and
 * supplemental ones (`keySupplement`, §2.5). Output is byte-identical to libsession's
 * `Keys::rekey` / `Keys::key_supplement` for the same inputs.
 * @module
 */
import { getCryptoProvider } from '../crypto/provider.js';
import { SessionSdkError } from '../errors.js';
import { sessionIdToPublicKey } from '../identity/session-id.js';
import { bencode } from '../util/bencode.js';
import { utf8, wipe } from '../util/bytes.js';
import type { GroupKeys } from './group-keys.js';
import { keyringInternals } from './keyring-internal.js';
import { MESSAGE_KEY_MULTIPLE, WRAPPED_KEY_BYTES, signableDict } from './keys-message.js';
import { encryptForMultiple } from './multi-encrypt.js';
import { aeadEncrypt, blake2bKeyed, randombytesBufDeterministic } from './primitives.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * BLAKE2b labels of spec/groups.md §2.2 (libsession's code, not its header comment, is authoritative).
 *
 * @example
 * ```ts
 * GROUP_KEY_LABELS.kicked; // 'SessionGroupKickedMessage', the domain of makeKickedNotice
 * ```
 */
export const GROUP_KEY_LABELS = /* @__PURE__ */ deepFreeze({
  seed: 'SessionGroupKeySeed',
  gen: 'SessionGroupKeyGen',
  admin: 'SessionGroupKeyAdminKey',
  member: 'SessionGroupKeyMemberKey',
  junk: 'SessionGroupJunkMembers',
  subaccountMask: 'SessionGroupSubaccountMask',
  kicked: 'SessionGroupKickedMessage',
} as const);

/** Lowercases IDs (libsession hashes the lowercase hex form); rejects non-strings. */
function normaliseIds(ids: readonly string[]): string[] {
  if (!Array.isArray(ids)) throw new SessionSdkError('INVALID_INPUT', 'member Session IDs must be an array of strings');
  return ids.map((s) => {
    if (typeof s !== 'string') throw new SessionSdkError('INVALID_SESSION_ID', 'member Session IDs must be strings');
    return s.toLowerCase();
  });
}

/** X25519 keys of `05` IDs; throws `INVALID_SESSION_ID` / `INVALID_PREFIX`. */
const memberX25519Keys = (sids: string[]): Uint8Array[] => sids.map((s) => sessionIdToPublicKey(s));

/**
 * Options for {@link rekey}.
 *
 * @example
 * ```ts
 * const opts: RekeyOptions = { timestampMs: clock.now() }; // validated, not used
 * const msg = await rekey(adminKeys, memberIds, opts);
 * ```
 */
export interface RekeyOptions {
  /**
   * Accepted for API.md compatibility and validated, but not used: the message carries no time,
   * and the key's timestamp is the swarm storage time given to {@link loadKeyMessage} when the
   * message comes back (until then the key is pending and has none).
   */
  timestampMs?: number;
}

/**
 * Issues a new group key (admins): returns the signed keys message for namespace 12. The key
 * and nonce are `BLAKE2b-56("SessionGroupKeyGen", sorted sids ‖ generation ‖ H2)`, so two admins
 * making the same change produce the same key. `memberSessionIds` is every member including
 * admins, any order and case (sorted and de-duplicated here). The new key stays pending (used for
 * encryption) until the message is loaded back with {@link loadKeyMessage}. Afterwards the Info
 * and Members configs must be re-encrypted with it and pushed together (spec/groups.md §2.4).
 * Size: about 51 bytes per member rounded up to 75 entries (≈ 51 KB for 1000), so past roughly
 * 1,450 members the message exceeds the storage server's 76,800-byte limit; like libsession, no
 * limit is enforced here.
 *
 * @example
 * ```ts
 * const msg = await rekey(adminKeys, [admin.sessionId, alice.sessionId, bob.sessionId]);
 * await store(groupId, 12, msg); // then, once stored:
 * await loadKeyMessage(adminKeys, msg, storedAtMs);
 * ```
 */
export async function rekey(keys: GroupKeys, memberSessionIds: string[], opts: RekeyOptions = {}): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'rekey');
  const seed = ki.adminSeed();
  // The Members config iterates in ascending binary order = ascending lowercase hex.
  const sids = [...new Set(normaliseIds(memberSessionIds))].sort();
  const xpks = memberX25519Keys(sids);
  if (opts.timestampMs !== undefined && !Number.isSafeInteger(opts.timestampMs)) {
    throw new SessionSdkError('INVALID_INPUT', 'timestampMs must be an integer');
  }
  const generation = keys.confirmedGeneration + 1;

  const h2 = ki.seedHash(GROUP_KEY_LABELS.seed);
  const h1 = blake2bKeyed(56, GROUP_KEY_LABELS.gen, ...sids.map(utf8), utf8(String(generation)), h2);
  const groupKey = h1.slice(0, 32);
  const nonce = h1.slice(32, 56);
  const adminWrap = ki.seedHash(GROUP_KEY_LABELS.admin);
  let junkSeed: Uint8Array | undefined;
  try {
    const K = aeadEncrypt(adminWrap, nonce, groupKey);
    const entries = await encryptForMultiple([groupKey], xpks, nonce, ki.adminX25519SecretKey(), keys.groupX25519PublicKey, GROUP_KEY_LABELS.member, {
      ignoreInvalid: true,
    });
    const short = entries.length % MESSAGE_KEY_MULTIPLE;
    if (short !== 0) {
      const nJunk = MESSAGE_KEY_MULTIPLE - short;
      // Junk is deterministic too (same admins → same bytes) and, keyed by the full group secret
      // key, indistinguishable from real entries to anyone without it.
      junkSeed = blake2bKeyed(32, GROUP_KEY_LABELS.junk, h1, ki.adminSecretKey());
      const junk = randombytesBufDeterministic(WRAPPED_KEY_BYTES * nJunk, junkSeed);
      for (let i = 0; i < nJunk; i++) entries.push(junk.subarray(i * WRAPPED_KEY_BYTES, (i + 1) * WRAPPED_KEY_BYTES));
    }
    const { toSign, finish } = signableDict({ '#': nonce, G: generation, K, k: entries });
    const message = finish(await getCryptoProvider().ed25519Sign(seed, toSign));
    ki.setPending(generation, groupKey, message);
    return message.slice();
  } catch (e) {
    wipe(groupKey);
    throw e;
  } finally {
    wipe(h1, h2, adminWrap, junkSeed);
  }
}

/**
 * Gives members added *with* history every key we hold (admins; spec/groups.md §2.5): the
 * bencoded `[{g,k,t}…]` list, encrypted once per new member under a deterministic nonce
 * (session IDs hashed in the order given, as libsession does). Throws `NO_KEY` with no keys and
 * `INVALID_INPUT` when no recipient is valid.
 *
 * @example
 * ```ts
 * const supp = await keySupplement(adminKeys, [carol.sessionId]);
 * ```
 */
export async function keySupplement(keys: GroupKeys, newMemberSessionIds: string[]): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'keySupplement');
  const seed = ki.adminSeed();
  const known = keys.knownKeys();
  if (known.length === 0) throw new SessionSdkError('NO_KEY', 'cannot make a key supplement without any keys');
  const sids = normaliseIds(newMemberSessionIds);
  const xpks = memberX25519Keys(sids);
  if (sids.length === 0) throw new SessionSdkError('INVALID_INPUT', 'keySupplement needs at least one Session ID');
  const inner = bencode(known.map((k) => ({ g: k.generation, k: k.key, t: k.timestampMs })));
  const h2 = ki.seedHash(GROUP_KEY_LABELS.seed);
  const nonce = blake2bKeyed(24, GROUP_KEY_LABELS.gen, ...sids.map(utf8), inner, h2);
  try {
    const entries = await encryptForMultiple([inner], xpks, nonce, ki.adminX25519SecretKey(), keys.groupX25519PublicKey, GROUP_KEY_LABELS.member, {
      ignoreInvalid: true,
    });
    if (entries.length === 0) throw new SessionSdkError('INVALID_INPUT', 'no valid recipient for the key supplement');
    const { toSign, finish } = signableDict({ '#': nonce, '+': entries, G: known[known.length - 1]!.generation });
    return finish(await getCryptoProvider().ed25519Sign(seed, toSign));
  } finally {
    wipe(inner, h2);
    for (const k of known) wipe(k.key);
  }
}
