// libsession's deterministic "S" attachments (spec/identity-envelope.md §6.2): upstream sizes,
// derived ciphertexts, libsodium interop, streaming ≡ one-shot, negative and property tests.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_MAX_ENCRYPTED_SIZE,
  ATTACHMENT_MAX_REGULAR_SIZE,
  attachmentDecryptedMaxSize,
  attachmentEncryptedSize,
  attachmentPaddingSize,
  decryptAttachment,
  decryptAttachmentStream,
  encryptAttachment,
  encryptAttachmentStream,
  type AttachmentProgressEvent,
} from '../../src/envelope/attachments.js';
import { SessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { asAsync, asReadable, collect, collectPieces, expectCodeAsync, expectSameBytes, makeData, pseudoRandom, split } from './attachments.helpers.js';

const V = loadVectors('identity-envelope/attachments.json');
const C = V.libsession_constants;
const SEED = hex('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
const sha256hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

/** libsodium builds an "S" attachment from scratch (random header): padding, 32 KiB pushes, FINAL. */
function sodiumEncryptS(data: Uint8Array, key: Uint8Array): Uint8Array {
  const padding = attachmentPaddingSize(data.length);
  const stream = new Uint8Array(padding + data.length);
  stream[padding - 1] = 1;
  stream.set(data, padding);
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const parts: Uint8Array[] = [Uint8Array.of(0x53), header];
  for (let o = 0; o < stream.length; o += ATTACHMENT_CHUNK_SIZE) {
    const end = Math.min(o + ATTACHMENT_CHUNK_SIZE, stream.length);
    const tag = end === stream.length ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0;
    parts.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, stream.subarray(o, end), null, tag));
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** libsodium opens an "S" attachment: pull every chunk, strip the padding. */
function sodiumDecryptS(enc: Uint8Array, key: Uint8Array): Uint8Array {
  expect(enc[0]).toBe(0x53);
  const st = sodium.crypto_secretstream_xchacha20poly1305_init_pull(enc.subarray(1, 25), key);
  const out: Uint8Array[] = [];
  let pos = 25;
  let tag = 0;
  while (pos < enc.length) {
    const n = Math.min(enc.length - pos, ATTACHMENT_CHUNK_SIZE + 17);
    const r = sodium.crypto_secretstream_xchacha20poly1305_pull(st, enc.subarray(pos, pos + n), null);
    if (!r) throw new Error('libsodium rejected a chunk');
    out.push(r.message);
    tag = r.tag;
    pos += n;
  }
  expect(tag).toBe(sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  const all = new Uint8Array(Buffer.concat(out));
  const marker = all.findIndex((b) => b !== 0);
  expect(all[marker]).toBe(1);
  return all.slice(marker + 1);
}

describe('S format constants and sizes (upstream)', () => {
  it('constants match libsession', () => {
    expect(C.ENCRYPT_CHUNK_SIZE).toBe(ATTACHMENT_CHUNK_SIZE);
    expect(C.MAX_REGULAR_SIZE).toBe(ATTACHMENT_MAX_REGULAR_SIZE);
    expect(C.LEGACY_MAX_ENCRYPTED_SIZE).toBe(ATTACHMENT_MAX_ENCRYPTED_SIZE);
    expect(C.ENCRYPT_HEADER + 1 + C.ENCRYPT_CHUNK_OVERHEAD).toBe(42);
    expect(C.format_prefix_byte).toBe('53');
    expect(Buffer.from('SessionAttachmnt').toString('hex')).toBe(C.blake2b_personalisation_attachment);
    expect(Buffer.from('Session_Prof_Pic').toString('hex')).toBe(C.blake2b_personalisation_profile_pic);
  });

  const sizeRows: [number, number, string][] = V.libsession_encrypted_sizes.map((v: any) => [v.plaintext_size, v.expected_encrypted_size, v.origin]);
  it.each(sizeRows)(
    'encrypted size of %i bytes is %i (%s)',
    (n, expected) => {
      expect(attachmentEncryptedSize(n)).toBe(expected);
      const max = attachmentDecryptedMaxSize(expected)!;
      expect(max).toBeGreaterThanOrEqual(n);
      expect(max - n).toBeLessThan(attachmentPaddingSize(n));
    },
  );

  it('the regular limit is the largest size that encrypts to the file-server maximum', () => {
    expect(attachmentEncryptedSize(ATTACHMENT_MAX_REGULAR_SIZE)).toBe(ATTACHMENT_MAX_ENCRYPTED_SIZE);
    expect(attachmentEncryptedSize(ATTACHMENT_MAX_REGULAR_SIZE + 1)).toBeGreaterThan(ATTACHMENT_MAX_ENCRYPTED_SIZE);
  });

  it('padding is ≥ 1 and the encrypted size is consistent for every size around chunk boundaries', () => {
    const sizes = [0, 1, 2, 4053, 4054, 32767, 32768, 32769, 65535, 65536, 131072, 261982, 261983, 1_000_000];
    for (let k = 1; k < 40; k++) sizes.push(k * ATTACHMENT_CHUNK_SIZE - 1, k * ATTACHMENT_CHUNK_SIZE, k * ATTACHMENT_CHUNK_SIZE + 1);
    for (const n of sizes) {
      const pad = attachmentPaddingSize(n);
      expect(pad).toBeGreaterThanOrEqual(1);
      const e = attachmentEncryptedSize(n);
      expect(e).toBe(25 + n + pad + Math.ceil((n + pad) / ATTACHMENT_CHUNK_SIZE) * 17);
      expect(attachmentDecryptedMaxSize(e)).toBeGreaterThanOrEqual(n);
    }
    expect(attachmentDecryptedMaxSize(25)).toBeUndefined();
    expect(attachmentDecryptedMaxSize(0)).toBeUndefined();
    expect(() => attachmentEncryptedSize(-1)).toThrow(SessionSdkError);
    expect(() => attachmentEncryptedSize(1.5)).toThrow(SessionSdkError);
  });
});

describe('encryptAttachment: derived ciphertext vectors', () => {
  const derivedRows: [string, any][] = V.libsession_encrypt_derived.map((v: any) => [v.description, v]);
  it.each(derivedRows)('%s', async (_d, v: any) => {
    const data = makeData(v.input.plaintext_len);
    if (v.input.plaintext_hex !== undefined) expect(toHex(data)).toBe(v.input.plaintext_hex);
    const domain = v.input.domain_personalisation_ascii === 'Session_Prof_Pic' ? 'profile-pic' : 'attachment';
    const { ciphertext, key } = await encryptAttachment(hex(v.input.seed), data, { domain });
    const e = v.expected;
    expect(toHex(key)).toBe(e.key);
    expect(toHex(ciphertext.subarray(1, 25))).toBe(e.header_nonce);
    expect(ciphertext.length).toBe(e.encrypted_len);
    expect(sha256hex(ciphertext)).toBe(e.encrypted_sha256);
    if (e.encrypted_hex) expect(toHex(ciphertext)).toBe(e.encrypted_hex);
    if (e.encrypted_first64_hex) expect(toHex(ciphertext.subarray(0, 64))).toBe(e.encrypted_first64_hex);
    if (e.encrypted_last64_hex) expect(toHex(ciphertext.subarray(ciphertext.length - 64))).toBe(e.encrypted_last64_hex);
    expectSameBytes(await decryptAttachment(ciphertext, key), data);
    expectSameBytes(sodiumDecryptS(ciphertext, key), data);
  });

  it('is deterministic, domain-separated, and accepts a 64-byte libsodium secret key as the seed', async () => {
    const data = makeData(1000);
    const a = await encryptAttachment(SEED, data);
    expect(await encryptAttachment(SEED, data)).toEqual(a);
    const sk64 = new Uint8Array(64);
    sk64.set(SEED);
    sk64.fill(0xaa, 32);
    expect(await encryptAttachment(sk64, data)).toEqual(a);
    const b = await encryptAttachment(SEED, data, { domain: 'profile-pic' });
    expect(b.key).not.toEqual(a.key);
    const other = SEED.slice();
    other[0]! ^= 1;
    expect((await encryptAttachment(other, data)).key).not.toEqual(a.key);
  });
});

describe('S format round trips and libsodium interop', () => {
  const sizes = [0, 1, 100, 4053, 4054, 32767, 32768, 32769, 65536 + 5, 261983];
  it.each(sizes)('%i bytes: sizes match, we and libsodium both decrypt', async (n) => {
    const data = pseudoRandom(n, n + 1);
    const { ciphertext, key } = await encryptAttachment(SEED, data);
    expect(ciphertext.length).toBe(attachmentEncryptedSize(n));
    expectSameBytes(await decryptAttachment(ciphertext, key), data);
    expectSameBytes(sodiumDecryptS(ciphertext, key), data);
  });

  it('we decrypt attachments built by libsodium (random headers and keys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (data, key) => {
        expectSameBytes(await decryptAttachment(sodiumEncryptS(data, key), key), data);
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});

describe('S format limits (the allowLarge round trips are in attachments-slow.test.ts)', () => {
  it('TOO_LARGE above MAX_REGULAR_SIZE / MAX_ENCRYPTED_SIZE without allowLarge', async () => {
    await expectCodeAsync(() => encryptAttachment(SEED, new Uint8Array(ATTACHMENT_MAX_REGULAR_SIZE + 1)), 'TOO_LARGE');
    const garbage = new Uint8Array(ATTACHMENT_MAX_ENCRYPTED_SIZE + 1);
    garbage[0] = 0x53;
    await expectCodeAsync(() => decryptAttachment(garbage, new Uint8Array(32)), 'TOO_LARGE');
    await expectCodeAsync(() => collect(decryptAttachmentStream([garbage], new Uint8Array(32))), 'TOO_LARGE');
  });
});

describe('decryptAttachment rejects', () => {
  let enc: { ciphertext: Uint8Array; key: Uint8Array };
  const data = pseudoRandom(70_000, 7); // three chunks: padding+data, data, final
  beforeAll(async () => {
    enc = await encryptAttachment(SEED, data);
  });

  it('a modified byte anywhere (sampled at every position class)', async () => {
    const c = enc.ciphertext;
    const positions = [1, 12, 24, 25, 26, 40, 25 + 32785 - 1, 25 + 32785, 25 + 32785 + 500, c.length - 17, c.length - 1];
    for (let i = 0; i < 200; i++) positions.push(1 + ((i * 7919) % (c.length - 1)));
    for (const p of positions) {
      const t = c.slice();
      t[p]! ^= 0x40;
      await expectCodeAsync(() => decryptAttachment(t, enc.key), 'DECRYPT_FAILED');
    }
  });
  it('an unknown format byte', async () => {
    const t = enc.ciphertext.slice();
    t[0] = 0x54;
    await expectCodeAsync(() => decryptAttachment(t, enc.key), 'UNSUPPORTED_VERSION');
  });
  it('truncation at any chunk boundary or inside a chunk, and appended bytes', async () => {
    const c = enc.ciphertext;
    for (const n of [0, 1, 24, 25, 42, 43, 25 + 32785, 25 + 2 * 32785, c.length - 1, c.length - 17, c.length - 18]) {
      await expectCodeAsync(() => decryptAttachment(c.subarray(0, n), enc.key), 'DECRYPT_FAILED');
    }
    const longer = new Uint8Array(c.length + 1);
    longer.set(c);
    await expectCodeAsync(() => decryptAttachment(longer, enc.key), 'DECRYPT_FAILED');
  });
  it('chunks reordered, duplicated or dropped', async () => {
    const c = enc.ciphertext;
    const pre = c.subarray(0, 25);
    const ch = [c.subarray(25, 25 + 32785), c.subarray(25 + 32785, 25 + 2 * 32785), c.subarray(25 + 2 * 32785)];
    const cat = (...p: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(p));
    await expectCodeAsync(() => decryptAttachment(cat(pre, ch[1]!, ch[0]!, ch[2]!), enc.key), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(cat(pre, ch[0]!, ch[0]!, ch[1]!, ch[2]!), enc.key), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(cat(pre, ch[0]!, ch[2]!), enc.key), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(cat(pre, ch[0]!, ch[1]!), enc.key), 'DECRYPT_FAILED');
  });
  it('a wrong key, and malformed keys', async () => {
    const k = enc.key.slice();
    k[31]! ^= 1;
    await expectCodeAsync(() => decryptAttachment(enc.ciphertext, k), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(enc.ciphertext, new Uint8Array(31)), 'INVALID_LENGTH');
    await expectCodeAsync(() => decryptAttachment('x' as unknown as Uint8Array, enc.key), 'INVALID_INPUT');
    await expectCodeAsync(() => encryptAttachment(new Uint8Array(16), data), 'INVALID_LENGTH');
    await expectCodeAsync(() => encryptAttachment(SEED, data, { domain: 'x' as never }), 'INVALID_INPUT');
  });
  it('a FINAL tag too early, a missing FINAL, bad padding (forged with the key via libsodium)', async () => {
    const key = sodium.randombytes_buf(32);
    const forge = (chunks: { m: Uint8Array; tag: number }[]): Uint8Array => {
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      const parts = [Uint8Array.of(0x53), header, ...chunks.map((c) => sodium.crypto_secretstream_xchacha20poly1305_push(state, c.m, null, c.tag))];
      return new Uint8Array(Buffer.concat(parts));
    };
    const full = (b: number): Uint8Array => new Uint8Array(ATTACHMENT_CHUNK_SIZE).fill(b);
    const good = forge([{ m: Uint8Array.of(0, 0, 1, 9, 9), tag: 3 }]);
    expect(await decryptAttachment(good, key)).toEqual(Uint8Array.of(9, 9));
    await expectCodeAsync(() => decryptAttachment(forge([{ m: Uint8Array.of(0, 0, 2, 9), tag: 3 }]), key), 'BAD_PADDING');
    await expectCodeAsync(() => decryptAttachment(forge([{ m: Uint8Array.of(0, 0, 0), tag: 3 }]), key), 'BAD_PADDING');
    await expectCodeAsync(() => decryptAttachment(forge([{ m: Uint8Array.of(1, 9), tag: 0 }]), key), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(forge([{ m: full(0), tag: 3 }, { m: Uint8Array.of(1), tag: 3 }]), key), 'DECRYPT_FAILED');
    await expectCodeAsync(() => decryptAttachment(forge([{ m: full(1), tag: 3 }, { m: Uint8Array.of(1), tag: 0 }]), key), 'DECRYPT_FAILED');
    // An empty chunk never comes out of the encryptor and is refused (as libsession's decrypt does).
    await expectCodeAsync(() => decryptAttachment(forge([{ m: Uint8Array.of(1, 5), tag: 0 }, { m: Uint8Array.of(), tag: 3 }]), key), 'DECRYPT_FAILED');
    // Padding that spans whole chunks, then the marker, is fine.
    const multi = forge([{ m: full(0), tag: 0 }, { m: Uint8Array.of(0, 1, 7), tag: 3 }]);
    expect(await decryptAttachment(multi, key)).toEqual(Uint8Array.of(7));
    for await (const _ of decryptAttachmentStream([multi], key)) void _;
  });
});

describe('S format properties: decoders only throw SessionSdkError', () => {
  it('random input', async () => {
    const key = new Uint8Array(32).fill(1);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (c, s) => {
        if (s && c.length) c[0] = 0x53;
        await expectCodeAsync(() => decryptAttachment(c, key), 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION');
        await expectCodeAsync(() => collect(decryptAttachmentStream(split(c, [7]), key)), 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION');
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  it('mutated genuine attachments (byte flips, truncation, extension)', async () => {
    const { ciphertext, key } = await encryptAttachment(SEED, pseudoRandom(5000, 3));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.nat(ciphertext.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const c = ciphertext.slice();
            c[i]! ^= x;
            return c;
          }),
          fc.nat(ciphertext.length - 1).map((n) => ciphertext.slice(0, n)),
          fc.uint8Array({ minLength: 1, maxLength: 40 }).map((x) => new Uint8Array(Buffer.concat([ciphertext, x]))),
        ),
        async (c) => {
          await expectCodeAsync(() => decryptAttachment(c, key), 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION');
          await expectCodeAsync(() => collect(decryptAttachmentStream(split(c, [1000]), key)), 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION');
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('streaming S format ≡ one-shot', () => {
  // Piece sizes: mostly large, some tiny, some empty (split() cycles through them).
  const cuts = fc.array(fc.oneof(fc.integer({ min: 1000, max: 40_000 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 6 }).filter((a) => a.some((x) => x >= 1000));

  it('encryptAttachmentStream yields exactly encryptAttachment, for random data and random piece sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 70_000 }), cuts, fc.boolean(), async (n, sizes, readable) => {
        const data = pseudoRandom(n, n + 11);
        const one = await encryptAttachment(SEED, data);
        const open = (): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> => (readable ? asReadable(split(data, sizes)) : asAsync(split(data, sizes)));
        const s = await encryptAttachmentStream(SEED, open);
        expect(s.key).toEqual(one.key);
        expect(s.size).toBe(n);
        expect(s.encryptedSize).toBe(one.ciphertext.length);
        const pieces = await collectPieces(s.chunks);
        expect(pieces[0]!.length).toBe(25);
        for (const p of pieces.slice(1, -1)) expect(p.length).toBe(ATTACHMENT_CHUNK_SIZE + 17);
        expectSameBytes(Buffer.concat(pieces), one.ciphertext);
      }),
      { seed: 42, numRuns: 15 },
    );
  });

  it('decryptAttachmentStream yields exactly decryptAttachment, for random piece sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 70_000 }), cuts, fc.boolean(), async (n, sizes, readable) => {
        const data = pseudoRandom(n, n + 5);
        const { ciphertext, key } = await encryptAttachment(SEED, data);
        const pieces = split(ciphertext, sizes);
        const out = await collect(decryptAttachmentStream(readable ? asReadable(pieces) : pieces, key));
        expectSameBytes(out, data);
      }),
      { seed: 42, numRuns: 15 },
    );
  });

  it('reports progress for both passes and for decryption', async () => {
    const data = pseudoRandom(100_000, 9);
    const events: AttachmentProgressEvent[] = [];
    const s = await encryptAttachmentStream(SEED, () => split(data, [30_000]), { onProgress: (e) => events.push(e) });
    const ct = await collect(s.chunks);
    expect(events.filter((e) => e.phase === 'hash').map((e) => e.processed)).toEqual([30_000, 60_000, 90_000, 100_000]);
    expect(events.filter((e) => e.phase === 'encrypt').at(-1)).toEqual({ phase: 'encrypt', processed: 100_000, total: 100_000 });
    const dec: AttachmentProgressEvent[] = [];
    await collect(decryptAttachmentStream(split(ct, [50_000]), s.key, { onProgress: (e) => dec.push(e), expectedSize: ct.length }));
    expect(dec.at(-1)).toEqual({ phase: 'decrypt', processed: ct.length, total: ct.length });
  });

  it('rejects a source that changes between the two passes, before producing a FINAL chunk', async () => {
    const data = pseudoRandom(50_000, 2);
    let calls = 0;
    const s = await encryptAttachmentStream(SEED, () => {
      calls++;
      const d = data.slice();
      if (calls === 2) d[49_999]! ^= 1;
      return [d];
    });
    const got: Uint8Array[] = [];
    await expectCodeAsync(async () => {
      for await (const p of s.chunks) got.push(p);
    }, 'INVALID_INPUT');
    expect(got.length).toBe(2); // prefix and the first (non-final) chunk only
    let n = 0;
    const grow = await encryptAttachmentStream(SEED, () => (n++ === 0 ? [data] : [data, Uint8Array.of(1)]));
    await expectCodeAsync(() => collect(grow.chunks), 'INVALID_INPUT');
    let m = 0;
    const shrink = await encryptAttachmentStream(SEED, () => (m++ === 0 ? [data] : [data.subarray(1)]));
    await expectCodeAsync(() => collect(shrink.chunks), 'INVALID_INPUT');
    await expectCodeAsync(async () => {
      const once = await encryptAttachmentStream(SEED, () => [data]);
      await collect(once.chunks);
      await collect(once.chunks);
    }, 'INVALID_INPUT');
  });

  it('streaming limit (checked while hashing) and bad sources', async () => {
    const big = new Uint8Array(1 << 20);
    await expectCodeAsync(() => encryptAttachmentStream(SEED, () => Array.from({ length: 10 }, () => big)), 'TOO_LARGE');
    await expectCodeAsync(() => encryptAttachmentStream(SEED, () => [Uint8Array.of(1), 'x' as never]), 'INVALID_INPUT');
    await expectCodeAsync(() => encryptAttachmentStream(SEED, () => new Uint8Array(3) as never), 'INVALID_INPUT');
    await expectCodeAsync(() => encryptAttachmentStream(SEED, 5 as never), 'INVALID_INPUT');
    await expectCodeAsync(() => collect(decryptAttachmentStream(5 as never, new Uint8Array(32))), 'INVALID_INPUT');
  });

  it('stream decryption: reordered, duplicated, dropped and missing-final chunks; data after FINAL', async () => {
    const data = pseudoRandom(70_000, 4);
    const { ciphertext: c, key } = await encryptAttachment(SEED, data);
    const pre = c.subarray(0, 25);
    const ch = [c.subarray(25, 25 + 32785), c.subarray(25 + 32785, 25 + 2 * 32785), c.subarray(25 + 2 * 32785)];
    const run = (...p: Uint8Array[]): Promise<Uint8Array> => collect(decryptAttachmentStream(asAsync(p), key));
    expectSameBytes(await run(pre, ...ch), data);
    await expectCodeAsync(() => run(pre, ch[1]!, ch[0]!, ch[2]!), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre, ch[0]!, ch[0]!, ch[1]!, ch[2]!), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre, ch[0]!, ch[2]!), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre, ch[0]!, ch[1]!), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre, ...ch, Uint8Array.of(0)), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre, ...ch, new Uint8Array(32785)), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(pre.subarray(0, 10)), 'DECRYPT_FAILED');
    await expectCodeAsync(() => run(), 'DECRYPT_FAILED');
    // a truncated stream yields only authentic data before it throws
    const seen: Uint8Array[] = [];
    await expectCodeAsync(async () => {
      for await (const p of decryptAttachmentStream([pre, ch[0]!, ch[1]!], key)) seen.push(p.slice());
    }, 'DECRYPT_FAILED');
    const got = Buffer.concat(seen);
    expect(Buffer.from(data.subarray(0, got.length))).toEqual(got);
  });

  it('a full-size FINAL chunk is only released once the input is known to end', async () => {
    // Our encryptor's sizes never end on a chunk boundary for small files, so forge one with libsodium.
    const key = sodium.randombytes_buf(32);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const last = new Uint8Array(ATTACHMENT_CHUNK_SIZE).fill(5);
    last[0] = 1;
    const c = new Uint8Array(
      Buffer.concat([
        Uint8Array.of(0x53),
        header,
        sodium.crypto_secretstream_xchacha20poly1305_push(state, new Uint8Array(ATTACHMENT_CHUNK_SIZE), null, 0),
        sodium.crypto_secretstream_xchacha20poly1305_push(state, last, null, 3),
      ]),
    );
    expect(await decryptAttachment(c, key)).toEqual(last.subarray(1));
    expect(await collect(decryptAttachmentStream([c], key))).toEqual(last.subarray(1));
    const released: number[] = [];
    await expectCodeAsync(async () => {
      for await (const p of decryptAttachmentStream([c, Uint8Array.of(1)], key)) released.push(p.length);
    }, 'DECRYPT_FAILED');
    expect(released).toEqual([]);
  });
});
