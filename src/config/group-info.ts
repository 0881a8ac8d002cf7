/**
 * groups::Info, namespace 13 (spec/config.md §3.5): a groups-v2 group's name, description,
 * picture, disappearing timer and deletion cut-offs, signed by the group key.
 * @module
 */
import {
  CONFIG_NAME_MAX_LENGTH,
  getInt,
  getProfilePicture,
  getText,
  setFlag,
  setNonEmptyText,
  setPositiveInt,
  setProfilePicture,
  type ProfilePicture,
} from './fields.js';
import { CONFIG_TYPES, ConfigState, type GroupConfigOptions } from './state.js';

/**
 * Longest group description in bytes.
 *
 * @example
 * ```ts
 * if (new TextEncoder().encode(text).length <= GROUP_DESCRIPTION_MAX_LENGTH) info.setDescription(text);
 * ```
 */
export const GROUP_DESCRIPTION_MAX_LENGTH = 2000;

/**
 * A group's shared info. Admins (with the group secret key) edit and push; members read.
 * The keys come from the group keyring (`groups` module): pass every key, newest first.
 *
 * @example
 * ```ts
 * const info = new GroupInfoConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: sk, keys });
 * info.setName('Book club');
 * const push = await info.push(); // store in namespace 13 of the group swarm
 * ```
 */
export class GroupInfoConfig extends ConfigState {
  constructor(opts: GroupConfigOptions) {
    super(CONFIG_TYPES.GroupInfo, { ...opts, ...ConfigState.groupSigning(opts) });
  }

  /**
   * Group name (`n`).
   *
   * @example
   * ```ts
   * const title = info.getName() ?? 'Unnamed group';
   * ```
   */
  getName(): string | undefined {
    return getText(this.data(), 'n');
  }

  /**
   * Sets the group name (≤ 100 UTF-8 bytes); empty or undefined removes it. Throws
   * `INVALID_INPUT` beyond the limit, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setName('Book club');
   * ```
   */
  setName(name: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'n', name, 'group name', CONFIG_NAME_MAX_LENGTH));
  }

  /**
   * Description (`o`).
   *
   * @example
   * ```ts
   * const about = info.getDescription() ?? '';
   * ```
   */
  getDescription(): string | undefined {
    return getText(this.data(), 'o');
  }

  /**
   * Sets the description (≤ 2000 UTF-8 bytes); empty or undefined removes it. Throws
   * `INVALID_INPUT` beyond the limit, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setDescription('We read one book a month.');
   * ```
   */
  setDescription(description: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'o', description, 'description', GROUP_DESCRIPTION_MAX_LENGTH));
  }

  /**
   * Group picture (`p` URL + `q` key); undefined unless a non-empty URL and a 32-byte key are stored.
   *
   * @example
   * ```ts
   * const pic = info.getProfilePicture(); // { url, key } to download and decrypt the image
   * ```
   */
  getProfilePicture(): ProfilePicture | undefined {
    return getProfilePicture(this.data());
  }

  /**
   * Sets or (undefined / empty URL / key not 32 bytes) clears the group picture. Throws
   * `INVALID_INPUT` for a URL over 223 bytes, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setProfilePicture({ url: uploadedUrl, key: pictureKey }); // key: 32 bytes
   * ```
   */
  setProfilePicture(pic: ProfilePicture | undefined): void {
    this.edit((d) => setProfilePicture(d, pic));
  }

  /**
   * Delete-after-send timer in seconds (`E`), undefined when off.
   *
   * @example
   * ```ts
   * const timer = info.getExpiryTimerSeconds(); // undefined: messages do not disappear
   * ```
   */
  getExpiryTimerSeconds(): number | undefined {
    const v = getInt(this.data(), 'E');
    return v !== undefined && v > 0 ? v : undefined;
  }

  /**
   * Sets the delete-after-send timer in seconds; undefined or ≤ 0 turns it off. Throws
   * `INVALID_INPUT` unless a safe integer, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setExpiryTimerSeconds(86_400); // one day
   * ```
   */
  setExpiryTimerSeconds(seconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'E', seconds, 'expiry timer'));
  }

  /**
   * Creation time, unix seconds (`c`).
   *
   * @example
   * ```ts
   * const created = new Date((info.getCreated() ?? 0) * 1000);
   * ```
   */
  getCreated(): number | undefined {
    return positive(getInt(this.data(), 'c'));
  }

  /**
   * Sets the creation time (unix seconds); undefined or ≤ 0 removes it. Throws `INVALID_INPUT`
   * unless a safe integer, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setCreated(Math.floor(Date.now() / 1000));
   * ```
   */
  setCreated(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'c', unixSeconds, 'created'));
  }

  /**
   * Clients delete messages older than this (unix seconds, `d`).
   *
   * @example
   * ```ts
   * const cutoff = info.getDeleteBefore();
   * if (cutoff !== undefined) deleteMessagesOlderThan(cutoff);
   * ```
   */
  getDeleteBefore(): number | undefined {
    return positive(getInt(this.data(), 'd'));
  }

  /**
   * Sets the message cut-off (unix seconds); undefined or ≤ 0 removes it. Throws `INVALID_INPUT`
   * unless a safe integer, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setDeleteBefore(Math.floor(Date.now() / 1000)); // clear the history for everyone
   * ```
   */
  setDeleteBefore(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'd', unixSeconds, 'delete-before'));
  }

  /**
   * Clients delete attachments older than this (unix seconds, `D`).
   *
   * @example
   * ```ts
   * const cutoff = info.getDeleteAttachmentsBefore();
   * if (cutoff !== undefined) deleteAttachmentsOlderThan(cutoff);
   * ```
   */
  getDeleteAttachmentsBefore(): number | undefined {
    return positive(getInt(this.data(), 'D'));
  }

  /**
   * Sets the attachment cut-off (unix seconds); undefined or ≤ 0 removes it. Throws
   * `INVALID_INPUT` unless a safe integer, `NOT_ADMIN` without the group secret key.
   *
   * @example
   * ```ts
   * info.setDeleteAttachmentsBefore(Math.floor(Date.now() / 1000));
   * ```
   */
  setDeleteAttachmentsBefore(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'D', unixSeconds, 'delete-attachments-before'));
  }

  /**
   * True once an admin destroyed the group (`!`, permanent).
   *
   * @example
   * ```ts
   * if (info.isDestroyed()) showGroupEnded();
   * ```
   */
  isDestroyed(): boolean {
    // libsession `is_destroyed`: any positive integer (not merely nonzero, unlike other flags).
    return (getInt(this.data(), '!') ?? 0) > 0;
  }

  /**
   * Marks the group destroyed; cannot be undone.
   *
   * @example
   * ```ts
   * info.destroyGroup();
   * const push = await info.push(); // members see isDestroyed() after merging it
   * ```
   */
  destroyGroup(): void {
    this.edit((d) => setFlag(d, '!', true));
  }
}

function positive(v: number | undefined): number | undefined {
  return v !== undefined && v > 0 ? v : undefined;
}
