// Community blinding (spec/identity-envelope.md §4.1–4.3, §4.5): upstream + derived vectors,
// libsodium differential checks, the noclamp primitive's acceptance set, negatives and properties.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type _sodium from 'libsodium-wrappers-sumo';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';
import { makeReference } from './blinding-reference.js';
import {
  blind15IdFromEd25519,
  blind15Ids,
  blind15KeyPair,
  blind15Sign,
  blind25Id,
  blind25IdFromEd25519,
  blind25KeyPair,
  blind25Sign,
  identityFromSeed,
  sessionIdMatchesBlindedId,
  verifyEd25519,
  versionBlindKeyPair,
} from '../../src/identity/index.js';
import { scalarMultBaseNoclamp, scalarMultNoclamp, xed25519PublicKey } from '../../src/identity/ed25519-noclamp.js';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V = loadVectors<any>('identity-envelope/blinding.json');
// SESSION_SDK_SLOW=1 runs the randomized checks at full size.
const SLOW = !!process.env.SESSION_SDK_SLOW;
const utf8 = (s: string) => new TextEncoder().encode(s);

function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected SessionSdkError ${code}`).toBeInstanceOf(SessionSdkError);
  expect((err as SessionSdkError).code).toBe(code);
}

let sodium: typeof _sodium;
let ref: ReturnType<typeof makeReference>;
beforeAll(async () => {
  sodium = await loadSodium();
  ref = makeReference(sodium);
});

describe('blinded IDs — upstream vectors', () => {
  const ids = V.blinded_ids as { origin: string; input: { session_id: string; server_pk: string }; expected: Record<string, string> }[];
  it('has the 5 libsession vectors', () => {
    expect(ids).toHaveLength(5);
    expect(ids.every((v) => v.origin === 'upstream')).toBe(true);
  });
  for (const [i, v] of ids.entries()) {
    it(`blinded_ids #${i + 1} (${v.expected.blinded_id!.slice(0, 2)})`, () => {
      const { session_id: sid, server_pk: spk } = v.input;
      if (v.expected.blinded_id!.startsWith('25')) {
        expect(blind25Id(sid, spk)).toBe(v.expected.blinded_id);
        expect(blind25Id(sid.toUpperCase(), spk.toUpperCase())).toBe(v.expected.blinded_id);
        expect(blind25Id(sid, hex(spk))).toBe(v.expected.blinded_id);
      } else {
        expect(blind15Ids(sid, spk)).toEqual([v.expected.blinded_id, v.expected.blinded_id_negated_alternative]);
      }
      expect(sessionIdMatchesBlindedId(sid, v.expected.blinded_id!, spk)).toBe(true);
    });
  }

  // spec §4.1: a Session ID fixes the Ed25519 key only up to sign; the sessionjs/desktop vectors
  // record which of libsession's two candidates is the real one (`matches_variant`). The SDK
  // returns both in libsession's order and matching accepts either.
  const extra = V.blinded15_ids_extra as {
    origin: string;
    input: { session_id: string; server_pk: string };
    expected: { blinded_id: string; matches_variant: 0 | 1; other_variant: string };
  }[];
  it('has the 8 sessionjs/desktop blind15 vectors, some matching the negated candidate', () => {
    expect(extra).toHaveLength(8);
    expect(extra.filter((v) => v.expected.matches_variant === 1).length).toBeGreaterThan(0);
  });
  for (const [i, v] of extra.entries()) {
    it(`blinded15_ids_extra #${i + 1} (variant ${v.expected.matches_variant})`, () => {
      const { session_id: sid, server_pk: spk } = v.input;
      const cands = blind15Ids(sid, spk);
      expect(cands[v.expected.matches_variant]).toBe(v.expected.blinded_id);
      expect(cands[1 - v.expected.matches_variant]).toBe(v.expected.other_variant);
      expect(sessionIdMatchesBlindedId(sid, v.expected.blinded_id, spk)).toBe(true);
      expect(sessionIdMatchesBlindedId(sid, v.expected.blinded_id.toUpperCase(), spk)).toBe(true);
      expect(sessionIdMatchesBlindedId(sid, v.expected.other_variant, spk)).toBe(true);
    });
  }
});

