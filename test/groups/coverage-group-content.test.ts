// encryptGroupContent option validation and decryptGroupContent's envelope rules (libsession's
// reader, spec/groups.md §2.8): content required, proSig 64 bytes, source empty or 66-hex, the
// type mapped but not enforced beyond 6/7. Envelopes are hand-built protobuf so each rule is
// exercised on exactly one deviation.
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { createGroupKeys, decryptGroupContent, encryptGroupContent, encryptGroupMessage, loadKeyMessage, rekey, type GroupKeys } from '../../src/groups/index.js';
import { identityFromSeed } from '../../src/identity/keys.js';

const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(81));
const adminId = identityFromSeed(new Uint8Array(32).fill(82));
let keys: GroupKeys;

beforeAll(async () => {
  keys = createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
  expect(await loadKeyMessage(keys, await rekey(keys, [adminId.sessionId]), 1_700_000_000_000)).toBe(true);
});

/** Minimal protobuf writer for the Envelope fields used here. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const intField = (no: number, v: number): number[] => [(no << 3) | 0, ...varint(v)];
const bytesField = (no: number, b: Uint8Array | string): number[] => {
  const d = typeof b === 'string' ? new TextEncoder().encode(b) : b;
  return [(no << 3) | 2, ...varint(d.length), ...d];
};
const env = (...fields: number[][]): Uint8Array => Uint8Array.from(fields.flat());
const content = Uint8Array.of(0x0a, 0x00);
const seal = (plain: Uint8Array) => encryptGroupMessage(keys, plain);

describe('encryptGroupContent options', () => {
  it('rejects missing options, an unknown style, proSig in desktop style, a short proSig and bad timestamps', async () => {
    await expect(encryptGroupContent(keys, content, undefined as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(encryptGroupContent(keys, content, null as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(encryptGroupContent(keys, content, { timestampMs: 1, style: 'ios' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(encryptGroupContent(keys, content, { timestampMs: 1, style: 'desktop', proSig: new Uint8Array(64) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(encryptGroupContent(keys, content, { timestampMs: 1, proSig: new Uint8Array(63) })).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
    for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) {
      await expect(encryptGroupContent(keys, content, { timestampMs: t })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('a caller-supplied proSig is carried verbatim; desktop style carries the group id as source', async () => {
    const proSig = new Uint8Array(64).fill(7);
    const a = await decryptGroupContent(keys, await encryptGroupContent(keys, content, { timestampMs: 42, proSig }));
    expect(a.envelope).toMatchObject({ type: 'CLOSED_GROUP_MESSAGE', timestamp: 42, sourceDevice: 1, proSig });
    expect(a.content).toEqual(content);
    expect(a.senderSessionId).toBe(adminId.sessionId);
    const b = await decryptGroupContent(keys, await encryptGroupContent(keys, content, { timestampMs: 43, style: 'desktop' }));
    expect(b.envelope.source).toBe(keys.groupId);
    expect(b.envelope.proSig).toBeUndefined();
  });
});

describe('decryptGroupContent envelope rules', () => {
  it('type 6 decodes as SESSION_MESSAGE; unknown fields are ignored; serverTimestamp is read', async () => {
    const out = await decryptGroupContent(keys, await seal(env(intField(1, 6), intField(5, 9), intField(10, 77), intField(15, 3), bytesField(8, content))));
    expect(out.envelope).toMatchObject({ type: 'SESSION_MESSAGE', timestamp: 9, serverTimestamp: 77 });
    expect(out.content).toEqual(content);
  });

  it('an empty source is accepted; a 66-hex source is accepted', async () => {
    const ok1 = await decryptGroupContent(keys, await seal(env(intField(1, 7), bytesField(2, ''), intField(5, 1), bytesField(8, content))));
    expect(ok1.envelope.source).toBe('');
    const ok2 = await decryptGroupContent(keys, await seal(env(intField(1, 7), bytesField(2, keys.groupId), intField(5, 1), bytesField(8, content))));
    expect(ok2.envelope.source).toBe(keys.groupId);
  });

  it.each([
    ['no type', env(intField(5, 1), bytesField(8, content))],
    ['unknown type', env(intField(1, 5), intField(5, 1), bytesField(8, content))],
    ['no timestamp', env(intField(1, 7), bytesField(8, content))],
    ['no content', env(intField(1, 7), intField(5, 1))],
    ['empty content', env(intField(1, 7), intField(5, 1), bytesField(8, new Uint8Array(0)))],
    ['proSig of 63 bytes', env(intField(1, 7), intField(5, 1), bytesField(8, content), bytesField(11, new Uint8Array(63)))],
    ['a source that is not a 66-hex ID', env(intField(1, 7), bytesField(2, 'alice'), intField(5, 1), bytesField(8, content))],
  ])('rejects an envelope with %s (INVALID_ENCODING)', async (_why, plain) => {
    await expect(decryptGroupContent(keys, await seal(plain))).rejects.toMatchObject({ code: 'INVALID_ENCODING' });
  });
});
