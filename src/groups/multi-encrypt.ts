/**
 * libsession multi-recipient encryption (spec/groups.md §2.3): one shared nonce, one
 * XChaCha20-Poly1305 entry per recipient under `BLAKE2b-32(key = domain, DH ‖ A_sender ‖ B_recipient)`.
 * No recipient tag is sent; each recipient derives its single key and trial-decrypts.
 * Used by keys messages, supplements and the kicked notice.
 * @module
 */
import { getCryptoProvider } from '../crypto/provider.js';
import { ed25519PkToX25519Sync, ed25519SeedToX25519Secret, x25519PublicKeySync as x25519Public } from '../crypto/noble.js';
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { bencode, bdecodeDictEntries, isBBytes, isBList } from '../util/bencode.js';
import { assertBytes, randomBytes, wipe } from '../util/bytes.js';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadEncrypt, aeadTrialDecrypt, blake2bKeyed } from './primitives.js';

/**
 * Per-entry overhead of {@link encryptForMultiple} (the Poly1305 tag).
 *
 * @example
 * ```ts
 * const entryLength = message.length + MULTI_ENCRYPT_OVERHEAD; // each entry: ciphertext + 16-byte tag
 * ```
 */
export const MULTI_ENCRYPT_OVERHEAD = AEAD_TAG_BYTES;

/**
 * The wrap key shared by sender `A` and recipient `B`: `BLAKE2b-32(key = domain[:64], DH ‖ A ‖ B)`,
 * always with the sender's public key first (spec/groups.md §2.3). `dh` is X25519(a, B) on the
 * sending side and X25519(b, A) on the receiving side.
 *
 * @example
 * ```ts
 * const k = multiEncryptKey(await provider.x25519(a, B), A, B, 'SessionGroupKeyMemberKey');
 * ```
 */
export function multiEncryptKey(dh: Uint8Array, senderPk: Uint8Array, recipientPk: Uint8Array, domain: string): Uint8Array {
  return blake2bKeyed(32, domain, dh, senderPk, recipientPk);
}

/**
 * Options for {@link encryptForMultiple}.
 *
 * @example
 * ```ts
 * const opts: EncryptForMultipleOptions = { ignoreInvalid: true };
 * const entries = await encryptForMultiple([msg], recipientX25519Pks, nonce, xsk, xpk, 'my domain', opts);
 * ```
 */
export interface EncryptForMultipleOptions {
  /** Skip recipients whose key gives an all-zero DH instead of throwing (what group keys do). */
  ignoreInvalid?: boolean;
}

/**
 * Encrypts one message for every recipient (or `messages[i]` for `recipients[i]`) under a shared
 * 24-byte nonce. Returns the entries in recipient order (skipped recipients leave no entry when
 * `ignoreInvalid`). The DH operations run concurrently on the crypto provider.
 *
 * @example
 * ```ts
 * const entries = await encryptForMultiple([msg], recipientX25519Pks, nonce, xsk, xpk, 'test suite');
 * ```
 */
export async function encryptForMultiple(
  messages: Uint8Array[],
  recipients: Uint8Array[],
  nonce: Uint8Array,
  senderX25519SecretKey: Uint8Array,
  senderX25519PublicKey: Uint8Array,
  domain: string,
  opts: EncryptForMultipleOptions = {},
): Promise<Uint8Array[]> {
  if (!Array.isArray(messages) || !Array.isArray(recipients)) throw new SessionSdkError('INVALID_INPUT', 'messages and recipients must be arrays');
  if (messages.length !== 1 && messages.length !== recipients.length) {
    throw new SessionSdkError('INVALID_INPUT', 'give one message for all recipients or one message per recipient');
  }
  messages.forEach((m, i) => assertBytes(m, `message ${i}`));
  recipients.forEach((r, i) => assertBytes(r, `recipient ${i} X25519 public key`, 32));
  assertBytes(nonce, 'nonce', AEAD_NONCE_BYTES);
  assertBytes(senderX25519SecretKey, 'sender X25519 secret key', 32);
  assertBytes(senderX25519PublicKey, 'sender X25519 public key', 32);
  if (typeof domain !== 'string') throw new SessionSdkError('INVALID_INPUT', 'domain must be a string');
  const provider = getCryptoProvider();
  /** One entry, or undefined for a skipped recipient. The symmetric work runs as each DH lands. */
  const entry = async (i: number): Promise<Uint8Array | undefined> => {
    let dh: Uint8Array;
    try {
      dh = await provider.x25519(senderX25519SecretKey, recipients[i]!);
    } catch (e) {
      if (opts.ignoreInvalid && isSessionSdkError(e, 'SMALL_ORDER_KEY')) return undefined;
      throw e;
    }
    const key = multiEncryptKey(dh, senderX25519PublicKey, recipients[i]!, domain);
    try {
      return aeadEncrypt(key, nonce, messages.length === 1 ? messages[0]! : messages[i]!);
    } finally {
      wipe(key, dh);
    }
  };
  // The first entry alone lets the provider import (and cache) our secret key once; then all the
  // others at once: on the native provider the DHs run off the main thread in parallel, and each
  // entry's hashing and AEAD overlap with the DHs still in flight.
  const first = recipients.length ? [await entry(0)] : [];
  const rest = await Promise.all(recipients.slice(1).map((_, j) => entry(j + 1)));
  const out: Uint8Array[] = [];
  for (const e of first.concat(rest)) if (e) out.push(e);
  return out;
}

