// The native provider's less-travelled paths (spec/performance.md §4.3): per-algorithm noble
// fallback when the runtime lacks Ed25519 or X25519, the secret-key cache (hit, mutated buffer,
// forgotten key), the public-key LRU, and the error mapping of each primitive. Every result is
// compared with the noble provider, the byte-identical reference.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble-provider.js';
import type { CryptoProvider } from '../../src/crypto/provider.js';
import { ed25519KeyPairFromSeed, x25519PublicKeySync } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';

const subtle = globalThis.crypto.subtle;
const seq = (n: number, start = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
const algName = (a: unknown): string => (typeof a === 'string' ? a : String((a as { name?: string } | undefined)?.name));

/** A fresh copy of the module, so its "is this algorithm supported" memo starts empty. */
async function freshProvider(): Promise<CryptoProvider> {
  vi.resetModules();
  return (await import('../../src/crypto/webcrypto-provider.js')).webCryptoProvider;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(['Ed25519', 'X25519'] as const)('runtime without native %s', (missing) => {
  it('falls back to noble for that algorithm only, byte-identical', async () => {
    const realGenerate = subtle.generateKey.bind(subtle);
    const gen = vi.spyOn(subtle, 'generateKey').mockImplementation(((alg: AlgorithmIdentifier, ex: boolean, us: KeyUsage[]) => {
      if (algName(alg) === missing) return Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'));
      return realGenerate(alg as never, ex, us as never);
    }) as typeof subtle.generateKey);
    const sign = vi.spyOn(subtle, 'sign');
    const derive = vi.spyOn(subtle, 'deriveBits');
    const p = await freshProvider();

    const seed = seq(32, 7);
    const { secretKey, publicKey } = ed25519KeyPairFromSeed(seed);
    const msg = seq(100);
    const sig = await p.ed25519Sign(secretKey, msg);
    expect(sig).toEqual(await nobleProvider.ed25519Sign(secretKey, msg));
    expect(await p.ed25519Verify(sig, msg, publicKey)).toBe(true);
    const bad = sig.slice();
    bad[0]! ^= 1;
    expect(await p.ed25519Verify(bad, msg, publicKey)).toBe(false);

    const a = seq(32, 40);
    const bPub = x25519PublicKeySync(seq(32, 90));
    expect(await p.x25519(a, bPub)).toEqual(await nobleProvider.x25519(a, bPub));
    expect(await p.x25519PublicKey(a)).toEqual(x25519PublicKeySync(a));
    const eph = await p.x25519EphemeralKeyPair();
    expect(eph.secretKey).toHaveLength(32);
    expect(eph.publicKey).toEqual(x25519PublicKeySync(eph.secretKey));

    // The support probe ran once per algorithm, not once per call.
    const probes = gen.mock.calls.filter(([alg]) => algName(alg) === missing).length;
    expect(probes).toBe(1);
    // The missing algorithm never reached WebCrypto; the present one did.
    const nativeSigns = sign.mock.calls.filter(([alg]) => algName(alg) === 'Ed25519').length;
    const nativeDerives = derive.mock.calls.filter(([alg]) => algName(alg) === 'X25519').length;
    if (missing === 'Ed25519') {
      expect(nativeSigns).toBe(0);
      expect(nativeDerives).toBeGreaterThan(0);
    } else {
      expect(nativeDerives).toBe(0);
      expect(nativeSigns).toBeGreaterThan(0);
    }
  });
});

describe('secret-key cache', () => {
  it('imports a secret once per buffer, re-imports after the buffer changes, and forgets on request', async () => {
    const p = await freshProvider();
    const { secretKey } = ed25519KeyPairFromSeed(seq(32, 3));
    const msg = seq(10);
    const imports = vi.spyOn(subtle, 'importKey');
    const pkcs8 = (): number => imports.mock.calls.filter(([fmt]) => fmt === 'pkcs8').length;

    const s1 = await p.ed25519Sign(secretKey, msg);
    const s2 = await p.ed25519Sign(secretKey, msg);
    expect(s2).toEqual(s1);
    expect(pkcs8()).toBe(1); // second call was a cache hit

    // A caller that overwrites its buffer in place must get signatures under the NEW key,
    // not the stale cached one.
    const other = ed25519KeyPairFromSeed(seq(32, 200)).secretKey;
    secretKey.set(other);
    const s3 = await p.ed25519Sign(secretKey, msg);
    expect(pkcs8()).toBe(2);
    expect(s3).toEqual(await nobleProvider.ed25519Sign(other, msg));
    expect(s3).not.toEqual(s1);

    // forgetSecretKey wipes the caller's buffer and the cached copy.
    p.forgetSecretKey(secretKey);
    expect(secretKey.every((b) => b === 0)).toBe(true);
    // Forgetting an unknown buffer still wipes it and does not throw.
    const unknown = seq(64);
    p.forgetSecretKey(unknown);
    expect(unknown.every((b) => b === 0)).toBe(true);
  });

  it('an ephemeral X25519 pair is pre-cached: deriving with it imports no secret key', async () => {
    const p = await freshProvider();
    const eph = await p.x25519EphemeralKeyPair();
    const imports = vi.spyOn(subtle, 'importKey');
    const peer = x25519PublicKeySync(seq(32, 11));
    const shared = await p.x25519(eph.secretKey, peer);
    expect(shared).toEqual(await nobleProvider.x25519(eph.secretKey, peer));
    expect(imports.mock.calls.filter(([fmt]) => fmt === 'pkcs8')).toHaveLength(0);
    p.forgetSecretKey(eph.secretKey);
    expect(eph.secretKey.every((b) => b === 0)).toBe(true);
  });

  it('a malformed native key pair is INVALID_KEY, not a short key handed to the caller', async () => {
    const p = await freshProvider();
    await p.x25519EphemeralKeyPair(); // settle the support probe before stubbing
    vi.spyOn(subtle, 'exportKey').mockResolvedValue({ kty: 'OKP', crv: 'X25519', d: 'AAAA', x: 'AAAA' } as never);
    await expect(p.x25519EphemeralKeyPair()).rejects.toMatchObject({ code: 'INVALID_KEY' });
  });
});

describe('public-key LRU', () => {
  it('reuses an imported public key, refreshes it on use, and evicts the least recently used at 2048', async () => {
    const p = await freshProvider();
    const sk = seq(32, 5);
    const pk = (i: number): Uint8Array => {
      const k = new Uint8Array(32);
      k[0] = 9; // the base point's u = 9 family: any non-small-order u works
      k[1] = i & 0xff;
      k[2] = (i >> 8) & 0xff;
      return k;
    };
    const imports = vi.spyOn(subtle, 'importKey');
    const raw = (): number => imports.mock.calls.filter(([fmt]) => fmt === 'raw').length;

    await p.x25519(sk, pk(0));
    await p.x25519(sk, pk(1));
    await p.x25519(sk, pk(0)); // hit: pk(0) becomes most recent
    expect(raw()).toBe(2);
    for (let i = 2; i < 2048; i++) await p.x25519(sk, pk(i)); // cache now full (2048 entries)
    expect(raw()).toBe(2048);
    await p.x25519(sk, pk(2048)); // evicts the least recent: pk(1), not pk(0)
    expect(raw()).toBe(2049);
    await p.x25519(sk, pk(0));
    expect(raw()).toBe(2049);
    await p.x25519(sk, pk(1));
    expect(raw()).toBe(2050);
  }, 20_000);
});

describe('error mapping', () => {
  it('x25519: a native failure or an all-zero shared secret is SMALL_ORDER_KEY', async () => {
    const p = await freshProvider();
    const sk = seq(32, 21);
    const peer = x25519PublicKeySync(seq(32, 22));
    await p.x25519(sk, peer); // settle the support probe and caches
    const derive = vi.spyOn(subtle, 'deriveBits').mockRejectedValueOnce(new DOMException('bad', 'OperationError'));
    await expect(p.x25519(sk, peer)).rejects.toMatchObject({ code: 'SMALL_ORDER_KEY' });
    derive.mockResolvedValueOnce(new ArrayBuffer(32));
    await expect(p.x25519(sk, peer)).rejects.toMatchObject({ code: 'SMALL_ORDER_KEY' });
    // A genuine small-order point (u = 0) through the real WebCrypto path.
    derive.mockRestore();
    await expect(p.x25519(sk, new Uint8Array(32))).rejects.toMatchObject({ code: 'SMALL_ORDER_KEY' });
  });

  it('ed25519Verify never throws: non-bytes message or a native failure is false', async () => {
    const p = await freshProvider();
    const { secretKey, publicKey } = ed25519KeyPairFromSeed(seq(32, 60));
    const msg = seq(5);
    const sig = await p.ed25519Sign(secretKey, msg);
    expect(await p.ed25519Verify(sig, 'hello' as unknown as Uint8Array, publicKey)).toBe(false);
    vi.spyOn(subtle, 'verify').mockRejectedValueOnce(new DOMException('x', 'OperationError'));
    expect(await p.ed25519Verify(sig, msg, publicKey)).toBe(false);
    expect(await p.ed25519Verify(sig, msg, publicKey)).toBe(true);
  });

  it('hashes switch to native at 1 KiB and agree with noble on both sides of the threshold', async () => {
    const p = await freshProvider();
    const digest = vi.spyOn(subtle, 'digest');
    for (const n of [0, 1023, 1024, 5000]) {
      const d = seq(n);
      expect(await p.sha256(d)).toEqual(await nobleProvider.sha256(d));
      expect(await p.sha512(d)).toEqual(await nobleProvider.sha512(d));
    }
    // Only the two sizes at or above the threshold went native (two hashes each).
    expect(digest).toHaveBeenCalledTimes(4);
  });

  it('HMAC with an empty key (refused by WebCrypto) matches noble; non-empty keys go native', async () => {
    const p = await freshProvider();
    const d = seq(40);
    expect(await p.hmacSha256(new Uint8Array(0), d)).toEqual(await nobleProvider.hmacSha256(new Uint8Array(0), d));
    expect(await p.hmacSha256(seq(7), d)).toEqual(await nobleProvider.hmacSha256(seq(7), d));
  });

  it('AES-GCM with and without AAD round-trips, matches noble, and any tamper is DECRYPT_FAILED', async () => {
    const p = await freshProvider();
    const k = seq(32);
    const iv = seq(12, 100);
    const pt = seq(33);
    for (const aad of [undefined, seq(9, 50)]) {
      const ct = await p.aesGcmEncrypt(k, iv, pt, aad);
      expect(ct).toEqual(await nobleProvider.aesGcmEncrypt(k, iv, pt, aad));
      expect(await p.aesGcmDecrypt(k, iv, ct, aad)).toEqual(pt);
      const bad = ct.slice();
      bad[bad.length - 1]! ^= 1;
      await expect(p.aesGcmDecrypt(k, iv, bad, aad)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    }
    // Wrong AAD (present vs absent) fails authentication.
    const ct = await p.aesGcmEncrypt(k, iv, pt, seq(3));
    await expect(p.aesGcmDecrypt(k, iv, ct)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('AES-CBC: bad padding is DECRYPT_FAILED; bad key or IV length is a typed error before WebCrypto', async () => {
    const p = await freshProvider();
    const k = seq(32);
    const iv = seq(16);
    const ct = await p.aesCbcEncrypt(k, iv, seq(20));
    expect(ct).toEqual(await nobleProvider.aesCbcEncrypt(k, iv, seq(20)));
    expect(await p.aesCbcDecrypt(k, iv, ct)).toEqual(seq(20));
    await expect(p.aesCbcDecrypt(k, iv, ct.subarray(0, 17))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    const imports = vi.spyOn(subtle, 'importKey');
    const e = await p.aesCbcEncrypt(seq(31), iv, seq(1)).catch((x: unknown) => x);
    expect(isSessionSdkError(e) && e.code).toBe('INVALID_KEY');
    const e2 = await p.aesGcmDecrypt(k, seq(16), seq(32)).catch((x: unknown) => x);
    expect(isSessionSdkError(e2) && e2.code).toBe('INVALID_LENGTH');
    expect(imports).not.toHaveBeenCalled();
  });
});
