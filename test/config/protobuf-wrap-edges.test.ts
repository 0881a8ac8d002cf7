// Protobuf wrapping edge contract (spec/config.md §2.5): the seqno is a proto int64, and unwrapping
// enforces every rule of libsession's unwrap_config — own sender only, 0x80 content padding,
// required fields present — each with its own typed error.
import { describe, expect, it } from 'vitest';
import { unwrapUserConfig, wrapUserConfig } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync } from '../../src/crypto/noble.js';
import { encryptForRecipientDeterministic } from '../../src/envelope/session-protocol.js';
import { concatBytes } from '../../src/util/bytes.js';

const code = (c: string) => expect.objectContaining({ code: c });
const seed = new Uint8Array(32).fill(0x71);
const own = ed25519KeyPairFromSeed(seed);
const ownX = ed25519PkToX25519Sync(own.publicKey);
const ct = new Uint8Array(256).fill(0xee);

// A tiny proto2 writer, independent of the SDK's, for hand-built wrappings.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return out;
};
const vf = (num: number, v: number) => Uint8Array.from([...varint(num << 3), ...varint(v)]);
const bf = (num: number, b: Uint8Array) => concatBytes(Uint8Array.from([...varint((num << 3) | 2), ...varint(b.length)]), b);
/** WebSocketMessage{REQUEST, request{body: Envelope{SESSION_MESSAGE, ts 1, content: sealed}}}. */
const frame = (sealed: Uint8Array) =>
  concatBytes(vf(1, 1), bf(2, concatBytes(bf(1, new Uint8Array(0)), bf(2, new Uint8Array(0)), bf(3, concatBytes(vf(1, 6), vf(5, 1), bf(8, sealed))), vf(4, 0))));
const content = (kind: number, data: Uint8Array) => bf(11, concatBytes(vf(1, kind), vf(2, 1), bf(3, data)));

describe('wrapUserConfig: seqno', () => {
  it('is a proto int64: a negative seqno takes 10 bytes (two\'s complement) and still round-trips', async () => {
    const neg = await wrapUserConfig(seed, ct, -1, 2);
    expect((await wrapUserConfig(seed, ct, 1, 2)).length).toBe(neg.length - 9);
    expect(await unwrapUserConfig(seed, neg, 2)).toEqual(ct);
  });

  it('must be a safe integer (INVALID_INPUT), never a RangeError from BigInt', async () => {
    for (const bad of [1.5, Number.NaN, 2 ** 53, '3' as never]) {
      await expect(wrapUserConfig(seed, ct, bad, 2)).rejects.toThrow(code('INVALID_INPUT'));
    }
  });
});

describe('unwrapUserConfig: libsession unwrap_config rules', () => {
  it('our hand-built frame is accepted (the control for the cases below)', async () => {
    const sealed = await encryptForRecipientDeterministic(own.secretKey, ownX, concatBytes(content(1, ct), Uint8Array.of(0x80, 0, 0)));
    expect(await unwrapUserConfig(seed, frame(sealed), 2)).toEqual(ct);
  });

  it('a namespace that is not a user config is INVALID_INPUT', async () => {
    const w = await wrapUserConfig(seed, ct, 1, 2);
    await expect(unwrapUserConfig(seed, w, 13)).rejects.toThrow(code('INVALID_INPUT'));
  });

  it('a request without its body field is INVALID_ENCODING', async () => {
    await expect(unwrapUserConfig(seed, vf(1, 1), 2)).rejects.toThrow(code('INVALID_ENCODING'));
    await expect(unwrapUserConfig(seed, concatBytes(vf(1, 1), vf(2, 5)), 2)).rejects.toThrow(code('INVALID_ENCODING')); // varint, not bytes
  });

  it('a config sealed to us by another account is CONFIG_INVALID (only our own devices write it)', async () => {
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(0x72));
    const sealed = await encryptForRecipientDeterministic(other.secretKey, ownX, concatBytes(content(1, ct), Uint8Array.of(0x80)));
    await expect(unwrapUserConfig(seed, frame(sealed), 2)).rejects.toThrow(code('CONFIG_INVALID'));
  });

  it('content without the 0x80 padding byte, or only zeros, is INVALID_ENCODING', async () => {
    for (const plain of [content(1, ct), new Uint8Array(8)]) {
      const sealed = await encryptForRecipientDeterministic(own.secretKey, ownX, plain);
      await expect(unwrapUserConfig(seed, frame(sealed), 2)).rejects.toThrow(code('INVALID_ENCODING'));
    }
  });
});