/**
 * Finds and opens this recipient's entry: derives the one wrap key, then trial-decrypts each
 * candidate until one authenticates. `undefined` when none does (not a recipient). Accepts an array
 * or any iterable, so callers can stop parsing early.
 *
 * @example
 * ```ts
 * const pt = await decryptForMultiple(entries, nonce, myXsk, myXpk, senderXpk, 'test suite');
 * ```
 */
export async function decryptForMultiple(
  ciphertexts: Iterable<Uint8Array>,
  nonce: Uint8Array,
  recipientX25519SecretKey: Uint8Array,
  recipientX25519PublicKey: Uint8Array,
  senderX25519PublicKey: Uint8Array,
  domain: string,
): Promise<Uint8Array | undefined> {
  assertBytes(nonce, 'nonce', AEAD_NONCE_BYTES);
  assertBytes(recipientX25519SecretKey, 'recipient X25519 secret key', 32);
  assertBytes(recipientX25519PublicKey, 'recipient X25519 public key', 32);
  assertBytes(senderX25519PublicKey, 'sender X25519 public key', 32);
  const dh = await getCryptoProvider().x25519(recipientX25519SecretKey, senderX25519PublicKey);
  const key = multiEncryptKey(dh, senderX25519PublicKey, recipientX25519PublicKey, domain);
  try {
    return aeadTrialDecrypt(key, nonce, ciphertexts);
  } finally {
    wipe(key, dh);
  }
}

/**
 * Options for {@link encryptForMultipleSimple}.
 *
 * @example
 * ```ts
 * const opts: MultiSimpleOptions = { pad: 10 }; // hide the recipient count to a multiple of 10
 * const blob = await encryptForMultipleSimple([msg], [bobX, carolX], aliceEdSk, 'my domain', opts);
 * ```
 */
export interface MultiSimpleOptions {
  /**
   * The 24-byte nonce. Random when omitted; inject a fixed value **only** for test vectors
   * (reusing a nonce with the same sender and recipient leaks the XOR of the messages).
   */
  nonce?: Uint8Array;
  /** Pad the entry list with random junk entries to a multiple of `pad` (when > 1). */
  pad?: number;
  /** See {@link EncryptForMultipleOptions.ignoreInvalid}. */
  ignoreInvalid?: boolean;
}

/**
 * Sender keys: an Ed25519 secret key (32-byte seed or 64-byte) or an explicit X25519 pair.
 *
 * @example
 * ```ts
 * const sender: MultiSenderKey = { x25519SecretKey: xsk, x25519PublicKey: xpk }; // or an Ed25519 secret key
 * const blob = await encryptForMultipleSimple([msg], [bobX], sender, 'my domain');
 * ```
 */
export type MultiSenderKey = Uint8Array | { x25519SecretKey: Uint8Array; x25519PublicKey: Uint8Array };

