/**
 * libsession's deterministic "S" attachment encryption, whole buffers at a time
 * (spec/identity-envelope.md §6.2; LS-new `attachment::encrypt` / `attachment::decrypt`).
 * For files too large to hold in memory see `deterministic-stream.ts`.
 * @module
 */
import { SessionSdkError } from '../../errors.js';
import { assertBytes, wipe } from '../../util/bytes.js';
import {
  SECRETSTREAM_TAG_FINAL,
  SECRETSTREAM_TAG_MESSAGE,
  secretstreamInitPull,
  secretstreamInitPush,
  secretstreamPullInto,
  secretstreamPushInto,
  type SecretstreamState,
} from '../../crypto/secretstream.js';
import {
  ATTACHMENT_CHUNK_OVERHEAD,
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_ENCRYPTED_CHUNK_SIZE,
  ATTACHMENT_FORMAT_S,
  ATTACHMENT_HEADER_SIZE,
  ATTACHMENT_PREFIX_SIZE,
  attachmentEncryptedSize,
  attachmentPaddingSize,
} from './deterministic-format.js';
import { attachmentNonceKey, type AttachmentDomain } from './key-derivation.js';
import { ATTACHMENT_MAX_ENCRYPTED_SIZE, ATTACHMENT_MAX_REGULAR_SIZE, checkAttachmentLimit } from './limits.js';

/**
 * Options for {@link encryptAttachment}.
 *
 * @example
 * ```ts
 * const opts: EncryptAttachmentOptions = { domain: 'profile-pic' };
 * const { ciphertext, key } = await encryptAttachment(identity.seed, avatarBytes, opts);
 * ```
 */
export interface EncryptAttachmentOptions {
  /** Key-derivation domain: `'attachment'` (default) or `'profile-pic'`. */
  domain?: AttachmentDomain;
  /** Accept plaintexts above {@link ATTACHMENT_MAX_REGULAR_SIZE} (not deliverable over onion requests). */
  allowLarge?: boolean;
}

/**
 * Result of {@link encryptAttachment}.
 *
 * @example
 * ```ts
 * const { ciphertext, key }: EncryptedAttachment = await encryptAttachment(identity.seed, file);
 * const url = await upload(ciphertext); // then send { url, key, size: file.length } in the pointer
 * ```
 */
export interface EncryptedAttachment {
  /** `'S' ‖ header ‖ secretstream chunks`, what is uploaded. */
  ciphertext: Uint8Array;
  /** 32-byte decryption key, sent in `AttachmentPointer.key` (no digest in this scheme). */
  key: Uint8Array;
}

/**
 * Options for {@link decryptAttachment}.
 *
 * @example
 * ```ts
 * const opts: DecryptAttachmentOptions = { allowLarge: true }; // a file shared outside the file server
 * const file = await decryptAttachment(ciphertext, pointer.key!, opts);
 * ```
 */
export interface DecryptAttachmentOptions {
  /** Accept ciphertexts above {@link ATTACHMENT_MAX_ENCRYPTED_SIZE}. */
  allowLarge?: boolean;
}

/**
 * Builds the `i`-th 32 KiB piece of the padded stream `0x00…0x00 0x01 ‖ data`: a view of `data`
 * once past the padding, else assembled in `scratch`.
 */
export function paddedStreamChunk(data: Uint8Array, padding: number, start: number, end: number, scratch: Uint8Array): Uint8Array {
  if (start >= padding) return data.subarray(start - padding, end - padding);
  const out = scratch.subarray(0, end - start);
  out.fill(0);
  const marker = padding - 1;
  if (marker < end) {
    out[marker - start] = 0x01;
    out.set(data.subarray(0, end - padding), padding - start);
  }
  return out;
}

