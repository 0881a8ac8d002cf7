/**
 * Groups-v2 messages, namespace 11 (spec/groups.md §2.8): the current libsession format
 * (`encrypt_for_group` / `decrypt_group_message`, after libsession-util PR #21).
 *
 * ```
 * body  = plaintext (or its zstd frame, field "z")
 * s     = Ed25519(sender, body ‖ group Ed25519 pk)
 * inner = bencode {"": 1, "a": sender Ed25519 pk, "d"|"z": body, "s": s}, zero-padded so that
 *         24 + len + 16 is a multiple of `padding`
 * wire  = nonce(24) ‖ XChaCha20-Poly1305(group key, nonce, inner)
 * ```
 * @module
 */
import { getCryptoProvider } from '../crypto/provider.js';
import { ed25519PkToX25519Sync } from '../crypto/noble.js';
import { SessionSdkError } from '../errors.js';
import { formatSessionId } from '../identity/session-id.js';
import { bdecodeDictEntries, bencode, isBBytes, isBInt, type BValue } from '../util/bencode.js';
import { assertBytes, concatBytes, randomBytes, wipe } from '../util/bytes.js';
import type { GroupKeys } from './group-keys.js';
import { keyringInternals } from './keyring-internal.js';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadDecrypt, aeadEncrypt } from './primitives.js';
import { zstdDecompressBounded } from '../util/zstd.js';
import { zstdCompress } from '../util/zstd-compress.js';

/**
 * Largest plaintext libsession encrypts or decompresses for a group (GROUPS_MAX_PLAINTEXT_MESSAGE_SIZE).
 *
 * @example
 * ```ts
 * if (envelopeBytes.length > GROUP_MESSAGE_MAX_PLAINTEXT) throw new Error('send it as an attachment');
 * ```
 */
export const GROUP_MESSAGE_MAX_PLAINTEXT = 1_000_000;
/**
 * nonce + tag.
 *
 * @example
 * ```ts
 * const atLeast = envelopeBytes.length + GROUP_MESSAGE_OVERHEAD; // before the signed inner dict and padding
 * ```
 */
export const GROUP_MESSAGE_OVERHEAD = AEAD_NONCE_BYTES + AEAD_TAG_BYTES;

/**
 * Options for {@link encryptGroupMessage}.
 *
 * @example
 * ```ts
 * const opts: EncryptGroupMessageOptions = { compress: false, padding: 512 };
 * const wire = await encryptGroupMessage(keys, envelopeBytes, opts);
 * ```
 */
export interface EncryptGroupMessageOptions {
  /** Compress with zstd when that makes the body smaller (field `z`); default true, as libsession. */
  compress?: boolean;
  /** Pad so that the whole output is a multiple of this (default 256; ≤ 1 disables). */
  padding?: number;
  /** Fixed 24-byte nonce, **only** for reproducible test vectors. Random by default. */
  nonce?: Uint8Array;
}

/**
 * Result of {@link decryptGroupMessage}.
 *
 * @example
 * ```ts
 * const msg: DecryptedGroupMessage = await decryptGroupMessage(keys, wire);
 * console.log(msg.senderSessionId, decodeEnvelope(msg.plaintext).timestamp);
 * ```
 */
export interface DecryptedGroupMessage {
  /** The message as the sender passed it to `encryptGroupMessage` (decompressed, unpadded). */
  plaintext: Uint8Array;
  /** `05` ‖ X25519 of the author's Ed25519 key (field `a`). */
  senderSessionId: string;
  /** The author's 32-byte Ed25519 key, whose signature verified. */
  senderEd25519PublicKey: Uint8Array;
  /** True only if `allowOldSignature` was set and the message used the pre-PR #21 body-only signature. */
  oldSignature: boolean;
}

