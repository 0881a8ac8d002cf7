// The zstd compressor used for group message bodies: round trips through fzstd (an independent
// decoder) and our bounded decoder, and reproduces upstream's compressed block for the vector text.
import fc from 'fast-check';
import { decompress } from 'fzstd';
import { describe, expect, it } from 'vitest';
import { zstdCompress } from '../../src/util/zstd-compress.js';
import { zstdDecompressBounded } from '../../src/util/zstd.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('groups/group-messages.json');
const z = V.vectors.find((v: { name: string }) => v.name === 'group_message_zstd_decrypt_only');

describe('zstdCompress', () => {
  it('the 1632-byte vector text: same compressed block as upstream zstd, valid frame', () => {
    const pt = new TextEncoder().encode(z.outputs.plaintext_utf8);
    const ours = zstdCompress(pt);
    expect(decompress(ours)).toEqual(pt);
    expect(zstdDecompressBounded(ours, 1_000_000)).toEqual(pt);
    // upstream frame: magic, FHD 00, window byte 48, then the block; ours declares the content
    // size instead of a window (single segment) and then carries the very same block
    const upstream = hex(z.outputs.zstd_frame);
    expect(toHex(ours.subarray(7))).toBe(toHex(upstream.subarray(6)));
    expect(ours.length).toBe(70);
  });

  it('round-trips random and repetitive data of any size (multi-block included)', () => {
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 9000 })).map(([unit, reps]) => {
        const out = new Uint8Array(unit.length * reps);
        for (let i = 0; i < reps; i++) out.set(unit, i * unit.length);
        return out;
      }),
      fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 300_000 }), fc.integer()).map(([alpha, n, seed]) => {
        const out = new Uint8Array(n);
        let x = seed | 1;
        for (let i = 0; i < n; i++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          out[i] = (x >>> 0) % alpha;
        }
        return out;
      }),
    );
    fc.assert(
      fc.property(data, (d) => {
        const c = zstdCompress(d);
        // Buffer.equals: vitest's deep equality is far too slow for 300 kB arrays
        expect(Buffer.from(decompress(c)).equals(Buffer.from(d))).toBe(true);
        expect(Buffer.from(zstdDecompressBounded(c, d.length)).equals(Buffer.from(d))).toBe(true);
        // never much larger than the input (raw blocks as the fallback)
        expect(c.length).toBeLessThanOrEqual(d.length + 12 + 3 * Math.ceil(d.length / 131072 + 1));
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