/**
 * Encrypts an attachment in libsession's deterministic "S" format: key and header come from a
 * keyed BLAKE2b of the content under the uploader's seed, so the same uploader re-uploading the
 * same bytes produces the same ciphertext (file-server deduplication). Byte-identical to
 * libsession-util's `attachment::encrypt`.
 *
 * Throws `TOO_LARGE` above 10 218 286 bytes unless `allowLarge` is set, `INVALID_LENGTH` for a
 * seed that is not 32 (or 64) bytes.
 *
 * @example
 * ```ts
 * const { ciphertext, key } = await encryptAttachment(identity.seed, fileBytes);
 * // upload ciphertext; send key in the AttachmentPointer; the URL gets the `#d` fragment
 * ```
 */
export async function encryptAttachment(seed: Uint8Array, plaintext: Uint8Array, opts: EncryptAttachmentOptions = {}): Promise<EncryptedAttachment> {
  assertBytes(plaintext, 'plaintext');
  checkAttachmentLimit(plaintext.length, ATTACHMENT_MAX_REGULAR_SIZE, opts.allowLarge, 'attachment');
  const nk = attachmentNonceKey(seed, plaintext, opts.domain);
  const header = nk.subarray(0, ATTACHMENT_HEADER_SIZE);
  const key = nk.slice(ATTACHMENT_HEADER_SIZE);
  const st = secretstreamInitPush(key, header);
  const padding = attachmentPaddingSize(plaintext.length);
  const out = new Uint8Array(attachmentEncryptedSize(plaintext.length));
  out[0] = ATTACHMENT_FORMAT_S;
  out.set(header, 1);
  wipe(nk);
  const total = padding + plaintext.length;
  const scratch = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  let pos = ATTACHMENT_PREFIX_SIZE;
  try {
    for (let start = 0; start < total; start += ATTACHMENT_CHUNK_SIZE) {
      const end = Math.min(start + ATTACHMENT_CHUNK_SIZE, total);
      const chunk = paddedStreamChunk(plaintext, padding, start, end, scratch);
      pos += secretstreamPushInto(st, chunk, end === total ? SECRETSTREAM_TAG_FINAL : SECRETSTREAM_TAG_MESSAGE, out, pos);
    }
  } finally {
    wipe(scratch, st.k, st.nonce);
  }
  return { ciphertext: out, key };
}

/**
 * Tracks where the data starts in the decrypted padded stream; shared by the one-shot and
 * streaming decryptors. `strip(piece)` returns the data part of a decrypted piece (empty while
 * still inside the padding) and throws `BAD_PADDING` if the padding is not `0x00…0x01`.
 */
export class PaddingStripper {
  private inData = false;

  strip(piece: Uint8Array): Uint8Array {
    if (this.inData) return piece;
    let i = 0;
    while (i < piece.length && piece[i] === 0) i++;
    if (i === piece.length) return piece.subarray(piece.length);
    if (piece[i] !== 0x01) throw new SessionSdkError('BAD_PADDING', 'attachment padding is not 0x00…0x01');
    this.inData = true;
    return piece.subarray(i + 1);
  }

  get done(): boolean {
    return this.inData;
  }
}

/** Checks `'S'` and the minimum length; returns the pull state. */
export function openAttachmentHeader(prefix: Uint8Array, key: Uint8Array): SecretstreamState {
  if (prefix[0] !== ATTACHMENT_FORMAT_S) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', `unknown attachment encryption type 0x${prefix[0]!.toString(16).padStart(2, '0')} (expected 0x53 'S')`);
  }
  return secretstreamInitPull(key, prefix.subarray(1, ATTACHMENT_PREFIX_SIZE));
}

/**
 * Tag check after each chunk: FINAL exactly at the end of the input, never before or missing.
 * Other tags are accepted mid-stream, as libsession does (its encryptor only writes MESSAGE).
 */
export function checkChunkTag(tag: number, atEnd: boolean): void {
  if (tag === SECRETSTREAM_TAG_FINAL && !atEnd) throw new SessionSdkError('DECRYPT_FAILED', 'attachment has data after its final chunk');
  if (tag !== SECRETSTREAM_TAG_FINAL && atEnd) throw new SessionSdkError('DECRYPT_FAILED', 'attachment ends without its final chunk (truncated)');
}

