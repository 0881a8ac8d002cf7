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

  setName(name: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'n', name, 'group name', CONFIG_NAME_MAX_LENGTH));
  }

  /** Description (`o`). */
  getDescription(): string | undefined {
    return getText(this.data(), 'o');
  }

  setDescription(description: string | undefined): void {
    this.edit((d) => setNonEmptyText(d, 'o', description, 'description', GROUP_DESCRIPTION_MAX_LENGTH));
  }

  getProfilePicture(): ProfilePicture | undefined {
    return getProfilePicture(this.data());
  }

  setProfilePicture(pic: ProfilePicture | undefined): void {
    this.edit((d) => setProfilePicture(d, pic));
  }

  /** Delete-after-send timer in seconds (`E`), undefined when off. */
  getExpiryTimerSeconds(): number | undefined {
    const v = getInt(this.data(), 'E');
    return v !== undefined && v > 0 ? v : undefined;
  }

  setExpiryTimerSeconds(seconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'E', seconds, 'expiry timer'));
  }

  /** Creation time, unix seconds (`c`). */
  getCreated(): number | undefined {
    return positive(getInt(this.data(), 'c'));
  }

  setCreated(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'c', unixSeconds, 'created'));
  }

  /** Clients delete messages older than this (unix seconds, `d`). */
  getDeleteBefore(): number | undefined {
    return positive(getInt(this.data(), 'd'));
  }

  setDeleteBefore(unixSeconds: number | undefined): void {
    this.edit((d) => setPositiveInt(d, 'd', unixSeconds, 'delete-before'));
  }

  /** Clients delete attachments older than this (unix seconds, `D`). */
  getDeleteAttachmentsBefore(): number | undefined {
    return positive(getInt(this.data(), 'D'));
  }

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
