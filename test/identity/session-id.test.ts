import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionSdkError } from '../../src/errors.js';
import { generateIdentity } from '../../src/identity/keys.js';
import {
  formatSessionId,
  parseSessionId,
  SessionIdPrefix,
  sessionIdToPublicKey,
} from '../../src/identity/session-id.js';
import { loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors<{ [k in 'seed_to_identity' | 'key_conversion' | 'ed25519_signatures' | 'id_strings']: any[] }>('identity-envelope/identity.json');

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionSdkError);
    return (e as SessionSdkError).code;
  }
  return 'ok';
}

describe('parseSessionId (spec/identity-envelope.md §1.2, spec/security.md §4)', () => {
  it.each(V.id_strings.map((v: any) => [v.description, v] as [string, any]))('%s', (_d, v: any) => {
    if (v.valid_as.length) {
      const p = parseSessionId(v.value);
      expect(p.prefix).toBe(0x05);
      expect(toHex(p.publicKey)).toBe(v.value.slice(2));
    } else {
      expect(code(() => parseSessionId(v.value))).toBe('INVALID_SESSION_ID');
    }
  });

  it('parses every prefix and normalises case', () => {
    const id = generateIdentity();
    const ed = toHex(id.ed25519PublicKey);
    for (const p of ['03', '15', '25', '00', '07']) {
      const r = parseSessionId((p + ed).toUpperCase());
      expect(r.prefix).toBe(parseInt(p, 16));
      expect(toHex(r.publicKey)).toBe(ed);
    }
    expect(formatSessionId(SessionIdPrefix.STANDARD, parseSessionId(id.sessionId.toUpperCase()).publicKey)).toBe(id.sessionId);
    expect(toHex(sessionIdToPublicKey(id.sessionId))).toBe(id.sessionId.slice(2));
  });

  it.each([
    ['too short', '05' + 'ab'.repeat(31)],
    ['too long', '05' + 'ab'.repeat(33)],
    ['bad hex', '05' + 'zz'.repeat(32)],
    ['unknown prefix', '06' + 'ab'.repeat(32)],
    ['X25519 zero key', '05' + '00'.repeat(32)],
    ['X25519 order-8 key', '05e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'],
    ['X25519 u = p - 1', '05ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['X25519 u >= p (non-canonical twin of u = 1)', '05eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
    ['X25519 bit 255 set', '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3af2'],
    ['Ed25519 small order (15)', '15c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
    ['Ed25519 not on curve (03)', '030200000000000000000000000000000000000000000000000000000000000000'],
  ])('rejects %s', (_n, id) => {
    expect(code(() => parseSessionId(id))).toBe('INVALID_SESSION_ID');
  });

  it('rejects non-strings and wrong prefixes with typed errors', () => {
    expect(code(() => parseSessionId(5 as unknown as string))).toBe('INVALID_SESSION_ID');
    const id = generateIdentity();
    expect(code(() => sessionIdToPublicKey('03' + toHex(id.ed25519PublicKey)))).toBe('INVALID_PREFIX');
    expect(code(() => formatSessionId(0x06 as 0x05, id.x25519PublicKey))).toBe('INVALID_PREFIX');
    expect(code(() => formatSessionId(0x05, new Uint8Array(31)))).toBe('INVALID_LENGTH');
  });

  it('round-trips random identities (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), () => {
        const id = generateIdentity();
        expect(formatSessionId(0x05, parseSessionId(id.sessionId).publicKey)).toBe(id.sessionId);
      }),
      { seed: 3, numRuns: 30 },
    );
  });

  it('never throws anything but SessionSdkError on random strings (property)', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxz '.split('')), minLength: 60, maxLength: 70 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), hexish), (s) => {
        const c = code(() => parseSessionId(s));
        expect(['ok', 'INVALID_SESSION_ID']).toContain(c);
      }),
      { seed: 4, numRuns: 500 },
    );
  });
});
