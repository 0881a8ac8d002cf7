/**
 * Streaming legacy attachments (spec/identity-envelope.md §6.1) with memory bounded by a few
 * 256 KiB pieces. AES-256-CBC runs on the crypto provider piece by piece (`cbc-chain.ts`);
 * HMAC-SHA256 and the SHA-256 digest are computed incrementally with @noble/hashes, since
 * WebCrypto has no incremental hashing. Output is identical to the one-shot functions.
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../../errors.js';
import { assertBytes, equalBytes, randomBytes } from '../../util/bytes.js';
import { CbcChain } from './cbc-chain.js';
import {
  LEGACY_ATTACHMENT_IV_SIZE,
  LEGACY_ATTACHMENT_MAC_SIZE,
  checkDeclaredSize,
  declaredSizeTooLarge,
  legacyKeyParts,
  type DecryptLegacyAttachmentOptions,
  type EncryptLegacyAttachmentOptions,
} from './legacy.js';
import { legacyAttachmentPaddedSize } from './legacy-padding.js';
import { ATTACHMENT_MAX_ENCRYPTED_SIZE, LEGACY_ATTACHMENT_MAX_SIZE, checkAttachmentLimit, type AttachmentProgress } from './limits.js';
import { ByteQueue, iterateSource, type AttachmentSource } from './source.js';
// (type-only reference for a TSDoc link below)
import type { decryptLegacyAttachment } from './legacy.js';

/** Plaintext/ciphertext piece handed to AES at a time: big enough that per-call overhead vanishes. */
const PIECE = 256 * 1024;

/**
 * Options for {@link encryptLegacyAttachmentStream}.
 *
 * @example
 * ```ts
 * const opts: EncryptLegacyAttachmentStreamOptions = { expectedSize: file.size, onProgress };
 * const enc = encryptLegacyAttachmentStream(file.stream(), opts);
 * ```
 */
export interface EncryptLegacyAttachmentStreamOptions extends EncryptLegacyAttachmentOptions {
  /** Called after each input piece. */
  onProgress?: AttachmentProgress;
  /** Plaintext size if known (only reported through `onProgress`). */
  expectedSize?: number;
}

/**
 * Pointer fields known once a legacy stream has been fully produced.
 *
 * @example
 * ```ts
 * await upload(enc.chunks);
 * const { digest, size }: LegacyAttachmentStreamResult = enc.result(); // only after chunks are consumed
 * ```
 */
export interface LegacyAttachmentStreamResult {
  /** SHA-256 of the whole blob (`AttachmentPointer.digest`). */
  digest: Uint8Array;
  /** Unpadded plaintext length (`AttachmentPointer.size`). */
  size: number;
  /** Total length of the blob produced. */
  encryptedSize: number;
}

/**
 * Result of {@link encryptLegacyAttachmentStream}.
 *
 * @example
 * ```ts
 * const enc: EncryptedLegacyAttachmentStream = encryptLegacyAttachmentStream(file.stream());
 * await upload(enc.chunks);
 * sendPointer({ key: enc.key, ...enc.result() });
 * ```
 */
export interface EncryptedLegacyAttachmentStream {
  /** 64-byte key (AES ‖ HMAC), known up front. */
  key: Uint8Array;
  /** The blob: the IV, then ciphertext pieces, then the 32-byte MAC. Single use. */
  chunks: AsyncIterable<Uint8Array>;
  /** Digest and sizes; throws `INVALID_INPUT` until `chunks` has been iterated to its end. */
  result(): LegacyAttachmentStreamResult;
}

/**
 * Options for {@link decryptLegacyAttachmentStream}.
 *
 * @example
 * ```ts
 * const opts: DecryptLegacyAttachmentStreamOptions = { size: pointer.size, expectedSize: blobLength };
 * for await (const piece of decryptLegacyAttachmentStream(body, pointer.key!, pointer.digest!, opts)) await tmp.write(piece);
 * ```
 */
export interface DecryptLegacyAttachmentStreamOptions extends DecryptLegacyAttachmentOptions {
  /** Called after each input piece. */
  onProgress?: AttachmentProgress;
  /** Blob size if known (only reported through `onProgress`). */
  expectedSize?: number;
}

