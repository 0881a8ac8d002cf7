// BIP39 backup phrase of the seed bytes (entropy, not PBKDF2), via @scure/bip39.
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSessionSdkError, SessionSdkError, type SessionSdkErrorCode } from '../../src/errors.js';
import { bip39Decode, bip39Encode, mnemonicEncode } from '../../src/index.js';
import { hex, toHex } from '../helpers/vectors.js';

// Entropy ↔ phrase pairs from the BIP39 reference test vectors (trezor/python-mnemonic
// vectors.json, English), the 16- and 32-byte ones.
const TREZOR: [string, string][] = [
  ['00000000000000000000000000000000', 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'],
  ['7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f', 'legal winner thank year wave sausage worth useful legal winner thank yellow'],
  ['80808080808080808080808080808080', 'letter advice cage absurd amount doctor acoustic avoid letter advice cage above'],
  ['ffffffffffffffffffffffffffffffff', 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong'],
  [
    '0000000000000000000000000000000000000000000000000000000000000000',
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art',
  ],
  [
    '7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f',
    'legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title',
  ],
  [
    '8080808080808080808080808080808080808080808080808080808080808080',
    'letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless',
  ],
  [
    'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote',
  ],
  ['9e885d952ad362caeb4efe34a8e91bd2', 'ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic'],
  [
    '68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c',
    'hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length',
  ],
];

function expectCode(fn: () => unknown, code: SessionSdkErrorCode): SessionSdkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionSdkError);
    expect((e as SessionSdkError).code).toBe(code);
    return e as SessionSdkError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const OPTS = { seed: 42, numRuns: 200 };
const seedBytes = fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 }));

describe('bip39Encode / bip39Decode', () => {
  for (const [entropy, phrase] of TREZOR) {
    it(`BIP39 vector ${entropy.slice(0, 8)}… (${entropy.length / 2} bytes)`, () => {
      expect(bip39Encode(hex(entropy))).toBe(phrase);
      expect(toHex(bip39Decode(phrase))).toBe(entropy);
    });
  }

  it('is not the Session recovery phrase of the same bytes', () => {
    const seed = hex('000102030405060708090a0b0c0d0e0f');
    expect(bip39Encode(seed)).not.toBe(mnemonicEncode(seed, { checksum: false }));
    expectCode(() => bip39Decode(mnemonicEncode(seed)), 'INVALID_MNEMONIC_LENGTH');
    expectCode(() => bip39Decode(mnemonicEncode(seed, { checksum: false })), 'UNKNOWN_MNEMONIC_WORD');
  });

  it('ignores case and runs of whitespace', () => {
    const [entropy, phrase] = TREZOR[8]!;
    expect(toHex(bip39Decode(`  ${phrase.toUpperCase().split(' ').join(' \n\t ')}\n`))).toBe(entropy);
  });

  it('INVALID_LENGTH for seeds other than 16 or 32 bytes; INVALID_INPUT for non-bytes', () => {
    for (const n of [0, 15, 20, 24, 28, 33, 64]) expectCode(() => bip39Encode(new Uint8Array(n)), 'INVALID_LENGTH');
    expectCode(() => bip39Encode('00' as unknown as Uint8Array), 'INVALID_INPUT');
    expectCode(() => bip39Decode(7 as unknown as string), 'INVALID_INPUT');
  });

  it('INVALID_MNEMONIC_LENGTH for counts other than 12 and 24 (including valid BIP39 15/18/21)', () => {
    const w = TREZOR[4]![1].split(' ');
    for (const n of [0, 1, 11, 13, 15, 18, 21, 23, 25]) expectCode(() => bip39Decode(w.slice(0, n).join(' ') + (n > 24 ? ' abandon' : '')), 'INVALID_MNEMONIC_LENGTH');
    const v15 = entropyToMnemonic(new Uint8Array(20), wordlist);
    expectCode(() => bip39Decode(v15), 'INVALID_MNEMONIC_LENGTH');
  });

  it('UNKNOWN_MNEMONIC_WORD names the position, never the word', () => {
    const w = TREZOR[1]![1].split(' ');
    w[6] = 'wortht';
    const e = expectCode(() => bip39Decode(w.join(' ')), 'UNKNOWN_MNEMONIC_WORD');
    expect(e.message).toContain('word 7');
    expect(e.message).not.toContain('wortht');
    // BIP39 has no prefix matching: a 4-letter abbreviation is not a word.
    expectCode(() => bip39Decode(TREZOR[1]![1].replace('legal', 'lega')), 'UNKNOWN_MNEMONIC_WORD');
  });

  it('BAD_MNEMONIC_CHECKSUM for a wrong last word', () => {
    const e = expectCode(() => bip39Decode(TREZOR[0]![1].replace(/about$/, 'abandon')), 'BAD_MNEMONIC_CHECKSUM');
    expect(e.message).not.toContain('abandon');
    expectCode(() => bip39Decode(TREZOR[7]![1].replace(/vote$/, 'zoo')), 'BAD_MNEMONIC_CHECKSUM');
  });
});

describe('properties', () => {
  it('round-trips and agrees with @scure/bip39 directly', () => {
    fc.assert(
      fc.property(seedBytes, (seed) => {
        const phrase = bip39Encode(seed);
        return (
          phrase === entropyToMnemonic(seed, wordlist) &&
          toHex(mnemonicToEntropy(phrase, wordlist)) === toHex(seed) &&
          toHex(bip39Decode(phrase)) === toHex(seed)
        );
      }),
      OPTS,
    );
  });

  it('random strings never throw anything but SessionSdkError', () => {
    const anyUtf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((a) => String.fromCharCode(...a));
    const ok = (s: string) => {
      try {
        bip39Decode(s);
      } catch (e) {
        if (!isSessionSdkError(e)) throw e;
      }
      return true;
    };
    fc.assert(fc.property(fc.string({ maxLength: 200 }), ok), OPTS);
    fc.assert(fc.property(anyUtf16, ok), OPTS);
    const word = fc.integer({ min: 0, max: 2047 }).map((i) => wordlist[i]!);
    fc.assert(fc.property(fc.array(word, { minLength: 12, maxLength: 12 }).map((a) => a.join(' ')), ok), OPTS);
  });

  it('a replaced word is caught by the checksum or decodes to different bytes', () => {
    fc.assert(
      fc.property(seedBytes, fc.nat(), fc.integer({ min: 0, max: 2047 }), (seed, i0, r) => {
        const words = bip39Encode(seed).split(' ');
        const i = i0 % words.length;
        fc.pre(words[i] !== wordlist[r]);
        words[i] = wordlist[r]!;
        try {
          return toHex(bip39Decode(words.join(' '))) !== toHex(seed);
        } catch (e) {
          return isSessionSdkError(e, 'BAD_MNEMONIC_CHECKSUM');
        }
      }),
      OPTS,
    );
  });
});
