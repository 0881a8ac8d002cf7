/**
 * Streaming "S" attachments (spec/identity-envelope.md §6.2) for files too large to hold in
 * memory: input from a `ReadableStream` or (async) iterable of pieces of any sizes, output as
 * 32 KiB-chunk pieces; memory stays at a few chunks whatever the file size. Output is identical
 * to {@link encryptAttachment} / {@link decryptAttachment} on the whole buffer.
 * @module
 */
import { SessionSdkError } from '../../errors.js';
import { assertBytes, equalBytes, wipe } from '../../util/bytes.js';
import {
  SECRETSTREAM_TAG_FINAL,
  SECRETSTREAM_TAG_MESSAGE,
  secretstreamInitPush,
  secretstreamPullInto,
  secretstreamPushInto,
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
import { PaddingStripper, checkChunkTag, openAttachmentHeader } from './deterministic.js';
import { createNonceKeyHasher, type AttachmentDomain } from './key-derivation.js';
import { ATTACHMENT_MAX_ENCRYPTED_SIZE, ATTACHMENT_MAX_REGULAR_SIZE, checkAttachmentLimit, type AttachmentProgress } from './limits.js';
import { ByteQueue, iterateSource, type AttachmentSource } from './source.js';
// (type-only references for the TSDoc links above)
import type { decryptAttachment, encryptAttachment } from './deterministic.js';

/**
 * Options for {@link encryptAttachmentStream}.
 *
 * @example
 * ```ts
 * const opts: EncryptAttachmentStreamOptions = { onProgress: (e) => console.log(e.phase, e.processed) };
 * const enc = await encryptAttachmentStream(identity.seed, () => file.stream(), opts);
 * ```
 */
export interface EncryptAttachmentStreamOptions {
  /** Key-derivation domain: `'attachment'` (default) or `'profile-pic'`. */
  domain?: AttachmentDomain;
  /** Accept plaintexts above {@link ATTACHMENT_MAX_REGULAR_SIZE}. */
  allowLarge?: boolean;
  /** Called after each input piece of each pass (`'hash'`, then `'encrypt'`). */
  onProgress?: AttachmentProgress;
}

/**
 * Result of {@link encryptAttachmentStream}: the key is known before any ciphertext is produced.
 *
 * @example
 * ```ts
 * const enc: EncryptedAttachmentStream = await encryptAttachmentStream(identity.seed, () => file.stream());
 * await upload(enc.encryptedSize, enc.chunks);
 * sendPointer({ key: enc.key, size: enc.size });
 * ```
 */
export interface EncryptedAttachmentStream {
  /** 32-byte decryption key for the `AttachmentPointer`. */
  key: Uint8Array;
  /** Plaintext size measured by the first pass. */
  size: number;
  /** Exact total length of `chunks` (for a `Content-Length`). */
  encryptedSize: number;
  /**
   * The ciphertext: `'S' ‖ header` (25 bytes), then one piece per 32 KiB chunk. Single use.
   * Throws `INVALID_INPUT` if the second pass reads different bytes than the first (see
   * {@link encryptAttachmentStream}).
   */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Options for {@link decryptAttachmentStream}.
 *
 * @example
 * ```ts
 * const opts: DecryptAttachmentStreamOptions = { expectedSize: Number(res.headers.get('content-length')), onProgress };
 * for await (const piece of decryptAttachmentStream(res.body!, key, opts)) await out.write(piece);
 * ```
 */
export interface DecryptAttachmentStreamOptions {
  /** Accept ciphertexts above {@link ATTACHMENT_MAX_ENCRYPTED_SIZE}. */
  allowLarge?: boolean;
  /** Called after each input piece. `total` is `expectedSize` when given. */
  onProgress?: AttachmentProgress;
  /** Total ciphertext length if known (only reported through `onProgress`). */
  expectedSize?: number;
}

/** Zero-filled padding pieces then the `0x01` marker, `padding` bytes in all. */
function* paddingPieces(padding: number): Generator<Uint8Array> {
  const zeros = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  let left = padding - 1;
  while (left > 0) {
    const n = Math.min(left, ATTACHMENT_CHUNK_SIZE);
    yield zeros.subarray(0, n);
    left -= n;
  }
  yield Uint8Array.of(0x01);
}

/**
 * Encrypts a file in libsession's deterministic "S" format without holding it in memory. The key
 * depends on the whole content, so the source is read twice: `openSource` is called once for a
 * hashing pass (before this promise resolves) and once more when `chunks` is iterated. It must
 * yield the same bytes both times (a `Blob`'s `stream()`, a file reopened, …): the second pass is
 * hashed again and a difference throws `INVALID_INPUT` before the FINAL chunk is produced, so a
 * changed source never yields a complete attachment — but discard any pieces already produced,
 * since they were encrypted under the first content's key and header.
 *
 * Output equals `encryptAttachment(seed, wholeFile)` byte for byte. Throws `TOO_LARGE` as soon as
 * the first pass passes 10 218 286 bytes unless `allowLarge`.
 *
 * @example
 * ```ts
 * const enc = await encryptAttachmentStream(identity.seed, () => file.stream());
 * await upload(enc.encryptedSize, enc.chunks);
 * sendPointer({ key: enc.key, size: enc.size });
 * ```
 */
export async function encryptAttachmentStream(
  seed: Uint8Array,
  openSource: () => AttachmentSource,
  opts: EncryptAttachmentStreamOptions = {},
): Promise<EncryptedAttachmentStream> {
  if (typeof openSource !== 'function') throw new SessionSdkError('INVALID_INPUT', 'openSource must be a function returning a fresh source');
  const hasher = createNonceKeyHasher(seed, opts.domain);
  let size = 0;
  for await (const piece of iterateSource(openSource())) {
    size += piece.length;
    checkAttachmentLimit(size, ATTACHMENT_MAX_REGULAR_SIZE, opts.allowLarge, 'attachment');
    hasher.update(piece);
    opts.onProgress?.({ phase: 'hash', processed: size });
  }
  const nk = hasher.digest();
  const key = nk.slice(ATTACHMENT_HEADER_SIZE);
  const encryptedSize = attachmentEncryptedSize(size);
  let used = false;
  const chunks = {
    [Symbol.asyncIterator]: () => {
      if (used) throw new SessionSdkError('INVALID_INPUT', 'attachment chunks can be iterated only once');
      used = true;
      return encryptChunks(seed, nk, size, openSource, opts)[Symbol.asyncIterator]();
    },
  };
  return { key, size, encryptedSize, chunks };
}

async function* encryptChunks(
  seed: Uint8Array,
  nk: Uint8Array,
  size: number,
  openSource: () => AttachmentSource,
  opts: EncryptAttachmentStreamOptions,
): AsyncGenerator<Uint8Array> {
  const header = nk.subarray(0, ATTACHMENT_HEADER_SIZE);
  const st = secretstreamInitPush(nk.subarray(ATTACHMENT_HEADER_SIZE), header);
  const prefix = new Uint8Array(ATTACHMENT_PREFIX_SIZE);
  prefix[0] = ATTACHMENT_FORMAT_S;
  prefix.set(header, 1);
  const rehash = createNonceKeyHasher(seed, opts.domain);
  const padding = attachmentPaddingSize(size);
  const total = padding + size;
  const queue = new ByteQueue(ATTACHMENT_CHUNK_SIZE);
  let streamPos = 0;
  let dataSeen = 0;
  const emit = (chunk: Uint8Array): Uint8Array => {
    const final = streamPos + chunk.length === total;
    if (final && !equalBytes(rehash.digest(), nk)) {
      throw new SessionSdkError('INVALID_INPUT', 'attachment source changed between the hashing and encrypting passes');
    }
    const out = new Uint8Array(chunk.length + ATTACHMENT_CHUNK_OVERHEAD);
    secretstreamPushInto(st, chunk, final ? SECRETSTREAM_TAG_FINAL : SECRETSTREAM_TAG_MESSAGE, out, 0);
    streamPos += chunk.length;
    return out;
  };
  try {
    yield prefix;
    for (const piece of paddingPieces(padding)) {
      queue.push(piece);
      for (let c = queue.take(ATTACHMENT_CHUNK_SIZE); c; c = queue.take(ATTACHMENT_CHUNK_SIZE)) yield emit(c);
    }
    for await (const piece of iterateSource(openSource())) {
      dataSeen += piece.length;
      if (dataSeen > size) throw new SessionSdkError('INVALID_INPUT', 'attachment source grew between the hashing and encrypting passes');
      rehash.update(piece);
      queue.push(piece);
      for (let c = queue.take(ATTACHMENT_CHUNK_SIZE); c; c = queue.take(ATTACHMENT_CHUNK_SIZE)) yield emit(c);
      opts.onProgress?.({ phase: 'encrypt', processed: dataSeen, total: size });
    }
    if (dataSeen !== size) throw new SessionSdkError('INVALID_INPUT', 'attachment source shrank between the hashing and encrypting passes');
    // The last, partial chunk (a full last chunk was already emitted as FINAL by `emit`).
    if (streamPos < total) yield emit(queue.rest());
  } finally {
    queue.wipe();
    wipe(st.k, st.nonce, nk);
  }
}

/**
 * Decrypts an "S" attachment as it arrives, yielding plaintext pieces (up to 32 KiB each) with
 * memory bounded by about two chunks. Every yielded piece has been authenticated by its chunk's
 * MAC, and the secretstream's nonce chaining makes reordered, duplicated or dropped chunks fail.
 * What a stream cannot know until its end is whether the attachment is complete: a truncated
 * download yields an authentic prefix and then throws `DECRYPT_FAILED`. So treat the output as
 * provisional (write it to a temporary file) until the iteration finishes without throwing, and
 * discard it on any error. The FINAL chunk's data is released only after the input is confirmed
 * to end there.
 *
 * Errors as {@link decryptAttachment}; `TOO_LARGE` as soon as the input passes 10 223 616 bytes
 * unless `allowLarge`.
 *
 * @example
 * ```ts
 * for await (const piece of decryptAttachmentStream(response.body!, pointer.key)) await tmp.write(piece);
 * await tmp.commit(); // only reached if the whole attachment verified
 * ```
 */
export async function* decryptAttachmentStream(
  source: AttachmentSource,
  key: Uint8Array,
  opts: DecryptAttachmentStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  assertBytes(key, 'key', 32);
  const queue = new ByteQueue(ATTACHMENT_ENCRYPTED_CHUNK_SIZE);
  const stripper = new PaddingStripper();
  let st: ReturnType<typeof openAttachmentHeader> | undefined;
  let consumed = 0;
  let finalData: Uint8Array | undefined;
  // Decrypts one chunk; the FINAL chunk's data is parked in `finalData` until the input is known
  // to end right after it.
  const pull = (c: Uint8Array, atEnd: boolean): Uint8Array => {
    if (c.length <= ATTACHMENT_CHUNK_OVERHEAD) throw new SessionSdkError('DECRYPT_FAILED', 'attachment ends in the middle of a chunk (truncated)');
    const out = new Uint8Array(c.length - ATTACHMENT_CHUNK_OVERHEAD);
    const tag = secretstreamPullInto(st!, c, out, 0);
    const data = stripper.strip(out);
    if (tag === SECRETSTREAM_TAG_FINAL) {
      if (!stripper.done) throw new SessionSdkError('BAD_PADDING', 'attachment is all padding (no 0x01 marker)');
      finalData = data;
      return data.subarray(0, 0);
    }
    checkChunkTag(tag, atEnd);
    return data;
  };
  try {
    for await (const piece of iterateSource(source)) {
      if (piece.length === 0) continue;
      if (finalData) throw new SessionSdkError('DECRYPT_FAILED', 'attachment has data after its final chunk');
      consumed += piece.length;
      checkAttachmentLimit(consumed, ATTACHMENT_MAX_ENCRYPTED_SIZE, opts.allowLarge, 'encrypted attachment');
      queue.push(piece);
      if (!st) {
        const prefix = queue.take(ATTACHMENT_PREFIX_SIZE);
        if (!prefix) continue;
        st = openAttachmentHeader(prefix, key);
      }
      for (let c = queue.take(ATTACHMENT_ENCRYPTED_CHUNK_SIZE); c; c = queue.take(ATTACHMENT_ENCRYPTED_CHUNK_SIZE)) {
        if (finalData) throw new SessionSdkError('DECRYPT_FAILED', 'attachment has data after its final chunk');
        const data = pull(c, false);
        if (data.length) yield data;
      }
      opts.onProgress?.({ phase: 'decrypt', processed: consumed, ...(opts.expectedSize !== undefined ? { total: opts.expectedSize } : {}) });
    }
    if (!st) throw new SessionSdkError('DECRYPT_FAILED', 'encrypted attachment is too short');
    if (finalData && queue.available > 0) throw new SessionSdkError('DECRYPT_FAILED', 'attachment has data after its final chunk');
    if (!finalData) {
      const last = queue.rest();
      if (last.length === 0) throw new SessionSdkError('DECRYPT_FAILED', 'attachment ends without its final chunk (truncated)');
      pull(last, true);
    }
    if (finalData!.length) yield finalData!;
  } finally {
    queue.wipe();
    if (st) wipe(st.k, st.nonce);
  }
}