function senderXKeys(sender: MultiSenderKey): { xsk: Uint8Array; xpk: Uint8Array; owned: boolean } {
  if (sender instanceof Uint8Array) {
    assertBytes(sender, 'sender Ed25519 secret key', [32, 64]);
    const xsk = ed25519SeedToX25519Secret(sender);
    // libsession converts the stored public half; a 32-byte seed has none, so derive it.
    const edPk = sender.length === 64 ? sender.subarray(32) : undefined;
    const xpk = edPk ? ed25519PkToX25519Sync(edPk) : x25519Public(xsk);
    return { xsk, xpk, owned: true };
  }
  assertBytes(sender?.x25519SecretKey, 'sender X25519 secret key', 32);
  assertBytes(sender.x25519PublicKey, 'sender X25519 public key', 32);
  return { xsk: sender.x25519SecretKey, xpk: sender.x25519PublicKey, owned: false };
}

/**
 * libsession `encrypt_for_multiple_simple`: the bencoded dict `{"#": nonce, "e": [entries…]}`,
 * optionally padded with random junk entries to a multiple of `pad`.
 *
 * @example
 * ```ts
 * const blob = await encryptForMultipleSimple([msg], [bobX, carolX], aliceEdSk, 'my domain');
 * ```
 */
export async function encryptForMultipleSimple(
  messages: Uint8Array[],
  recipients: Uint8Array[],
  sender: MultiSenderKey,
  domain: string,
  opts: MultiSimpleOptions = {},
): Promise<Uint8Array> {
  const nonce = opts.nonce ?? randomBytes(AEAD_NONCE_BYTES);
  assertBytes(nonce, 'nonce', AEAD_NONCE_BYTES);
  const { xsk, xpk, owned } = senderXKeys(sender);
  try {
    const entries = await encryptForMultiple(messages, recipients, nonce, xsk, xpk, domain, { ignoreInvalid: opts.ignoreInvalid });
    const pad = opts.pad ?? 0;
    if (!Number.isSafeInteger(pad) || pad < 0) throw new SessionSdkError('INVALID_INPUT', 'pad must be a non-negative integer');
    if (pad > 1 && messages.length > 0) {
      const size = messages[0]!.length + MULTI_ENCRYPT_OVERHEAD;
      while (entries.length % pad !== 0) entries.push(randomBytes(size));
    }
    return bencode({ '#': nonce, e: entries });
  } finally {
    if (owned) wipe(xsk);
  }
}

/**
 * Parses `{"#": nonce24, "e": [bytes…]}` strictly (canonical bencode; unknown keys ignored).
 * Throws `INVALID_ENCODING` on anything else.
 *
 * @example
 * ```ts
 * const { nonce, entries } = decodeMultiSimple(blob);
 * ```
 */
export function decodeMultiSimple(encoded: Uint8Array): { nonce: Uint8Array; entries: Uint8Array[] } {
  assertBytes(encoded, 'multi-encrypted message');
  const { entries } = bdecodeDictEntries(encoded);
  const get = (k: string) => entries.find((e) => e.key === k)?.value;
  const nonce = get('#');
  const list = get('e');
  if (!isBBytes(nonce) || nonce.length !== AEAD_NONCE_BYTES) throw new SessionSdkError('INVALID_ENCODING', 'multi-encrypted message needs a 24-byte "#" nonce');
  if (!isBList(list) || !list.every(isBBytes)) throw new SessionSdkError('INVALID_ENCODING', 'multi-encrypted message needs an "e" list of byte strings');
  return { nonce, entries: list as Uint8Array[] };
}

/**
 * libsession `decrypt_for_multiple_simple`: opens this recipient's entry of an encoded message;
 * `undefined` when we are not a recipient. Malformed input throws `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const msg = await decryptForMultipleSimple(blob, bobEdSk, aliceXPk, 'my domain');
 * ```
 */
export async function decryptForMultipleSimple(
  encoded: Uint8Array,
  recipient: MultiSenderKey,
  senderX25519PublicKey: Uint8Array,
  domain: string,
): Promise<Uint8Array | undefined> {
  const { nonce, entries } = decodeMultiSimple(encoded);
  const { xsk, xpk, owned } = senderXKeys(recipient);
  try {
    return await decryptForMultiple(entries, nonce, xsk, xpk, senderX25519PublicKey, domain);
  } finally {
    if (owned) wipe(xsk);
  }
}
