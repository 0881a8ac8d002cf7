// Differential tests against libsodium-wrappers-sumo for every primitive the groups module
// composes: keyed BLAKE2b, XChaCha20-Poly1305-IETF (and the trial decryptor), randombytes_buf_
// deterministic, the multi-encrypt wrap key, Ed25519 noclamp scalar multiplication and the scalar
// arithmetic behind subaccount signatures, and a full member wrap entry of a keys message.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { createGroupKeys, decodeKeysMessage, makeSubaccount, multiEncryptKey, rekey, subaccountSign } from '../../src/groups/index.js';
import { aeadDecrypt, aeadEncrypt, aeadTrialDecrypt, blake2bKeyed, randombytesBufDeterministic } from '../../src/groups/primitives.js';
import { loadSodium } from '../helpers/sodium.js';
import { verifyEd25519 } from '../../src/identity/verify.js';

let sodium: Awaited<ReturnType<typeof loadSodium>>;
beforeAll(async () => {
  sodium = await loadSodium();
});
const OPTS = { seed: 42, numRuns: 100 };
/** A copy of `ct` with its last byte changed (so it must not authenticate). */
const bad0 = (ct: Uint8Array) => {
  const c = ct.slice();
  c[c.length - 1]! ^= 0x80;
  return c;
};

