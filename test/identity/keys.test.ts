import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  destroyIdentity,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
  generateIdentity,
  identityFromSeed,
  seedForPhrase,
  x25519PublicKeyToEd25519,
} from '../../src/identity/keys.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { ed25519SignSync } from '../../src/crypto/noble.js';
import { SessionSdkError } from '../../src/errors.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';

const V = loadVectors<{ [k in 'seed_to_identity' | 'key_conversion' | 'ed25519_signatures' | 'id_strings']: any[] }>('identity-envelope/identity.json');

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionSdkError);
    expect((e as SessionSdkError).code).toBe(code);
    return;
  }
  expect.fail(`expected SessionSdkError ${code}`);
}

describe('identityFromSeed (spec/identity-envelope.md §1.1)', () => {
  it.each(V.seed_to_identity.map((v: any) => [v.description, v] as [string, any]))('%s', (_d, v: any) => {
    const id = identityFromSeed(hex(v.input.seed));
    expect(toHex(id.seed)).toBe(v.input.seed_padded_32);
    const e = v.expected;
    expect(toHex(id.ed25519PublicKey)).toBe(e.ed25519_pk);
    expect(toHex(id.ed25519SecretKey)).toBe(e.ed25519_sk64 ?? v.input.seed_padded_32 + e.ed25519_pk);
    // not every upstream test asserts every field: check each one it does
    if (e.x25519_pk) expect(toHex(id.x25519PublicKey)).toBe(e.x25519_pk);
    if (e.x25519_sk) expect(toHex(id.x25519SecretKey)).toBe(e.x25519_sk);
    if (e.session_id) expect(id.sessionId).toBe(e.session_id);
    expect(id.sessionId).toBe('05' + toHex(id.x25519PublicKey));
  });

  it('accepts a 64-byte libsodium secret key and rejects a mismatched one', () => {
    const v = V.key_conversion[2];
    const id = identityFromSeed(hex(v.input.ed25519_sk64));
    expect(toHex(id.ed25519PublicKey)).toBe(v.expected.ed25519_pk);
    expect(toHex(id.x25519PublicKey)).toBe(v.expected.x25519_pk);
    const bad = hex(v.input.ed25519_sk64);
    bad[40]! ^= 1;
    expectCode(() => identityFromSeed(bad), 'INVALID_KEY');
  });

  it.each([0, 15, 17, 31, 33, 63, 65])('rejects a %i-byte seed', (n) => {
    expectCode(() => identityFromSeed(new Uint8Array(n)), 'INVALID_LENGTH');
  });
  it('rejects non-bytes', () => {
    expectCode(() => identityFromSeed('00' as unknown as Uint8Array), 'INVALID_INPUT');
  });

  it('generates 32-byte seeds by default and 16-byte (13-word) seeds on request', () => {
    const a = generateIdentity();
    const b = generateIdentity({ seedBytes: 16 });
    expect(a.seed.subarray(16).some((x) => x !== 0)).toBe(true); // 2^-128 false-failure chance
    expect(b.seed.subarray(16).every((x) => x === 0)).toBe(true);
    expect(seedForPhrase(b.seed)).toHaveLength(16);
    expect(seedForPhrase(a.seed)).toHaveLength(32);
    expect(a.sessionId).not.toBe(generateIdentity().sessionId);
    expectCode(() => generateIdentity({ seedBytes: 24 as 16 }), 'INVALID_INPUT');
  });

  it('destroyIdentity zeroes every secret buffer', () => {
    const id = generateIdentity();
    destroyIdentity(id);
    for (const b of [id.seed, id.ed25519SecretKey, id.x25519SecretKey]) expect(b.every((x) => x === 0)).toBe(true);
  });
});

