// Slow attachment checks (SESSION_SDK_SLOW=1): allowLarge round trips above the 10 MB limits and a
// 100 MiB streamed round trip through both schemes with the peak memory reported.
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_MAX_REGULAR_SIZE,
  LEGACY_ATTACHMENT_MAX_SIZE,
  attachmentEncryptedSize,
  decryptAttachment,
  decryptAttachmentStream,
  decryptLegacyAttachment,
  decryptLegacyAttachmentStream,
  encryptAttachment,
  encryptAttachmentStream,
  encryptLegacyAttachment,
  encryptLegacyAttachmentStream,
} from '../../src/envelope/attachments.js';
import { expectCodeAsync, expectSameBytes, pseudoRandom } from './attachments.helpers.js';

const SEED = new Uint8Array(32).fill(0x5e);
const MiB = 1 << 20;

/** 100 MiB of varied bytes from a 1 MiB block with a per-piece counter, never held at once. */
function* source(total: number, block: Uint8Array): Generator<Uint8Array> {
  for (let o = 0, i = 0; o < total; o += block.length, i++) {
    const p = block.slice(0, Math.min(block.length, total - o));
    p[0] = i & 0xff;
    p[1] = i >> 8;
    yield p;
  }
}

// A real gc() (as --expose-gc gives), so samples measure live memory rather than garbage not yet
// collected: the claim under test is that the streams keep only a few chunks alive.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memoryProbe(): { sample: () => void; report: (label: string) => number } {
  gc();
  const base = process.memoryUsage();
  let calls = 0;
  let peakRss = base.rss;
  let peakHeap = base.heapUsed + base.arrayBuffers;
  return {
    sample() {
      if (++calls % 16 !== 0) return; // every 16 progress events (≈16 MiB of input here)
      gc();
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
    },
    report(label) {
      const rss = (peakRss - base.rss) / MiB;
      const heap = (peakHeap - base.heapUsed - base.arrayBuffers) / MiB;
      console.log(
        `${label}: live memory sampled after gc() every 16 MiB — peak RSS +${rss.toFixed(1)} MiB (${(peakRss / MiB).toFixed(0)} MiB), peak JS heap+buffers +${heap.toFixed(1)} MiB (${(peakHeap / MiB).toFixed(0)} MiB)`,
      );
      return heap;
    },
  };
}

describe.skipIf(!process.env.SESSION_SDK_SLOW)('attachments, slow', () => {
  it('"S": 100 MiB streamed round trip with bounded memory', async () => {
    const total = 100 * MiB;
    const block = pseudoRandom(MiB, 77);
    const probe = memoryProbe();
    const t0 = performance.now();
    const inHash = createHash('sha256');
    for (const p of source(total, block)) inHash.update(p);
    const enc = await encryptAttachmentStream(SEED, () => source(total, block), { allowLarge: true, onProgress: probe.sample });
    expect(enc.encryptedSize).toBe(attachmentEncryptedSize(total));
    let ctLen = 0;
    const counted = (async function* () {
      for await (const c of enc.chunks) {
        ctLen += c.length;
        yield c;
      }
    })();
    const outHash = createHash('sha256');
    let out = 0;
    for await (const p of decryptAttachmentStream(counted, enc.key, { allowLarge: true, onProgress: probe.sample })) {
      outHash.update(p);
      out += p.length;
    }
    expect(out).toBe(total);
    expect(ctLen).toBe(enc.encryptedSize);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
    const heap = probe.report(`"S" 100 MiB streamed round trip in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Well below the 100 MiB file (one-shot would hold ≥ 200 MiB); the remainder is V8/allocator slack.
    expect(heap).toBeLessThan(40);
  }, 1_800_000);

  it('legacy: 100 MiB streamed round trip with bounded memory', async () => {
    const total = 100 * MiB;
    const block = pseudoRandom(MiB, 78);
    const key = new Uint8Array(64).fill(0x42);
    const iv = new Uint8Array(16).fill(0x24);
    const probe = memoryProbe();
    const t0 = performance.now();
    const inHash = createHash('sha256');
    for (const p of source(total, block)) inHash.update(p);
    // Pass 1 yields the pointer's digest (what a sender computes); its output is discarded here.
    const first = encryptLegacyAttachmentStream(source(total, block), { allowLarge: true, key, iv, onProgress: probe.sample });
    for await (const c of first.chunks) void c;
    const { digest, size } = first.result();
    expect(size).toBe(total);
    // Pass 2 (same key and IV, so the same blob) streams straight into the decryptor.
    const again = encryptLegacyAttachmentStream(source(total, block), { allowLarge: true, key, iv });
    const outHash = createHash('sha256');
    let out = 0;
    for await (const p of decryptLegacyAttachmentStream(again.chunks, key, digest, { allowLarge: true, size, onProgress: probe.sample })) {
      outHash.update(p);
      out += p.length;
    }
    expect(out).toBe(total);
    expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
    expect(again.result().digest).toEqual(digest);
    const heap = probe.report(`legacy 100 MiB streamed (encrypt, then encrypt → decrypt) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(heap).toBeLessThan(40);
  }, 1_800_000);

  it('allowLarge one-shot round trips just above both limits', async () => {
    const s = pseudoRandom(ATTACHMENT_MAX_REGULAR_SIZE + 1, 3);
    await expectCodeAsync(() => encryptAttachment(SEED, s), 'TOO_LARGE');
    const e = await encryptAttachment(SEED, s, { allowLarge: true });
    expect(e.ciphertext.length).toBe(attachmentEncryptedSize(s.length));
    await expectCodeAsync(() => decryptAttachment(e.ciphertext, e.key), 'TOO_LARGE');
    expectSameBytes(await decryptAttachment(e.ciphertext, e.key, { allowLarge: true }), s);
    const l = s.subarray(0, LEGACY_ATTACHMENT_MAX_SIZE + 1);
    await expectCodeAsync(() => encryptLegacyAttachment(l), 'TOO_LARGE');
    const le = await encryptLegacyAttachment(l, { allowLarge: true });
    expectSameBytes(await decryptLegacyAttachment(le.ciphertext, le.key, le.digest, { size: l.length, allowLarge: true }), l);
  }, 600_000);
});
