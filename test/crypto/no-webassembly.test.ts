// Runtimes without WebAssembly (locked-down CSP, some embedded engines): the WASM kernels of
// secretstream (ChaCha20, Poly1305) and of BLAKE2b must step aside and the pure
// JavaScript paths must give byte-identical results (spec/performance.md §4). Each module is
// loaded fresh with `WebAssembly` removed, so its kernel cache starts empty.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as withWasm from '../../src/crypto/secretstream.js';
import { blake2b as blake2bWithWasm } from '../../src/crypto/blake2b.js';
import { attachmentNonceKey as nonceKeyWithWasm } from '../../src/envelope/attachments/key-derivation.js';
import { loadSodium } from '../helpers/sodium.js';

type SS = typeof import('../../src/crypto/secretstream.js');

describe('without a WebAssembly global', () => {
  let ss: SS;
  let b2: typeof import('../../src/crypto/blake2b-wasm.js');
  let b2OneShot: typeof import('../../src/crypto/blake2b.js');
  let kd: typeof import('../../src/envelope/attachments/key-derivation.js');
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    ss = await import('../../src/crypto/secretstream.js');
    b2 = await import('../../src/crypto/blake2b-wasm.js');
    b2OneShot = await import('../../src/crypto/blake2b.js');
    kd = await import('../../src/envelope/attachments/key-derivation.js');
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('secretstream still round-trips and matches libsodium and the WASM path byte for byte', () => {
    expect(globalThis.WebAssembly).toBeUndefined();
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const header = Uint8Array.from({ length: 24 }, (_, i) => 100 + i);
    const msgs = [new Uint8Array(0), new Uint8Array(63).fill(7), Uint8Array.from({ length: 1000 }, (_, i) => i * 13)];
    const push = (m: SS | typeof withWasm) => {
      const st = m.secretstreamInitPush(key, header);
      return msgs.map((x, i) => m.secretstreamPush(st, x, i === msgs.length - 1 ? m.SECRETSTREAM_TAG_FINAL : m.SECRETSTREAM_TAG_MESSAGE));
    };
    const ours = push(ss);
    expect(ours).toEqual(push(withWasm));
    const so = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    ours.forEach((c, i) => expect(sodium.crypto_secretstream_xchacha20poly1305_pull(so, c, null)).toMatchObject({ message: msgs[i] }));
    const pull = ss.secretstreamInitPull(key, header);
    expect(ours.map((c) => ss.secretstreamPull(pull, c).message)).toEqual(msgs);
  });

  it('the attachment BLAKE2b kernel reports itself unavailable and the fallback gives the same nonce/key', () => {
    expect(b2.createBlake2b({ key: new Uint8Array(32), personalization: new Uint8Array(16), dkLen: 56 })).toBeUndefined();
    const seed = new Uint8Array(32).fill(0x42);
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    expect(kd.attachmentNonceKey(seed, data)).toEqual(nonceKeyWithWasm(seed, data));
    expect(kd.attachmentNonceKey(seed, data, 'profile-pic')).toEqual(nonceKeyWithWasm(seed, data, 'profile-pic'));
  });

  it('the one-shot blake2b (config hashing and encryption, groups, storage hashes) falls back to noble, same digests', () => {
    expect(b2.blake2bWasm(new Uint8Array(1))).toBeUndefined();
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const key = new Uint8Array(40).fill(9);
    expect(b2OneShot.blake2b(data, { dkLen: 32 })).toEqual(blake2bWithWasm(data, { dkLen: 32 }));
    expect(b2OneShot.blake2b(data, { key, dkLen: 24 })).toEqual(blake2bWithWasm(data, { key, dkLen: 24 }));
    expect(b2OneShot.blake2b(data, { key, dkLen: 24 })).toEqual(sodium.crypto_generichash(24, data, key));
  });
});

describe('secretstream output offsets', () => {
  const key = new Uint8Array(32).fill(1);
  const header = new Uint8Array(24).fill(2);
  const msg = new Uint8Array(10).fill(3);

  it('pushInto rejects an offset that is negative, fractional or leaves too little room, writing nothing', () => {
    const st = withWasm.secretstreamInitPush(key, header);
    const out = new Uint8Array(40).fill(0xee);
    for (const off of [-1, 0.5, 40 - 27 + 1, Number.NaN]) {
      expect(() => withWasm.secretstreamPushInto(st, msg, 0, out, off)).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    }
    expect(out.every((b) => b === 0xee)).toBe(true);
    // the exact fit works, and the state was not advanced by the refusals
    expect(withWasm.secretstreamPushInto(st, msg, 0, out, 13)).toBe(27);
    expect(out.subarray(13)).toEqual(withWasm.secretstreamPush(withWasm.secretstreamInitPush(key, header), msg));
  });

  it('pullInto rejects a bad offset before authenticating, and leaves the state usable', () => {
    const c = withWasm.secretstreamPush(withWasm.secretstreamInitPush(key, header), msg);
    const st = withWasm.secretstreamInitPull(key, header);
    const out = new Uint8Array(12);
    for (const off of [-1, 1.5, 3]) {
      expect(() => withWasm.secretstreamPullInto(st, c, out, off)).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    }
    expect(withWasm.secretstreamPullInto(st, c, out, 2)).toBe(0);
    expect(out.subarray(2)).toEqual(msg);
  });
});
