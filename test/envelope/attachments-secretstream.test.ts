// crypto_secretstream_xchacha20poly1305 (src/crypto/secretstream.ts) against libsodium-wrappers-sumo:
// libsodium opens our streams, we open libsodium's, byte-identical output for the same header.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SECRETSTREAM_ABYTES,
  SECRETSTREAM_TAG_FINAL,
  SECRETSTREAM_TAG_MESSAGE,
  SECRETSTREAM_TAG_PUSH,
  SECRETSTREAM_TAG_REKEY,
  secretstreamInitPull,
  secretstreamInitPush,
  secretstreamInitPushRandom,
  secretstreamPull,
  secretstreamPush,
  secretstreamRekey,
  _secretstreamForceNoble,
  _secretstreamPoly1305,
  type SecretstreamState,
} from '../../src/crypto/secretstream.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { SessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SessionSdkError);
    expect((e as SessionSdkError).code).toBe(code);
    return;
  }
  expect.fail(`expected SessionSdkError ${code}`);
}

const TAGS = [SECRETSTREAM_TAG_MESSAGE, SECRETSTREAM_TAG_PUSH, SECRETSTREAM_TAG_REKEY, SECRETSTREAM_TAG_FINAL];
const msgArb = fc.record({
  message: fc.uint8Array({ maxLength: 300 }),
  tag: fc.constantFrom(...TAGS),
  ad: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }),
});
const streamArb = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  msgs: fc.array(msgArb, { minLength: 1, maxLength: 8 }),
});

