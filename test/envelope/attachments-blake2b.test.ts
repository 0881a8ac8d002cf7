// The WebAssembly BLAKE2b kernel (src/crypto/blake2b-wasm.ts) behind "S" attachment key
// derivation: the embedded bytes are the compile of blake2b.wat (SESSION_SDK_REGEN_WASM=1 rewrites
// them), and the digests equal @noble/hashes (with personalisation) and libsodium's keyed
// crypto_generichash. The one-shot blake2b() over the same kernel: test/crypto/blake2b.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import wabtInit from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLAKE2B_WASM_BASE64, createBlake2b } from '../../src/crypto/blake2b-wasm.js';
import { CHACHA20_WASM_BASE64, POLY1305_WASM_BASE64 } from '../../src/crypto/secretstream.js';
import { createNonceKeyHasher } from '../../src/envelope/attachments/key-derivation.js';
import { loadSodium } from '../helpers/sodium.js';
import { split } from './attachments.helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

// The attachment WebAssembly kernels: each embedded module must be exactly the compile of its .wat
// source (wabt), and stay under 4 KB so synchronous compilation is allowed in browsers.
const KERNELS = [
  { wat: join(ROOT, 'crypto', 'blake2b.wat'), ts: join(ROOT, 'crypto', 'blake2b-wasm.ts'), name: 'BLAKE2B_WASM_BASE64', embedded: BLAKE2B_WASM_BASE64 },
  { wat: join(ROOT, 'crypto', 'secretstream-chacha20.wat'), ts: join(ROOT, 'crypto', 'secretstream.ts'), name: 'CHACHA20_WASM_BASE64', embedded: CHACHA20_WASM_BASE64 },
  { wat: join(ROOT, 'crypto', 'secretstream-poly1305.wat'), ts: join(ROOT, 'crypto', 'secretstream.ts'), name: 'POLY1305_WASM_BASE64', embedded: POLY1305_WASM_BASE64 },
];

describe('WebAssembly kernels match their .wat sources', () => {
  it.each(KERNELS.map((k): [string, (typeof KERNELS)[number]] => [k.name, k]))('%s', async (_n, k) => {
    const wabt = await wabtInit();
    const mod = wabt.parseWat(k.wat, readFileSync(k.wat, 'utf8'));
    mod.validate();
    const b64 = Buffer.from(mod.toBinary({}).buffer).toString('base64');
    mod.destroy();
    if (process.env.SESSION_SDK_REGEN_WASM) {
      const re = new RegExp(`(${k.name} =\\n {2}')[^']*'`);
      writeFileSync(k.ts, readFileSync(k.ts, 'utf8').replace(re, `$1${b64}'`));
      return;
    }
    expect(k.embedded).toBe(b64);
    expect(b64.length * 0.75).toBeLessThan(4096);
  });
});

describe('WASM BLAKE2b equals noble and libsodium', () => {
  const arb = fc.record({
    data: fc.uint8Array({ maxLength: 2000 }),
    key: fc.uint8Array({ maxLength: 64 }),
    pers: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    dkLen: fc.integer({ min: 1, max: 64 }),
    cuts: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 4 }).filter((a) => a.some((x) => x > 0)),
  });

  it('random data, keys, personalisations, lengths and update splits', () => {
    fc.assert(
      fc.property(arb, ({ data, key, pers, dkLen, cuts }) => {
        const h = createBlake2b({ key, personalization: pers, dkLen })!;
        for (const p of split(data, cuts)) h.update(p);
        expect(h.digest()).toEqual(blake2b(data, { key: key.length ? key : undefined, personalization: pers, dkLen }));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keyed, zero personalisation: libsodium crypto_generichash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ minLength: 16, maxLength: 64 }), (data, key) => {
        const h = createBlake2b({ key, personalization: new Uint8Array(16), dkLen: 56 })!;
        h.update(data);
        expect(h.digest()).toEqual(sodium.crypto_generichash(56, data, key));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('block-boundary sizes and large inputs through the 64 KiB slabs; interleaved hashers', () => {
    const key = new Uint8Array(32).fill(9);
    const pers = new TextEncoder().encode('SessionAttachmnt');
    for (const n of [0, 1, 127, 128, 129, 255, 256, 257, 65535, 65536, 65537, 65536 * 3 + 128, 300_001]) {
      const data = new Uint8Array(n).map((_, i) => (i * 13 + 5) & 255);
      const a = createNonceKeyHasher(key, 'attachment');
      const b = createNonceKeyHasher(key, 'attachment');
      for (const p of split(data, [70_000])) {
        a.update(p);
        b.update(p.subarray(0, 1));
        b.update(p.subarray(1));
      }
      const want = blake2b(data, { key, personalization: pers, dkLen: 56 });
      expect(a.digest()).toEqual(want);
      expect(b.digest()).toEqual(want);
    }
  });

  it('noble fallback path gives the same nonce/key', () => {
    const seed = new Uint8Array(32).fill(4);
    const data = new Uint8Array(1000).fill(1);
    const a = createNonceKeyHasher(seed, 'profile-pic');
    const b = createNonceKeyHasher(seed, 'profile-pic', true);
    a.update(data);
    b.update(data);
    expect(a.digest()).toEqual(b.digest());
  });

  it('rejects misuse', () => {
    const h = createBlake2b({ key: new Uint8Array(32), personalization: new Uint8Array(16), dkLen: 56 })!;
    h.digest();
    expect(() => h.digest()).toThrow();
    expect(() => h.update(new Uint8Array(1))).toThrow();
    expect(() => createBlake2b({ key: new Uint8Array(65), personalization: new Uint8Array(16), dkLen: 56 })).toThrow(RangeError);
  });
});
