/**
 * The legacy attachment scheme every Session client still sends and must keep reading
 * (spec/identity-envelope.md §6.1; session-desktop `ts/util/crypto/attachmentsEncrypter.ts`):
 * ```
 * key(64) = aesKey(32) ‖ macKey(32);  iv = 16 random bytes
 * blob    = iv ‖ AES-256-CBC-PKCS7(aesKey, iv, plaintext ‖ zero padding) ‖ HMAC-SHA256(macKey, iv ‖ ct)
 * digest  = SHA-256(blob)   (AttachmentPointer: key, digest, size = unpadded length)
 * ```
 * Runs on the crypto provider, so AES, HMAC and SHA-256 are native where the runtime has them.
 * @module
 */
import { getCryptoProvider } from '../../crypto/provider.js';
import { SessionSdkError } from '../../errors.js';
import { assertBytes, equalBytes, randomBytes, wipe } from '../../util/bytes.js';
import { legacyAttachmentPaddedSize } from './legacy-padding.js';
import { ATTACHMENT_MAX_ENCRYPTED_SIZE, LEGACY_ATTACHMENT_MAX_SIZE, checkAttachmentLimit } from './limits.js';

/** IV length. */
export const LEGACY_ATTACHMENT_IV_SIZE = 16;
/** HMAC-SHA256 length at the end of the blob. */
export const LEGACY_ATTACHMENT_MAC_SIZE = 32;

/**
 * Options for {@link encryptLegacyAttachment}.
 *
 * @example
 * ```ts
 * const opts: EncryptLegacyAttachmentOptions = { pad: false }; // e.g. a link-preview image
 * const enc = await encryptLegacyAttachment(image, opts);
 * ```
 */
export interface EncryptLegacyAttachmentOptions {
  /**
   * Append desktop's size padding before encrypting (default `true`, as for message
   * attachments; desktop does not pad link-preview images or community uploads).
   */
  pad?: boolean;
  /** Accept plaintexts above 10 000 000 bytes. */
  allowLarge?: boolean;
  /** The 64-byte key. Random by default; inject only for test vectors. */
  key?: Uint8Array;
  /** The 16-byte IV. Random by default; inject only for test vectors. */
  iv?: Uint8Array;
}

/**
 * Result of {@link encryptLegacyAttachment}: what goes to the file server and into the pointer.
 *
 * @example
 * ```ts
 * const { ciphertext, key, digest, size }: EncryptedLegacyAttachment = await encryptLegacyAttachment(file);
 * const url = await upload(ciphertext); // pointer: { url, key, digest, size }
 * ```
 */
export interface EncryptedLegacyAttachment {
  /** `iv ‖ ciphertext ‖ mac`, uploaded as is. */
  ciphertext: Uint8Array;
  /** 64 bytes: AES key ‖ HMAC key (`AttachmentPointer.key`). */
  key: Uint8Array;
  /** SHA-256 of `ciphertext` (`AttachmentPointer.digest`). */
  digest: Uint8Array;
  /** Unpadded plaintext length (`AttachmentPointer.size`). */
  size: number;
}

/**
 * Options for {@link decryptLegacyAttachment}.
 *
 * @example
 * ```ts
 * const opts: DecryptLegacyAttachmentOptions = { size: pointer.size };
 * const file = await decryptLegacyAttachment(blob, pointer.key!, pointer.digest!, opts);
 * ```
 */
export interface DecryptLegacyAttachmentOptions {
  /**
   * `AttachmentPointer.size`: cut the plaintext to this many bytes (removing the sender's
   * padding). A size larger than the decrypted data throws `INVALID_LENGTH`.
   */
  size?: number;
  /** Accept blobs above 10 223 616 bytes. */
  allowLarge?: boolean;
}

/** CBC pieces for {@link cbcEncryptInto}: large enough that per-call overhead is noise. */
const CBC_PIECE = 2 * 1024 * 1024;

/**
 * AES-256-CBC-PKCS7 of `plaintext` written into `out` at `offset`, in pieces chained through their
 * last ciphertext block (spec/performance.md §4.4): while the provider (native, off the main
 * thread for WebCrypto) encrypts piece i+1, piece i is copied into place, so the copy into the
 * blob costs no extra time. Output is identical to one `aesCbcEncrypt` call.
 */
async function cbcEncryptInto(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number): Promise<void> {
  const p = getCryptoProvider();
  const full = plaintext.length - (plaintext.length % 16);
  let pos = 0;
  const next = (start: number, chainIv: Uint8Array): Promise<Uint8Array> => {
    const end = start + CBC_PIECE;
    // The last piece holds the remainder and gets the real PKCS#7 padding.
    return end >= full ? p.aesCbcEncrypt(key, chainIv, plaintext.subarray(start)) : p.aesCbcEncrypt(key, chainIv, plaintext.subarray(start, end));
  };
  let pending = next(0, iv);
  for (;;) {
    const ct = await pending;
    const isLast = pos + CBC_PIECE >= full;
    const len = isLast ? ct.length : ct.length - 16; // drop the padding block of an inner piece
    if (!isLast) pending = next(pos + CBC_PIECE, ct.slice(len - 16, len));
    out.set(ct.subarray(0, len), offset + pos);
    if (isLast) return;
    pos += CBC_PIECE;
  }
}

export function legacyKeyParts(key: Uint8Array): { aesKey: Uint8Array; macKey: Uint8Array } {
  assertBytes(key, 'legacy attachment key', 64);
  return { aesKey: key.subarray(0, 32), macKey: key.subarray(32, 64) };
}