describe('secretstream vs libsodium', () => {
  it('libsodium decrypts what we push (random keys, messages, tags, additional data)', () => {
    fc.assert(
      fc.property(streamArb, ({ key, msgs }) => {
        const header = sodium.randombytes_buf(24);
        const ours = secretstreamInitPush(key, header);
        const theirs = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
        for (const m of msgs) {
          const c = secretstreamPush(ours, m.message, m.tag, m.ad);
          expect(c.length).toBe(m.message.length + SECRETSTREAM_ABYTES);
          const r = sodium.crypto_secretstream_xchacha20poly1305_pull(theirs, c, m.ad ?? null);
          expect(r).toBeTruthy();
          expect((r as { message: Uint8Array }).message).toEqual(m.message);
          expect((r as { tag: number }).tag).toBe(m.tag);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('we decrypt what libsodium pushes, and our push of the same header is byte-identical', () => {
    fc.assert(
      fc.property(streamArb, ({ key, msgs }) => {
        const res = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
        const ours = secretstreamInitPull(key, res.header);
        const mirror = secretstreamInitPush(key, res.header);
        for (const m of msgs) {
          const c = sodium.crypto_secretstream_xchacha20poly1305_push(res.state, m.message, m.ad ?? null, m.tag);
          expect(secretstreamPush(mirror, m.message, m.tag, m.ad)).toEqual(c);
          const r = secretstreamPull(ours, c, m.ad);
          expect(r.message).toEqual(m.message);
          expect(r.tag).toBe(m.tag);
        }
      }),
      { seed: 43, numRuns: 100 },
    );
  });

  it('matches libsodium across a manual rekey and 32 KiB messages', () => {
    const key = sodium.randombytes_buf(32);
    const res = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const ours = secretstreamInitPush(key, res.header);
    const big = sodium.randombytes_buf(32768);
    expect(secretstreamPush(ours, big)).toEqual(sodium.crypto_secretstream_xchacha20poly1305_push(res.state, big, null, 0));
    sodium.crypto_secretstream_xchacha20poly1305_rekey(res.state);
    secretstreamRekey(ours);
    expect(secretstreamPush(ours, big, SECRETSTREAM_TAG_FINAL)).toEqual(
      sodium.crypto_secretstream_xchacha20poly1305_push(res.state, big, null, SECRETSTREAM_TAG_FINAL),
    );
  });

  it('rekeys when the 32-bit counter wraps (libsodium sodium_is_zero check)', () => {
    const key = sodium.randombytes_buf(32);
    const header = sodium.randombytes_buf(24);
    const a = secretstreamInitPush(key, header);
    a.nonce.set([0xff, 0xff, 0xff, 0xff], 0);
    // Expected: the usual inonce update, counter 0, then the (libsodium-checked) rekey.
    const expected = { k: a.k.slice(), nonce: a.nonce.slice() };
    const c = secretstreamPush(a, Uint8Array.of(1, 2, 3));
    const mac = c.subarray(c.length - 16);
    for (let i = 0; i < 8; i++) expected.nonce[4 + i]! ^= mac[i]!;
    expected.nonce.set([0, 0, 0, 0], 0);
    secretstreamRekey(expected);
    expect(a.k).toEqual(expected.k);
    expect(a.nonce).toEqual(expected.nonce);
    expect(a.nonce.subarray(0, 4)).toEqual(Uint8Array.of(1, 0, 0, 0));
  });

  it('a random-header push state round-trips', () => {
    const key = sodium.randombytes_buf(32);
    const { state, header } = secretstreamInitPushRandom(key);
    expect(header.length).toBe(24);
    const c = secretstreamPush(state, Uint8Array.of(9), SECRETSTREAM_TAG_FINAL);
    expect(secretstreamPull(secretstreamInitPull(key, header), c)).toEqual({ message: Uint8Array.of(9), tag: SECRETSTREAM_TAG_FINAL });
  });
});

describe('secretstream without WebAssembly (noble ChaCha20) is identical', () => {
  it('same ciphertexts as the WASM kernel and libsodium, random inputs', () => {
    fc.assert(
      fc.property(streamArb, ({ key, msgs }) => {
        const header = sodium.randombytes_buf(24);
        const wasm = secretstreamInitPush(key, header);
        const theirs = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
        _secretstreamForceNoble(true);
        try {
          const noble = secretstreamInitPush(key, header);
          for (const m of msgs) {
            const a = secretstreamPush(noble, m.message, m.tag, m.ad);
            _secretstreamForceNoble(false);
            expect(secretstreamPush(wasm, m.message, m.tag, m.ad)).toEqual(a);
            _secretstreamForceNoble(true);
            const r = sodium.crypto_secretstream_xchacha20poly1305_pull(theirs, a, m.ad ?? null);
            expect((r as { message: Uint8Array }).message).toEqual(m.message);
          }
        } finally {
          _secretstreamForceNoble(false);
        }
      }),
      { seed: 44, numRuns: 50 },
    );
  });
  it('long messages across the kernel\'s 64 KiB slabs', () => {
    const key = sodium.randombytes_buf(32);
    const header = sodium.randombytes_buf(24);
    const m = sodium.randombytes_buf(200_003);
    const res = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const c = secretstreamPush(secretstreamInitPush(key, header), m, SECRETSTREAM_TAG_FINAL);
    expect((sodium.crypto_secretstream_xchacha20poly1305_pull(res, c, null) as { message: Uint8Array }).message).toEqual(m);
  });
});

describe('Poly1305 kernel', () => {
  const h = (x: string): Uint8Array => Uint8Array.from(Buffer.from(x.replace(/\s/g, ''), 'hex'));
  // RFC 8439 §2.5.2 and the Appendix A.3 edge cases (#5–#11: final-reduction and carry corners).
  const vectors: [string, string, string][] = [
    ['85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b', Buffer.from('Cryptographic Forum Research Group').toString('hex'), 'a8061dc1305136c6c22b8baf0c0127a9'],
    ['02' + '00'.repeat(31), 'ff'.repeat(16), '03' + '00'.repeat(15)],
    ['02' + '00'.repeat(15) + 'ff'.repeat(16), '02' + '00'.repeat(15), '03' + '00'.repeat(15)],
    ['01' + '00'.repeat(31), 'ff'.repeat(16) + 'f0' + 'ff'.repeat(15) + '11' + '00'.repeat(15), '05' + '00'.repeat(15)],
    ['01' + '00'.repeat(31), 'ff'.repeat(16) + 'fb' + 'fe'.repeat(15) + '01'.repeat(16), '00'.repeat(16)],
    ['02' + '00'.repeat(31), 'fd' + 'ff'.repeat(15), 'fa' + 'ff'.repeat(15)],
    ['01' + '00'.repeat(7) + '04' + '00'.repeat(23), 'e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000', '14' + '00'.repeat(7) + '55' + '00'.repeat(7)],
    ['01' + '00'.repeat(7) + '04' + '00'.repeat(23), 'e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000', '13' + '00'.repeat(15)],
  ];
  it.each(vectors)('key %s', (key, msg, tag) => {
    expect(Buffer.from(_secretstreamPoly1305(h(key), h(msg))).toString('hex')).toBe(tag);
  });
  it('equals noble on random keys and messages, including all-ones blocks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.nat(300).map((n) => new Uint8Array(n).fill(0xff))), (key, msg) => {
        expect(_secretstreamPoly1305(key, msg)).toEqual(poly1305(msg, key));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('secretstream rejects', () => {
  const key = new Uint8Array(32).fill(7);
  const header = new Uint8Array(24).fill(3);
  const msgs = [Uint8Array.of(1, 2, 3), new Uint8Array(100).fill(5), Uint8Array.of()];
  const stream = (): Uint8Array[] => {
    const st = secretstreamInitPush(key, header);
    return msgs.map((m, i) => secretstreamPush(st, m, i === msgs.length - 1 ? SECRETSTREAM_TAG_FINAL : 0));
  };
  const pullAll = (cs: Uint8Array[], k = key): void => {
    const st = secretstreamInitPull(k, header);
    for (const c of cs) secretstreamPull(st, c);
  };

  it('accepts the genuine stream', () => {
    expect(() => pullAll(stream())).not.toThrow();
  });
  it('a flipped bit anywhere in any message', () => {
    const cs = stream();
    for (let m = 0; m < cs.length; m++) {
      for (let i = 0; i < cs[m]!.length; i++) {
        const t = cs.map((c) => c.slice());
        t[m]![i]! ^= 0x01;
        expectCode(() => pullAll(t), 'DECRYPT_FAILED');
      }
    }
  });
  it('reordered, duplicated or dropped messages', () => {
    const [a, b, c] = stream() as [Uint8Array, Uint8Array, Uint8Array];
    expectCode(() => pullAll([b, a, c]), 'DECRYPT_FAILED');
    expectCode(() => pullAll([a, a, b, c]), 'DECRYPT_FAILED');
    expectCode(() => pullAll([a, c]), 'DECRYPT_FAILED');
  });
  it('a wrong key, a truncated message, a message shorter than the overhead', () => {
    const cs = stream();
    expectCode(() => pullAll(cs, new Uint8Array(32).fill(8)), 'DECRYPT_FAILED');
    expectCode(() => pullAll([cs[0]!.subarray(0, cs[0]!.length - 1)]), 'DECRYPT_FAILED');
    expectCode(() => pullAll([new Uint8Array(16)]), 'DECRYPT_FAILED');
  });
  it('a failed pull leaves the state usable for the genuine message', () => {
    const cs = stream();
    const st: SecretstreamState = secretstreamInitPull(key, header);
    const bad = cs[0]!.slice();
    bad[5]! ^= 0x80;
    expectCode(() => secretstreamPull(st, bad), 'DECRYPT_FAILED');
    expect(secretstreamPull(st, cs[0]!).message).toEqual(msgs[0]);
  });
  it('bad key and header lengths, bad tags', () => {
    expectCode(() => secretstreamInitPush(new Uint8Array(31), header), 'INVALID_LENGTH');
    expectCode(() => secretstreamInitPull(key, new Uint8Array(23)), 'INVALID_LENGTH');
    expectCode(() => secretstreamPush(secretstreamInitPush(key, header), Uint8Array.of(1), 256), 'INVALID_INPUT');
  });
  it('random and mutated ciphertexts only ever throw DECRYPT_FAILED', () => {
    const genuine = stream()[1]!;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.tuple(fc.nat(genuine.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const c = genuine.slice();
            c[i]! ^= x;
            return c;
          }),
        ),
        (c) => {
          const st = secretstreamInitPull(key, header);
          secretstreamPull(st, stream()[0]!);
          expectCode(() => secretstreamPull(st, c), 'DECRYPT_FAILED');
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
