// The portable CBOR envelope: exact bytes, strict decoding, and fuzzing.
import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePortableEnvelope,
  encodePortableEnvelope,
  PORTABLE_ENVELOPE_MAX_SIZE,
  type PortableEnvelope,
} from '../../src/envelope/portable-envelope.js';
import { isSessionSdkError } from '../../src/errors.js';
import { hex, toHex } from '../helpers/vectors.js';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

const cborText = (s: string): string => (0x60 + s.length).toString(16) + Buffer.from(s).toString('hex');
// Hand-written RFC 8949 encodings (independent of cbor-x). HAND_EXPIRED is well-formed CBOR but
// expires before it was sent, which the decoder refuses.
const HAND_EXPIRED =
  'a5' +
  cborText('version') + '01' +
  cborText('kind') + cborText('session-v1') +
  cborText('sentAt') + '1b0000018bcfe5687b' + // 1 700 000 000 123 needs 8 bytes
  cborText('expiresAt') + '1a05f5e100' + // 100 000 000 fits in 4
  cborText('payload') + '43010203';
const HAND_VALID =
  'a5' +
  cborText('version') + '01' +
  cborText('kind') + cborText('session-v1') +
  cborText('sentAt') + '1a05f5e100' +
  cborText('expiresAt') + '1b0000018bcfe5687b' +
  cborText('payload') + '43010203';