export function checkDeclaredSize(size: number | undefined): void {
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new SessionSdkError('INVALID_INPUT', 'size must be a non-negative safe integer');
  }
}

export function declaredSizeTooLarge(size: number, available: number): SessionSdkError {
  return new SessionSdkError('INVALID_LENGTH', `attachment declares ${size} bytes but decrypts to only ${available}`);
}

/**
 * Encrypts an attachment the legacy way (AES-256-CBC, then HMAC-SHA256 over `iv ‖ ct`, then the
 * SHA-256 digest of the blob), with desktop's size padding unless `pad: false`. Byte-identical to
 * session-desktop for the same key and IV. Throws `TOO_LARGE` above 10 000 000 bytes unless
 * `allowLarge`.
 *
 * @example
 * ```ts
 * const { ciphertext, key, digest, size } = await encryptLegacyAttachment(fileBytes);
 * // upload ciphertext; AttachmentPointer { key, digest, size }
 * ```
 */
export async function encryptLegacyAttachment(plaintext: Uint8Array, opts: EncryptLegacyAttachmentOptions = {}): Promise<EncryptedLegacyAttachment> {
  assertBytes(plaintext, 'plaintext');
  checkAttachmentLimit(plaintext.length, LEGACY_ATTACHMENT_MAX_SIZE, opts.allowLarge, 'attachment');
  const key = opts.key ? new Uint8Array(opts.key) : randomBytes(64);
  const { aesKey, macKey } = legacyKeyParts(key);
  const iv = opts.iv ?? randomBytes(LEGACY_ATTACHMENT_IV_SIZE);
  assertBytes(iv, 'iv', LEGACY_ATTACHMENT_IV_SIZE);
  const p = getCryptoProvider();
  let padded = plaintext;
  if (opts.pad !== false) {
    const n = legacyAttachmentPaddedSize(plaintext.length);
    if (n !== plaintext.length) {
      padded = new Uint8Array(n);
      padded.set(plaintext);
    }
  }
  try {
    const ctLen = (Math.floor(padded.length / 16) + 1) * 16;
    const blob = new Uint8Array(LEGACY_ATTACHMENT_IV_SIZE + ctLen + LEGACY_ATTACHMENT_MAC_SIZE);
    blob.set(iv);
    await cbcEncryptInto(aesKey, iv, padded, blob, LEGACY_ATTACHMENT_IV_SIZE);
    const macEnd = LEGACY_ATTACHMENT_IV_SIZE + ctLen;
    blob.set(await p.hmacSha256(macKey, blob.subarray(0, macEnd)), macEnd);
    const digest = await p.sha256(blob);
    return { ciphertext: blob, key, digest, size: plaintext.length };
  } finally {
    if (padded !== plaintext) wipe(padded);
  }
}

/**
 * Decrypts a legacy attachment blob with the pointer's 64-byte key and 32-byte digest. The
 * HMAC is checked first (constant time; a wrong key or any modified byte → `DECRYPT_FAILED`),
 * then the digest (`BAD_DIGEST`), and only then is anything decrypted, so no unauthenticated
 * plaintext is ever returned. Pass the pointer's `size` to strip the sender's padding.
 *
 * @example
 * ```ts
 * const file = await decryptLegacyAttachment(blob, pointer.key, pointer.digest, { size: pointer.size });
 * ```
 */
export async function decryptLegacyAttachment(
  ciphertext: Uint8Array,
  key: Uint8Array,
  digest: Uint8Array,
  opts: DecryptLegacyAttachmentOptions = {},
): Promise<Uint8Array> {
  assertBytes(ciphertext, 'ciphertext');
  const { aesKey, macKey } = legacyKeyParts(key);
  assertBytes(digest, 'digest', 32);
  checkDeclaredSize(opts.size);
  checkAttachmentLimit(ciphertext.length, ATTACHMENT_MAX_ENCRYPTED_SIZE, opts.allowLarge, 'encrypted attachment');
  const macStart = ciphertext.length - LEGACY_ATTACHMENT_MAC_SIZE;
  if (macStart < 2 * LEGACY_ATTACHMENT_IV_SIZE || (macStart - LEGACY_ATTACHMENT_IV_SIZE) % 16 !== 0) {
    throw new SessionSdkError('DECRYPT_FAILED', 'legacy attachment has an impossible length (not iv ‖ whole AES blocks ‖ mac)');
  }
  const p = getCryptoProvider();
  const mac = await p.hmacSha256(macKey, ciphertext.subarray(0, macStart));
  if (!equalBytes(mac, ciphertext.subarray(macStart))) throw new SessionSdkError('DECRYPT_FAILED', 'legacy attachment MAC mismatch (wrong key or corrupted data)');
  if (!equalBytes(await p.sha256(ciphertext), digest)) throw new SessionSdkError('BAD_DIGEST', 'legacy attachment digest mismatch');
  const plaintext = await p.aesCbcDecrypt(aesKey, ciphertext.subarray(0, LEGACY_ATTACHMENT_IV_SIZE), ciphertext.subarray(LEGACY_ATTACHMENT_IV_SIZE, macStart));
  if (opts.size === undefined || opts.size === plaintext.length) return plaintext;
  if (opts.size > plaintext.length) {
    wipe(plaintext);
    throw declaredSizeTooLarge(opts.size, plaintext.length);
  }
  const out = plaintext.slice(0, opts.size);
  wipe(plaintext);
  return out;
}