describe('key conversions', () => {
  it.each(V.key_conversion.map((v: any) => [v.description, v] as [string, any]))('%s', (_d, v: any) => {
    const pk = v.input.ed25519_pk ?? v.expected.ed25519_pk;
    expect(toHex(ed25519PublicKeyToX25519(hex(pk)))).toBe(v.expected.x25519_pk);
    if (v.input.ed25519_sk64) {
      const xsk = ed25519SecretKeyToX25519(hex(v.input.ed25519_sk64));
      expect(toHex(identityFromSeed(hex(v.input.ed25519_sk64)).x25519SecretKey)).toBe(toHex(xsk));
    }
    if (v.expected.xed25519_pubkey_from_x) {
      expect(toHex(x25519PublicKeyToEd25519(hex(v.expected.x25519_pk)))).toBe(v.expected.xed25519_pubkey_from_x);
    }
  });

  it('signs like libsession (RFC 8032)', () => {
    const v = V.ed25519_signatures[0];
    const id = identityFromSeed(hex(v.input.ed25519_seed));
    expect(toHex(id.ed25519PublicKey)).toBe(v.expected.ed25519_pk);
    const sig = ed25519SignSync(id.seed, hex(v.input.message_hex));
    expect(toHex(sig)).toBe(v.expected.signature);
    expect(verifyEd25519(sig, hex(v.input.message_hex), id.ed25519PublicKey)).toBe(true);
  });

  it.each([
    ['identity point', '0100000000000000000000000000000000000000000000000000000000000000', 'SMALL_ORDER_KEY'],
    ['order-8 point', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'SMALL_ORDER_KEY'],
    ['order-8 point, sign set', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'SMALL_ORDER_KEY'],
    ['non-canonical y = p + 2', 'efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'INVALID_KEY'],
    ['not on the curve', '0200000000000000000000000000000000000000000000000000000000000000', 'INVALID_KEY'],
    // prime-order base point plus an order-2 point: libsodium's main-subgroup check rejects it
    ['mixed order', 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d', 'INVALID_KEY'],
  ])('ed25519PublicKeyToX25519 rejects %s', (_n, pk, code) => {
    expectCode(() => ed25519PublicKeyToX25519(hex(pk)), code);
  });
  it('conversions reject wrong lengths', () => {
    expectCode(() => ed25519PublicKeyToX25519(new Uint8Array(31)), 'INVALID_LENGTH');
    expectCode(() => ed25519SecretKeyToX25519(new Uint8Array(33)), 'INVALID_LENGTH');
    expectCode(() => x25519PublicKeyToEd25519(new Uint8Array(33)), 'INVALID_LENGTH');
  });
});

describe('cross-check with libsodium on random seeds', () => {
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
  });

  it('keys, conversions, signatures and verification agree (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), (seed, msg) => {
        const id = identityFromSeed(seed);
        const kp = sodium.crypto_sign_seed_keypair(seed);
        expect(toHex(id.ed25519PublicKey)).toBe(toHex(kp.publicKey));
        expect(toHex(id.ed25519SecretKey)).toBe(toHex(kp.privateKey));
        expect(toHex(id.x25519PublicKey)).toBe(toHex(sodium.crypto_sign_ed25519_pk_to_curve25519(kp.publicKey)));
        expect(toHex(id.x25519SecretKey)).toBe(toHex(sodium.crypto_sign_ed25519_sk_to_curve25519(kp.privateKey)));
        const sig = ed25519SignSync(id.seed, msg);
        expect(toHex(sig)).toBe(toHex(sodium.crypto_sign_detached(msg, kp.privateKey)));
        expect(verifyEd25519(sig, msg, id.ed25519PublicKey)).toBe(true);
      }),
      { seed: 1, numRuns: 40 },
    );
  });

  it('ed25519PublicKeyToX25519 accepts exactly what libsodium accepts on torsion-tweaked keys (property)', async () => {
    const { ed25519, ED25519_TORSION_SUBGROUP } = await import('@noble/curves/ed25519.js');
    const torsion = ED25519_TORSION_SUBGROUP.map((h) => ed25519.Point.fromHex(h));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 7 }), fc.boolean(), (seed, t, neg) => {
        let P = ed25519.Point.fromBytes(identityFromSeed(seed).ed25519PublicKey).add(torsion[t]!);
        if (neg) P = P.negate();
        const pk = P.toBytes();
        let ours: string;
        try {
          ours = toHex(ed25519PublicKeyToX25519(pk));
        } catch (e) {
          expect(e).toBeInstanceOf(SessionSdkError);
          ours = 'reject';
        }
        let theirs: string;
        try {
          theirs = toHex(sodium.crypto_sign_ed25519_pk_to_curve25519(pk));
        } catch {
          theirs = 'reject';
        }
        expect(ours).toBe(theirs);
      }),
      { seed: 2, numRuns: 60 },
    );
  });
});