describe('blinded key pairs and signatures — upstream vectors', () => {
  const s25 = V.blind25_sign as any[];
  const s15 = V.blind15_sign as any[];
  it('has 6 + 6 libsession signature vectors', () => {
    expect(s25).toHaveLength(6);
    expect(s15).toHaveLength(6);
  });
  for (const [i, v] of s25.entries()) {
    it(`blind25_sign #${i + 1}`, () => {
      const sk = hex(v.input.ed25519_sk64);
      const msg = hex(v.input.message_hex);
      const kp = blind25KeyPair(sk, v.input.server_pk);
      expect('25' + toHex(kp.publicKey)).toBe(v.expected.blinded_pubkey_25);
      expect(toHex(kp.secretKey)).toBe(v.derived_intermediates.blinded_privkey_scalar); // derived
      const sig = blind25Sign(sk, v.input.server_pk, msg);
      expect(toHex(sig)).toBe(v.expected.signature);
      expect(toHex(blind25Sign(sk.subarray(0, 32), hex(v.input.server_pk), msg))).toBe(v.expected.signature);
      expect(verifyEd25519(sig, msg, kp.publicKey)).toBe(true);
      // The key pair agrees with the ID computed from the Session ID and from the Ed25519 key.
      const id = identityFromSeed(sk.subarray(0, 32));
      expect(blind25Id(id.sessionId, v.input.server_pk)).toBe(v.expected.blinded_pubkey_25);
      expect(blind25IdFromEd25519(id.ed25519PublicKey, v.input.server_pk)).toBe(v.expected.blinded_pubkey_25);
    });
  }
  for (const [i, v] of s15.entries()) {
    it(`blind15_sign #${i + 1} (libsession nonce; desktop nonce as derived extra)`, () => {
      const sk = hex(v.input.ed25519_sk64);
      const msg = hex(v.input.message_hex);
      const kp = blind15KeyPair(sk, v.input.server_pk);
      expect('15' + toHex(kp.publicKey)).toBe(v.expected.blinded_pubkey_15);
      expect(toHex(kp.secretKey)).toBe(v.derived_intermediates.blinded_privkey_scalar);
      const sig = blind15Sign(sk, v.input.server_pk, msg);
      expect(toHex(sig)).toBe(v.expected.signature);
      expect(toHex(blind15Sign(sk, v.input.server_pk, msg, { nonceVariant: 'libsession' }))).toBe(v.expected.signature);
      expect(verifyEd25519(sig, msg, kp.publicKey)).toBe(true);
      const desk = blind15Sign(sk, v.input.server_pk, msg, { nonceVariant: 'desktop' });
      expect(toHex(desk)).toBe(v.derived_intermediates.desktop_variant_signature);
      expect(verifyEd25519(hex(v.derived_intermediates.desktop_variant_signature), msg, kp.publicKey)).toBe(true);
      const id = identityFromSeed(sk.subarray(0, 32));
      expect(blind15IdFromEd25519(id.ed25519PublicKey, v.input.server_pk)).toBe(v.expected.blinded_pubkey_15);
      expect(blind15Ids(id.sessionId, v.input.server_pk)).toContain(v.expected.blinded_pubkey_15);
    });
  }
  it('seed2 (negative Ed25519 key) has its real blind15 ID as the second candidate', () => {
    const sk = hex(V.test_keys.seed2_ed25519_sk64);
    expect(sk[63]! & 0x80).toBe(0x80);
    const real = '15' + toHex(blind15KeyPair(sk, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789').publicKey);
    expect(blind15Ids(V.test_keys.seed2_session_id, 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789')[1]).toBe(real);
  });
});

describe('version blinding (07) — upstream vectors', () => {
  it('key pair (test_blinding.cpp:274-296)', () => {
    const v = V.version_blinding[0];
    const kp = versionBlindKeyPair(hex(v.input.ed25519_sk64));
    expect(toHex(kp.publicKey)).toBe(v.expected.pubkey);
    expect(toHex(kp.secretKey)).toBe(v.expected.seckey64);
    expect(toHex(versionBlindKeyPair(hex(v.input.ed25519_sk64).subarray(0, 32)).publicKey)).toBe(v.expected.pubkey);
  });
  it('signature over the version request (test_blinding.cpp:298-305)', () => {
    const v = V.version_blinding[1];
    const kp = versionBlindKeyPair(hex(v.input.ed25519_sk64));
    const sig = sodiumSign(utf8(v.input.signed_message_utf8), kp.secretKey);
    expect(toHex(sig)).toBe(v.expected.signature);
    expect(verifyEd25519(hex(v.expected.signature), utf8(v.input.signed_message_utf8), kp.publicKey)).toBe(true);
  });
});

function sodiumSign(msg: Uint8Array, sk: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(msg, sk);
}

describe('differential: libsodium composition on random keys', () => {
  it('key pairs, IDs and signatures equal the libsodium reference', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 80 }), (seed, server, msg) => {
        const sk = sodium.crypto_sign_seed_keypair(seed).privateKey;
        const r15 = ref.blind15KeyPair(sk, server);
        const r25 = ref.blind25KeyPair(sk, server);
        const k15 = blind15KeyPair(sk, server);
        const k25 = blind25KeyPair(sk, server);
        expect(toHex(k15.publicKey)).toBe(toHex(r15.publicKey));
        expect(toHex(k15.secretKey)).toBe(toHex(r15.secretKey));
        expect(toHex(k25.publicKey)).toBe(toHex(r25.publicKey));
        expect(toHex(k25.secretKey)).toBe(toHex(r25.secretKey));
        expect(toHex(blind15Sign(sk, server, msg))).toBe(toHex(ref.blind15Sign(sk, server, msg)));
        expect(toHex(blind15Sign(seed, server, msg, { nonceVariant: 'desktop' }))).toBe(toHex(ref.blind15Sign(sk, server, msg, 'desktop')));
        expect(toHex(blind25Sign(sk, server, msg))).toBe(toHex(ref.blind25Sign(sk, server, msg)));
        const { x, b15, b25 } = ref.idsFromEd(sk.subarray(32), server);
        const sid = '05' + toHex(x);
        expect(blind25Id(sid, server)).toBe('25' + toHex(b25));
        expect(blind15Ids(sid, server)).toContain('15' + toHex(b15));
        expect(blind15IdFromEd25519(sk.subarray(32), server)).toBe('15' + toHex(b15));
        expect(b25).toEqual(r25.publicKey);
      }),
      { seed: 42, numRuns: SLOW ? 500 : 30 },
    );
  });

  it('version key pair equals BLAKE2b-32(seed; "VersionCheckKey_sig") → crypto_sign_seed_keypair', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const s2 = sodium.crypto_generichash(32, seed, utf8('VersionCheckKey_sig'));
        const want = sodium.crypto_sign_seed_keypair(s2);
        const got = versionBlindKeyPair(sodium.crypto_sign_seed_keypair(seed).privateKey);
        expect(toHex(got.publicKey)).toBe(toHex(want.publicKey));
        expect(toHex(got.secretKey)).toBe(toHex(want.privateKey));
      }),
      { seed: 42, numRuns: 30 },
    );
  });
});

