/**
 * Wire format of groups-v2 keys messages (namespace 12, spec/groups.md §2.4–2.6): the pure
 * decoder and the signing helper. Decoding checks structure only; signatures and decryption are
 * {@link loadKeyMessage}'s job.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { bdecodeDictEntries, bencode, isBBytes, isBInt, isBList, type BInput, type BValue } from '../util/bencode.js';
import { assertBytes, concatBytes, utf8 } from '../util/bytes.js';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES } from './primitives.js';

/**
 * Full keys messages pad their member list to a multiple of this (libsession MESSAGE_KEY_MULTIPLE).
 *
 * @example
 * ```ts
 * const slots = Math.ceil(memberCount / MESSAGE_KEY_MULTIPLE) * MESSAGE_KEY_MULTIPLE; // entries in a full keys message
 * ```
 */
export const MESSAGE_KEY_MULTIPLE = 75;
/**
 * Size of one wrapped 32-byte key: ciphertext plus Poly1305 tag.
 *
 * @example
 * ```ts
 * const full = decodeKeysMessage(msg);
 * if (full.kind === 'full') console.log(full.memberKeys.length * WRAPPED_KEY_BYTES, 'bytes of member keys');
 * ```
 */
export const WRAPPED_KEY_BYTES = 32 + AEAD_TAG_BYTES;
/**
 * libsession's floor for one supplement entry: a single bencoded `{g,k,t}` dict with one-digit `g`
 * and `t` (52 bytes) plus the tag. Real entries encrypt a list of such dicts, so they are at least
 * 2 bytes longer; entries below this floor are malformed.
 *
 * @example
 * ```ts
 * const plausible = entry.length >= MIN_SUPPLEMENT_ENTRY_BYTES; // decodeKeysMessage rejects shorter entries
 * ```
 */
export const MIN_SUPPLEMENT_ENTRY_BYTES = 52 + AEAD_TAG_BYTES;

/**
 * A decoded full keys message (`rekey` output).
 *
 * @example
 * ```ts
 * const m = decodeKeysMessage(bytes);
 * if (m.kind === 'full') console.log('generation', m.generation, 'slots', m.memberKeys.length);
 * ```
 */
export interface FullKeysMessage {
  /** Discriminant: a full keys message (a rekey). */
  kind: 'full';
  /** `#`: the 24-byte nonce every wrapped key is encrypted with. */
  nonce: Uint8Array;
  /** `G`: the key generation this message introduces. */
  generation: number;
  /** `K`: the key wrapped for admins (48 bytes). */
  adminKey: Uint8Array;
  /** `k`: one 48-byte entry per member, then junk, a multiple of 75 entries in total. */
  memberKeys: Uint8Array[];
  /** The bytes the `~` signature covers: from the leading `d` up to the `1:~` key. */
  signedData: Uint8Array;
  /** `~`: the 64-byte Ed25519 signature by the group key over `signedData`. */
  signature: Uint8Array;
}

/**
 * A decoded supplemental keys message (`keySupplement` output).
 *
 * @example
 * ```ts
 * const m = decodeKeysMessage(bytes);
 * if (m.kind === 'supplement') console.log(m.entries.length, 'new members, up to generation', m.generation);
 * ```
 */
export interface SupplementKeysMessage {
  /** Discriminant: a supplemental keys message (keys for new members). */
  kind: 'supplement';
  /** `#`: the 24-byte nonce the entries are encrypted with. */
  nonce: Uint8Array;
  /** `G`: the highest generation the supplement carries. */
  generation: number;
  /** `+`: one encrypted `[{g,k,t}…]` list per new member. */
  entries: Uint8Array[];
  /** The bytes the `~` signature covers: from the leading `d` up to the `1:~` key. */
  signedData: Uint8Array;
  /** `~`: the 64-byte Ed25519 signature by the group key over `signedData`. */
  signature: Uint8Array;
}

/**
 * What {@link decodeKeysMessage} returns: a full or a supplemental keys message; switch on `kind`.
 *
 * @example
 * ```ts
 * const m: DecodedKeysMessage = decodeKeysMessage(bytes);
 * const count = m.kind === 'full' ? m.memberKeys.length : m.entries.length;
 * ```
 */
export type DecodedKeysMessage = FullKeysMessage | SupplementKeysMessage;

function invalid(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `keys message: ${msg}`);
}

