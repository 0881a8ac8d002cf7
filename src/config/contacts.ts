/**
 * Contacts, namespace 3 (spec/config.md §3.2): `c` → 33-byte Session ID → contact dict.
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
  setRecordText,
  setNonzeroInt,
  setPositiveInt,
  setProfilePicture,
  textBytes,
  type ProfilePicture,
} from './fields.js';
import { CONFIG_TYPES, ConfigState, type UserConfigOptions } from './state.js';
import type { ConfigDict } from './value.js';

/**
 * Notification setting shared by contacts and groups: stored 0–3, absent = default.
 *
 * @example
 * ```ts
 * ug.setGroup({ ...ug.getOrConstructGroup(groupId), notifications: 'mentions' satisfies NotifyMode }); // groups only: contacts have no mentions mode
 * ```
 */
export type NotifyMode = 'default' | 'all' | 'disabled' | 'mentions';
const NOTIFY: readonly NotifyMode[] = ['default', 'all', 'disabled', 'mentions'];

/** Reads `@` as a {@link NotifyMode}. */
export function readNotifyMode(d: ConfigDict | undefined): NotifyMode {
  return NOTIFY[getInt(d, '@') ?? 0] ?? 'default';
}

/** Index of a notify mode, validated. */
export function notifyModeCode(m: NotifyMode | undefined): number {
  const i = NOTIFY.indexOf(m ?? 'default');
  if (i < 0) throw new SessionSdkError('INVALID_INPUT', `unknown notification mode ${String(m)}`);
  return i;
}

/**
 * Disappearing-message mode: none, delete after send (1) or after read (2).
 *
 * @example
 * ```ts
 * contacts.set({ ...contacts.getOrConstruct(bobId), expirationMode: 'after-read' satisfies ExpirationMode, expirationTimerSeconds: 3600 });
 * ```
 */
export type ExpirationMode = 'none' | 'after-send' | 'after-read';

/**
 * One contact (libsession `contact_info`).
 *
 * @example
 * ```ts
 * const bob: Contact = contacts.getOrConstruct(bobId);
 * contacts.set({ ...bob, nickname: 'Bobby', approved: true });
 * ```
 */
export interface Contact {
  /** `05…` hex. */
  sessionId: string;
  /**
   * The contact's own display name, as last seen in their profile. Stored bytes that are not UTF-8
   * read as '' (and such a nickname as absent): a JS string cannot carry them, whereas libsession
   * returns the raw bytes. {@link ContactsConfig.set} keeps such bytes unless a new non-empty
   * value is given, so a read-modify-write leaves them as libsession would.
   */
  name: string;
  /** A name the user chose for this contact, shown instead of `name`. */
  nickname?: string;
  /** The contact's profile picture: URL and 32-byte decryption key. */
  profilePicture?: ProfilePicture;
  /** The user accepted this contact (their message requests land in the inbox). */
  approved: boolean;
  /** The contact accepted the user's messages. */
  approvedMe: boolean;
  /** The user blocked this contact; their messages are dropped. */
  blocked: boolean;
  /** 0 normal, -1 hidden, > 0 pinned. */
  priority: number;
  /** Notification setting for this conversation. */
  notifications: NotifyMode;
  /** Unix seconds; 0 = not muted. Milliseconds/microseconds are converted to seconds, as libsession does. */
  muteUntil: number;
  /** Disappearing-messages mode for this conversation. */
  expirationMode: ExpirationMode;
  /** Disappearing-messages timer in seconds; 0 when the mode is `none`. */
  expirationTimerSeconds: number;
  /** Unix seconds; 0 = unknown. Milliseconds/microseconds are converted to seconds, as libsession does. */
  createdAt: number;
}

const EXPIRY: readonly ExpirationMode[] = ['none', 'after-send', 'after-read'];

/**
 * Newer libsession normalises the contact timestamps `!` (mute-until) and `j` (created) with
 * `to_epoch_seconds` both when loading and when storing (LS `src/config/contacts.cpp` @ 06fdd68f,
 * `contact_info::load` and `Contacts::set`; helper in `include/session/util.hpp` @ 0099ee71): a
 * value above 9·10^12 is taken as microseconds, above 9·10^9 as milliseconds, and truncated to
 * seconds. Doing the same keeps what we read and push identical to a current libsession client
 * (spec/config.md §6).
 */
function toEpochSeconds(t: number): number {
  if (!Number.isSafeInteger(t)) return t; // left for the setters' validation to reject
  if (t > 9_000_000_000_000) return Math.trunc(t / 1_000_000);
  if (t > 9_000_000_000) return Math.trunc(t / 1_000);
  return t;
}

/** Contacts have no mentions-only mode: a stored 3 reads as "all", as libsession's loader does. */
function contactNotifyMode(d: ConfigDict): NotifyMode {
  const mode = readNotifyMode(d);
  return mode === 'mentions' ? 'all' : mode;
}

function readContact(sessionId: string, d: ConfigDict): Contact {
  const mode = EXPIRY[getInt(d, 'e') ?? 0] ?? 'none';
  const timer = getInt(d, 'E') ?? 0;
  const c: Contact = {
    sessionId,
    name: getText(d, 'n') ?? '',
    approved: getFlag(d, 'a'),
    approvedMe: getFlag(d, 'A'),
    blocked: getFlag(d, 'b'),
    priority: getInt(d, '+') ?? 0,
    notifications: contactNotifyMode(d),
    muteUntil: Math.max(0, toEpochSeconds(getInt(d, '!') ?? 0)),
    expirationMode: timer > 0 ? mode : 'none',
    expirationTimerSeconds: mode !== 'none' && timer > 0 ? timer : 0,
    createdAt: Math.max(0, toEpochSeconds(getInt(d, 'j') ?? 0)),
  };
  const nick = getText(d, 'N');
  if (nick) c.nickname = nick;
  const pic = getProfilePicture(d);
  if (pic) c.profilePicture = pic;
  return c;
}

