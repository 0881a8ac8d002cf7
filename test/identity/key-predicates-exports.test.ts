// isValidX25519PublicKey and isValidEd25519PublicKey against libsodium (the differential oracle),
// Wycheproof's X25519 public keys and the Ed25519 speccheck keys: what each accepts, what it
// refuses, and where it is deliberately stricter or looser than a libsodium primitive.
import { ed25519 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityFromSeed } from '../../src/identity/keys.js';
import { isValidEd25519PublicKey, isValidX25519PublicKey } from '../../src/identity/session-id.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const P = 2n ** 255n - 19n;
const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const withSignBit = (b: Uint8Array) => {
  const c = b.slice();
  c[31]! |= 0x80;
  return c;
};
/** A deterministic stream of 32-byte strings (xorshift), so failures reproduce. */
function pseudoRandom32(count: number, seed: number): Uint8Array[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () =>
    Uint8Array.from({ length: 32 }, () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) & 0xff;
    }),
  );
}

// libsodium's X25519 blocklist (crypto_scalarmult/curve25519/ref10 has_small_order): 0, 1, the two
// order-8 u's, p − 1, p and p + 1. The last two are non-canonical encodings of 0 and 1.
const X25519_SMALL_ORDER = [
  le(0n),
  le(1n),
  hex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'),
  hex('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'),
  le(P - 1n),
  le(P),
  le(P + 1n),
];

describe('isValidX25519PublicKey', () => {
  it('accepts real X25519 keys: the upstream identity vectors and libsodium key pairs', () => {
    const ids = loadVectors('identity-envelope/identity.json');
    for (const v of ids.key_conversion) {
      expect(v.origin).toBe('upstream');
      expect(isValidX25519PublicKey(hex(v.expected.x25519_pk))).toBe(true);
    }
    for (let i = 0; i < 10; i++) expect(isValidX25519PublicKey(sodium.crypto_box_keypair().publicKey)).toBe(true);
    expect(isValidX25519PublicKey(identityFromSeed(new Uint8Array(32).fill(3)).x25519PublicKey)).toBe(true);
  });

  it('refuses every small-order u (with or without bit 255), exactly where libsodium\'s crypto_scalarmult fails', () => {
    const sk = sodium.randombytes_buf(32);
    for (const u of X25519_SMALL_ORDER.flatMap((u) => [u, withSignBit(u)])) {
      expect(isValidX25519PublicKey(u), toHex(u)).toBe(false);
      expect(() => sodium.crypto_scalarmult(sk, u), toHex(u)).toThrow();
    }
  });

  it('Wycheproof x25519_test.json: refused iff the shared secret is zero or the encoding is not canonical', () => {
    const w = loadVectors('wycheproof/x25519_test.json');
    let checked = 0;
    for (const t of w.testGroups[0].tests as { public: string; shared: string; flags: string[]; tcId: number }[]) {
      const pub = hex(t.public);
      const raw = BigInt('0x' + toHex(pub.slice().reverse()));
      const canonical = raw < P; // bit 255 clear and u < p
      const zeroShared = /^(00)+$/.test(t.shared);
      expect(isValidX25519PublicKey(pub), `tcId ${t.tcId} ${t.flags.join(',')}`).toBe(canonical && !zeroShared);
      if (t.flags.includes('LowOrderPublic')) expect(isValidX25519PublicKey(pub)).toBe(false);
      checked++;
    }
    expect(checked).toBe(518);
  });

  it('is stricter than libsodium on encodings: bit 255 set or u ≥ p is refused although crypto_scalarmult would reduce it', () => {
    const sk = sodium.randombytes_buf(32);
    const good = identityFromSeed(new Uint8Array(32).fill(9)).x25519PublicKey;
    expect(isValidX25519PublicKey(withSignBit(good))).toBe(false);
    expect(sodium.crypto_scalarmult(sk, withSignBit(good))).toEqual(sodium.crypto_scalarmult(sk, good));
    for (let k = 2n; k <= 18n; k++) {
      const u = le(P + k); // non-canonical encoding of k
      expect(isValidX25519PublicKey(u), `p + ${k}`).toBe(false);
      expect(sodium.crypto_scalarmult(sk, u)).toEqual(sodium.crypto_scalarmult(sk, le(k)));
    }
  });

  it('agrees with crypto_scalarmult on canonical inputs: twist points are accepted, as X25519 accepts them', () => {
    const sk = sodium.randombytes_buf(32);
    for (const b of pseudoRandom32(200, 7)) {
      b[31]! &= 0x7f;
      if (BigInt('0x' + toHex(b.slice().reverse())) >= P) continue;
      let dhOk = true;
      try {
        sodium.crypto_scalarmult(sk, b);
      } catch {
        dhOk = false;
      }
      expect(isValidX25519PublicKey(b), toHex(b)).toBe(dhOk);
    }
  });

  it('wrong lengths are false, never an exception', () => {
    for (const n of [0, 1, 31, 33, 64]) expect(isValidX25519PublicKey(new Uint8Array(n).fill(9))).toBe(false);
  });
});

