/**
 * groups::Members, namespace 14 (spec/config.md §3.6): `m` → 33-byte member Session ID → member
 * dict (name, picture, admin flag, invite/promotion/removal status), signed by the group key.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import {
  CONFIG_NAME_MAX_LENGTH,
  assertRecord,
  ensureDict,
  getDict,
  getFlag,
  getInt,
  getProfilePicture,
  getText,
  idKey,
  keyToId,
  readIdEntries,
  setFlag,
  setPositiveInt,
  setProfilePicture,
  setRecordText,
  textBytes,
  type ProfilePicture,
} from './fields.js';
import { CONFIG_TYPES, ConfigState, type GroupConfigOptions } from './state.js';
import type { ConfigDict } from './value.js';

/**
 * Invite or promotion state: 0 accepted/none, 1 sent, 2 failed, 3 not yet sent.
 *
 * @example
 * ```ts
 * members.set({ ...members.get(bobId)!, inviteStatus: 1 satisfies MemberMessageStatus }); // invite sent
 * ```
 */
export type MemberMessageStatus = 0 | 1 | 2 | 3;

/**
 * One group member (libsession `groups::member`).
 *
 * @example
 * ```ts
 * const bob: GroupMember = members.getOrConstruct(bobId);
 * members.set({ ...bob, name: 'Bob', inviteStatus: 3 });
 * ```
 */
export interface GroupMember {
  /** `05…` hex. */
  sessionId: string;
  /**
   * The member's display name as the group shows it. Stored bytes that are not UTF-8 read as ''
   * (libsession hands back the raw bytes); {@link GroupMembersConfig.set} keeps such bytes unless
   * a new non-empty name is given.
   */
  name: string;
  /** The member's profile picture: URL and 32-byte decryption key. */
  profilePicture?: ProfilePicture;
  /** The member is an admin (holds the group secret key). */
  admin: boolean;
  /** Never stored for admins. */
  inviteStatus: MemberMessageStatus;
  /** The invite carries a key supplement (spec/groups.md §2.5). */
  supplement: boolean;
  /** State of the promotion to admin, if any. */
  promotionStatus: MemberMessageStatus;
  /** 0 present, 1 removed, 2 removed together with their messages. */
  removedStatus: 0 | 1 | 2;
}

/**
 * Consolidated member state as clients show it (libsession `get_status`).
 *
 * @example
 * ```ts
 * const status: GroupMemberStatus = groupMemberStatus(members.get(bobId)!);
 * if (status === 'invite-failed') offerResend();
 * ```
 */
export type GroupMemberStatus =
  | 'removed'
  | 'removed-with-messages'
  | 'admin'
  | 'promotion-sent'
  | 'promotion-failed'
  | 'promotion-not-sent'
  | 'invite-sent'
  | 'invite-failed'
  | 'invite-not-sent'
  | 'joined';

/**
 * The consolidated status: removal beats everything, then admin/promotion, then invite.
 *
 * Deliberate difference: libsession's `Members::get_status` (LS
 * `include/session/config/groups/members.hpp` @ 0579f5c2) also has `invite_sending` /
 * `promotion_sending`, derived from `pending_send_ids` — a device-local set kept only in its dump's
 * `+` dict, never pushed. This SDK keeps no such local state: a caller tracks its own in-flight
 * sends (a "not sent" status plus the caller's pending flag is the same information), and loading a
 * libsession dump drops that set. Nothing another device reads is affected.
 *
 * @example
 * ```ts
 * groupMemberStatus(members.get(bobId)!); // e.g. 'invite-sent'
 * ```
 */
export function groupMemberStatus(m: GroupMember): GroupMemberStatus {
  if (m.removedStatus) return m.removedStatus === 2 ? 'removed-with-messages' : 'removed';
  if (m.admin) {
    return (['admin', 'promotion-sent', 'promotion-failed', 'promotion-not-sent'] as const)[m.promotionStatus] ?? 'admin';
  }
  return (['joined', 'invite-sent', 'invite-failed', 'invite-not-sent'] as const)[m.inviteStatus] ?? 'joined';
}

function status(v: number | undefined): MemberMessageStatus {
  return v === 1 || v === 2 || v === 3 ? v : 0;
}

function readMember(sessionId: string, d: ConfigDict): GroupMember {
  const admin = getFlag(d, 'A');
  // As libsession's loader: an admin has no invite state, and `s` only means something for a
  // pending invite of a plain member (spec/config.md §3.6).
  const inviteStatus = admin ? 0 : status(getInt(d, 'I'));
  const promotionStatus = status(getInt(d, 'P'));
  const r = getInt(d, 'R');
  const m: GroupMember = {
    sessionId,
    name: getText(d, 'n') ?? '',
    admin,
    inviteStatus,
    supplement: inviteStatus > 0 && promotionStatus === 0 && getFlag(d, 's'),
    promotionStatus,
    removedStatus: r === 1 || r === 2 ? r : 0,
  };
  const pic = getProfilePicture(d);
  if (pic) m.profilePicture = pic;
  return m;
}