/**
 * Decrypts an "S" attachment with its 32-byte key. Every chunk is authenticated before use, the
 * stream must end with exactly one FINAL chunk, and the padding must be `0x00…0x01`; otherwise it
 * throws (`DECRYPT_FAILED`, `BAD_PADDING`, `UNSUPPORTED_VERSION` for a first byte other than
 * `'S'`) and returns nothing. Ciphertexts above 10 223 616 bytes throw `TOO_LARGE` unless
 * `allowLarge` is set.
 *
 * @example
 * ```ts
 * const file = await decryptAttachment(downloaded, pointer.key);
 * ```
 */
export async function decryptAttachment(ciphertext: Uint8Array, key: Uint8Array, opts: DecryptAttachmentOptions = {}): Promise<Uint8Array> {
  assertBytes(ciphertext, 'ciphertext');
  assertBytes(key, 'key', 32);
  checkAttachmentLimit(ciphertext.length, ATTACHMENT_MAX_ENCRYPTED_SIZE, opts.allowLarge, 'encrypted attachment');
  if (ciphertext.length < ATTACHMENT_PREFIX_SIZE + ATTACHMENT_CHUNK_OVERHEAD + 1) {
    throw new SessionSdkError('DECRYPT_FAILED', 'encrypted attachment is too short');
  }
  const st = openAttachmentHeader(ciphertext, key);
  const stripper = new PaddingStripper();
  const scratch = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  let out: Uint8Array | undefined;
  let written = 0;
  let pos = ATTACHMENT_PREFIX_SIZE;
  try {
    let tag: number;
    do {
      const remaining = ciphertext.length - pos;
      // A chunk carries at least one byte: an empty chunk never comes out of the encryptor.
      if (remaining <= ATTACHMENT_CHUNK_OVERHEAD) throw new SessionSdkError('DECRYPT_FAILED', 'attachment ends in the middle of a chunk (truncated)');
      const clen = Math.min(remaining - ATTACHMENT_CHUNK_OVERHEAD, ATTACHMENT_CHUNK_SIZE);
      const piece = ciphertext.subarray(pos, pos + clen + ATTACHMENT_CHUNK_OVERHEAD);
      pos += piece.length;
      if (out) {
        tag = secretstreamPullInto(st, piece, out, written);
        written += clen;
      } else {
        tag = secretstreamPullInto(st, piece, scratch, 0);
        const data = stripper.strip(scratch.subarray(0, clen));
        if (stripper.done) {
          // Padding found: the rest is full chunks plus one final, so the data size is now known.
          const rest = ciphertext.length - pos;
          // Check the chunk layout before sizing the output: a tail of 1..overhead bytes is a
          // chunk cut short (truncation), which the loop would only notice after allocating.
          const tail = rest % ATTACHMENT_ENCRYPTED_CHUNK_SIZE;
          if (tail !== 0 && tail <= ATTACHMENT_CHUNK_OVERHEAD) throw new SessionSdkError('DECRYPT_FAILED', 'attachment ends in the middle of a chunk (truncated)');
          const size = data.length + rest - Math.ceil(rest / ATTACHMENT_ENCRYPTED_CHUNK_SIZE) * ATTACHMENT_CHUNK_OVERHEAD;
          out = new Uint8Array(size);
          out.set(data);
          written = data.length;
        }
      }
      checkChunkTag(tag, pos === ciphertext.length);
    } while (tag !== SECRETSTREAM_TAG_FINAL);
    if (!out) throw new SessionSdkError('BAD_PADDING', 'attachment is all padding (no 0x01 marker)');
    return out;
  } catch (e) {
    wipe(out);
    throw e;
  } finally {
    wipe(scratch, st.k, st.nonce);
  }
}