describe('portable envelope', () => {
  it('encodes to the documented canonical CBOR and decodes back', () => {
    const env = { kind: 'session-v1', sentAt: 100_000_000, expiresAt: 1_700_000_000_123, payload: Uint8Array.from([1, 2, 3]) };
    expect(toHex(encodePortableEnvelope(env))).toBe(HAND_VALID);
    expect(decodePortableEnvelope(hex(HAND_VALID))).toEqual({ version: 1, ...env });
    expect(codeOf(() => decodePortableEnvelope(hex(HAND_EXPIRED)))).toBe('INVALID_ENCODING'); // expires before sent
  });

  it('uses the shortest integer encodings and omits an absent expiresAt', () => {
    for (const [t, enc] of [[0, '00'], [23, '17'], [24, '1818'], [255, '18ff'], [256, '190100'], [65536, '1a00010000'], [2 ** 32 - 1, '1affffffff'], [2 ** 32, '1b0000000100000000'], [2 ** 53 - 1, '1b001fffffffffffff']] as const) {
      const b = encodePortableEnvelope({ kind: 'k', sentAt: t, payload: new Uint8Array(0) });
      expect(toHex(b)).toBe('a4' + cborText('version') + '01' + cborText('kind') + cborText('k') + cborText('sentAt') + enc + cborText('payload') + '40');
      expect(decodePortableEnvelope(b).sentAt).toBe(t);
    }
  });

  it('round-trips random envelopes', () => {
    const arb = fc.record(
      {
        kind: fc.stringMatching(/^[a-z0-9._/-]{1,64}$/),
        sentAt: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 10 }),
        expiresDelta: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        payload: fc.uint8Array({ maxLength: 300 }),
      },
      { requiredKeys: ['kind', 'sentAt', 'payload'] },
    );
    fc.assert(
      fc.property(arb, ({ kind, sentAt, expiresDelta, payload }) => {
        const env: PortableEnvelope = { kind, sentAt, payload };
        if (expiresDelta !== undefined) env.expiresAt = sentAt + expiresDelta;
        expect(decodePortableEnvelope(encodePortableEnvelope(env))).toEqual({ version: 1, ...env });
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('rejects unknown versions with UNSUPPORTED_VERSION', () => {
    const raw = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
    for (const v of [0, 2, 255]) {
      const b = raw.encode({ version: v, kind: 'k', sentAt: 1, payload: new Uint8Array(0) });
      expect(codeOf(() => decodePortableEnvelope(b))).toBe('UNSUPPORTED_VERSION');
      // Also a future version with entirely different fields.
      expect(codeOf(() => decodePortableEnvelope(raw.encode({ version: v, other: true })))).toBe('UNSUPPORTED_VERSION');
    }
    expect(codeOf(() => encodePortableEnvelope({ version: 2, kind: 'k', sentAt: 1, payload: new Uint8Array(0) }))).toBe('UNSUPPORTED_VERSION');
  });

  it('rejects missing, extra, ill-typed and non-canonical fields with INVALID_ENCODING', () => {
    const raw = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
    const base = { version: 1, kind: 'k', sentAt: 1, payload: new Uint8Array(1) };
    const bad: Record<string, unknown>[] = [
      { kind: 'k', sentAt: 1, payload: new Uint8Array(1) }, // no version
      { ...base, version: '1' },
      { ...base, kind: undefined },
      { version: 1, kind: 'k', payload: new Uint8Array(1) },
      { version: 1, kind: 'k', sentAt: 1 },
      { ...base, extra: 1 },
      { ...base, kind: 'UPPER' },
      { ...base, kind: '' },
      { ...base, kind: 'x'.repeat(65) },
      { ...base, kind: 5 },
      { ...base, sentAt: -1 },
      { ...base, sentAt: 1.5 },
      { ...base, sentAt: 'now' },
      { ...base, payload: 'bytes' },
      { ...base, payload: [1] },
      { version: 1, sentAt: 1, kind: 'k', payload: new Uint8Array(1) }, // wrong key order
    ];
    for (const b of bad) {
      const clean = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
      expect(codeOf(() => decodePortableEnvelope(raw.encode(clean))), JSON.stringify(clean)).toBe('INVALID_ENCODING');
    }
    const good = encodePortableEnvelope({ kind: 'k', sentAt: 1, payload: new Uint8Array(1) });
    const variants = [
      new Uint8Array([...good, 0]), // trailing byte
      good.subarray(0, good.length - 1), // truncated
      new Uint8Array([0xd9, 0xd9, 0xf7, ...good]), // self-describe tag
      hex(toHex(good).replace(cborText('sentAt') + '01', cborText('sentAt') + '1801')), // non-shortest int
      hex(toHex(good).replace(cborText('sentAt') + '01', cborText('sentAt') + 'fb3ff0000000000000')), // float
      hex('bf' + toHex(good).slice(2) + 'ff'), // indefinite-length map
      hex('a5' + toHex(good).slice(2) + cborText('kind') + cborText('k')), // duplicate key
      hex('80'), // array
      hex('f6'), // null
      new Uint8Array(0),
    ];
    for (const v of variants) expect(codeOf(() => decodePortableEnvelope(v)), toHex(v)).toBe('INVALID_ENCODING');
  });

  it('validates input on encode and enforces the size limit', () => {
    const bad: unknown[] = [null, { kind: 'k', sentAt: 1 }, { kind: 'K', sentAt: 1, payload: new Uint8Array(0) }, { kind: 'k', sentAt: 2 ** 53, payload: new Uint8Array(0) }, { kind: 'k', sentAt: 5, expiresAt: 4, payload: new Uint8Array(0) }];
    for (const b of bad) expect(codeOf(() => encodePortableEnvelope(b as PortableEnvelope))).toBe('INVALID_INPUT');
    expect(codeOf(() => encodePortableEnvelope({ kind: 'k', sentAt: 1, payload: new Uint8Array(PORTABLE_ENVELOPE_MAX_SIZE) }))).toBe('TOO_LARGE');
    expect(codeOf(() => decodePortableEnvelope(new Uint8Array(PORTABLE_ENVELOPE_MAX_SIZE + 1)))).toBe('TOO_LARGE');
    expect(codeOf(() => decodePortableEnvelope('a4' as unknown as Uint8Array))).toBe('INVALID_INPUT');
  });

  it('returns a payload copy that does not alias the input', () => {
    const b = encodePortableEnvelope({ kind: 'k', sentAt: 1, payload: Uint8Array.from([7]) });
    const env = decodePortableEnvelope(b);
    b[b.length - 1] = 9;
    expect(env.payload[0]).toBe(7);
    expect(Object.getPrototypeOf(env.payload)).toBe(Uint8Array.prototype);
  });

  it('never throws anything but SessionSdkError on random or mutated input', () => {
    const valid = encodePortableEnvelope({ kind: 'session-v1', sentAt: 1_700_000_000_000, expiresAt: 1_700_000_100_000, payload: new Uint8Array(40).fill(5) });
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat({ max: 5 })).map(([edits, cut]) => {
      const q = valid.slice(0, valid.length - cut);
      for (const [i, b] of edits) q[i % q.length] = b;
      return q;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (b) => {
        try {
          const env = decodePortableEnvelope(b);
          expect(toHex(encodePortableEnvelope(env))).toBe(toHex(b)); // anything accepted is canonical
        } catch (e) {
          expect(isSessionSdkError(e, 'INVALID_ENCODING', 'UNSUPPORTED_VERSION'), String(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});
