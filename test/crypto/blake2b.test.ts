// The one-shot blake2b (src/crypto/blake2b.ts) and the generalised WASM kernel behind it: equal to
// libsodium's crypto_generichash (unkeyed, keyed, personalised) and to @noble/hashes, for every
// input length 0..1000, large inputs across the 64 KiB slabs and every digest length 1..64, both
// with the kernel and with it forced off (the noble fallback).
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blake2b } from '../../src/crypto/blake2b.js';
import { _blake2bForceNoble, blake2bWasm, createBlake2b } from '../../src/crypto/blake2b-wasm.js';
import { loadSodium } from '../helpers/sodium.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});
afterEach(() => _blake2bForceNoble(false));

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 255);
const LARGE = [65535, 65536, 65537, 65536 * 2 + 129, 200_003];

describe.each([
  ['WASM kernel', false],
  ['noble fallback', true],
])('blake2b one-shot via %s', (_name, forced) => {
  const useMode = (): void => {
    _blake2bForceNoble(forced);
    // The mode really is the one named: the kernel answers only when not forced off.
    expect(blake2bWasm(new Uint8Array(1)) === undefined).toBe(forced);
  };

  it('unkeyed, lengths 0..1000 and large: libsodium crypto_generichash (dkLen 32 and 64)', () => {
    useMode();
    for (let n = 0; n <= 1000; n++) {
      const d = bytes(n, 1);
      expect(blake2b(d, { dkLen: 32 })).toEqual(sodium.crypto_generichash(32, d, null));
    }
    for (const n of [...LARGE, 0, 1, 127, 128, 129]) {
      const d = bytes(n, 2);
      expect(blake2b(d)).toEqual(sodium.crypto_generichash(64, d, null));
    }
  });

  it('keyed (key 1..64 bytes), lengths 0..1000 and large: libsodium crypto_generichash', () => {
    useMode();
    for (let n = 0; n <= 1000; n++) {
      const d = bytes(n, 3);
      const key = bytes(1 + (n % 64), 4);
      expect(blake2b(d, { key, dkLen: 24 })).toEqual(sodium.crypto_generichash(24, d, key));
    }
    for (const n of LARGE) {
      const d = bytes(n, 5);
      const key = bytes(64, 6);
      expect(blake2b(d, { key, dkLen: 56 })).toEqual(sodium.crypto_generichash(56, d, key));
    }
  });

  it('every digest length 1..64, keyed and unkeyed: libsodium and noble', () => {
    useMode();
    const key = bytes(32, 7);
    for (let dkLen = 1; dkLen <= 64; dkLen++) {
      const d = bytes(dkLen * 13, 8);
      expect(blake2b(d, { dkLen })).toEqual(sodium.crypto_generichash(dkLen, d, null));
      expect(blake2b(d, { key, dkLen })).toEqual(sodium.crypto_generichash(dkLen, d, key));
      expect(blake2b(d, { key, dkLen })).toEqual(nobleBlake2b(d, { key, dkLen }));
    }
  });

  it('personalised (with and without key): noble, and libsodium for the empty message', () => {
    useMode();
    const personalization = new TextEncoder().encode('SessionAttachmnt');
    const key = bytes(32, 10);
    for (const n of [0, 1, 64, 127, 128, 129, 500, 1000, 70_000]) {
      const d = bytes(n, 9);
      expect(blake2b(d, { personalization, dkLen: 32 })).toEqual(nobleBlake2b(d, { personalization, dkLen: 32 }));
      expect(blake2b(d, { key, personalization, dkLen: 56 })).toEqual(nobleBlake2b(d, { key, personalization, dkLen: 56 }));
    }
    // libsodium's wrapper only exposes salt/personal hashing of an empty message (its KDF form).
    const salt = new Uint8Array(16);
    expect(blake2b(new Uint8Array(0), { key, personalization, dkLen: 32 })).toEqual(sodium.crypto_generichash_blake2b_salt_personal(32, key, salt, personalization));
    expect(blake2b(new Uint8Array(0), { personalization, dkLen: 64 })).toEqual(sodium.crypto_generichash_blake2b_salt_personal(64, null, salt, personalization));
  });

  it('random inputs, keys, personalisations and lengths: noble', () => {
    useMode();
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1500 }),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
        fc.integer({ min: 1, max: 64 }),
        (d, key, personalization, dkLen) => {
          const want = nobleBlake2b(d, { key: key?.length ? key : undefined, personalization, dkLen });
          expect(blake2b(d, { key, personalization, dkLen })).toEqual(want);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('an empty key is unkeyed (as libsodium), and the input is left untouched', () => {
    useMode();
    const d = bytes(300, 11);
    const copy = d.slice();
    expect(blake2b(d, { key: new Uint8Array(0), dkLen: 32 })).toEqual(sodium.crypto_generichash(32, d, null));
    expect(d).toEqual(copy);
  });

  it('rejects bad parameters with RangeError, whichever path runs', () => {
    useMode();
    const d = new Uint8Array(10);
    for (const opts of [{ dkLen: 0 }, { dkLen: 65 }, { dkLen: 1.5 }, { key: new Uint8Array(65) }, { personalization: new Uint8Array(15) }, { personalization: new Uint8Array(17) }]) {
      expect(() => blake2b(d, opts)).toThrow(RangeError);
    }
  });
});

describe('WASM kernel hygiene', () => {
  it('one-shot calls interleaved with an incremental hasher do not disturb it', () => {
    const key = bytes(40, 12);
    const h = createBlake2b({ key, dkLen: 32 })!;
    const d = bytes(5000, 13);
    h.update(d.subarray(0, 1000));
    expect(blake2b(bytes(3000, 14), { key: bytes(8, 15), dkLen: 24 })).toEqual(sodium.crypto_generichash(24, bytes(3000, 14), bytes(8, 15)));
    h.update(d.subarray(1000));
    expect(h.digest()).toEqual(sodium.crypto_generichash(32, d, key));
  });

  it('the unkeyed, unpersonalised incremental hasher equals libsodium', () => {
    const d = bytes(1234, 16);
    const h = createBlake2b()!;
    h.update(d.subarray(0, 5));
    h.update(d.subarray(5));
    expect(h.digest()).toEqual(sodium.crypto_generichash(64, d, null));
  });
});

describe('callers give identical output with the kernel on and off', () => {
  it('configMessageHash, configEncrypt/Decrypt, storageMessageHash, blake2bKeyed', async () => {
    const { configMessageHash, configEncrypt, configDecrypt } = await import('../../src/config/index.js');
    const { storageMessageHash } = await import('../../src/onion/storage.js');
    const { blake2bKeyed } = await import('../../src/groups/primitives.js');
    const msg = bytes(4056, 17);
    const keyBase = bytes(32, 18);
    const run = () => ({
      hash: configMessageHash(msg),
      ct: configEncrypt(msg, keyBase, 'Contacts'),
      storage: storageMessageHash('05' + '11'.repeat(32), -10, msg),
      keyed: blake2bKeyed(56, 'SessionGroupKeyGen', msg.subarray(0, 700), bytes(32, 19)),
    });
    _blake2bForceNoble(true);
    const noble = run();
    _blake2bForceNoble(false);
    const wasm = run();
    expect(wasm).toEqual(noble);
    expect(configDecrypt(wasm.ct, keyBase, 'Contacts')).toEqual(msg);
    // The config hash is unkeyed BLAKE2b-256; the nonce is keyed with the domain-suffixed prefix.
    expect(wasm.hash).toEqual(sodium.crypto_generichash(32, msg, null));
    const nonceKey = new TextEncoder().encode('libsessionutil-config-encrypted-Contacts');
    expect(wasm.ct.subarray(wasm.ct.length - 24)).toEqual(sodium.crypto_generichash(24, msg, nonceKey));
  });
});