describe('noclamp scalar multiplication mirrors libsodium', () => {
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const le = (n: bigint) => {
    const b = new Uint8Array(32);
    for (let i = 0; i < 32; i++) b[i] = Number((n >> BigInt(8 * i)) & 0xffn);
    return b;
  };
  // Torsion points to make mixed-order points P + T.
  const TORSION = ['26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'];
  const SPECIAL_SCALARS = [0n, 1n, L - 1n, L, L + 1n, 2n * L, 2n ** 255n - 1n, 2n ** 256n - 1n, 2n ** 255n + 5n];

  function both(n: Uint8Array, p: Uint8Array): void {
    let want: Uint8Array | undefined;
    try {
      want = sodium.crypto_scalarmult_ed25519_noclamp(n, p);
    } catch {
      want = undefined;
    }
    let got: Uint8Array | undefined;
    try {
      got = scalarMultNoclamp(n, p);
    } catch (e) {
      expect(isSessionSdkError(e)).toBe(true);
      got = undefined;
    }
    expect(got && toHex(got)).toBe(want && toHex(want));
  }

  it('random points (accept set: canonical, not small order, on curve, prime-order subgroup)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (n, p) => {
        both(n, p);
        if (sodium.crypto_core_ed25519_is_valid_point(p)) accepted++;
      }),
      { seed: 42, numRuns: SLOW ? 5000 : 300 },
    );
    expect(accepted).toBeGreaterThan(5); // the valid branch was exercised too
  });

  it('valid, mixed-order, small-order and non-canonical points; edge scalars', () => {
    const P = sodium.crypto_scalarmult_ed25519_base_noclamp(sodium.crypto_core_ed25519_scalar_random());
    const points = [P, ...TORSION.map((t) => sodium.crypto_core_ed25519_add(P, hex(t))), ...TORSION.map(hex)];
    const nonCanon = hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    const nonCanon2 = hex('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    for (const p of [...points, nonCanon, nonCanon2]) {
      for (const s of SPECIAL_SCALARS) both(le(s % 2n ** 256n), p);
      both(sodium.crypto_core_ed25519_scalar_random(), p);
    }
    expectCode(() => scalarMultNoclamp(le(5n), hex(TORSION[0]!)), 'SMALL_ORDER_KEY');
    expectCode(() => scalarMultNoclamp(le(5n), points[1]!), 'INVALID_KEY');
    expectCode(() => scalarMultNoclamp(le(L), P), 'INVALID_KEY');
    expectCode(() => scalarMultNoclamp(new Uint8Array(31), P), 'INVALID_LENGTH');
  });

  it('base point variant', () => {
    for (const s of SPECIAL_SCALARS) {
      const n = le(s % 2n ** 256n);
      let want: string | undefined;
      try {
        want = toHex(sodium.crypto_scalarmult_ed25519_base_noclamp(n));
      } catch {
        want = undefined;
      }
      let got: string | undefined;
      try {
        got = toHex(scalarMultBaseNoclamp(n));
      } catch (e) {
        expect(isSessionSdkError(e, 'INVALID_KEY')).toBe(true);
      }
      expect(got).toBe(want);
    }
  });

  it('XEd25519 public key of an X25519 key is the positive Ed25519 key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const { publicKey } = sodium.crypto_sign_seed_keypair(seed);
        const x = sodium.crypto_sign_ed25519_pk_to_curve25519(publicKey);
        const pos = publicKey.slice();
        pos[31]! &= 0x7f;
        expect(toHex(xed25519PublicKey(x))).toBe(toHex(pos));
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});

