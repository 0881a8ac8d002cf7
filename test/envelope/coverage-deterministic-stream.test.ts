// decryptAttachmentStream on "S" streams our encoder never produces but another encoder could
// (spec/identity-envelope.md, deterministic attachments): a FINAL chunk of full size, data after
// it, a FINAL chunk that is all padding, and an empty attachment. Built with libsodium's
// secretstream, the independent reference.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACHMENT_CHUNK_SIZE,
  decryptAttachment,
  decryptAttachmentStream,
  encryptAttachment,
  type AttachmentProgressEvent,
} from '../../src/envelope/attachments.js';
import { loadSodium } from '../helpers/sodium.js';
import { collect, expectCodeAsync, pseudoRandom } from './attachments.helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sodium: any;
beforeAll(async () => {
  sodium = await loadSodium();
});

const key = new Uint8Array(32).fill(0x42);

/** `'S' ‖ header ‖ chunks`, each chunk pushed with its tag by libsodium. */
function sStream(chunks: [Uint8Array, 'MESSAGE' | 'FINAL'][]): Uint8Array {
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const parts: Uint8Array[] = [Uint8Array.of(0x53), header];
  for (const [m, tag] of chunks) {
    const t = tag === 'FINAL' ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    parts.push(sodium.crypto_secretstream_xchacha20poly1305_push(state, m, null, t));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const data = pseudoRandom(ATTACHMENT_CHUNK_SIZE - 1, 9);
const fullFinal = (): Uint8Array => sStream([[Uint8Array.of(0x01, ...data), 'FINAL']]);

describe('decryptAttachmentStream with a full-size FINAL chunk', () => {
  it('accepts it (as the one-shot decryptor does) and yields the data after the marker', async () => {
    const ct = fullFinal();
    expect(await collect(decryptAttachmentStream([ct], key))).toEqual(data);
    expect(await decryptAttachment(ct, key)).toEqual(data);
  });

  it('rejects bytes after it, whether a partial or a whole extra chunk, in the same piece', async () => {
    const ct = fullFinal();
    const withTail = new Uint8Array(ct.length + 5);
    withTail.set(ct);
    await expectCodeAsync(() => collect(decryptAttachmentStream([withTail], key)), 'DECRYPT_FAILED');
    const withChunk = new Uint8Array(ct.length + (ct.length - 25));
    withChunk.set(ct);
    withChunk.set(ct.subarray(25), ct.length);
    await expectCodeAsync(() => collect(decryptAttachmentStream([withChunk], key)), 'DECRYPT_FAILED');
    // And in a separate piece.
    await expectCodeAsync(() => collect(decryptAttachmentStream([ct, Uint8Array.of(0)], key)), 'DECRYPT_FAILED');
  });
});

describe('decryptAttachmentStream padding edge cases', () => {
  it('a FINAL chunk that is all zero padding (no 0x01 marker) is BAD_PADDING', async () => {
    await expectCodeAsync(() => collect(decryptAttachmentStream([sStream([[new Uint8Array(100), 'FINAL']])], key)), 'BAD_PADDING');
  });

  it('an empty attachment round-trips: the FINAL chunk holds only padding and the marker', async () => {
    const enc = await encryptAttachment(new Uint8Array(32).fill(1), new Uint8Array(0));
    const pieces: Uint8Array[] = [];
    for await (const p of decryptAttachmentStream([enc.ciphertext], enc.key)) pieces.push(p);
    expect(pieces).toEqual([]);
  });

  it('progress events without expectedSize carry no total', async () => {
    const enc = await encryptAttachment(new Uint8Array(32).fill(2), pseudoRandom(1000, 3));
    const events: AttachmentProgressEvent[] = [];
    const out = await collect(decryptAttachmentStream([enc.ciphertext.subarray(0, 500), enc.ciphertext.subarray(500)], enc.key, { onProgress: (e) => events.push(e) }));
    expect(out).toEqual(pseudoRandom(1000, 3));
    expect(events).toEqual([
      { phase: 'decrypt', processed: 500 },
      { phase: 'decrypt', processed: enc.ciphertext.length },
    ]);
  });
});
