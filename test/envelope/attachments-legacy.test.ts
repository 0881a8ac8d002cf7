// Legacy attachments (spec/identity-envelope.md §6.1): AES-256-CBC + HMAC-SHA256 + SHA-256 digest
// with desktop's size padding. Vectors, node:crypto differential, both providers, negatives,
// properties, streaming ≡ one-shot.
import { createCipheriv, createHash, createHmac, randomBytes as nodeRandom } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_MAX_ENCRYPTED_SIZE,
  LEGACY_ATTACHMENT_MAX_SIZE,
  decryptLegacyAttachment,
  decryptLegacyAttachmentStream,
  encryptLegacyAttachment,
  encryptLegacyAttachmentStream,
  legacyAttachmentPaddedSize,
  type AttachmentProgressEvent,
} from '../../src/envelope/attachments.js';
import { SessionSdkError } from '../../src/errors.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { asAsync, asReadable, collect, collectPieces, expectCodeAsync, expectSameBytes, pseudoRandom, split } from './attachments.helpers.js';

const V = loadVectors('identity-envelope/attachments.json');

/** The same blob computed with node:crypto (the reference the desktop client's WebCrypto matches). */
function nodeLegacy(plaintext: Uint8Array, key: Uint8Array, iv: Uint8Array): { blob: Buffer; digest: Buffer } {
  const c = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  const ivct = Buffer.concat([iv, c.update(plaintext), c.final()]);
  const blob = Buffer.concat([ivct, createHmac('sha256', key.subarray(32)).update(ivct).digest()]);
  return { blob, digest: createHash('sha256').update(blob).digest() };
}

// session-desktop ts/test/session/unit/crypto/ (legacy attachment decryption test): an externally
// produced blob over a 541-byte zero-padded plaintext. Upstream-asserted data.
const DESKTOP = {
  key: '11'.repeat(32) + '22'.repeat(32),
  blob:
    '333333333333333333333333333333330ee1ed4f89c70232caed52b8765365ff' +
    'e904557d3c61038c97bdb5bee3189fc6f53aac97422dc92d8693c0a72b3aa362' +
    '01d1bd3a6dd6164a09154ae87aa95888066a80449e211fc64a69c04b0f9ddce0' +
    '2f144fbea3a731ded616d0436b2fd6ec908f89ebf85d15bad69bdaa66827f0b3' +
    '484b7425d383f7136e3c911881731c043863f49f5ada6f85f8fa456efd08a2db' +
    '8c7b510cb04a225035db36e21660f5274939dc09639ffd30cc36ac9fc8776761' +
    '5a93ab017c028a8bdf2dd7ef48c245b846c7cd4942866d77b056a2a59924d426' +
    '4d1e1d23b8c5ed598f23ada8a905c5579383581203db2c5f60c434551992162f' +
    'b9f36105a91515c5472105c64f3c111a16c745bbca3e810460319b3124c430ca' +
    '3d87f4fd9400502cd62d7e782ee5eebf4656f4acd84a9ae964e0f40804dea71d' +
    '675eb620a2659094b52a3bdf9b36c8ac66ffcbbb129749e5394eabf4b8708249' +
    '12cf7966797621b0ca073baf66d500d5589649b89d5298855471178c724907d2' +
    '5e5812ea7cbf4d9fdf19319eeba03b491cf2857a388ef861ea11e83876d43751' +
    'fbbc80aaf205e5d937e9dcc046f9aaf3ee56b6a627a5a474e1ac5cde5a12e52a' +
    'fd23fcdadeb591aa06f374bd84edf8a5d61151df711ed8fbded86f0b23c28ef4' +
    '414b99d422c4bf95f30f1f18b274c42d9e61a48f63a754d100c7bf64fc88f469' +
    '407560f167919c9d5f10d5a343dff87e753ab281e57073fce95481d2b8c4da0e' +
    '5f0d13c67d802c1733c232e3d520f38a4f9d5a43c6ce60843288322b883d7d24' +
    '796efd75c676cb02a5b6148ea737534d',
  digest: 'ee65e6417b452d017a4d8e2ce984883c1f7dc8d920d7551f0e2d2af7606bd9a9',
  plaintext: 'legacy attachment payload',
};

describe('legacyAttachmentPaddedSize (derived vectors)', () => {
  const rows: [number, number][] = V.legacy_size_padding.map((v: any) => [v.input_len, v.padded_len]);
  it.each(rows)('%i → %i', (n, padded) => {
    expect(legacyAttachmentPaddedSize(n)).toBe(padded);
  });
  it('is never below the input, caps at 10 MB for files that fit, and grows past it with larger files', () => {
    for (const n of [0, 540, 541, 542, 9_000_000, 9_999_999, 10_000_000]) {
      expect(legacyAttachmentPaddedSize(n)).toBeGreaterThanOrEqual(n);
      expect(legacyAttachmentPaddedSize(n)).toBeLessThanOrEqual(Math.max(541, LEGACY_ATTACHMENT_MAX_SIZE));
    }
    expect(legacyAttachmentPaddedSize(0)).toBe(541);
    expect(legacyAttachmentPaddedSize(20_000_000)).toBeGreaterThan(20_000_000);
    expect(() => legacyAttachmentPaddedSize(-1)).toThrow(SessionSdkError);
  });
});