describe('negative inputs', () => {
  const sid = V.test_keys.seed1_session_id as string;
  const sk = hex(V.test_keys.seed1_ed25519_sk64);
  const spk = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

  it('server keys: wrong length, bad hex, wrong type, small order', () => {
    expectCode(() => blind25Id(sid, spk.slice(2)), 'INVALID_LENGTH');
    expectCode(() => blind25Id(sid, spk + '00'), 'INVALID_LENGTH');
    expectCode(() => blind25Id(sid, 'zz' + spk.slice(2)), 'INVALID_HEX');
    expectCode(() => blind25Id(sid, new Uint8Array(31)), 'INVALID_LENGTH');
    expectCode(() => blind25Id(sid, 42 as unknown as string), 'INVALID_INPUT');
    for (const small of [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0000000000000000000000000000000000000000000000000000000000000080',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ]) {
      expectCode(() => blind15Ids(sid, small), 'SMALL_ORDER_KEY');
      expectCode(() => blind15KeyPair(sk, hex(small)), 'SMALL_ORDER_KEY');
      expectCode(() => blind25Sign(sk, small, new Uint8Array(1)), 'SMALL_ORDER_KEY');
    }
  });

  it('Session IDs: length, hex, prefix, small order, twist points', () => {
    expectCode(() => blind15Ids(sid.slice(0, 64), spk), 'INVALID_SESSION_ID');
    expectCode(() => blind15Ids(sid.slice(0, 65) + 'g', spk), 'INVALID_SESSION_ID');
    expectCode(() => blind15Ids('15' + sid.slice(2), spk), 'INVALID_PREFIX');
    expectCode(() => blind25Id('99' + sid.slice(2), spk), 'INVALID_SESSION_ID');
    expectCode(() => blind25Id('05' + '00'.repeat(32), spk), 'INVALID_SESSION_ID');
    // u = 2 is on the quadratic twist: it maps to no Ed25519 point (libsession: "not on main subgroup").
    const twist = '05' + '02' + '00'.repeat(31);
    expectCode(() => blind15Ids(twist, spk), 'INVALID_SESSION_ID');
    expectCode(() => blind25Id(twist, spk), 'INVALID_SESSION_ID');
  });

  it('secret keys: length, type, inconsistent 64-byte key', () => {
    expectCode(() => blind15KeyPair(new Uint8Array(33), spk), 'INVALID_LENGTH');
    expectCode(() => blind25KeyPair(new Uint8Array(0), spk), 'INVALID_LENGTH');
    expectCode(() => blind15Sign('00' as unknown as Uint8Array, spk, new Uint8Array(0)), 'INVALID_INPUT');
    expectCode(() => versionBlindKeyPair(new Uint8Array(48)), 'INVALID_LENGTH');
    const bad = sk.slice();
    bad[40]! ^= 1;
    expectCode(() => blind15KeyPair(bad, spk), 'INVALID_KEY');
    expectCode(() => blind25Sign(bad, spk, new Uint8Array(0)), 'INVALID_KEY');
    expectCode(() => versionBlindKeyPair(bad), 'INVALID_KEY');
  });

  it('signing: message type and nonce variant', () => {
    expectCode(() => blind15Sign(sk, spk, 'hi' as unknown as Uint8Array), 'INVALID_INPUT');
    expectCode(() => blind25Sign(sk, spk, [1, 2] as unknown as Uint8Array), 'INVALID_INPUT');
    expectCode(() => blind15Sign(sk, spk, new Uint8Array(0), { nonceVariant: 'other' as 'desktop' }), 'INVALID_INPUT');
  });

  it('Ed25519 keys for the from-Ed25519 IDs', () => {
    expectCode(() => blind15IdFromEd25519(new Uint8Array(31), spk), 'INVALID_LENGTH');
    expectCode(() => blind25IdFromEd25519(hex('0100000000000000000000000000000000000000000000000000000000000000'), spk), 'SMALL_ORDER_KEY');
    expectCode(() => blind25IdFromEd25519(hex('02' + '00'.repeat(31)), spk), 'INVALID_KEY'); // y = 2 is off the curve
  });

  it('sessionIdMatchesBlindedId: malformed arguments throw, other prefixes refused', () => {
    const [b15] = blind15Ids(sid, spk);
    expectCode(() => sessionIdMatchesBlindedId(sid, '05' + b15.slice(2), spk), 'INVALID_PREFIX');
    expectCode(() => sessionIdMatchesBlindedId(sid, '00' + b15.slice(2), spk), 'INVALID_PREFIX');
    expectCode(() => sessionIdMatchesBlindedId(sid, b15.slice(0, 64), spk), 'INVALID_SESSION_ID');
    expectCode(() => sessionIdMatchesBlindedId(b15, b15, spk), 'INVALID_PREFIX');
    expectCode(() => sessionIdMatchesBlindedId(sid, b15, 'xyz'), 'INVALID_LENGTH');
    // Another server's ID for the same person does not match.
    expect(sessionIdMatchesBlindedId(sid, b15, '00cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789')).toBe(false);
  });
});

describe('properties', () => {
  const seed32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('own IDs match (both prefixes); another identity’s do not', () => {
    fc.assert(
      fc.property(seed32, seed32, seed32, (s1, s2, server) => {
        const me = identityFromSeed(s1);
        const other = identityFromSeed(s2);
        const my15 = '15' + toHex(blind15KeyPair(me.ed25519SecretKey, server).publicKey);
        const my25 = '25' + toHex(blind25KeyPair(me.ed25519SecretKey, server).publicKey);
        expect(blind15Ids(me.sessionId, server)[(me.ed25519PublicKey[31]! >> 7) as 0 | 1]).toBe(my15);
        expect(blind25Id(me.sessionId, server)).toBe(my25);
        expect(sessionIdMatchesBlindedId(me.sessionId, my15, server)).toBe(true);
        expect(sessionIdMatchesBlindedId(me.sessionId, my25, server)).toBe(true);
        expect(sessionIdMatchesBlindedId(other.sessionId, my15, server)).toBe(false);
        expect(sessionIdMatchesBlindedId(other.sessionId, my25, server)).toBe(false);
        const msg = s2.subarray(0, s1[0]! % 32);
        expect(verifyEd25519(blind15Sign(me.seed, server, msg), msg, hex(my15.slice(2)))).toBe(true);
        expect(verifyEd25519(blind25Sign(me.seed, server, msg), msg, hex(my25.slice(2)))).toBe(true);
      }),
      { seed: 42, numRuns: SLOW ? 300 : 20 },
    );
  });

  it('arbitrary strings and bytes only ever throw SessionSdkError', () => {
    const hexish = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.stringMatching(/^(05|15|25|00|07)[0-9a-fA-F]{64}$/),
      fc.uint8Array({ minLength: 33, maxLength: 33 }).map((b) => toHex(b)),
    );
    const server = fc.oneof(fc.string({ maxLength: 66 }), fc.uint8Array({ minLength: 30, maxLength: 34 }), fc.stringMatching(/^[0-9a-f]{64}$/));
    fc.assert(
      fc.property(hexish, hexish, server, (a, b, s) => {
        for (const f of [() => sessionIdMatchesBlindedId(a, b, s), () => blind15Ids(a, s), () => blind25Id(b, s)]) {
          try {
            f();
          } catch (e) {
            expect(isSessionSdkError(e)).toBe(true);
          }
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
