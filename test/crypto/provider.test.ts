// Both crypto providers against Wycheproof, libsodium and each other (spec/security.md §4, §6;
// spec/performance.md §4.2: the native path must give byte-identical output).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCryptoProvider, nobleProvider, setCryptoProvider, webCryptoProvider } from '../../src/crypto/provider.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';
import { codeOf } from '../helpers/errors.js';

const groups = (f: string) => loadVectors(`wycheproof/${f}`).testGroups as any[];

describeEachProvider('Wycheproof through the provider', () => {
  it('x25519_test.json: every shared secret, and SMALL_ORDER_KEY exactly where libsodium fails', async () => {
    const sodium = await loadSodium();
    const p = getCryptoProvider();
    let n = 0;
    for (const g of groups('x25519_test.json')) {
      for (const t of g.tests) {
        const sk = hex(t.private);
        const pk = hex(t.public);
        let theirs: string;
        try {
          theirs = toHex(sodium.crypto_scalarmult(sk, pk));
        } catch {
          theirs = 'fail';
        }
        if (t.shared === '00'.repeat(32)) {
          expect(await codeOf(p.x25519(sk, pk)), `tcId ${t.tcId}`).toBe('SMALL_ORDER_KEY');
          expect(theirs).toBe('fail');
        } else {
          expect(toHex(await p.x25519(sk, pk)), `tcId ${t.tcId}`).toBe(t.shared);
          expect(theirs).toBe(t.shared);
        }
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it('aes_gcm_test.json (256-bit keys, 96-bit IVs, 128-bit tags)', async () => {
    const p = getCryptoProvider();
    let n = 0;
    for (const g of groups('aes_gcm_test.json')) {
      if (g.keySize !== 256 || g.ivSize !== 96 || g.tagSize !== 128) continue;
      for (const t of g.tests) {
        const [key, iv, aad, msg] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg)];
        const ct = hex(t.ct + t.tag);
        if (t.result === 'valid') {
          expect(toHex(await p.aesGcmEncrypt(key, iv, msg, aad)), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
          expect(toHex(await p.aesGcmDecrypt(key, iv, ct, aad))).toBe(t.msg);
        } else {
          expect(await codeOf(p.aesGcmDecrypt(key, iv, ct, aad)), `tcId ${t.tcId}`).toBe('DECRYPT_FAILED');
        }
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('aes_cbc_pkcs5_test.json (256-bit keys)', async () => {
    const p = getCryptoProvider();
    let n = 0;
    for (const g of groups('aes_cbc_pkcs5_test.json')) {
      if (g.keySize !== 256) continue;
      for (const t of g.tests) {
        const [key, iv] = [hex(t.key), hex(t.iv)];
        if (t.result === 'valid') {
          expect(toHex(await p.aesCbcEncrypt(key, iv, hex(t.msg))), `tcId ${t.tcId}`).toBe(t.ct);
          expect(toHex(await p.aesCbcDecrypt(key, iv, hex(t.ct)))).toBe(t.msg);
        } else {
          expect(await codeOf(p.aesCbcDecrypt(key, iv, hex(t.ct))), `tcId ${t.tcId}`).toBe('DECRYPT_FAILED');
        }
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('hmac_sha256_test.json (full-length tags)', async () => {
    const p = getCryptoProvider();
    for (const g of groups('hmac_sha256_test.json')) {
      if (g.tagSize !== 256) continue;
      for (const t of g.tests) {
        const tag = toHex(await p.hmacSha256(hex(t.key), hex(t.msg)));
        expect(tag === t.tag, `tcId ${t.tcId}`).toBe(t.result === 'valid');
      }
    }
  });
});

describe('noble and WebCrypto providers are byte-identical', () => {
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
  });

  it('Ed25519 sign, X25519, public keys, SHA-2 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 3000 }),
        async (a, b, msg) => {
          const sigN = await nobleProvider.ed25519Sign(a, msg);
          expect(toHex(await webCryptoProvider.ed25519Sign(a, msg))).toBe(toHex(sigN));
          expect(toHex(sigN)).toBe(toHex(sodium.crypto_sign_detached(msg, sodium.crypto_sign_seed_keypair(a).privateKey)));
          const pkN = await nobleProvider.x25519PublicKey(b);
          expect(toHex(await webCryptoProvider.x25519PublicKey(b))).toBe(toHex(pkN));
          expect(toHex(pkN)).toBe(toHex(sodium.crypto_scalarmult_base(b)));
          expect(toHex(await webCryptoProvider.x25519(a, pkN))).toBe(toHex(await nobleProvider.x25519(a, pkN)));
          expect(toHex(await webCryptoProvider.sha512(msg))).toBe(toHex(await nobleProvider.sha512(msg)));
          expect(toHex(await webCryptoProvider.sha256(msg))).toBe(toHex(await nobleProvider.sha256(msg)));
          expect(toHex(await webCryptoProvider.hmacSha256(a, msg))).toBe(toHex(await nobleProvider.hmacSha256(a, msg)));
        },
      ),
      { seed: 6, numRuns: 40 },
    );
  });

  it('re-imports a cached secret key when the caller mutates its buffer', async () => {
    const sk = new Uint8Array(32).fill(7);
    const m = new Uint8Array([1]);
    const s1 = await webCryptoProvider.ed25519Sign(sk, m);
    sk.fill(9);
    expect(toHex(await webCryptoProvider.ed25519Sign(sk, m))).toBe(toHex(await nobleProvider.ed25519Sign(sk, m)));
    expect(toHex(s1)).not.toBe(toHex(await nobleProvider.ed25519Sign(sk, m)));
  });

  it('selects providers explicitly', () => {
    const prev = setCryptoProvider('noble');
    expect(getCryptoProvider().name).toBe('noble');
    setCryptoProvider(prev);
    expect(getCryptoProvider()).toBe(prev);
  });
});

describeEachProvider('provider input checks', () => {
  it('wrong AES key or IV lengths are INVALID_KEY / INVALID_LENGTH on every provider', async () => {
    const p = getCryptoProvider();
    const k = new Uint8Array(32);
    expect(await codeOf(p.aesGcmEncrypt(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1)))).toBe('INVALID_KEY');
    expect(await codeOf(p.aesGcmDecrypt(k, new Uint8Array(16), new Uint8Array(32)))).toBe('INVALID_LENGTH');
    expect(await codeOf(p.aesCbcEncrypt(k, new Uint8Array(12), new Uint8Array(1)))).toBe('INVALID_LENGTH');
    expect(await codeOf(p.aesCbcDecrypt(new Uint8Array(33), new Uint8Array(16), new Uint8Array(16)))).toBe('INVALID_KEY');
  });
  it('an empty HMAC key gives the same tag on every provider', async () => {
    expect(toHex(await getCryptoProvider().hmacSha256(new Uint8Array(0), Uint8Array.of(1)))).toBe(
      toHex(await nobleProvider.hmacSha256(new Uint8Array(0), Uint8Array.of(1))),
    );
  });
  it('ephemeral key pairs are fresh, consistent, and forgotten on request', async () => {
    const p = getCryptoProvider();
    const a = await p.x25519EphemeralKeyPair();
    const b = await p.x25519EphemeralKeyPair();
    expect(toHex(a.secretKey)).not.toBe(toHex(b.secretKey));
    expect(toHex(await nobleProvider.x25519PublicKey(a.secretKey))).toBe(toHex(a.publicKey));
    expect(toHex(await p.x25519(a.secretKey, b.publicKey))).toBe(toHex(await nobleProvider.x25519(b.secretKey, a.publicKey)));
    p.forgetSecretKey(a.secretKey);
    expect(a.secretKey.every((x) => x === 0)).toBe(true);
  });
});