const progressTotal = (n: number | undefined): { total?: number } => (n === undefined ? {} : { total: n });

/**
 * Encrypts a legacy attachment from a stream in one pass: the key is known at once, the digest
 * and sizes (for the `AttachmentPointer`) once `chunks` has been consumed. Desktop's size padding
 * is appended at the end, so the input size need not be known in advance. Throws `TOO_LARGE` as
 * soon as the input passes 10 000 000 bytes unless `allowLarge`.
 *
 * @example
 * ```ts
 * const enc = encryptLegacyAttachmentStream(file.stream());
 * await upload(enc.chunks);
 * const { digest, size } = enc.result();
 * ```
 */
export function encryptLegacyAttachmentStream(source: AttachmentSource, opts: EncryptLegacyAttachmentStreamOptions = {}): EncryptedLegacyAttachmentStream {
  const key = opts.key ? new Uint8Array(opts.key) : randomBytes(64);
  legacyKeyParts(key);
  const iv = opts.iv ? new Uint8Array(opts.iv) : randomBytes(LEGACY_ATTACHMENT_IV_SIZE);
  assertBytes(iv, 'iv', LEGACY_ATTACHMENT_IV_SIZE);
  let result: LegacyAttachmentStreamResult | undefined;
  let used = false;
  const chunks = {
    [Symbol.asyncIterator]: () => {
      if (used) throw new SessionSdkError('INVALID_INPUT', 'attachment chunks can be iterated only once');
      used = true;
      return run()[Symbol.asyncIterator]();
    },
  };
  async function* run(): AsyncGenerator<Uint8Array> {
    const { aesKey, macKey } = legacyKeyParts(key);
    const chain = new CbcChain(aesKey, iv);
    const mac = hmac.create(sha256, macKey);
    const digest = sha256.create();
    const queue = new ByteQueue(PIECE);
    let size = 0;
    let encryptedSize = 0;
    const out = (b: Uint8Array): Uint8Array => {
      mac.update(b);
      digest.update(b);
      encryptedSize += b.length;
      return b;
    };
    try {
      yield out(new Uint8Array(iv));
      for await (const piece of iterateSource(source)) {
        size += piece.length;
        checkAttachmentLimit(size, LEGACY_ATTACHMENT_MAX_SIZE, opts.allowLarge, 'attachment');
        queue.push(piece);
        for (let c = queue.take(PIECE); c; c = queue.take(PIECE)) yield out(await chain.encryptPiece(c));
        opts.onProgress?.({ phase: 'encrypt', processed: size, ...progressTotal(opts.expectedSize) });
      }
      let padding = opts.pad === false ? 0 : legacyAttachmentPaddedSize(size) - size;
      const zeros = new Uint8Array(Math.min(padding, PIECE));
      while (padding > 0) {
        const n = Math.min(padding, PIECE);
        padding -= n;
        queue.push(zeros.subarray(0, n));
        for (let c = queue.take(PIECE); c; c = queue.take(PIECE)) yield out(await chain.encryptPiece(c));
      }
      yield out(await chain.encryptFinal(queue.rest()));
      const tag = mac.digest();
      digest.update(tag);
      encryptedSize += tag.length;
      result = { digest: digest.digest(), size, encryptedSize };
      yield tag;
    } finally {
      queue.wipe();
    }
  }
  return {
    key,
    chunks,
    result() {
      if (!result) throw new SessionSdkError('INVALID_INPUT', 'the legacy attachment stream has not been fully consumed yet');
      return result;
    },
  };
}

