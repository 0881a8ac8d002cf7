/**
 * UserGroups, namespace 5 (spec/config.md §3.4): the groups (v2), communities and legacy groups
 * the account belongs to, with per-group notification/priority settings.
 * @module
 */
import { ed25519KeyPairFromSeed } from '../crypto/noble.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, equalBytes, fromHex, toHex, wipe } from '../util/bytes.js';
import { canonicalCommunityUrl, communityRoomKey } from './community.js';
import { notifyModeCode, readNotifyMode, type NotifyMode } from './contacts.js';
import {
  CONFIG_NAME_MAX_LENGTH,
  assertRecord,
  ensureDict,
  getBytes,
  getDict,
  getFlag,
  getInt,
  getText,
  idKey,
  keyToId,
  setFlag,
  setRecordText,
  setNonzeroInt,
  setPositiveInt,
  textBytes,
} from './fields.js';
import { CONFIG_TYPES, ConfigState, type UserConfigOptions } from './state.js';
import { ConfigSet, isConfigSet, type ConfigDict, type ConfigValue } from './value.js';

/**
 * Settings every kind of group entry has.
 *
 * @example
 * ```ts
 * const muted: GroupEntryCommon = { ...ug.getOrConstructGroup(groupId), muteUntil: Math.floor(Date.now() / 1000) + 3600 };
 * ```
 */
export interface GroupEntryCommon {
  /** 0 normal, -1 hidden, > 0 pinned. */
  priority: number;
  /** Unix seconds; 0 = unknown. */
  joinedAt: number;
  /** Notification setting for this group. */
  notifications: NotifyMode;
  /** Unix seconds; 0 = not muted. */
  muteUntil: number;
  /** Invited, not yet joined. */
  invited: boolean;
}

/**
 * A groups-v2 group (`g`).
 *
 * @example
 * ```ts
 * const g: UserGroupV2 = ug.getOrConstructGroup(groupId);
 * ug.setGroup({ ...g, name: 'Friends', priority: 1 }); // pinned
 * ```
 */
export interface UserGroupV2 extends GroupEntryCommon {
  /** `03…` hex. */
  groupId: string;
  /** Admins: the 64-byte group secret key (seed ‖ public key). */
  secretKey?: Uint8Array;
  /** Members: the 100-byte subaccount authentication data (spec/groups.md §2.10). */
  authData?: Uint8Array;
  /** Group name as the user sees it (at most 100 bytes). */
  name: string;
  /** 0 present, 1 kicked, 2 group destroyed. */
  removedStatus: number;
}

/**
 * A community room (`o`).
 *
 * @example
 * ```ts
 * const room: UserCommunity | undefined = ug.getCommunity('https://open.getsession.org', 'session');
 * if (room) ug.setCommunity({ ...room, notifications: 'mentions' });
 * ```
 */
export interface UserCommunity extends GroupEntryCommon {
  /** Canonical base URL. */
  baseUrl: string;
  /** Room token, original capitalisation. */
  room: string;
  /** Server public key, 64 hex. */
  pubkey: string;
}

/**
 * A legacy closed group (`C`, read-only history for most clients).
 *
 * @example
 * ```ts
 * for (const g of ug.legacyGroups()) console.log(g.name, Object.keys(g.members).length);
 * ```
 */
export interface UserLegacyGroup extends GroupEntryCommon {
  /** `05…` hex. */
  sessionId: string;
  /** Group name (at most 100 bytes). */
  name: string;
  /** 32-byte X25519 public key of the group's shared encryption key pair. */
  encPublicKey?: Uint8Array;
  /** The matching 32-byte X25519 secret key. */
  encSecretKey?: Uint8Array;
  /** Member Session IDs → admin flag. */
  members: Record<string, boolean>;
  /** Disappearing-messages timer in seconds; 0 = off. */
  disappearingTimerSeconds: number;
}

function readCommon(d: ConfigDict): GroupEntryCommon {
  return {
    priority: getInt(d, '+') ?? 0,
    joinedAt: Math.max(0, getInt(d, 'j') ?? 0),
    notifications: readNotifyMode(d),
    muteUntil: Math.max(0, getInt(d, '!') ?? 0),
    invited: getFlag(d, 'i'),
  };
}

function writeCommon(d: ConfigDict, g: Partial<GroupEntryCommon>): void {
  setNonzeroInt(d, '+', g.priority ?? 0, 'priority');
  setPositiveInt(d, 'j', g.joinedAt ?? 0, 'joinedAt');
  setPositiveInt(d, '@', notifyModeCode(g.notifications), 'notifications');
  setPositiveInt(d, '!', g.muteUntil ?? 0, 'muteUntil');
  setFlag(d, 'i', !!g.invited);
}

