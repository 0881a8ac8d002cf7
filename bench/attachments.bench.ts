// Attachments (issue 3 targets): legacy 10 MB encrypt vs node:crypto doing the same three passes
// (≤ 1.5×); "S" 10 MB encrypt vs libsodium doing the same key derivation + 32 KiB secretstream
// pushes (≤ 2.0×). Plus decrypt figures and, with SESSION_SDK_SLOW=1, a 100 MB streamed round trip
// with its peak memory.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { compare } from './harness.js';
import { loadSodium } from '../test/helpers/sodium.js';
import {
  ATTACHMENT_CHUNK_SIZE,
  attachmentPaddingSize,
  decryptAttachment,
  decryptAttachmentStream,
  decryptLegacyAttachment,
  encryptAttachment,
  encryptAttachmentStream,
  encryptLegacyAttachment,
} from '../src/envelope/attachments.js';

const MB10 = 10_000_000;

export async function run(): Promise<void> {
  const sodium = await loadSodium();
  const data = new Uint8Array(randomBytes(MB10));
  const key64 = new Uint8Array(randomBytes(64));
  const iv = new Uint8Array(randomBytes(16));
  const seed = new Uint8Array(randomBytes(32));

  // Legacy: desktop pads 10 000 000 bytes to 10 000 000 (the cap), so no padding copy on either side.
  await compare(
    'attachment',
    'legacy encrypt 10 MB (AES-CBC+HMAC+SHA256)',
    () => encryptLegacyAttachment(data, { key: key64, iv }),
    () => {
      const c = createCipheriv('aes-256-cbc', key64.subarray(0, 32), iv);
      const ivct = Buffer.concat([iv, c.update(data), c.final()]);
      const blob = Buffer.concat([ivct, createHmac('sha256', key64.subarray(32)).update(ivct).digest()]);
      return createHash('sha256').update(blob).digest();
    },
    'node:crypto',
    1.5,
    { runs: 7, targetMs: 300 },
  );
  const legacy = await encryptLegacyAttachment(data, { key: key64, iv });
  await compare(
    'attachment',
    'legacy decrypt 10 MB (verify, then decrypt)',
    () => decryptLegacyAttachment(legacy.ciphertext, key64, legacy.digest),
    () => {
      const macStart = legacy.ciphertext.length - 32;
      createHmac('sha256', key64.subarray(32)).update(legacy.ciphertext.subarray(0, macStart)).digest();
      createHash('sha256').update(legacy.ciphertext).digest();
      const d = createCipheriv('aes-256-cbc', key64.subarray(0, 32), iv); // same cost as decipher
      return d.update(legacy.ciphertext.subarray(16, macStart));
    },
    'node:crypto',
    undefined,
    { runs: 7, targetMs: 300 },
  );

  // "S": libsodium does the same work — keyed BLAKE2b-56 over the file (libsodium.js exposes no
  // personalised streaming hash; personalisation costs nothing), then secretstream pushes of the
  // padded stream in 32 KiB chunks.
  const sodiumS = (): Uint8Array => {
    const nk = sodium.crypto_generichash(56, data, seed);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(nk.subarray(24));
    const padding = attachmentPaddingSize(data.length);
    const out = new Uint8Array(25 + padding + data.length + Math.ceil((padding + data.length) / ATTACHMENT_CHUNK_SIZE) * 17);
    out[0] = 0x53;
    out.set(header, 1);
    let pos = 25;
    const total = padding + data.length;
    for (let s = 0; s < total; s += ATTACHMENT_CHUNK_SIZE) {
      const e = Math.min(s + ATTACHMENT_CHUNK_SIZE, total);
      let m: Uint8Array;
      if (s >= padding) m = data.subarray(s - padding, e - padding);
      else {
        m = new Uint8Array(e - s);
        if (padding - 1 < e) {
          m[padding - 1 - s] = 1;
          m.set(data.subarray(0, e - padding), padding - s);
        }
      }
      const c = sodium.crypto_secretstream_xchacha20poly1305_push(state, m, null, e === total ? 3 : 0);
      out.set(c, pos);
      pos += c.length;
    }
    return out;
  };
  await compare('attachment', '"S" encrypt 10 MB (BLAKE2b + secretstream)', () => encryptAttachment(seed, data), sodiumS, 'libsodium', 2.0, { runs: 7, targetMs: 300 });
  const s = await encryptAttachment(seed, data);
  const sodiumPull = (): void => {
    const st = sodium.crypto_secretstream_xchacha20poly1305_init_pull(s.ciphertext.subarray(1, 25), s.key);
    for (let p = 25; p < s.ciphertext.length; p += ATTACHMENT_CHUNK_SIZE + 17) {
      sodium.crypto_secretstream_xchacha20poly1305_pull(st, s.ciphertext.subarray(p, Math.min(p + ATTACHMENT_CHUNK_SIZE + 17, s.ciphertext.length)), null);
    }
  };
  await compare('attachment', '"S" decrypt 10 MB', () => decryptAttachment(s.ciphertext, s.key), sodiumPull, 'libsodium', undefined, { runs: 7, targetMs: 300 });

  if (process.env.SESSION_SDK_SLOW) await streamed100MB(seed);
}

/** 100 MB through encryptAttachmentStream → decryptAttachmentStream, 1 MiB pieces, nothing kept. */
async function streamed100MB(seed: Uint8Array): Promise<void> {
  const size = 100 * 1024 * 1024;
  const piece = new Uint8Array(randomBytes(1 << 20));
  const source = async function* (): AsyncGenerator<Uint8Array> {
    for (let o = 0; o < size; o += piece.length) yield piece;
  };
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const t0 = performance.now();
  const enc = await encryptAttachmentStream(seed, source, { allowLarge: true, onProgress: sample });
  let out = 0;
  for await (const p of decryptAttachmentStream(enc.chunks, enc.key, { allowLarge: true, onProgress: sample })) out += p.length;
  if (out !== size) throw new Error('round trip lost data');
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `attachment  "S" 100 MiB streamed round trip (hash + encrypt + decrypt): ${secs.toFixed(2)} s, peak RSS +${((peak - rss0) / 1048576).toFixed(1)} MiB over ${(rss0 / 1048576).toFixed(0)} MiB`,
  );
}
