/**
 * Field conventions shared by the typed configs (spec/config.md §3): flags, positive/nonzero
 * integers, non-empty strings, the profile-picture pair, 33-byte Session-ID keys. Setters follow
 * "get-or-construct, modify known fields, keep the rest", so keys from newer clients survive.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { bytesKey, keyBytes } from '../util/bencode.js';
import { fromHex, fromUtf8, toHex, utf8 } from '../util/bytes.js';
import { isConfigDict, type ConfigDict, type ConfigValue } from './value.js';

/**
 * A profile picture: download URL and its 32-byte decryption key.
 *
 * @example
 * ```ts
 * const pic: ProfilePicture = { url: uploadedUrl, key: avatarKey };
 * profile.setProfilePicture(pic);
 * ```
 */
export interface ProfilePicture {
  /** Where to download the encrypted image (at most 223 bytes). */
  url: string;
  /** The 32-byte key that decrypts it. */
  key: Uint8Array;
}

/**
 * Longest URL libsession stores (`profile_pic::MAX_URL_LENGTH`).
 *
 * @example
 * ```ts
 * if (new TextEncoder().encode(url).length > PROFILE_PIC_MAX_URL_LENGTH) throw new Error('URL too long to store');
 * ```
 */
export const PROFILE_PIC_MAX_URL_LENGTH = 223;
/**
 * Longest display name, nickname or group name in bytes.
 *
 * @example
 * ```ts
 * const fits = new TextEncoder().encode(name).length <= CONFIG_NAME_MAX_LENGTH;
 * if (fits) profile.setName(name);
 * ```
 */
export const CONFIG_NAME_MAX_LENGTH = 100;

/**
 * Reads a string field as text; undefined when absent, not a string, or not UTF-8. libsession's
 * `maybe_string` returns bytes that are not UTF-8 as they are; a JS string cannot hold them
 * losslessly (a lenient decode would invent U+FFFD and rewrite the bytes on the next edit), so
 * readers treat them as absent and record setters keep them ({@link setRecordText}).
 */
export function getText(d: ConfigDict | undefined, key: string): string | undefined {
  const v = d?.get(key);
  if (!(v instanceof Uint8Array)) return undefined;
  try {
    return fromUtf8(v);
  } catch {
    return undefined;
  }
}

/** Reads raw bytes of a string field. */
export function getBytes(d: ConfigDict | undefined, key: string): Uint8Array | undefined {
  const v = d?.get(key);
  return v instanceof Uint8Array ? v.slice() : undefined;
}

/** Reads an integer field as a number (values beyond 2^53 are clamped to the safe range). */
export function getInt(d: ConfigDict | undefined, key: string): number | undefined {
  const v = d?.get(key);
  if (typeof v !== 'bigint') return undefined;
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(v > max ? max : v < -max ? -max : v);
}

/**
 * A flag is written as `1`; like libsession's readers (`maybe_int(…).value_or(0)` as a bool), any
 * nonzero integer reads as true, anything else (or absence) as false.
 */
export function getFlag(d: ConfigDict | undefined, key: string): boolean {
  const v = d?.get(key);
  return typeof v === 'bigint' && v !== 0n;
}

/** The sub-dict at `key`, if it is a dict. */
export function getDict(d: ConfigDict | undefined, key: string): ConfigDict | undefined {
  const v = d?.get(key);
  return isConfigDict(v) ? v : undefined;
}

/** The sub-dict at `key`, created (or replacing a non-dict) when needed. */
export function ensureDict(d: ConfigDict, key: string): ConfigDict {
  const v = d.get(key);
  if (isConfigDict(v)) return v;
  const sub: ConfigDict = new Map();
  d.set(key, sub);
  return sub;
}

function setOrDelete(d: ConfigDict, key: string, v: ConfigValue | undefined): void {
  if (v === undefined) d.delete(key);
  else d.set(key, v);
}

/**
 * Setters take plain records: anything else (null, a string, …) is `INVALID_INPUT`, never a
 * TypeError from reading a field of it.
 *
 * @example
 * ```ts
 * assertRecord(contact, 'contact');
 * ```
 */
export function assertRecord(v: unknown, what: string): void {
  if (v === null || typeof v !== 'object') throw new SessionSdkError('INVALID_INPUT', `${what} must be an object`);
}

function checkInt(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n)) throw new SessionSdkError('INVALID_INPUT', `${what} must be a safe integer`);
  return BigInt(n);
}

/** Stores `1` when true, removes the key when false. */
export function setFlag(d: ConfigDict, key: string, on: boolean): void {
  setOrDelete(d, key, on ? 1n : undefined);
}

/** Stores the value only when > 0. */
export function setPositiveInt(d: ConfigDict, key: string, n: number | undefined, what: string): void {
  setOrDelete(d, key, n !== undefined && checkInt(n, what) > 0n ? BigInt(n) : undefined);
}