function generationOf(v: BValue | undefined): number {
  if (!isBInt(v)) invalid('missing or non-integer generation (G)');
  if (typeof v === 'bigint' || v < 0) invalid('generation (G) out of range');
  return v;
}

/**
 * Parses a keys message and validates its shape exactly as libsession rejects malformed ones:
 * 24-byte `#`; either `+` (every entry ≥ 68 bytes) with `G`, or `G` ≥ 0, a 48-byte `K` and a `k`
 * list of 48-byte entries whose count is a multiple of 75; and a 64-byte `~` that is the last key.
 * Unknown keys are tolerated (they are covered by the signature). The encoding must be canonical
 * bencode. Throws `INVALID_ENCODING` (bencode) or `CONFIG_INVALID` (shape).
 *
 * @example
 * ```ts
 * const m = decodeKeysMessage(bytes);
 * if (m.kind === 'full') console.log(m.generation, m.memberKeys.length);
 * ```
 */
export function decodeKeysMessage(message: Uint8Array): DecodedKeysMessage {
  assertBytes(message, 'keys message');
  const { entries } = bdecodeDictEntries(message);
  const last = entries[entries.length - 1];
  if (!last || last.key !== '~') invalid('missing signature (~), or keys after it');
  const signature = last.value;
  if (!isBBytes(signature) || signature.length !== 64) invalid('signature (~) must be 64 bytes');
  const signedData = message.subarray(0, last.start);
  const get = (k: string): BValue | undefined => entries.find((e) => e.key === k)?.value;

  const nonce = get('#');
  if (!isBBytes(nonce)) invalid('missing nonce (#)');
  if (nonce.length !== AEAD_NONCE_BYTES) invalid('nonce (#) must be 24 bytes');

  const supp = get('+');
  if (supp !== undefined) {
    if (!isBList(supp)) invalid('supplement (+) must be a list');
    supp.forEach((e, i) => {
      if (!isBBytes(e) || e.length < MIN_SUPPLEMENT_ENTRY_BYTES) invalid(`supplement entry ${i} has an invalid size`);
    });
    return { kind: 'supplement', nonce, generation: generationOf(get('G')), entries: supp as Uint8Array[], signedData, signature };
  }

  const generation = generationOf(get('G'));
  const adminKey = get('K');
  if (!isBBytes(adminKey)) invalid('missing admin key (K)');
  if (adminKey.length !== WRAPPED_KEY_BYTES) invalid('admin key (K) must be 48 bytes');
  const memberKeys = get('k');
  if (!isBList(memberKeys)) invalid('missing member key list (k)');
  memberKeys.forEach((e, i) => {
    if (!isBBytes(e) || e.length !== WRAPPED_KEY_BYTES) invalid(`member key ${i} must be 48 bytes`);
  });
  if (memberKeys.length % MESSAGE_KEY_MULTIPLE !== 0) invalid('member key list is not padded to a multiple of 75');
  return { kind: 'full', nonce, generation, adminKey, memberKeys: memberKeys as Uint8Array[], signedData, signature };
}

const SIG_KEY = /* @__PURE__ */ utf8('1:~64:');

/**
 * Bencodes `fields` (keys sorted) and returns the bytes to sign (`d…` without the closing `e`)
 * and a function that closes the dict with `1:~64:<sig>e` (spec/groups.md §0).
 *
 * @example
 * ```ts
 * const { toSign, finish } = signableDict({ '#': nonce, G: 0, K: k, k: [] });
 * const msg = finish(await provider.ed25519Sign(groupSeed, toSign));
 * ```
 */
export function signableDict(fields: Record<string, BInput>): {
  /** The bytes to sign: the bencoded dict without its closing `e`. */
  toSign: Uint8Array;
  /** Appends `sig` (64 bytes, over `toSign`) as `~` and closes the dict: the complete message. Throws `INVALID_LENGTH` unless 64 bytes. */
  finish: (sig: Uint8Array) => Uint8Array;
} {
  if ('~' in fields) throw new SessionSdkError('INVALID_INPUT', 'the signature key ~ is added by finish()');
  const full = bencode(fields);
  const toSign = full.subarray(0, full.length - 1);
  return {
    toSign,
    finish: (sig: Uint8Array) => {
      assertBytes(sig, 'signature', 64);
      return concatBytes(toSign, SIG_KEY, sig, utf8('e'));
    },
  };
}
