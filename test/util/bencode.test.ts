import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionSdkError } from '../../src/errors.js';
import { bdecode, bdecodeDictEntries, bencode, type BValue } from '../../src/util/bencode.js';

const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('bencode (spec/config.md §1.2)', () => {
  it('encodes the upstream dict example canonically', () => {
    // tests/test_configdata.cpp example; the set {"2","1",4,-3} is written in set order
    const v = new Map<string, BValue>([
      ['a', 23],
      ['B', bytes('x')],
      ['c', [-3, 4, bytes('1'), bytes('2')]],
      ['D', new Map<string, BValue>([['x', 1], ['y', 2]])],
      ['d', new Map([['e', new Map([['f', new Map([['g', new Uint8Array(0)]])]])]])],
    ]);
    expect(text(bencode(v))).toBe('d1:B1:x1:Dd1:xi1e1:yi2ee1:ai23e1:cli-3ei4e1:11:2e1:dd1:ed1:fd1:g0:eeee');
  });

  it('encodes integers, bigints, text and lists', () => {
    expect(text(bencode(-42))).toBe('i-42e');
    expect(text(bencode(0))).toBe('i0e');
    expect(text(bencode(2n ** 63n))).toBe('i9223372036854775808e');
    expect(text(bencode(['ab', { z: 1, a: 'é' }]))).toBe('l2:abd1:a2:\u00c3\u00a91:zi1eee');
  });

  it('decodes what it encodes and keeps dict spans', () => {
    const enc = bencode({ '#': 5, '&': {}, '~': new Uint8Array(3) });
    const d = bdecode(enc) as Map<string, BValue>;
    expect(d.get('#')).toBe(5);
    const { entries } = bdecodeDictEntries(enc);
    const sig = entries.find((e) => e.key === '~')!;
    expect(text(enc.subarray(0, sig.start))).toBe('d1:#i5e1:&de');
    expect(sig.end).toBe(enc.length - 1);
  });

  it.each([
    ['i03e', 'leading zero'],
    ['i-0e', 'negative zero'],
    ['ie', 'empty integer'],
    ['03:abc', 'leading zero length'],
    ['4:abc', 'short string'],
    ['d1:bi1e1:ai2ee', 'unsorted keys'],
    ['d1:ai1e1:ai2ee', 'duplicate keys'],
    ['li1e', 'unterminated list'],
    ['i1ei2e', 'trailing bytes'],
    ['x', 'unknown type'],
    ['i99999999999999999999e', 'over 64 bits'],
    ['', 'empty'],
  ])('rejects %s (%s)', (s) => {
    expect(() => bdecode(bytes(s))).toThrowError(SessionSdkError);
    try {
      bdecode(bytes(s));
    } catch (e) {
      expect((e as SessionSdkError).code).toBe('INVALID_ENCODING');
    }
  });

  it('rejects hostile nesting without overflowing the stack', () => {
    expect(() => bdecode(bytes('l'.repeat(100000)))).toThrowError(/too deep/);
  });

  const value: fc.Arbitrary<BValue> = fc.letrec<{ v: BValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.uint8Array({ maxLength: 40 }),
      fc.maxSafeInteger(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).filter((n) => n < -(2n ** 53n) || n > 2n ** 53n),
      fc.array(tie('v'), { maxLength: 5 }),
      fc.array(fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 6 }), tie('v')), { maxLength: 5 }).map((es) => new Map(es)),
    ),
  })).v;

  it('round-trips random values (property)', () => {
    fc.assert(
      fc.property(value, (v) => {
        const enc = bencode(v);
        expect(bencode(bdecode(enc))).toEqual(enc);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('only ever throws SessionSdkError on random and mutated input (property)', () => {
    const check = (b: Uint8Array) => {
      try {
        const v = bdecode(b);
        expect(bencode(v)).toEqual(b); // anything accepted is canonical
      } catch (e) {
        expect(e).toBeInstanceOf(SessionSdkError);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), check), { seed: 7, numRuns: 500 });
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 255 }), (v, i, x) => {
        const enc = bencode(v);
        enc[i % enc.length] = x;
        check(enc);
      }),
      { seed: 8, numRuns: 500 },
    );
  });
});