/** Stores the value only when ≠ 0. */
export function setNonzeroInt(d: ConfigDict, key: string, n: number | undefined, what: string): void {
  setOrDelete(d, key, n !== undefined && checkInt(n, what) !== 0n ? BigInt(n) : undefined);
}

/** Stores text only when non-empty, enforcing a byte limit (`INVALID_INPUT` beyond it). */
export function setNonEmptyText(d: ConfigDict, key: string, s: string | undefined, what: string, max: number): void {
  const b = s === undefined ? undefined : textBytes(s, what, max);
  setOrDelete(d, key, b && b.length ? b : undefined);
}

/**
 * Writes a text field of a whole-record setter (contact, member, group entry): `bytes` when
 * non-empty; when empty, the key is removed (or, with `always`, set to the empty string) — except
 * that stored bytes which are not UTF-8 are kept. {@link getText} reads such bytes as absent, so a
 * read-modify-write (`set({ ...get(id), approved: true })`) hands back an empty value; libsession
 * keeps the raw bytes in its `std::string` and writes them back unchanged (LS
 * `src/config/contacts.cpp` @ 06fdd68f `contact_info::load` / `Contacts::set`), so overwriting them
 * would change what every other device reads.
 */
export function setRecordText(d: ConfigDict, key: string, bytes: Uint8Array, always = false): void {
  if (bytes.length === 0 && d.get(key) instanceof Uint8Array && getText(d, key) === undefined) return;
  if (always) d.set(key, bytes);
  else setOrDelete(d, key, bytes.length ? bytes : undefined);
}

/** UTF-8 bytes of `s`, at most `max` bytes. */
export function textBytes(s: string, what: string, max: number): Uint8Array {
  if (typeof s !== 'string') throw new SessionSdkError('INVALID_INPUT', `${what} must be a string`);
  const b = utf8(s);
  if (b.length > max) throw new SessionSdkError('INVALID_INPUT', `${what} is longer than ${max} bytes`);
  return b;
}

/** Reads the `p`/`q` pair; only a non-empty URL with a 32-byte key counts. */
export function getProfilePicture(d: ConfigDict | undefined, urlKey = 'p', keyKey = 'q'): ProfilePicture | undefined {
  const url = getText(d, urlKey);
  const key = getBytes(d, keyKey);
  return url && key?.length === 32 ? { url, key } : undefined;
}

/** Writes both halves of the pair, or removes both (spec/config.md §3 "profile pic pair"). */
export function setProfilePicture(d: ConfigDict, pic: ProfilePicture | undefined, urlKey = 'p', keyKey = 'q'): void {
  if (pic !== undefined) {
    if (pic === null || typeof pic !== 'object' || !(pic.key instanceof Uint8Array)) {
      throw new SessionSdkError('INVALID_INPUT', 'profile picture must be { url, key }');
    }
    const url = textBytes(pic.url, 'profile picture URL', PROFILE_PIC_MAX_URL_LENGTH);
    if (url.length > 0 && pic.key.length === 32) {
      d.set(urlKey, url);
      d.set(keyKey, pic.key.slice());
      return;
    }
  }
  d.delete(urlKey);
  d.delete(keyKey);
}

/**
 * A Session ID (66 hex, any case) with one of `prefixes` → its 33-byte binary dict key. Like
 * libsession, only the shape is checked, not whether the key is a valid curve point: config
 * entries written by other clients must stay addressable.
 */
export function idKey(id: string, prefixes: readonly number[], what = 'Session ID'): string {
  if (typeof id !== 'string' || id.length !== 66) {
    throw new SessionSdkError('INVALID_SESSION_ID', `${what} must be 66 hex characters`);
  }
  const bytes = fromHex(id, what, 'INVALID_SESSION_ID');
  const prefix = bytes[0]!;
  if (!prefixes.includes(prefix)) {
    throw new SessionSdkError('INVALID_PREFIX', `${what} must start with ${prefixes.map((p) => p.toString(16).padStart(2, '0')).join(' or ')}`);
  }
  return bytesKey(bytes);
}

/** A 33-byte binary dict key with prefix `prefix` → lower-case hex ID; undefined for other keys. */
export function keyToId(key: string, prefix: number): string | undefined {
  if (key.length !== 33 || key.charCodeAt(0) !== prefix) return undefined;
  return toHex(keyBytes(key));
}

/**
 * Every entry of an ID-keyed dict (contacts `c`, members `m`) in key order, read with `read`;
 * entries with a malformed key or a non-dict value (another client's data) are skipped.
 */
export function readIdEntries<T>(parent: ConfigDict | undefined, prefix: number, read: (id: string, d: ConfigDict) => T): T[] {
  const out: T[] = [];
  for (const key of [...(parent?.keys() ?? [])].sort()) {
    const id = keyToId(key, prefix);
    const d = getDict(parent, key);
    if (id && d) out.push(read(id, d));
  }
  return out;
}