/**
 * A group's member list.
 *
 * @example
 * ```ts
 * const members = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: sk, keys });
 * members.set({ ...members.getOrConstruct(bobId), name: 'Bob', inviteStatus: 3 });
 * ```
 */
export class GroupMembersConfig extends ConfigState {
  constructor(opts: GroupConfigOptions) {
    super(CONFIG_TYPES.GroupMembers, { ...opts, ...ConfigState.groupSigning(opts) });
  }

  /**
   * The member with this `05…` Session ID (any case), or undefined when not listed. Throws
   * `INVALID_SESSION_ID` / `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * const isAdmin = members.get(bobId)?.admin ?? false;
   * ```
   */
  get(sessionId: string): GroupMember | undefined {
    const key = idKey(sessionId, [0x05], 'member Session ID');
    const d = getDict(getDict(this.data(), 'm'), key);
    return d ? readMember(keyToId(key, 0x05)!, d) : undefined;
  }

  /**
   * The member, or a default one (empty name, not admin, all statuses 0) with the ID in lower
   * case; nothing is stored until {@link GroupMembersConfig.set}. Throws like {@link GroupMembersConfig.get}.
   *
   * @example
   * ```ts
   * members.set({ ...members.getOrConstruct(bobId), name: 'Bob', inviteStatus: 3 });
   * ```
   */
  getOrConstruct(sessionId: string): GroupMember {
    const key = idKey(sessionId, [0x05], 'member Session ID');
    return (
      this.get(sessionId) ?? {
        sessionId: keyToId(key, 0x05)!,
        name: '',
        admin: false,
        inviteStatus: 0,
        supplement: false,
        promotionStatus: 0,
        removedStatus: 0,
      }
    );
  }

  /**
   * Every member in Session-ID order (malformed entries skipped).
   *
   * Deliberate difference: libsession's iterator (LS `src/config/groups/members.cpp` @ 010c4c53,
   * `Members::iterator::_load_info`) skips only keys that are not 33 bytes, so a 33-byte key with
   * another prefix (e.g. a `03` group ID) would be listed as a "member". Members are always `05`
   * Session IDs (spec/config.md §3.6) and {@link GroupMembersConfig.get}/`set`/`erase` reject other
   * prefixes, so such an entry is not listed here — it is never altered or dropped either, so
   * what is pushed is unchanged (invisible on the wire).
   *
   * @example
   * ```ts
   * const admins = members.all().filter((m) => m.admin).map((m) => m.sessionId);
   * ```
   */
  all(): GroupMember[] {
    return readIdEntries(getDict(this.data(), 'm'), 0x05, readMember);
  }

  /**
   * Writes every known field of `member`; other keys of the entry are kept.
   *
   * @example
   * ```ts
   * members.set({ ...members.get(bobId)!, removedStatus: 1 }); // 2: removed with their messages
   * ```
   */
  set(member: GroupMember): void {
    assertRecord(member, 'member');
    const key = idKey(member.sessionId, [0x05], 'member Session ID');
    const name = textBytes(member.name ?? '', 'member name', CONFIG_NAME_MAX_LENGTH);
    for (const [what, v, max] of [
      ['inviteStatus', member.inviteStatus ?? 0, 3],
      ['promotionStatus', member.promotionStatus ?? 0, 3],
      ['removedStatus', member.removedStatus ?? 0, 2],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v > max) throw new SessionSdkError('INVALID_INPUT', `${what} out of range`);
    }
    this.edit((data) => {
      const d = ensureDict(ensureDict(data, 'm'), key);
      setRecordText(d, 'n', name, true); // always written, so the entry never prunes away
      setProfilePicture(d, member.profilePicture);
      setFlag(d, 'A', !!member.admin);
      setPositiveInt(d, 'P', member.promotionStatus ?? 0, 'promotionStatus');
      setPositiveInt(d, 'I', member.admin ? 0 : (member.inviteStatus ?? 0), 'inviteStatus');
      setFlag(d, 's', !!member.supplement);
      setPositiveInt(d, 'R', member.removedStatus ?? 0, 'removedStatus');
    });
  }

  /**
   * Removes a member entry; returns whether it existed.
   *
   * @example
   * ```ts
   * members.erase(bobId);
   * ```
   */
  erase(sessionId: string): boolean {
    const key = idKey(sessionId, [0x05], 'member Session ID');
    return this.edit((data) => getDict(data, 'm')?.delete(key) ?? false);
  }
}
