// Attachment edges (spec/identity-envelope.md §6): decrypted-size bounds at the smallest sizes,
// a deterministic attachment whose padding fills a whole first chunk, a ciphertext cut exactly at
// a chunk boundary, a legacy plaintext already at a padding bucket, a legacy stream whose last
// pieces are pure padding (no empty pieces may come out), and a ReadableStream source released
// when decryption stops early.
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_ENCRYPTED_CHUNK_SIZE,
  ATTACHMENT_PREFIX_SIZE,
  attachmentDecryptedMaxSize,
  attachmentEncryptedSize,
  attachmentPaddingSize,
} from '../../src/envelope/attachments/deterministic-format.js';
import { decryptAttachment, encryptAttachment } from '../../src/envelope/attachments/deterministic.js';
import { decryptAttachmentStream, encryptAttachmentStream } from '../../src/envelope/attachments/deterministic-stream.js';
import { decryptLegacyAttachment, encryptLegacyAttachment } from '../../src/envelope/attachments/legacy.js';
import { decryptLegacyAttachmentStream } from '../../src/envelope/attachments/legacy-stream.js';
import { legacyAttachmentPaddedSize } from '../../src/envelope/attachments/legacy-padding.js';
import { asAsync, collect, collectPieces, expectSameBytes, pseudoRandom, split } from './attachments.helpers.js';

const seed = new Uint8Array(32).fill(0x5e);

describe('attachmentDecryptedMaxSize at the smallest sizes', () => {
  it('has no bound until one chunk with a byte of padding fits, then grows by one', () => {
    const firstChunk = ATTACHMENT_PREFIX_SIZE + 1 + 17; // prefix, the 0x01 marker, one chunk's overhead
    for (let e = 27; e < firstChunk; e++) expect(attachmentDecryptedMaxSize(e)).toBeUndefined();
    expect(attachmentDecryptedMaxSize(firstChunk)).toBe(0);
    expect(attachmentDecryptedMaxSize(firstChunk + 1)).toBe(1);
    for (const n of [0, 1, 4053, 32_767, 32_768, 100_000]) expect(attachmentDecryptedMaxSize(attachmentEncryptedSize(n))).toBeGreaterThanOrEqual(n);
  });
});

describe('deterministic attachments', () => {
  it('a ciphertext cut after a whole chunk, or up to 17 bytes into the next, is DECRYPT_FAILED', async () => {
    const data = pseudoRandom(50_000, 3);
    const { ciphertext, key } = await encryptAttachment(seed, data);
    const boundary = ATTACHMENT_PREFIX_SIZE + ATTACHMENT_ENCRYPTED_CHUNK_SIZE;
    expect(ciphertext.length).toBeGreaterThan(boundary + 17);
    // At the boundary the last chunk read is not FINAL; 1..17 bytes more cannot hold a chunk.
    // (A cut 1..16 bytes past the boundary once escaped one-shot decryption as a RangeError.)
    for (let extra = 0; extra <= 17; extra++) {
      await expect(decryptAttachment(ciphertext.subarray(0, boundary + extra), key)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    }
    for (const extra of [0, 1, 16, 17]) {
      const cut = ciphertext.subarray(0, boundary + extra);
      await expect(collect(decryptAttachmentStream(asAsync([cut]), key))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    }
  });
});

describe('deterministic attachments: every truncation', () => {
  it('any strict prefix of a three-chunk ciphertext is DECRYPT_FAILED, one-shot and streamed', async () => {
    const data = pseudoRandom(80_000, 5);
    const { ciphertext, key } = await encryptAttachment(seed, data);
    // Half the cuts land within a chunk overhead of a chunk boundary, where layouts go wrong.
    const nearBoundary = fc
      .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -2, max: 20 }))
      .map(([i, d]) => Math.min(ciphertext.length - 1, ATTACHMENT_PREFIX_SIZE + i * ATTACHMENT_ENCRYPTED_CHUNK_SIZE + d));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: ciphertext.length - 1 }), nearBoundary), async (len) => {
        const cut = ciphertext.subarray(0, len);
        await expect(decryptAttachment(cut, key)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
        await expect(collect(decryptAttachmentStream(asAsync([cut]), key))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
      }),
      { seed: 7, numRuns: 150 },
    );
    expect(await decryptAttachment(ciphertext, key)).toEqual(data);
  });
});

describe('legacy attachments', () => {
  it('a plaintext already at a padding bucket is encrypted as is (no zero bytes appended)', async () => {
    expect(legacyAttachmentPaddedSize(541)).toBe(541);
    const data = pseudoRandom(541, 9);
    const key = new Uint8Array(64).fill(0x33);
    const iv = new Uint8Array(16).fill(0x44);
    const r = await encryptLegacyAttachment(data, { key, iv });
    const c = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
    const expected = Buffer.concat([c.update(data), c.final()]);
    expect(r.ciphertext.subarray(16, 16 + expected.length)).toEqual(new Uint8Array(expected));
    expect(r.size).toBe(541);
    expect(await decryptLegacyAttachment(r.ciphertext, r.key, r.digest, { size: 541 })).toEqual(data);
  });

  it('streaming decryption stops at the declared size without yielding empty pieces for the rest', async () => {
    // The pointer's size is the unpadded length; everything after it is dropped, here more than
    // two 256 KiB pieces of it, and the final block too.
    const data = pseudoRandom(700_000, 11);
    const r = await encryptLegacyAttachment(data, { pad: false });
    const pieces = await collectPieces(decryptLegacyAttachmentStream(asAsync([r.ciphertext]), r.key, r.digest, { size: 1000 }));
    expect(pieces.every((p) => p.length > 0)).toBe(true);
    expectSameBytes(new Uint8Array(pieces.flatMap((p) => [...p])), data.subarray(0, 1000));
  });
});

describe('ReadableStream sources', () => {
  it('are cancelled when decryption stops before the end', async () => {
    const { ciphertext } = await encryptAttachment(seed, pseudoRandom(70_000, 5));
    let cancelled = 0;
    const pieces = split(ciphertext, [40_000, 40_000]);
    const stream = new ReadableStream<Uint8Array>({
      pull(ctl) {
        const p = pieces.shift();
        if (p) ctl.enqueue(p);
        else ctl.close();
      },
      cancel() {
        cancelled++;
      },
    });
    const wrongKey = new Uint8Array(32).fill(1);
    await expect(collect(decryptAttachmentStream(stream, wrongKey))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    expect(cancelled).toBe(1);
  });
});

// A 2 MB input: the smallest way to get padding longer than a chunk, so the first chunk is all
// padding (≈ 0.1 s; bytes compared with expectSameBytes, vitest's deep equality is far slower).
describe('deterministic attachments with padding longer than a chunk', () => {
  it('padding longer than a chunk (first chunk all padding): one-shot and streaming agree and round-trip', async () => {
    const n = 2_096_709;
    expect(attachmentPaddingSize(n)).toBeGreaterThan(ATTACHMENT_CHUNK_SIZE);
    const data = pseudoRandom(n, 7);
    const one = await encryptAttachment(seed, data);
    const st = await encryptAttachmentStream(seed, () => asAsync(split(data, [1_000_000, 1_096_709])));
    expect(st.key).toEqual(one.key);
    expectSameBytes(await collect(st.chunks), one.ciphertext);
    expectSameBytes(await decryptAttachment(one.ciphertext, one.key), data);
  });
});