/**
 * Options for {@link decryptGroupMessage}.
 *
 * @example
 * ```ts
 * const opts: DecryptGroupMessageOptions = { allowOldSignature: true }; // history from before Feb 2025 only
 * const { oldSignature } = await decryptGroupMessage(keys, wire, opts);
 * ```
 */
export interface DecryptGroupMessageOptions {
  /**
   * Also accept the pre-February-2025 signature over `body` alone (libsession before PR #21).
   * Off by default: that form lets a member's signed message be replayed into another group.
   */
  allowOldSignature?: boolean;
}

/**
 * Encrypts a group message (usually a serialized Envelope, spec/groups.md §2.8) with the current
 * group key, signed by us. Throws `NO_KEY` before any key is known and `TOO_LARGE` above 1 MB.
 *
 * @example
 * ```ts
 * const wire = await encryptGroupMessage(keys, envelopeBytes); // store in namespace 11
 * ```
 */
export async function encryptGroupMessage(keys: GroupKeys, plaintext: Uint8Array, opts: EncryptGroupMessageOptions = {}): Promise<Uint8Array> {
  const ki = keyringInternals(keys, 'encryptGroupMessage');
  assertBytes(plaintext, 'plaintext');
  if (plaintext.length > GROUP_MESSAGE_MAX_PLAINTEXT) throw new SessionSdkError('TOO_LARGE', `group messages are limited to ${GROUP_MESSAGE_MAX_PLAINTEXT} bytes`);
  if (plaintext.length === 0) throw new SessionSdkError('INVALID_INPUT', 'group message plaintext must not be empty');
  const padding = opts.padding ?? 256;
  if (!Number.isSafeInteger(padding) || padding < 0) throw new SessionSdkError('INVALID_INPUT', 'padding must be a non-negative integer');
  const nonce = opts.nonce ?? randomBytes(AEAD_NONCE_BYTES);
  assertBytes(nonce, 'nonce', AEAD_NONCE_BYTES);
  const key = ki.encryptionKey();

  // libsession keeps the zstd frame only when it is strictly smaller than the plaintext.
  let body = plaintext;
  let compressed = false;
  if (opts.compress ?? true) {
    const z = zstdCompress(plaintext);
    if (z.length < plaintext.length) {
      body = z;
      compressed = true;
    }
  }
  const sig = await getCryptoProvider().ed25519Sign(ki.userEd25519SecretKey, concatBytes(body, keys.groupEd25519PublicKey));
  const inner = bencode(compressed ? { '': 1, a: keys.userEd25519PublicKey, s: sig, z: body } : { '': 1, a: keys.userEd25519PublicKey, d: body, s: sig });
  let padded = inner;
  if (padding > 1) {
    const rem = (GROUP_MESSAGE_OVERHEAD + inner.length) % padding;
    if (rem !== 0) {
      padded = new Uint8Array(inner.length + padding - rem);
      padded.set(inner);
    }
  }
  try {
    return concatBytes(nonce, aeadEncrypt(key, nonce, padded));
  } finally {
    wipe(inner, padded);
  }
}

function fail(code: 'INVALID_ENCODING' | 'UNSUPPORTED_VERSION' | 'INVALID_KEY' | 'BAD_SIGNATURE', msg: string): never {
  throw new SessionSdkError(code, `group message: ${msg}`);
}

/**
 * Decrypts a namespace-11 group message with every key we hold (pending first, then newest to
 * oldest), then checks the author's signature over `body ‖ group pk`. Errors: `INVALID_LENGTH`
 * (shorter than 40 bytes), `DECRYPT_FAILED` (no key opens it), `INVALID_ENCODING` (bad inner dict
 * or zstd), `UNSUPPORTED_VERSION`, `INVALID_KEY` (bad author key), `BAD_SIGNATURE`.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await decryptGroupMessage(keys, wire);
 * ```
 */
