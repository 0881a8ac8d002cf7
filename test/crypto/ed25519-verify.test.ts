import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { getCryptoProvider } from '../../src/crypto/provider.js';
import { describeEachProvider, hex, loadVectors } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
const speccheck = loadVectors('identity-envelope/ed25519-speccheck.json').cases as {
  case: number; msg: string; pk: string; sig: string; libsodium: 'accept' | 'reject';
}[];
const wycheproof = loadVectors('wycheproof/ed25519_test.json');
const wyTests: { id: number; pk: string; msg: string; sig: string; result: string }[] = wycheproof.testGroups.flatMap((g: any) =>
  g.tests.map((t: any) => ({ id: t.tcId, pk: g.publicKey.pk, msg: t.msg, sig: t.sig, result: t.result })),
);

function sodiumVerify(s: Sodium, sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean {
  try {
    return s.crypto_sign_verify_detached(sig, msg, pk);
  } catch {
    return false; // wrong lengths
  }
}

describe('verifyEd25519 accepts exactly what libsodium accepts (spec/security.md §3)', () => {
  let sodium: Sodium;
  beforeAll(async () => {
    sodium = await loadSodium();
  });

  it.each(speccheck.map((c) => [c.case, c] as const))('speccheck case %i', (_n, c) => {
    const want = c.libsodium === 'accept';
    expect(verifyEd25519(hex(c.sig), hex(c.msg), hex(c.pk))).toBe(want);
    expect(sodiumVerify(sodium, hex(c.sig), hex(c.msg), hex(c.pk))).toBe(want);
  });

  it('identity key with R = identity, S = 0 is rejected (noble default would accept)', () => {
    const pk = hex('01' + '00'.repeat(31));
    const sig = hex('01' + '00'.repeat(63));
    expect(verifyEd25519(sig, new Uint8Array([1, 2, 3]), pk)).toBe(false);
  });

  it(`Wycheproof ed25519_test.json: all ${wyTests.length} verdicts equal libsodium's and Wycheproof's`, () => {
    let valid = 0;
    for (const t of wyTests) {
      const ours = verifyEd25519(hex(t.sig), hex(t.msg), hex(t.pk));
      expect(ours, `tcId ${t.id}`).toBe(sodiumVerify(sodium, hex(t.sig), hex(t.msg), hex(t.pk)));
      if (t.result !== 'acceptable') expect(ours, `tcId ${t.id}`).toBe(t.result === 'valid');
      if (ours) valid++;
    }
    expect(valid).toBeGreaterThan(0);
  });

  it('bad shapes give false, never a throw', () => {
    const k = ed25519.keygen();
    const sig = ed25519.sign(new Uint8Array(1), k.secretKey);
    expect(verifyEd25519(sig.subarray(0, 63), new Uint8Array(1), k.publicKey)).toBe(false);
    expect(verifyEd25519(sig, new Uint8Array(1), k.publicKey.subarray(0, 31))).toBe(false);
    expect(verifyEd25519('x' as unknown as Uint8Array, new Uint8Array(1), k.publicKey)).toBe(false);
    expect(verifyEd25519(sig, null as unknown as Uint8Array, k.publicKey)).toBe(false);
  });

  it('torsion-tweaked keys and signatures, and malleated S: same verdict as libsodium (property)', () => {
    const T = ED25519_TORSION_SUBGROUP.map((h) => ed25519.Point.fromHex(h));
    const L = ed25519.Point.Fn.ORDER;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        (seed, msg, ta, tr, addL) => {
          const pk0 = ed25519.getPublicKey(seed);
          const sig = ed25519.sign(msg, seed);
          const pk = ed25519.Point.fromBytes(pk0).add(T[ta]!).toBytes();
          const R = ed25519.Point.fromBytes(sig.subarray(0, 32)).add(T[tr]!).toBytes();
          const s2 = new Uint8Array(sig);
          s2.set(R, 0);
          if (addL) {
            let S = 0n;
            for (let i = 31; i >= 0; i--) S = (S << 8n) | BigInt(s2[32 + i]!);
            S += L;
            for (let i = 0; i < 32; i++, S >>= 8n) s2[32 + i] = Number(S & 0xffn);
          }
          expect(verifyEd25519(s2, msg, pk)).toBe(sodiumVerify(sodium, s2, msg, pk));
        },
      ),
      { seed: 5, numRuns: 150 },
    );
  });
});

describeEachProvider('provider.ed25519Verify matches libsodium', () => {
  let sodium: Sodium;
  beforeAll(async () => {
    sodium = await loadSodium();
  });
  it('on speccheck and Wycheproof', async () => {
    const p = getCryptoProvider();
    for (const c of speccheck) expect(await p.ed25519Verify(hex(c.sig), hex(c.msg), hex(c.pk)), `case ${c.case}`).toBe(c.libsodium === 'accept');
    for (const t of wyTests) {
      expect(await p.ed25519Verify(hex(t.sig), hex(t.msg), hex(t.pk)), `tcId ${t.id}`).toBe(sodiumVerify(sodium, hex(t.sig), hex(t.msg), hex(t.pk)));
    }
  });
});