/**
 * Decrypts a legacy attachment as it arrives, with memory bounded by a few 256 KiB pieces.
 *
 * **Read this before using it.** The legacy format authenticates the whole blob with one HMAC at
 * its very end, so a stream cannot verify anything until the last byte: the plaintext pieces this
 * yields are **unauthenticated** (and AES-CBC is malleable: an attacker who can modify the
 * download can flip chosen plaintext bits). When the input ends, the HMAC (`DECRYPT_FAILED`), the
 * digest (`BAD_DIGEST`) and the PKCS#7 padding are checked and the iteration throws on any
 * mismatch; the last piece is released only after those checks pass. So write the pieces
 * somewhere provisional, never parse or display them, and discard them all unless the `for await`
 * loop completes without throwing. When the blob fits in memory, prefer
 * {@link decryptLegacyAttachment}, which verifies before decrypting anything.
 *
 * With `size`, output stops after that many bytes (the sender's padding is dropped) and a blob
 * that decrypts to fewer bytes throws `INVALID_LENGTH` at the end.
 *
 * @example
 * ```ts
 * const tmp = await openTempFile();
 * try {
 *   for await (const piece of decryptLegacyAttachmentStream(body, p.key, p.digest, { size: p.size })) await tmp.write(piece);
 *   await tmp.keep(); // reached only if MAC, digest and padding verified
 * } catch (e) { await tmp.discard(); throw e; }
 * ```
 */
export async function* decryptLegacyAttachmentStream(
  source: AttachmentSource,
  key: Uint8Array,
  digest: Uint8Array,
  opts: DecryptLegacyAttachmentStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const { aesKey, macKey } = legacyKeyParts(key);
  assertBytes(digest, 'digest', 32);
  checkDeclaredSize(opts.size);
  // Held back until the end: the last AES block (carries the PKCS#7 padding) and the MAC.
  const TAIL = 16 + LEGACY_ATTACHMENT_MAC_SIZE;
  const queue = new ByteQueue(PIECE + TAIL + 16);
  const mac = hmac.create(sha256, macKey);
  const hash = sha256.create();
  let chain: CbcChain | undefined;
  let consumed = 0;
  let emitted = 0;
  const limit = (pt: Uint8Array): Uint8Array => {
    if (opts.size === undefined) return pt;
    const n = Math.max(0, Math.min(pt.length, opts.size - emitted));
    return pt.subarray(0, n);
  };
  const take = (n: number): Uint8Array | undefined => (queue.available >= n + TAIL ? queue.take(n) : undefined);
  try {
    for await (const piece of iterateSource(source)) {
      consumed += piece.length;
      checkAttachmentLimit(consumed, ATTACHMENT_MAX_ENCRYPTED_SIZE, opts.allowLarge, 'encrypted attachment');
      queue.push(piece);
      for (;;) {
        if (!chain) {
          const iv = take(LEGACY_ATTACHMENT_IV_SIZE);
          if (!iv) break;
          mac.update(iv);
          hash.update(iv);
          chain = new CbcChain(aesKey, iv);
        }
        // Whole PIECEs only (few provider calls however the input is cut), keeping TAIL bytes back.
        const c = take(PIECE);
        if (!c) break;
        mac.update(c);
        hash.update(c);
        const pt = limit(await chain.decryptPiece(c));
        emitted += pt.length;
        if (pt.length) yield pt;
      }
      // Fewer than PIECE + TAIL bytes remain unprocessed; keep them before asking for more input.
      queue.absorb();
      opts.onProgress?.({ phase: 'decrypt', processed: consumed, ...progressTotal(opts.expectedSize) });
    }
    const rest = queue.rest();
    if (!chain || rest.length < TAIL || (rest.length - LEGACY_ATTACHMENT_MAC_SIZE) % 16 !== 0) {
      throw new SessionSdkError('DECRYPT_FAILED', 'legacy attachment has an impossible length (not iv ‖ whole AES blocks ‖ mac)');
    }
    const ct = rest.subarray(0, rest.length - LEGACY_ATTACHMENT_MAC_SIZE);
    const tag = rest.subarray(ct.length);
    mac.update(ct);
    hash.update(rest);
    if (!equalBytes(mac.digest(), tag)) throw new SessionSdkError('DECRYPT_FAILED', 'legacy attachment MAC mismatch (wrong key or corrupted data)');
    if (!equalBytes(hash.digest(), digest)) throw new SessionSdkError('BAD_DIGEST', 'legacy attachment digest mismatch');
    const pt = limit(await chain.decryptFinal(ct));
    emitted += pt.length;
    if (opts.size !== undefined && emitted < opts.size) throw declaredSizeTooLarge(opts.size, emitted);
    if (pt.length) yield pt;
  } finally {
    queue.wipe();
  }
}
