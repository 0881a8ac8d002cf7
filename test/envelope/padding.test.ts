// Message padding (spec/identity-envelope.md §3.4): libsession form out, libsession and legacy
// desktop forms in, typed errors, properties on random and mutated input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_PADDING_BLOCK, padMessage, unpadMessage } from '../../src/envelope/padding.js';
import { isSessionSdkError } from '../../src/errors.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('identity-envelope/session-encrypt.json');
const vectors = V.padding as { description: string; input: { plaintext_hex: string }; expected: { padded_len: number; padded_hex: string } }[];
const isLegacy = (d: string): boolean => d.startsWith('LEGACY');

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describe('padding vectors', () => {
  it('has 7 libsession-form and 6 legacy-form vectors', () => {
    expect(vectors.filter((v) => !isLegacy(v.description)).length).toBe(7);
    expect(vectors.filter((v) => isLegacy(v.description)).length).toBe(6);
  });

  for (const v of vectors) {
    it(v.description, () => {
      const m = hex(v.input.plaintext_hex);
      const padded = hex(v.expected.padded_hex);
      expect(padded.length).toBe(v.expected.padded_len);
      if (!isLegacy(v.description)) expect(toHex(padMessage(m))).toBe(v.expected.padded_hex);
      // Both forms unpad to the original, strict or not.
      expect(toHex(unpadMessage(padded))).toBe(v.input.plaintext_hex);
      expect(toHex(unpadMessage(padded, { strict: true }))).toBe(v.input.plaintext_hex);
    });
  }
});

describe('padMessage / unpadMessage', () => {
  it('pads to the next multiple of 160 with a whole extra block at the boundary', () => {
    for (let n = 0; n < 700; n++) {
      const p = padMessage(new Uint8Array(n).fill(0x41));
      expect(p.length % MESSAGE_PADDING_BLOCK).toBe(0);
      expect(p.length).toBe((Math.floor((n + 1) / 160) + 1) * 160);
      expect(p[n]).toBe(0x80);
      expect(p.subarray(n + 1).every((b) => b === 0)).toBe(true);
    }
  });

  it('round-trips any input, including content that ends in 0x80 or 0x00', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (m) => {
        expect(toHex(unpadMessage(padMessage(m)))).toBe(toHex(m));
      }),
      { seed: 42, numRuns: 300 },
    );
    for (const m of [[0x80], [0x00], [0x80, 0x00], [0x41, 0x00, 0x00]]) {
      expect(toHex(unpadMessage(padMessage(Uint8Array.from(m))))).toBe(toHex(Uint8Array.from(m)));
    }
  });

  it('keeps unpadded content whole (trailing zeros included); strict mode refuses it', () => {
    const m = Uint8Array.from([0x08, 0x01, 0x20, 0x00]); // a protobuf ending in a zero varint
    expect(toHex(unpadMessage(m))).toBe('08012000');
    expect(codeOf(() => unpadMessage(m, { strict: true }))).toBe('BAD_PADDING');
    expect(toHex(unpadMessage(Uint8Array.from([1, 2, 3])))).toBe('010203');
  });

  it('returns a copy, never a view of the input', () => {
    const p = padMessage(Uint8Array.from([1, 2, 3]));
    const u = unpadMessage(p);
    p[0] = 9;
    expect(u[0]).toBe(1);
  });

  it('rejects empty and all-zero input with BAD_PADDING, non-bytes with INVALID_INPUT', () => {
    expect(codeOf(() => unpadMessage(new Uint8Array(0)))).toBe('BAD_PADDING');
    expect(codeOf(() => unpadMessage(new Uint8Array(160)))).toBe('BAD_PADDING');
    expect(codeOf(() => unpadMessage('x' as unknown as Uint8Array))).toBe('INVALID_INPUT');
    expect(codeOf(() => padMessage([1, 2] as unknown as Uint8Array))).toBe('INVALID_INPUT');
  });

  it('never throws anything but SessionSdkError on random or mutated input', () => {
    const valid = fc.uint8Array({ maxLength: 400 }).map((m) => padMessage(m));
    const mutated = fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([p, i, b]) => {
      const q = p.slice();
      q[i % q.length] = b;
      return q;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), valid, mutated), fc.boolean(), (input, strict) => {
        try {
          const out = unpadMessage(input, { strict });
          expect(out.length).toBeLessThanOrEqual(input.length);
          expect(toHex(out)).toBe(toHex(input.subarray(0, out.length)));
        } catch (e) {
          expect(isSessionSdkError(e, 'BAD_PADDING')).toBe(true);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