describe('isValidEd25519PublicKey', () => {
  // Ed25519 small-order encodings (libsodium ge25519_has_small_order), canonical and not.
  const SMALL_ORDER = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ].map(hex);

  it('accepts real keys: the upstream identity vectors and libsodium key pairs (which is_valid_point accepts too)', () => {
    const ids = loadVectors('identity-envelope/identity.json');
    for (const v of ids.key_conversion) {
      for (const pk of [v.input.ed25519_pk, v.expected.ed25519_pk, v.expected.xed25519_pubkey_from_x].filter(Boolean)) {
        expect(isValidEd25519PublicKey(hex(pk)), pk).toBe(true);
      }
    }
    for (let i = 0; i < 10; i++) {
      const { publicKey } = sodium.crypto_sign_keypair();
      expect(sodium.crypto_core_ed25519_is_valid_point(publicKey)).toBe(true);
      expect(isValidEd25519PublicKey(publicKey)).toBe(true);
    }
  });

  it('refuses small-order points and non-canonical y (y ≥ p), with either sign bit, as libsodium does', () => {
    const bad = [...SMALL_ORDER];
    for (let k = 0n; k <= 18n; k++) bad.push(le(P + k));
    for (const b of bad.flatMap((b) => [b, withSignBit(b)])) {
      expect(isValidEd25519PublicKey(b), toHex(b)).toBe(false);
      expect(sodium.crypto_core_ed25519_is_valid_point(b), toHex(b)).toBe(false);
    }
  });

  it('refuses off-curve encodings; on random input it never accepts what libsodium finds off-curve or small-order', () => {
    let offCurve = 0;
    for (const b of pseudoRandom32(200, 11)) {
      const ours = isValidEd25519PublicKey(b);
      const libsodiumValid = sodium.crypto_core_ed25519_is_valid_point(b);
      let decodes = true;
      try {
        ed25519.Point.fromBytes(b, false);
      } catch {
        decodes = false;
      }
      if (!decodes) {
        offCurve++;
        expect(ours, toHex(b)).toBe(false);
        expect(libsodiumValid).toBe(false);
      }
      // libsodium-valid ⇒ valid here; the converse fails only for mixed-order points (next test).
      if (libsodiumValid) expect(ours, toHex(b)).toBe(true);
      if (ours && !libsodiumValid) expect(ed25519.Point.fromBytes(b, false).isTorsionFree()).toBe(false);
    }
    expect(offCurve).toBeGreaterThan(60); // about half of all 32-byte strings are not points
  });

  it('accepts mixed-order keys (which is_valid_point refuses) because libsodium\'s signature check accepts them: speccheck case 3', () => {
    const cases = loadVectors('identity-envelope/ed25519-speccheck.json').cases as { case: number; pk: string; msg: string; sig: string; libsodium: string }[];
    const c3 = cases.find((c) => c.case === 3)!;
    const pk = hex(c3.pk);
    expect(c3.libsodium).toBe('accept');
    expect(sodium.crypto_sign_verify_detached(hex(c3.sig), hex(c3.msg), pk)).toBe(true);
    expect(sodium.crypto_core_ed25519_is_valid_point(pk)).toBe(false);
    expect(ed25519.Point.fromBytes(pk, false).isTorsionFree()).toBe(false);
    expect(isValidEd25519PublicKey(pk)).toBe(true);
    // The speccheck keys libsodium refuses outright are refused here too.
    for (const c of cases.filter((x) => x.pk.startsWith('c7176a70') || x.pk.startsWith('ecffffff'))) {
      expect(isValidEd25519PublicKey(hex(c.pk)), `case ${c.case}`).toBe(false);
    }
  });

  it('wrong lengths are false, never an exception', () => {
    const good = identityFromSeed(new Uint8Array(32).fill(1)).ed25519PublicKey;
    for (const b of [new Uint8Array(0), good.subarray(0, 31), new Uint8Array([...good, 0]), new Uint8Array(64)]) {
      expect(isValidEd25519PublicKey(b)).toBe(false);
    }
  });
});

describe('key predicates on values that are not bytes', () => {
  // Both are predicates: anything that is not a Uint8Array answers false, never a TypeError, and a
  // 32-character string or a 32-element array is not mistaken for a key.
  const good = identityFromSeed(new Uint8Array(32).fill(3));
  const notBytes: unknown[] = [null, undefined, 0, 'a'.repeat(32), toHex(good.x25519PublicKey), Array.from(good.x25519PublicKey), new Uint16Array(32), {}, new ArrayBuffer(32)];
  it('isValidX25519PublicKey answers false', () => {
    for (const v of notBytes) expect(isValidX25519PublicKey(v as Uint8Array)).toBe(false);
  });
  it('isValidEd25519PublicKey answers false', () => {
    for (const v of [...notBytes, Array.from(good.ed25519PublicKey)]) expect(isValidEd25519PublicKey(v as Uint8Array)).toBe(false);
  });
});

