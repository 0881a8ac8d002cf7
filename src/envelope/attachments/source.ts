/**
 * Byte sources for the streaming attachment functions: a WHATWG `ReadableStream`, any (async)
 * iterable of `Uint8Array` pieces of any sizes, and a re-chunker that turns them into the fixed
 * pieces each scheme works on while holding at most one piece in memory.
 * @module
 */
import { SessionSdkError } from '../../errors.js';

/**
 * Where streaming attachment input comes from: pieces of any size, in order.
 *
 * @example
 * ```ts
 * const source: AttachmentSource = file.stream(); // or an async iterable, or an array of pieces
 * const enc = encryptLegacyAttachmentStream(source);
 * ```
 */
export type AttachmentSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function isReadableStream(s: unknown): s is ReadableStream<Uint8Array> {
  return typeof s === 'object' && s !== null && typeof (s as ReadableStream).getReader === 'function';
}

/**
 * Iterates a source's pieces, rejecting anything that is not a `Uint8Array`. Readable streams are
 * read through `getReader()` (not every runtime makes them async-iterable) and released, or
 * cancelled when the consumer stops early.
 */
export async function* iterateSource(source: AttachmentSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (source instanceof Uint8Array) {
    throw new SessionSdkError('INVALID_INPUT', 'attachment source must yield Uint8Array pieces; wrap a single buffer as [bytes]');
  }
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield checkPiece(r.value);
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  if (typeof source !== 'object' || source === null || (!(Symbol.asyncIterator in source) && !(Symbol.iterator in source))) {
    throw new SessionSdkError('INVALID_INPUT', 'attachment source must be a ReadableStream or an (async) iterable of Uint8Array');
  }
  for await (const piece of source as AsyncIterable<Uint8Array>) yield checkPiece(piece);
}

function checkPiece(p: unknown): Uint8Array {
  if (!(p instanceof Uint8Array)) throw new SessionSdkError('INVALID_INPUT', 'attachment source yielded something other than a Uint8Array');
  return p;
}

/**
 * A queue of incoming bytes read back in chunks of chosen sizes. `take(n)` returns a view into the
 * caller's piece when it already holds `n` contiguous bytes (no copy), else a copy assembled in
 * one internal buffer, so memory stays at one chunk plus the current piece.
 */
export class ByteQueue {
  private readonly buf: Uint8Array;
  private readonly spare: Uint8Array;
  private fill = 0;
  private piece: Uint8Array = new Uint8Array(0);
  private pos = 0;

  /** `maxChunk`: the largest `n` that will be asked of {@link take}. */
  constructor(maxChunk: number) {
    this.buf = new Uint8Array(maxChunk);
    this.spare = new Uint8Array(maxChunk);
  }

  /** Adds the next piece; call only once {@link take} has returned `undefined` (the last piece is used up). */
  push(piece: Uint8Array): void {
    this.piece = piece;
    this.pos = 0;
  }

  /** Bytes held (buffered plus unread in the current piece). */
  get available(): number {
    return this.fill + this.piece.length - this.pos;
  }

  /**
   * The next `n` bytes, or `undefined` when more input is needed (everything held is then
   * buffered). The view is valid until the next call (it may alias the internal buffer).
   */
  take(n: number): Uint8Array | undefined {
    const rest = this.piece.length - this.pos;
    if (this.fill === 0 && rest >= n) {
      const out = this.piece.subarray(this.pos, this.pos + n);
      this.pos += n;
      return out;
    }
    if (this.fill < n) {
      const k = Math.min(rest, n - this.fill);
      this.buf.set(this.piece.subarray(this.pos, this.pos + k), this.fill);
      this.fill += k;
      this.pos += k;
      if (this.fill < n) return undefined;
      this.fill = 0;
      return this.buf.subarray(0, n);
    }
    // More is buffered than asked for (after absorb()): hand out a copy and shift the rest down.
    this.spare.set(this.buf.subarray(0, n));
    this.buf.copyWithin(0, n, this.fill);
    this.fill -= n;
    return this.spare.subarray(0, n);
  }

  /**
   * Moves the unread rest of the current piece into the internal buffer, so the next piece can be
   * pushed while holding bytes back (used to keep a trailer such as a MAC unprocessed).
   */
  absorb(): void {
    const n = this.piece.length - this.pos;
    if (this.fill + n > this.buf.length) throw new SessionSdkError('INVALID_INPUT', 'byte queue overflow');
    this.buf.set(this.piece.subarray(this.pos), this.fill);
    this.fill += n;
    this.pos = this.piece.length;
  }

  /** Everything left once the input has ended (fewer bytes than were last asked for); empties the queue. */
  rest(): Uint8Array {
    const n = this.piece.length - this.pos;
    const out = new Uint8Array(this.fill + n);
    out.set(this.buf.subarray(0, this.fill));
    out.set(this.piece.subarray(this.pos), this.fill);
    this.fill = 0;
    this.pos = this.piece.length;
    return out;
  }

  /** Zeroes the internal buffer (plaintext may have passed through it). */
  wipe(): void {
    this.buf.fill(0);
    this.spare.fill(0);
  }
}