export async function decryptGroupMessage(
  keys: GroupKeys,
  ciphertext: Uint8Array,
  opts: DecryptGroupMessageOptions = {},
): Promise<DecryptedGroupMessage> {
  const ki = keyringInternals(keys, 'decryptGroupMessage');
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < GROUP_MESSAGE_OVERHEAD) throw new SessionSdkError('INVALID_LENGTH', 'group message is too short to be encrypted data');
  const nonce = ciphertext.subarray(0, AEAD_NONCE_BYTES);
  const body = ciphertext.subarray(AEAD_NONCE_BYTES);
  let plain: Uint8Array | undefined;
  for (const key of ki.decryptionKeys()) {
    plain = aeadDecrypt(key, nonce, body);
    if (plain) break;
  }
  if (!plain) throw new SessionSdkError('DECRYPT_FAILED', 'no group key decrypts this message');
  try {
    return await openGroupMessageInner(plain, keys.groupEd25519PublicKey, opts);
  } finally {
    wipe(plain);
  }
}

/**
 * The second half of {@link decryptGroupMessage}: parses the decrypted, zero-padded inner dict,
 * checks its version and the author's signature over `body ‖ group pk`, and decompresses `z`.
 * For callers that decrypt with their own key store.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await openGroupMessageInner(decryptedInner, groupPk);
 * ```
 */
export async function openGroupMessageInner(padded: Uint8Array, groupPk: Uint8Array, opts: DecryptGroupMessageOptions = {}): Promise<DecryptedGroupMessage> {
  assertBytes(padded, 'group message');
  assertBytes(groupPk, 'group public key', 32, 'INVALID_KEY');
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end--;
  const inner = padded.subarray(0, end);
  if (inner.length === 0 || inner[0] !== 0x64 || inner[inner.length - 1] !== 0x65) fail('INVALID_ENCODING', 'decrypted data is not a bencoded dict');
  const { entries } = bdecodeDictEntries(inner);
  const get = (k: string): BValue | undefined => entries.find((e) => e.key === k)?.value;

  const version = get('');
  if (version === undefined) fail('INVALID_ENCODING', 'version tag ("") is missing');
  if (!isBInt(version) || version !== 1) fail('UNSUPPORTED_VERSION', 'unsupported version (only v1 is known)');
  const a = get('a');
  if (!isBBytes(a) || a.length !== 32) fail('INVALID_ENCODING', 'author public key (a) must be 32 bytes');
  let senderX: Uint8Array;
  try {
    senderX = ed25519PkToX25519Sync(a);
  } catch {
    fail('INVALID_KEY', 'author public key (a) is not a valid Ed25519 key');
  }
  const d = get('d');
  const z = get('z');
  const s = get('s');
  if (d !== undefined && (!isBBytes(d) || d.length === 0)) fail('INVALID_ENCODING', 'uncompressed data (d) must be non-empty bytes');
  if (z !== undefined && (!isBBytes(z) || z.length === 0)) fail('INVALID_ENCODING', 'compressed data (z) must be non-empty bytes');
  if (!isBBytes(s) || s.length !== 64) fail('INVALID_ENCODING', 'signature (s) must be 64 bytes');
  if (d !== undefined && z !== undefined) fail('INVALID_ENCODING', 'message has both d and z');
  const data = (d ?? z) as Uint8Array | undefined;
  if (!data) fail('INVALID_ENCODING', 'message has neither d nor z');

  const provider = getCryptoProvider();
  let oldSignature = false;
  if (!(await provider.ed25519Verify(s, concatBytes(data, groupPk), a))) {
    if (opts.allowOldSignature && (await provider.ed25519Verify(s, data, a))) oldSignature = true;
    else fail('BAD_SIGNATURE', 'author signature does not verify');
  }
  const plaintext = z !== undefined ? zstdDecompressBounded(data, GROUP_MESSAGE_MAX_PLAINTEXT) : data.slice();
  return { plaintext, senderSessionId: formatSessionId(0x05, senderX), senderEd25519PublicKey: a.slice(), oldSignature };
}
