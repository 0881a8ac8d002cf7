/**
 * groups::Info, namespace 13 (spec/config.md §3.5): a groups-v2 group's name, description,
 * picture, disappearing timer and deletion cut-offs, signed by the group key.
 * @module
 */
import {
  CONFIG_NAME_MAX_LENGTH,
  getFlag,
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

/** Longest group description in bytes. */
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

  /** Group name (`n`). */
  getName(): string | undefined {
    return getText(this.data(), 'n');
  }

  /**
   * Sets the group name (≤ 100 UTF-8 bytes); empty or undefined removes it. Throws
   * `INVALID_INPUT` beyond the limit, `NOT_ADMIN` without the group secret key.
   */
  setName(name: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'n', name, 'group name', CONFIG_NAME_MAX_LENGTH));
  }

  /** Description (`o`). */
  getDescription(): string | undefined {
    return getText(this.data(), 'o');
  }

  /**
   * Sets the description (≤ 2000 UTF-8 bytes); empty or undefined removes it. Throws
   * `INVALID_INPUT` beyond the limit, `NOT_ADMIN` without the group secret key.
   */
  setDescription(description: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'o', description, 'description', GROUP_DESCRIPTION_MAX_LENGTH));
  }

  /** Group picture (`p` URL + `q` key); undefined unless a non-empty URL and a 32-byte key are stored. */
  getProfilePicture(): ProfilePicture | undefined {
    return getProfilePicture(this.data());
  }

  /**
   * Sets or (undefined / empty URL / key not 32 bytes) clears the group picture. Throws
   * `INVALID_INPUT` for a URL over 223 bytes, `NOT_ADMIN` without the group secret key.
   */
  setProfilePicture(pic: ProfilePicture | undefined): void {
    this.edit((d) => setProfilePicture(d, pic));
  }

  /** Delete-after-send timer in seconds (`E`), undefined when off. */
  getExpiryTimerSeconds(): number | undefined {
    const v = getInt(this.data(), 'E');
    return v !== undefined && v > 0 ? v : undefined;
  }

  /**
   * Sets the delete-after-send timer in seconds; undefined or ≤ 0 turns it off. Throws
   * `INVALID_INPUT` unless a safe integer, `NOT_ADMIN` without the group secret key.
   */
  setExpiryTimerSeconds(seconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'E', seconds, 'expiry timer'));
  }

  /** Creation time, unix seconds (`c`). */
  getCreated(): number | undefined {
    return positive(getInt(this.data(), 'c'));
  }

  /**
   * Sets the creation time (unix seconds); undefined or ≤ 0 removes it. Throws `INVALID_INPUT`
   * unless a safe integer, `NOT_ADMIN` without the group secret key.
   */
  setCreated(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'c', unixSeconds, 'created'));
  }

  /** Clients delete messages older than this (unix seconds, `d`). */
  getDeleteBefore(): number | undefined {
    return positive(getInt(this.data(), 'd'));
  }

  /**
   * Sets the message cut-off (unix seconds); undefined or ≤ 0 removes it. Throws `INVALID_INPUT`
   * unless a safe integer, `NOT_ADMIN` without the group secret key.
   */
  setDeleteBefore(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'd', unixSeconds, 'delete-before'));
  }

  /** Clients delete attachments older than this (unix seconds, `D`). */
  getDeleteAttachmentsBefore(): number | undefined {
    return positive(getInt(this.data(), 'D'));
  }

  /**
   * Sets the attachment cut-off (unix seconds); undefined or ≤ 0 removes it. Throws
   * `INVALID_INPUT` unless a safe integer, `NOT_ADMIN` without the group secret key.
   */
  setDeleteAttachmentsBefore(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'D', unixSeconds, 'delete-attachments-before'));
  }

  /** True once an admin destroyed the group (`!`, permanent). */
  isDestroyed(): boolean {
    return getFlag(this.data(), '!');
  }

  /** Marks the group destroyed; cannot be undone. */
  destroyGroup(): void {
    this.edit((d) => setFlag(d, '!', true));
  }
}

function positive(v: number | undefined): number | undefined {
  return v !== undefined && v > 0 ? v : undefined;
}