describeEachProvider('legacy attachments', () => {
  const rows: [string, any][] = V.legacy_encrypt.map((v: any) => [v.description, v]);
  it.each(rows)('%s', async (_d, v: any) => {
    const i = v.input;
    const r = await encryptLegacyAttachment(hex(i.plaintext), { key: hex(i.keys64), iv: hex(i.iv), pad: false });
    expect(toHex(r.ciphertext)).toBe(v.expected.encrypted_blob_iv_ct_mac);
    expect(toHex(r.digest)).toBe(v.expected.digest_sha256_of_blob);
    expect(r.size).toBe(i.plaintext.length / 2);
    expect(toHex(r.key)).toBe(i.aes_key + i.mac_key);
    const back = await decryptLegacyAttachment(hex(v.expected.encrypted_blob_iv_ct_mac), hex(i.keys64), hex(v.expected.digest_sha256_of_blob));
    expect(toHex(back)).toBe(i.plaintext);
  });

  it('decrypts the session-desktop vector and trims it to the pointer size', async () => {
    const blob = hex(DESKTOP.blob);
    const full = await decryptLegacyAttachment(blob, hex(DESKTOP.key), hex(DESKTOP.digest));
    expect(full.length).toBe(541);
    expect(Buffer.from(full.subarray(0, 25)).toString()).toBe(DESKTOP.plaintext);
    expect(full.subarray(25).every((b) => b === 0)).toBe(true);
    const trimmed = await decryptLegacyAttachment(blob, hex(DESKTOP.key), hex(DESKTOP.digest), { size: 25 });
    expect(Buffer.from(trimmed).toString()).toBe(DESKTOP.plaintext);
    // and we produce that very blob from the plaintext, padding included
    const enc = await encryptLegacyAttachment(Buffer.from(DESKTOP.plaintext), { key: hex(DESKTOP.key), iv: blob.subarray(0, 16) });
    expect(toHex(enc.ciphertext)).toBe(DESKTOP.blob);
    expect(toHex(enc.digest)).toBe(DESKTOP.digest);
    expect(enc.size).toBe(25);
    const streamed = await collect(decryptLegacyAttachmentStream(split(blob, [100]), hex(DESKTOP.key), hex(DESKTOP.digest), { size: 25 }));
    expect(Buffer.from(streamed).toString()).toBe(DESKTOP.plaintext);
  });

  it('matches node:crypto on random inputs (padded and unpadded), and round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (pt, pad) => {
        const key = new Uint8Array(nodeRandom(64));
        const iv = new Uint8Array(nodeRandom(16));
        const r = await encryptLegacyAttachment(pt, { key, iv, pad });
        const padded = new Uint8Array(pad ? legacyAttachmentPaddedSize(pt.length) : pt.length);
        padded.set(pt);
        const ref = nodeLegacy(padded, key, iv);
        expect(Buffer.from(r.ciphertext)).toEqual(ref.blob);
        expect(Buffer.from(r.digest)).toEqual(ref.digest);
        expect(await decryptLegacyAttachment(r.ciphertext, r.key, r.digest, { size: pt.length })).toEqual(pt);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('multi-piece CBC (2 MiB pieces chained) equals node:crypto at piece boundaries', async () => {
    const key = new Uint8Array(nodeRandom(64));
    const iv = new Uint8Array(nodeRandom(16));
    for (const n of [2 * 1048576 - 1, 2 * 1048576, 4 * 1048576, 5 * 1048576 + 7]) {
      const pt = pseudoRandom(n, n);
      const r = await encryptLegacyAttachment(pt, { key, iv, pad: false });
      const ref = nodeLegacy(pt, key, iv);
      expectSameBytes(r.ciphertext, ref.blob);
      expectSameBytes(r.digest, ref.digest);
      expectSameBytes(await decryptLegacyAttachment(r.ciphertext, key, r.digest), pt);
    }
  });

  it('random keys and IVs by default', async () => {
    const a = await encryptLegacyAttachment(Uint8Array.of(1));
    const b = await encryptLegacyAttachment(Uint8Array.of(1));
    expect(a.key.length).toBe(64);
    expect(a.key).not.toEqual(b.key);
    expect(a.ciphertext.subarray(0, 16)).not.toEqual(b.ciphertext.subarray(0, 16));
    expect(a.ciphertext.length).toBe(16 + 544 + 32);
  });

  describe('rejects', () => {
    const key = new Uint8Array(64).map((_, i) => i);
    const iv = new Uint8Array(16).fill(9);
    const pt = pseudoRandom(1000, 5);
    const enc = encryptLegacyAttachment(pt, { key, iv });

    it('a modified byte anywhere: MAC failure (DECRYPT_FAILED), no plaintext', async () => {
      const { ciphertext, digest } = await enc;
      for (let p = 0; p < ciphertext.length; p += 7) {
        const t = ciphertext.slice();
        t[p]! ^= 0x04;
        await expectCodeAsync(() => decryptLegacyAttachment(t, key, digest), 'DECRYPT_FAILED');
      }
    });
    it('a wrong key (either half) → DECRYPT_FAILED; a wrong digest → BAD_DIGEST', async () => {
      const { ciphertext, digest } = await enc;
      for (const i of [0, 31, 32, 63]) {
        const k = key.slice();
        k[i]! ^= 1;
        // a wrong AES key alone still passes the MAC: it must then fail the padding, or decrypt to garbage
        if (i < 32) {
          try {
            const out = await decryptLegacyAttachment(ciphertext, k, digest);
            expect(out).not.toEqual(pt);
          } catch (e) {
            expect((e as SessionSdkError).code).toBe('DECRYPT_FAILED');
          }
        } else await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, k, digest), 'DECRYPT_FAILED');
      }
      const d = digest.slice();
      d[0]! ^= 1;
      await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, key, d), 'BAD_DIGEST');
      await expectCodeAsync(() => collect(decryptLegacyAttachmentStream([ciphertext], key, d)), 'BAD_DIGEST');
    });
    it('truncated or extended blobs, impossible lengths', async () => {
      const { ciphertext, digest } = await enc;
      for (const n of [0, 16, 47, 48, 63, 64, ciphertext.length - 32, ciphertext.length - 16, ciphertext.length - 1]) {
        await expectCodeAsync(() => decryptLegacyAttachment(ciphertext.subarray(0, n), key, digest), 'DECRYPT_FAILED');
        await expectCodeAsync(() => collect(decryptLegacyAttachmentStream([ciphertext.subarray(0, n)], key, digest)), 'DECRYPT_FAILED');
      }
      const longer = new Uint8Array(ciphertext.length + 16);
      longer.set(ciphertext);
      await expectCodeAsync(() => decryptLegacyAttachment(longer, key, digest), 'DECRYPT_FAILED');
    });
    it('a MAC-valid blob with bad PKCS#7 padding (forged with the MAC key) → DECRYPT_FAILED', async () => {
      const c = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv).setAutoPadding(false);
      const ivct = Buffer.concat([iv, c.update(new Uint8Array(32).fill(0x11)), c.final()]);
      const blob = Buffer.concat([ivct, createHmac('sha256', key.subarray(32)).update(ivct).digest()]);
      const digest = createHash('sha256').update(blob).digest();
      await expectCodeAsync(() => decryptLegacyAttachment(blob, key, digest), 'DECRYPT_FAILED');
      await expectCodeAsync(() => collect(decryptLegacyAttachmentStream(split(blob, [16]), key, digest)), 'DECRYPT_FAILED');
    });
    it('a declared size larger than the data, bad sizes, bad key and digest lengths', async () => {
      const { ciphertext, digest } = await enc;
      const padded = legacyAttachmentPaddedSize(pt.length);
      expect((await decryptLegacyAttachment(ciphertext, key, digest, { size: padded })).length).toBe(padded);
      await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, key, digest, { size: padded + 1 }), 'INVALID_LENGTH');
      await expectCodeAsync(() => collect(decryptLegacyAttachmentStream([ciphertext], key, digest, { size: padded + 1 })), 'INVALID_LENGTH');
      await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, key, digest, { size: -1 }), 'INVALID_INPUT');
      await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, key.subarray(0, 32), digest), 'INVALID_LENGTH');
      await expectCodeAsync(() => decryptLegacyAttachment(ciphertext, key, digest.subarray(1)), 'INVALID_LENGTH');
      await expectCodeAsync(() => encryptLegacyAttachment(pt, { key: key.subarray(1) }), 'INVALID_LENGTH');
      await expectCodeAsync(() => encryptLegacyAttachment(pt, { iv: iv.subarray(1) }), 'INVALID_LENGTH');
    });
    it('oversized input without allowLarge (TOO_LARGE)', async () => {
      await expectCodeAsync(() => encryptLegacyAttachment(new Uint8Array(LEGACY_ATTACHMENT_MAX_SIZE + 1)), 'TOO_LARGE');
      const big = new Uint8Array(ATTACHMENT_MAX_ENCRYPTED_SIZE + 16);
      await expectCodeAsync(() => decryptLegacyAttachment(big, key, new Uint8Array(32)), 'TOO_LARGE');
      await expectCodeAsync(() => collect(decryptLegacyAttachmentStream([big], key, new Uint8Array(32))), 'TOO_LARGE');
      const e = encryptLegacyAttachmentStream([new Uint8Array(LEGACY_ATTACHMENT_MAX_SIZE), Uint8Array.of(1)]);
      await expectCodeAsync(() => collect(e.chunks), 'TOO_LARGE');
    });
  });

  it('decoders only throw SessionSdkError on random and mutated input', async () => {
    const key = new Uint8Array(64).fill(3);
    const good = await encryptLegacyAttachment(pseudoRandom(700, 1), { key });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.tuple(fc.nat(good.ciphertext.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const c = good.ciphertext.slice();
            c[i]! ^= x;
            return c;
          }),
          fc.nat(good.ciphertext.length - 1).map((n) => good.ciphertext.slice(0, n)),
        ),
        async (c) => {
          await expectCodeAsync(() => decryptLegacyAttachment(c, key, good.digest), 'DECRYPT_FAILED', 'BAD_DIGEST');
          await expectCodeAsync(() => collect(decryptLegacyAttachmentStream(split(c, [33]), key, good.digest)), 'DECRYPT_FAILED', 'BAD_DIGEST');
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  describe('streaming ≡ one-shot', () => {
    const cuts = fc.array(fc.oneof(fc.integer({ min: 1000, max: 300_000 }), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 5 }).filter((a) => a.some((x) => x >= 1000));

    it('encrypt: same blob and digest for random data and piece sizes; decrypt: same plaintext', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 300_000 }), cuts, fc.boolean(), fc.boolean(), async (n, sizes, pad, readable) => {
          const data = pseudoRandom(n, n + 3);
          const key = new Uint8Array(nodeRandom(64));
          const iv = new Uint8Array(nodeRandom(16));
          const one = await encryptLegacyAttachment(data, { key, iv, pad });
          const pieces = split(data, sizes);
          const s = encryptLegacyAttachmentStream(readable ? asReadable(pieces) : asAsync(pieces), { key, iv, pad });
          expect(s.key).toEqual(key);
          expect(() => s.result()).toThrow(SessionSdkError);
          const blob = await collect(s.chunks);
          expectSameBytes(blob, one.ciphertext);
          expect(s.result()).toEqual({ digest: one.digest, size: n, encryptedSize: one.ciphertext.length });
          const encPieces = split(one.ciphertext, sizes);
          const out = await collect(decryptLegacyAttachmentStream(readable ? asReadable(encPieces) : asAsync(encPieces), key, one.digest, { size: n }));
          expectSameBytes(out, data);
        }),
        { seed: 42, numRuns: 8 },
      );
    });

    it('reports progress; stream chunks are single-use', async () => {
      const data = pseudoRandom(600_000, 1);
      const ev: AttachmentProgressEvent[] = [];
      const s = encryptLegacyAttachmentStream([data.subarray(0, 300_000), data.subarray(300_000)], { onProgress: (e) => ev.push(e), expectedSize: data.length });
      const pieces = await collectPieces(s.chunks);
      expect(ev.map((e) => e.processed)).toEqual([300_000, 600_000]);
      expect(ev[1]).toEqual({ phase: 'encrypt', processed: 600_000, total: 600_000 });
      expect(pieces[0]!.length).toBe(16);
      expect(pieces.at(-1)!.length).toBe(32);
      expect(() => s.chunks[Symbol.asyncIterator]()).toThrow(SessionSdkError);
      const blob = new Uint8Array(Buffer.concat(pieces));
      const dec: AttachmentProgressEvent[] = [];
      await collect(decryptLegacyAttachmentStream([blob], s.key, s.result().digest, { onProgress: (e) => dec.push(e) }));
      expect(dec).toEqual([{ phase: 'decrypt', processed: blob.length }]);
    });

    it('a tampered stream throws at the end, and never releases the final block', async () => {
      const data = pseudoRandom(300_000, 2);
      const enc = await encryptLegacyAttachment(data);
      const t = enc.ciphertext.slice();
      t[t.length - 40]! ^= 1; // inside the last AES block
      let released = 0;
      await expectCodeAsync(async () => {
        for await (const p of decryptLegacyAttachmentStream(split(t, [70_000]), enc.key, enc.digest)) released += p.length;
      }, 'DECRYPT_FAILED');
      // everything but the final AES block (which carries the PKCS#7 padding) may have been released
      expect(released).toBeLessThan(legacyAttachmentPaddedSize(data.length));
      expect(released).toBeGreaterThan(0);
    });
  });
});
