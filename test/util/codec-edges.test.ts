// Edges of the byte codecs under src/util: bencode inputs it must refuse (spec/config.md §1.2),
// zstd frames the bounded decoder must walk or refuse (spec/groups.md §2.8: skippable frames,
// truncated checksums), and a compressed block with more than 4095 literals.
import { decompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { BencodeReader, bencode, keyBytes } from '../../src/util/bencode.js';
import { zstdCompress } from '../../src/util/zstd-compress.js';
import { zstdDecompressBounded } from '../../src/util/zstd.js';

const enc = new TextEncoder();
const code = (c: string) => expect.objectContaining({ code: c });

describe('bencode refuses what it cannot encode canonically', () => {
  it('dict keys must be binary strings (chars 0–255)', () => {
    expect(bencode({ 'caf\u00e9': 1 })).toEqual(Uint8Array.from([...enc.encode('d4:caf'), 0xe9, ...enc.encode('i1ee')]));
    expect(() => bencode({ 'euro\u20ac': 1 })).toThrow(code('INVALID_INPUT'));
    expect(() => keyBytes('\u0100')).toThrow(code('INVALID_INPUT'));
  });

  it('integers must be safe integers or bigints', () => {
    for (const v of [1.5, 2 ** 53, -(2 ** 53), Number.NaN, Infinity]) expect(() => bencode([v])).toThrow(code('INVALID_INPUT'));
    expect(bencode(2n ** 53n)).toEqual(enc.encode(`i${2n ** 53n}e`));
    expect(bencode(Number.MAX_SAFE_INTEGER)).toEqual(enc.encode(`i${Number.MAX_SAFE_INTEGER}e`));
  });

  it('other JavaScript values are refused, not stringified', () => {
    for (const v of [true, undefined, null, () => 1, Symbol('s')]) expect(() => bencode([v as never])).toThrow(code('INVALID_INPUT'));
  });

  it('nesting is limited to 64 levels on encode as on decode', () => {
    const nest = (d: number): unknown => (d === 0 ? [] : [nest(d - 1)]);
    expect(bencode(nest(64) as never)).toHaveLength(130);
    expect(() => bencode(nest(65) as never)).toThrow(code('INVALID_INPUT'));
  });

  it('readInt at a non-integer is INVALID_ENCODING and does not move the cursor', () => {
    const r = new BencodeReader(enc.encode('3:abc'));
    expect(() => r.readInt()).toThrow(code('INVALID_ENCODING'));
    expect(r.pos).toBe(0);
  });
});

/** A skippable frame (RFC 8878 §3.1.2) with `len` payload bytes and magic nibble `m`. */
const skippable = (len: number, m = 0) => {
  const f = new Uint8Array(8 + len);
  new DataView(f.buffer).setUint32(0, 0x184d2a50 + m, true);
  new DataView(f.buffer).setUint32(4, len, true);
  return f;
};
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('zstdDecompressBounded frame walking', () => {
  const text = enc.encode('group message body '.repeat(20));
  const frame = zstdCompress(text);

  it('skips skippable frames (any of the 16 magics) around a real frame', () => {
    expect(zstdDecompressBounded(cat(skippable(5), frame, skippable(0, 15)), 1000)).toEqual(text);
    expect(decompress(cat(skippable(5), frame))).toEqual(text); // fzstd agrees
  });

  it('refuses a truncated skippable frame, and input with only skippable frames', () => {
    expect(() => zstdDecompressBounded(cat(frame, skippable(10).subarray(0, 12)), 1000)).toThrow(code('INVALID_ENCODING'));
    expect(() => zstdDecompressBounded(skippable(3), 1000)).toThrow(code('INVALID_ENCODING'));
  });

  it('refuses a frame that declares a checksum but ends before it', () => {
    const flagged = frame.slice();
    flagged[4]! |= 0x04; // Content_Checksum_flag
    expect(() => zstdDecompressBounded(flagged, 1000)).toThrow(code('INVALID_ENCODING'));
    expect(() => zstdDecompressBounded(cat(flagged, new Uint8Array(3)), 1000)).toThrow(code('INVALID_ENCODING'));
  });
});

describe('zstdCompress literal sections', () => {
  it('a block with 4096 or more literals uses the 3-byte literals header and round-trips', () => {
    // Incompressible bytes (xorshift): everything is a literal.
    let x = 0x9e3779b9;
    const data = Uint8Array.from({ length: 5000 }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
    const z = zstdCompress(data);
    expect(decompress(z)).toEqual(data);
    expect(zstdDecompressBounded(z, data.length)).toEqual(data);
    expect(() => zstdDecompressBounded(z, data.length - 1)).toThrow(code('INVALID_ENCODING'));
  });
});