const DEFAULT_COMMON: GroupEntryCommon = { priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false };

function idsOf(v: ConfigValue | undefined): string[] {
  if (!isConfigSet(v)) return [];
  return v
    .values()
    .filter((x): x is Uint8Array => x instanceof Uint8Array && x.length === 33 && x[0] === 0x05)
    .map(toHex);
}

/**
 * The account's group memberships.
 *
 * @example
 * ```ts
 * const ug = new UserGroupsConfig({ ed25519SecretKey: sk });
 * ug.setGroup({ ...ug.getOrConstructGroup(groupId), name: 'Friends', authData });
 * ```
 */
export class UserGroupsConfig extends ConfigState {
  constructor(opts: UserConfigOptions) {
    const seed = ConfigState.accountSeedOf(opts);
    super(CONFIG_TYPES.UserGroups, { ...opts, keys: [seed], accountSeed: seed });
  }

  // ----- groups v2 -----

  private readGroup(key: string, d: ConfigDict): UserGroupV2 | undefined {
    const groupId = keyToId(key, 0x03);
    if (!groupId) return undefined;
    const g: UserGroupV2 = { ...readCommon(d), groupId, name: getText(d, 'n') ?? '', removedStatus: Math.max(0, getInt(d, 'r') ?? 0) };
    const seed = getBytes(d, 'K');
    if (seed?.length === 32) {
      const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed);
      wipe(secretKey);
      if (equalBytes(publicKey, fromHex(groupId).subarray(1))) g.secretKey = concatBytes(seed, publicKey);
      wipe(seed);
    }
    const auth = getBytes(d, 's');
    if (auth?.length === 100) g.authData = auth;
    return g;
  }

  /**
   * The v2 group with this `03…` ID (any case), or undefined. `secretKey` is set only when the
   * stored seed matches the ID, `authData` only when 100 bytes are stored. Throws
   * `INVALID_SESSION_ID` / `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * const isAdmin = ug.getGroup(groupId)?.secretKey !== undefined;
   * ```
   */
  getGroup(groupId: string): UserGroupV2 | undefined {
    const key = idKey(groupId, [0x03], 'group ID');
    const d = getDict(getDict(this.data(), 'g'), key);
    return d ? this.readGroup(key, d) : undefined;
  }

  /**
   * The v2 group, or a default one (empty name, priority 0, `'default'` notifications, not
   * removed); nothing is stored until {@link UserGroupsConfig.setGroup}. Throws like
   * {@link UserGroupsConfig.getGroup}.
   *
   * @example
   * ```ts
   * ug.setGroup({ ...ug.getOrConstructGroup(groupId), name: 'Friends', authData });
   * ```
   */
  getOrConstructGroup(groupId: string): UserGroupV2 {
    const key = idKey(groupId, [0x03], 'group ID');
    return this.getGroup(groupId) ?? { ...DEFAULT_COMMON, groupId: keyToId(key, 0x03)!, name: '', removedStatus: 0 };
  }

  /**
   * Every v2 group, in group-ID order (entries with malformed keys are skipped).
   *
   * @example
   * ```ts
   * const names = ug.groups().map((g) => g.name);
   * ```
   */
  groups(): UserGroupV2[] {
    const g = getDict(this.data(), 'g');
    return [...(g?.keys() ?? [])]
      .sort()
      .map((k) => {
        const d = getDict(g, k);
        return d && this.readGroup(k, d);
      })
      .filter((x): x is UserGroupV2 => !!x);
  }

  /**
   * Writes a v2 group. `K` holds the secret seed only when `secretKey` matches the group ID, else
   * it is written empty and `authData` (100 bytes) is stored instead.
   *
   * @example
   * ```ts
   * ug.setGroup({ ...ug.getOrConstructGroup(groupId), name: 'Friends', invited: true, authData });
   * ```
   */
  setGroup(g: UserGroupV2): void {
    assertRecord(g, 'group');
    const key = idKey(g.groupId, [0x03], 'group ID');
    const name = textBytes(g.name ?? '', 'group name', CONFIG_NAME_MAX_LENGTH);
    let seed: Uint8Array | undefined;
    if (g.secretKey !== undefined) {
      assertBytes(g.secretKey, 'group secret key', [32, 64], 'INVALID_KEY');
      const { publicKey, secretKey } = ed25519KeyPairFromSeed(g.secretKey.subarray(0, 32));
      wipe(secretKey);
      if (equalBytes(publicKey, fromHex(keyToId(key, 0x03)!).subarray(1))) seed = g.secretKey.slice(0, 32);
    }
    if (g.authData !== undefined) assertBytes(g.authData, 'auth data', 100);
    this.edit((data) => {
      const d = ensureDict(ensureDict(data, 'g'), key);
      writeCommon(d, g);
      setRecordText(d, 'n', name);
      setPositiveInt(d, 'r', g.removedStatus ?? 0, 'removedStatus');
      if (seed) d.set('K', seed.slice());
      else {
        d.set('K', new Uint8Array(0));
        if (g.authData) d.set('s', g.authData.slice());
      }
    });
    if (seed) wipe(seed);
  }

  /**
   * Removes a v2 group entry; returns whether it existed. Throws `INVALID_SESSION_ID` /
   * `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * ug.eraseGroup(groupId); // the user left the group
   * ```
   */
  eraseGroup(groupId: string): boolean {
    const key = idKey(groupId, [0x03], 'group ID');
    return this.edit((data) => getDict(data, 'g')?.delete(key) ?? false);
  }

  // ----- communities -----

  /**
   * The community room, or undefined (also when its server has no 32-byte public key stored).
   * The URL is canonicalised and the room token matched case-insensitively; `room` comes back in
   * its stored capitalisation. Throws `INVALID_INPUT` for an invalid URL or room token.
   *
   * Deliberate difference: libsession's `UserGroups::get_community` (LS `src/config/user_groups.cpp`
   * @ 0099ee71, `community_field` + `get_community`) returns the room with an empty pubkey in that
   * case, while its own iterator and `size_communities` skip such servers. We follow the iterator
   * so that `getCommunity` and {@link UserGroupsConfig.communities} agree and `pubkey` is always
   * the 64-hex server key a client needs to talk to the server (blinded IDs, requests). The stored
   * entry is never altered, so nothing another device reads changes.
   *
   * @example
   * ```ts
   * const room = ug.getCommunity('https://open.getsession.org', 'Session');
   * ```
   */
  getCommunity(baseUrl: string, room: string): UserCommunity | undefined {
    const url = canonicalCommunityUrl(baseUrl);
    const server = getDict(getDict(this.data(), 'o'), url);
    const d = getDict(getDict(server, 'R'), communityRoomKey(room));
    const pk = getBytes(server, '#');
    if (!d || pk?.length !== 32) return undefined;
    return { ...readCommon(d), baseUrl: url, room: getText(d, 'n') ?? room, pubkey: toHex(pk) };
  }

  /**
   * Every community room, ordered by canonical server URL then lower-cased room token; servers
   * without a 32-byte public key are skipped.
   *
   * @example
   * ```ts
   * for (const c of ug.communities()) console.log(`${c.baseUrl}/${c.room}`);
   * ```
   */
  communities(): UserCommunity[] {
    const out: UserCommunity[] = [];
    const o = getDict(this.data(), 'o');
    for (const url of [...(o?.keys() ?? [])].sort()) {
      const server = getDict(o, url);
      const pk = getBytes(server, '#');
      if (pk?.length !== 32) continue;
      const rooms = getDict(server, 'R');
      for (const r of [...(rooms?.keys() ?? [])].sort()) {
        const d = getDict(rooms, r);
        if (d) out.push({ ...readCommon(d), baseUrl: url, room: getText(d, 'n') ?? r, pubkey: toHex(pk) });
      }
    }
    return out;
  }

  /**
   * Writes a community room (and its server's public key).
   *
   * @example
   * ```ts
   * ug.setCommunity({ baseUrl, room: 'session', pubkey: serverPubkeyHex, priority: 0, joinedAt: nowSec, notifications: 'default', muteUntil: 0, invited: false });
   * ```
   */
  setCommunity(c: UserCommunity): void {
    assertRecord(c, 'community');
    const url = canonicalCommunityUrl(c.baseUrl);
    const roomKey = communityRoomKey(c.room);
    const pk = fromHex(c.pubkey ?? '', 'community pubkey', 'INVALID_KEY');
    if (pk.length !== 32) throw new SessionSdkError('INVALID_KEY', 'community pubkey must be 32 bytes');
    this.edit((data) => {
      const server = ensureDict(ensureDict(data, 'o'), url);
      server.set('#', pk);
      const d = ensureDict(ensureDict(server, 'R'), roomKey);
      writeCommon(d, c);
      d.set('n', textBytes(c.room, 'room', 64)); // always written
    });
  }

  /**
   * Removes a room; the server entry goes with its last room.
   *
   * @example
   * ```ts
   * ug.eraseCommunity('https://open.getsession.org', 'session');
   * ```
   */
  eraseCommunity(baseUrl: string, room: string): boolean {
    const url = canonicalCommunityUrl(baseUrl);
    const roomKey = communityRoomKey(room);
    return this.edit((data) => {
      const o = getDict(data, 'o');
      const server = getDict(o, url);
      const rooms = getDict(server, 'R');
      const gone = rooms?.delete(roomKey) ?? false;
      if (gone && rooms!.size === 0) o!.delete(url);
      return gone;
    });
  }

  // ----- legacy groups -----

  /**
   * The legacy group with this `05…` ID (any case), or undefined. The encryption key pair is set
   * only when both halves are 32 bytes. Throws `INVALID_SESSION_ID` / `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * const members = ug.getLegacyGroup(legacyGroupId)?.members ?? {};
   * ```
   */
  getLegacyGroup(sessionId: string): UserLegacyGroup | undefined {
    const key = idKey(sessionId, [0x05]);
    const d = getDict(getDict(this.data(), 'C'), key);
    return d ? this.readLegacy(key, d) : undefined;
  }

  private readLegacy(key: string, d: ConfigDict): UserLegacyGroup | undefined {
    const sessionId = keyToId(key, 0x05);
    if (!sessionId) return undefined;
    const members: Record<string, boolean> = {};
    for (const id of idsOf(d.get('m'))) members[id] = false;
    for (const id of idsOf(d.get('a'))) members[id] = true;
    const g: UserLegacyGroup = {
      ...readCommon(d),
      sessionId,
      name: getText(d, 'n') ?? '',
      members,
      disappearingTimerSeconds: Math.max(0, getInt(d, 'E') ?? 0),
    };
    const k = getBytes(d, 'k');
    const K = getBytes(d, 'K');
    if (k?.length === 32 && K?.length === 32) {
      g.encPublicKey = k;
      g.encSecretKey = K;
    }
    return g;
  }

  /**
   * Every legacy group, in Session-ID order (entries with malformed keys are skipped).
   *
   * @example
   * ```ts
   * const legacy = ug.legacyGroups().filter((g) => g.priority >= 0); // not hidden
   * ```
   */
  legacyGroups(): UserLegacyGroup[] {
    const c = getDict(this.data(), 'C');
    return [...(c?.keys() ?? [])]
      .sort()
      .map((k) => {
        const d = getDict(c, k);
        return d && this.readLegacy(k, d);
      })
      .filter((x): x is UserLegacyGroup => !!x);
  }

  /**
   * Writes every known field of a legacy group (other keys of the entry are kept): `members`
   * replaces the member and admin sets, the key pair is stored only when both halves are 32 bytes
   * (else removed), and a timer ≤ 0 is removed. Throws `INVALID_SESSION_ID` / `INVALID_PREFIX` for
   * a bad group or member ID, `INVALID_INPUT` for a name over 100 bytes, an unknown notification
   * mode or a non-integer number.
   *
   * @example
   * ```ts
   * ug.setLegacyGroup({ ...ug.getLegacyGroup(legacyGroupId)!, name: 'Old friends' });
   * ```
   */
  setLegacyGroup(g: UserLegacyGroup): void {
    assertRecord(g, 'legacy group');
    if (g.members !== undefined) assertRecord(g.members, 'legacy group members');
    if (g.encPublicKey !== undefined) assertBytes(g.encPublicKey, 'legacy group encryption public key');
    if (g.encSecretKey !== undefined) assertBytes(g.encSecretKey, 'legacy group encryption secret key');
    const key = idKey(g.sessionId, [0x05]);
    const name = textBytes(g.name ?? '', 'group name', CONFIG_NAME_MAX_LENGTH);
    const members = new ConfigSet();
    const admins = new ConfigSet();
    for (const [id, admin] of Object.entries(g.members ?? {})) {
      idKey(id, [0x05], 'member ID'); // validates
      (admin ? admins : members).add(fromHex(id));
    }
    const pair = g.encPublicKey?.length === 32 && g.encSecretKey?.length === 32;
    this.edit((data) => {
      const d = ensureDict(ensureDict(data, 'C'), key);
      writeCommon(d, g);
      setRecordText(d, 'n', name, true); // always written
      if (pair) {
        d.set('k', g.encPublicKey!.slice());
        d.set('K', g.encSecretKey!.slice());
      } else {
        d.delete('k');
        d.delete('K');
      }
      d.set('m', members);
      d.set('a', admins);
      setPositiveInt(d, 'E', g.disappearingTimerSeconds ?? 0, 'disappearing timer');
    });
  }

  /**
   * Removes a legacy group entry; returns whether it existed. Throws `INVALID_SESSION_ID` /
   * `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * ug.eraseLegacyGroup(legacyGroupId);
   * ```
   */
  eraseLegacyGroup(sessionId: string): boolean {
    const key = idKey(sessionId, [0x05]);
    return this.edit((data) => getDict(data, 'C')?.delete(key) ?? false);
  }
}
