/**
 * A growable byte buffer for encoders that do not know their output size up front (bencode,
 * the zstd compressor). Doubling growth keeps appends amortised O(1).
 * @module
 */

/** Appends bytes to an internal buffer; {@link ByteWriter.result} copies out what was written. */
export class ByteWriter {
  private buf: Uint8Array;
  /** Number of bytes written so far. */
  len = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  /** Appends one byte. */
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Appends bytes. */
  bytes(b: ArrayLike<number>): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Appends the char codes of an ASCII string (lengths and integers in bencode). */
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  /** A view of what was written (valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of what was written. */
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