/**
 * The account's contact list.
 *
 * @example
 * ```ts
 * const contacts = new ContactsConfig({ ed25519SecretKey: identity.ed25519SecretKey });
 * contacts.set({ ...contacts.getOrConstruct(bobId), name: 'Bob', approved: true });
 * contacts.all().map((c) => c.name);
 * ```
 */
export class ContactsConfig extends ConfigState {
  constructor(opts: UserConfigOptions) {
    const seed = ConfigState.accountSeedOf(opts);
    super(CONFIG_TYPES.Contacts, { ...opts, keys: [seed], accountSeed: seed });
  }

  /**
   * The contact, or undefined. Throws `INVALID_SESSION_ID` / `INVALID_PREFIX` for a bad ID.
   *
   * @example
   * ```ts
   * const isBlocked = contacts.get(bobId)?.blocked ?? false;
   * ```
   */
  get(sessionId: string): Contact | undefined {
    const key = idKey(sessionId, [0x05]);
    const d = getDict(getDict(this.data(), 'c'), key);
    return d ? readContact(keyToId(key, 0x05)!, d) : undefined;
  }

  /**
   * The contact, or a default one (nothing stored until {@link ContactsConfig.set}).
   *
   * @example
   * ```ts
   * contacts.set({ ...contacts.getOrConstruct(bobId), name: 'Bob' });
   * ```
   */
  getOrConstruct(sessionId: string): Contact {
    const key = idKey(sessionId, [0x05]);
    return (
      this.get(sessionId) ?? {
        sessionId: keyToId(key, 0x05)!,
        name: '',
        approved: false,
        approvedMe: false,
        blocked: false,
        priority: 0,
        notifications: 'default',
        muteUntil: 0,
        expirationMode: 'none',
        expirationTimerSeconds: 0,
        createdAt: 0,
      }
    );
  }

  /**
   * Every contact, in Session-ID order (entries with malformed keys are skipped).
   *
   * Deliberate difference: libsession's iterator (LS `src/config/contacts.cpp` @ 06fdd68f,
   * `Contacts::iterator::_load_info`) skips only keys that are not 33 bytes, so a 33-byte `03…`
   * (group) key under `c` would be listed as a contact. Contacts are `05` Session IDs
   * (spec/config.md §3.2) and {@link ContactsConfig.get}/`set`/`erase` reject other prefixes, so
   * listing one would hand out an ID the rest of the API refuses, and a client might message a
   * group as if it were a person. Such entries are kept untouched, so pushes are unchanged.
   *
   * @example
   * ```ts
   * const approved = contacts.all().filter((c) => c.approved);
   * ```
   */
  all(): Contact[] {
    return readIdEntries(getDict(this.data(), 'c'), 0x05, readContact);
  }

  /**
   * Writes every known field of `contact`; other keys of the entry are kept.
   *
   * @example
   * ```ts
   * contacts.set({ ...contacts.getOrConstruct(bobId), blocked: true });
   * ```
   */
  set(contact: Contact): void {
    assertRecord(contact, 'contact');
    const key = idKey(contact.sessionId, [0x05]);
    const name = textBytes(contact.name ?? '', 'name', CONFIG_NAME_MAX_LENGTH);
    this.edit((data) => {
      const d = ensureDict(ensureDict(data, 'c'), key);
      setRecordText(d, 'n', name, true); // always written, so the entry never prunes away
      setRecordText(d, 'N', textBytes(contact.nickname ?? '', 'nickname', CONFIG_NAME_MAX_LENGTH));
      setProfilePicture(d, contact.profilePicture);
      setFlag(d, 'a', !!contact.approved);
      setFlag(d, 'A', !!contact.approvedMe);
      setFlag(d, 'b', !!contact.blocked);
      setNonzeroInt(d, '+', contact.priority ?? 0, 'priority');
      const notify = notifyModeCode(contact.notifications);
      setPositiveInt(d, '@', notify === 3 ? 1 : notify, 'notifications'); // contacts have no mentions-only
      setPositiveInt(d, '!', toEpochSeconds(contact.muteUntil ?? 0), 'muteUntil');
      const mode = EXPIRY.indexOf(contact.expirationMode ?? 'none');
      if (mode < 0) throw new SessionSdkError('INVALID_INPUT', 'unknown expiration mode');
      const timer = contact.expirationTimerSeconds ?? 0;
      if (mode > 0 && Number.isSafeInteger(timer) && timer > 0) {
        d.set('e', BigInt(mode));
        d.set('E', BigInt(timer));
      } else {
        d.delete('e');
        d.delete('E');
      }
      setPositiveInt(d, 'j', toEpochSeconds(contact.createdAt ?? 0), 'createdAt');
    });
  }

  /**
   * Removes the contact (unknown subkeys included); returns whether it existed.
   *
   * @example
   * ```ts
   * contacts.erase(bobId); // true if Bob was in the list
   * ```
   */
  erase(sessionId: string): boolean {
    const key = idKey(sessionId, [0x05]);
    return this.edit((data) => getDict(data, 'c')?.delete(key) ?? false);
  }
}