describe('groups primitives vs libsodium', () => {
  it('blake2bKeyed = crypto_generichash(outLen, msg, key)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 64 }), fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.uint8Array({ maxLength: 300 }), (n, key, msg) => {
        expect(blake2bKeyed(n, key, msg.subarray(0, 7), msg.subarray(7))).toEqual(sodium.crypto_generichash(n, msg, key));
      }),
      OPTS,
    );
    // ASCII labels are keys, truncated at 64 bytes like libsession
    const long = 'L'.repeat(80);
    expect(blake2bKeyed(32, long, new Uint8Array([1]))).toEqual(sodium.crypto_generichash(32, new Uint8Array([1]), new TextEncoder().encode('L'.repeat(64))));
  });

  it('aeadEncrypt / aeadDecrypt / aeadTrialDecrypt = crypto_aead_xchacha20poly1305_ietf_*', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 500, maxLength: 1500 })), fc.nat(), (k, n, m, flip) => {
        const ct = aeadEncrypt(k, n, m);
        expect(ct).toEqual(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(m, null, null, n, k));
        expect(aeadDecrypt(k, n, ct)).toEqual(m);
        expect(aeadTrialDecrypt(k, n, [bad0(ct), ct])).toEqual(m);
        const bad = ct.slice();
        bad[flip % bad.length]! ^= 1;
        let sodiumOk = true;
        try {
          sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bad, null, n, k);
        } catch {
          sodiumOk = false;
        }
        expect(sodiumOk).toBe(false);
        expect(aeadDecrypt(k, n, bad)).toBeUndefined();
        expect(aeadTrialDecrypt(k, n, [bad])).toBeUndefined();
        expect(aeadTrialDecrypt(k, n, [ct.subarray(0, 15)])).toBeUndefined();
      }),
      OPTS,
    );
  });

  it('randombytesBufDeterministic = randombytes_buf_deterministic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 5000 }), (seed, n) => {
        expect(randombytesBufDeterministic(n, seed)).toEqual(sodium.randombytes_buf_deterministic(n, seed));
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it('multiEncryptKey over crypto_scalarmult is symmetric and equals the libsodium composition', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (s1, s2) => {
        const a = sodium.crypto_box_seed_keypair(s1);
        const b = sodium.crypto_box_seed_keypair(s2);
        const send = multiEncryptKey(sodium.crypto_scalarmult(a.privateKey, b.publicKey), a.publicKey, b.publicKey, 'dom');
        const recv = multiEncryptKey(sodium.crypto_scalarmult(b.privateKey, a.publicKey), a.publicKey, b.publicKey, 'dom');
        expect(send).toEqual(recv);
        const ref = sodium.crypto_generichash(32, new Uint8Array([...sodium.crypto_scalarmult(a.privateKey, b.publicKey), ...a.publicKey, ...b.publicKey]), new TextEncoder().encode('dom'));
        expect(send).toEqual(ref);
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('a keys-message member entry equals the libsodium composition (scalarmult + generichash + aead)', async () => {
    const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
    const admin = createGroupKeys({ userEd25519SecretKey: identityFromSeed(new Uint8Array(32).fill(1)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
    const m = identityFromSeed(new Uint8Array(32).fill(2));
    const msg = await rekey(admin, [m.sessionId]);
    const d = decodeKeysMessage(msg);
    if (d.kind !== 'full') throw new Error('full expected');
    const gxsk = sodium.crypto_sign_ed25519_sk_to_curve25519(g.secretKey);
    const gxpk = sodium.crypto_sign_ed25519_pk_to_curve25519(g.publicKey);
    const wrap = sodium.crypto_generichash(32, new Uint8Array([...sodium.crypto_scalarmult(gxsk, m.x25519PublicKey), ...gxpk, ...m.x25519PublicKey]), new TextEncoder().encode('SessionGroupKeyMemberKey'));
    const entry = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(admin.encryptionKey(), null, null, d.nonce, wrap);
    expect(d.memberKeys[0]).toEqual(entry);
    expect(verifyEd25519(d.signature, d.signedData, g.publicKey)).toBe(true);
    expect(sodium.crypto_sign_verify_detached(d.signature, d.signedData, g.publicKey)).toBe(true);
  });

  it('subaccounts: kT via crypto_scalarmult_ed25519_noclamp and the signature via libsodium scalar ops', async () => {
    const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(3));
    const admin = createGroupKeys({ userEd25519SecretKey: identityFromSeed(new Uint8Array(32).fill(4)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
    for (let i = 0; i < 6; i++) {
      const u = identityFromSeed(new Uint8Array(32).fill(10 + i));
      const sv = await makeSubaccount(admin, u.sessionId);
      const k = sv.subarray(4, 36);
      const T = u.ed25519PublicKey.slice();
      const neg = (T[31]! & 0x80) !== 0;
      T[31]! &= 0x7f;
      const kT = sodium.crypto_scalarmult_ed25519_noclamp(k, T);
      const member = createGroupKeys({ userEd25519SecretKey: u.ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
      const msg = new TextEncoder().encode(`retrieve11${1700000000000 + i}`);
      const r = subaccountSign(member, msg, sv);
      expect(r.subaccount.subarray(4)).toEqual(kT);
      // S = r + H(R‖kT‖M)·(k·±x) with libsodium's scalar arithmetic
      const x = sodium.crypto_sign_ed25519_sk_to_curve25519(u.ed25519SecretKey);
      const t = neg ? sodium.crypto_core_ed25519_scalar_negate(x) : x;
      const kt = sodium.crypto_core_ed25519_scalar_mul(k, t);
      const hseed = sodium.crypto_generichash(32, u.seed, new TextEncoder().encode('SubaccountSeed'));
      const rr = sodium.crypto_core_ed25519_scalar_reduce(sodium.crypto_generichash(64, new Uint8Array([...hseed, ...kT, ...msg]), new TextEncoder().encode('SubaccountSig')));
      const R = sodium.crypto_scalarmult_ed25519_base_noclamp(rr);
      const h = sodium.crypto_core_ed25519_scalar_reduce(sodium.crypto_hash_sha512(new Uint8Array([...R, ...kT, ...msg])));
      const S = sodium.crypto_core_ed25519_scalar_add(sodium.crypto_core_ed25519_scalar_mul(h, kt), rr);
      expect(r.signature).toEqual(new Uint8Array([...R, ...S]));
      expect(sodium.crypto_sign_verify_detached(r.signature, msg, kT)).toBe(true);
    }
  });
});
