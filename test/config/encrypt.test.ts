// configEncrypt / configDecrypt / padding / payload decoding (spec/config.md §2.2-§2.4):
// upstream vectors, a libsodium cross-check, negative cases and fast-check properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_ENCRYPT_OVERHEAD,
  configDecrypt,
  configEncrypt,
  configPaddedSize,
  decodeConfigPayload,
  encodeConfigPayload,
} from '../../src/config/index.js';
import { isSessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { HAS_ZSTD_CLI, libzstdCompress, pushRecords } from './helpers.js';

const file = loadVectors('config/config-encrypt.json');
const vec = (n: string) => file.vectors.find((v: { name: string }) => v.name === n);
const only = (...codes: string[]) => (e: unknown) => {
  if (!isSessionSdkError(e) || !codes.includes(e.code)) throw e;
  return true;
};

describe('configEncrypt / configDecrypt (upstream vectors)', () => {
  const v = vec('encrypt-test-suite1');
  const key = hex(v.key_base);
  const msg = hex(v.message);

  it('known answer and round trip', () => {
    const c = configEncrypt(msg, key, v.domain);
    expect(toHex(c)).toBe(v.ciphertext);
    expect(toHex(c.subarray(c.length - 24))).toBe(v.nonce);
    expect(c.length).toBe(msg.length + CONFIG_ENCRYPT_OVERHEAD);
    expect(toHex(configDecrypt(c, key, v.domain))).toBe(v.message);
  });

  it('wrong domain, wrong key, flipped byte, truncation all fail with DECRYPT_FAILED', () => {
    const c = hex(v.ciphertext);
    const fails = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
    fails(() => configDecrypt(c, key, 'test-suite2'));
    fails(() => configDecrypt(c, hex('0123456789abcdef'.repeat(4)), v.domain));
    const flipped = c.slice();
    flipped[3] = flipped[3]! ^ 1;
    fails(() => configDecrypt(flipped, key, v.domain));
    fails(() => configDecrypt(c.subarray(0, 39), key, v.domain));
    fails(() => configDecrypt(c.subarray(1), key, v.domain));
  });

  it('the nonce depends on plaintext and domain, not on the key', () => {
    const n = vec('nonce-depends-on-domain-not-key');
    const c2 = configEncrypt(msg, hex(n.key_base), n.domain);
    expect(toHex(c2.subarray(c2.length - 24))).toBe(n.nonce);
    const o = n.other_key_same_domain;
    const c3 = configEncrypt(msg, hex(o.key_base), o.domain);
    expect(toHex(c3.subarray(c3.length - 24))).toBe(o.nonce);
    expect(toHex(c3) !== v.ciphertext).toBe(o.ciphertext_differs);
  });

  it('bad inputs: typed errors', () => {
    expect(() => configEncrypt(msg, new Uint8Array(31), 'x')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => configEncrypt(msg, key, '')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => configEncrypt(msg, key, 'x'.repeat(25))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => configDecrypt('abc' as never, key, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('matches a libsodium composition (BLAKE2b + XChaCha20-Poly1305) on random inputs', async () => {
    const sodium = await loadSodium();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('UserProfile', 'groups::Info', 'a'), (m, k, d) => {
        const db = new TextEncoder().encode(d);
        const len = new Uint8Array(8);
        new DataView(len.buffer).setBigUint64(0, BigInt(m.length));
        const st = sodium.crypto_generichash_init(null, 32);
        sodium.crypto_generichash_update(st, k);
        sodium.crypto_generichash_update(st, len);
        sodium.crypto_generichash_update(st, db);
        const kk = sodium.crypto_generichash_final(st, 32);
        const nonceKey = new Uint8Array([...new TextEncoder().encode('libsessionutil-config-encrypted-'), ...db]);
        const nonce = sodium.crypto_generichash(24, m, nonceKey);
        const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(m, null, null, nonce, kk);
        expect(toHex(configEncrypt(m, k, d))).toBe(toHex(ct) + toHex(nonce));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('decrypt of random or mutated input only ever throws DECRYPT_FAILED', () => {
    const c = hex(v.ciphertext);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (junk) => {
        expect(() => configDecrypt(junk, key, v.domain)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
      }),
      { seed: 42, numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.nat(c.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = c.slice();
        m[i] = m[i]! ^ x;
        expect(() => configDecrypt(m, key, v.domain)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('padding and payload layers', () => {
  it('padded_size table (24 upstream cases)', () => {
    const cases = vec('padded_size').cases as { size: number; overhead: number; padded: number }[];
    expect(cases.length).toBe(24);
    for (const c of cases) expect(configPaddedSize(c.size, c.overhead), `${c.size}/${c.overhead}`).toBe(c.padded);
  });

  it('encode pads with leading zeros; decode strips them; compression only when shorter', () => {
    const m = new TextEncoder().encode('d1:#i0e1:&de1:<le1:=dee');
    const p = encodeConfigPayload(m);
    expect(p.length + 40).toBe(256);
    expect(toHex(decodeConfigPayload(p))).toBe(toHex(m));
    expect(encodeConfigPayload(m, () => new Uint8Array(100)).length).toBe(216); // not shorter: unused
    const z = encodeConfigPayload(m, () => new Uint8Array(3));
    expect(z[z.length - 4]).toBe(0x7a);
  });

  it('rejects empty, multi-part, bad and oversized zstd payloads with typed errors', () => {
    expect(() => decodeConfigPayload(new Uint8Array(10))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => decodeConfigPayload(Uint8Array.of(0, 0x6d, 1))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => decodeConfigPayload(Uint8Array.of(0x7a, 1, 2, 3))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    // a frame header declaring a 1 GiB single-segment content size
    const bomb = Uint8Array.of(0x7a, 0x28, 0xb5, 0x2f, 0xfd, 0xa0, 0, 0, 0, 0x40, 1, 0, 0);
    expect(() => decodeConfigPayload(bomb)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    // a huge window
    const win = Uint8Array.of(0x7a, 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xf8, 1, 0, 0);
    expect(() => decodeConfigPayload(win)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
  });

  it('decodes every compressed payload of the derived vectors', () => {
    let n = 0;
    for (const f of ['user-profile', 'contacts', 'group-info', 'group-members', 'user-groups', 'convo-info-volatile', 'group-linked']) {
      const text = JSON.stringify(loadVectors(`config/derived-${f}.json`));
      for (const m of text.matchAll(/"compressed":"([0-9a-f]+)","config_message":"([0-9a-f]+)"/g)) {
        expect(toHex(decodeConfigPayload(hex(m[1]!)))).toBe(m[2]);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(19);
  });

  it('decode of random and mutated payloads: result or a typed error, nothing else', () => {
    const text = JSON.stringify(loadVectors('config/derived-contacts.json'));
    const z = hex(/"compressed":"([0-9a-f]+)"/.exec(text)![1]!);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        try {
          decodeConfigPayload(Uint8Array.of(0x7a, ...junk));
        } catch (e) {
          only('CONFIG_INVALID', 'INVALID_ENCODING')(e);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(z.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = z.slice();
        m[i] = m[i]! ^ x;
        try {
          decodeConfigPayload(m);
        } catch (e) {
          only('CONFIG_INVALID', 'INVALID_ENCODING')(e);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe.skipIf(!HAS_ZSTD_CLI)('zstd against libzstd (the zstd CLI)', () => {
  it('libzstd level 1 reproduces every compressed frame of the derived vectors', () => {
    let n = 0;
    for (const f of ['user-profile', 'contacts', 'group-info', 'group-members', 'user-groups', 'convo-info-volatile', 'group-linked']) {
      for (const r of pushRecords(loadVectors(`config/derived-${f}.json`))) {
        if (!r.layers.compressed) continue;
        expect(toHex(libzstdCompress(hex(r.layers.config_message)))).toBe(r.layers.compressed.slice(2));
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(19);
  });

  it('fzstd decodes libzstd frames of random and repetitive inputs, multi-block included', () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 251 ^ (i >> 12));
    expect(toHex(decodeConfigPayload(Uint8Array.of(0x7a, ...libzstdCompress(big))))).toBe(toHex(big));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.string({ minLength: 1, maxLength: 3000 }).map((t) => new TextEncoder().encode(t.repeat(3)))), (m) => {
        const z = libzstdCompress(m);
        expect(toHex(decodeConfigPayload(new Uint8Array([0x7a, ...z])))).toBe(toHex(m));
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});
