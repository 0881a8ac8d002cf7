/**
 * UserProfile, namespace 2 (spec/config.md §3.1): display name, profile picture, Note-to-Self
 * priority and disappearing timer, community message-request preference.
 * @module
 */
import {
  CONFIG_NAME_MAX_LENGTH,
  getInt,
  getProfilePicture,
  getText,
  setNonEmptyText,
  setNonzeroInt,
  setPositiveInt,
  setProfilePicture,
  type ProfilePicture,
} from './fields.js';
import { CONFIG_TYPES, ConfigState, type UserConfigOptions } from './state.js';

/**
 * The account's own profile, synced across its devices.
 *
 * @example
 * ```ts
 * const p = new UserProfileConfig({ ed25519SecretKey: identity.ed25519SecretKey });
 * p.setName('Kallie');
 * const push = await p.push(); // store push.data in namespace 2
 * ```
 */
export class UserProfileConfig extends ConfigState {
  constructor(opts: UserConfigOptions) {
    const seed = ConfigState.accountSeedOf(opts);
    super(CONFIG_TYPES.UserProfile, { ...opts, keys: [seed], accountSeed: seed });
  }

  /**
   * Display name (`n`), undefined when unset.
   *
   * @example
   * ```ts
   * const shown = profile.getName() ?? 'Anonymous';
   * ```
   */
  getName(): string | undefined {
    return getText(this.data(), 'n');
  }

  /**
   * Sets the display name (≤ 100 bytes); empty or undefined removes it.
   *
   * @example
   * ```ts
   * profile.setName('Kallie');
   * ```
   */
  setName(name: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'n', name, 'name', CONFIG_NAME_MAX_LENGTH));
  }

  /**
   * Profile picture (`p` URL + `q` key).
   *
   * @example
   * ```ts
   * const pic = profile.getProfilePicture(); // { url, key } to download and decrypt the avatar
   * ```
   */
  getProfilePicture(): ProfilePicture | undefined {
    return getProfilePicture(this.data());
  }

  /**
   * Sets or (undefined / empty URL / key not 32 bytes) clears the profile picture.
   *
   * @example
   * ```ts
   * profile.setProfilePicture({ url: uploadedUrl, key: avatarKey }); // key: 32 bytes
   * ```
   */
  setProfilePicture(pic: ProfilePicture | undefined): void {
    this.edit((d) => setProfilePicture(d, pic));
  }

  /**
   * Note-to-Self priority (`+`): 0 normal, -1 hidden, > 0 pinned.
   *
   * @example
   * ```ts
   * const pinned = profile.getNoteToSelfPriority() > 0;
   * ```
   */
  getNoteToSelfPriority(): number {
    return getInt(this.data(), '+') ?? 0;
  }

  /**
   * Sets the Note-to-Self priority (0 normal, -1 hidden, > 0 pinned). Throws `INVALID_INPUT` unless a safe integer.
   *
   * @example
   * ```ts
   * profile.setNoteToSelfPriority(-1); // hide Note to Self
   * ```
   */
  setNoteToSelfPriority(priority: number): void {
    this.edit((d) => setNonzeroInt(d, '+', priority, 'priority'));
  }

  /**
   * Note-to-Self disappearing timer in seconds (`e`), undefined when off.
   *
   * @example
   * ```ts
   * const timer = profile.getNoteToSelfExpirySeconds(); // undefined: off
   * ```
   */
  getNoteToSelfExpirySeconds(): number | undefined {
    const v = getInt(this.data(), 'e');
    return v !== undefined && v > 0 ? v : undefined;
  }

  /**
   * Sets the Note-to-Self timer in seconds; undefined or ≤ 0 turns it off. Throws `INVALID_INPUT` unless a safe integer.
   *
   * @example
   * ```ts
   * profile.setNoteToSelfExpirySeconds(7 * 86_400); // one week
   * ```
   */
  setNoteToSelfExpirySeconds(seconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'e', seconds, 'expiry'));
  }

  /**
   * Community message requests (`M`): true/false, or undefined for the client default.
   *
   * @example
   * ```ts
   * const allowed = profile.getBlindedMessageRequests() ?? true; // undefined: the client's default
   * ```
   */
  getBlindedMessageRequests(): boolean | undefined {
    const v = getInt(this.data(), 'M');
    return v === undefined ? undefined : v !== 0;
  }

  /**
   * Allows (true) or refuses (false) community message requests; undefined removes the setting (client default).
   *
   * @example
   * ```ts
   * profile.setBlindedMessageRequests(false); // refuse message requests from communities
   * ```
   */
  setBlindedMessageRequests(enabled: boolean | undefined): void {
    this.edit((d) => {
      if (enabled === undefined) d.delete('M');
      else d.set('M', enabled ? 1n : 0n);
    });
  }
}
