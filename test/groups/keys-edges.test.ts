// Edge cases of groups-v2 key distribution (spec/groups.md §0, §2.4–§2.6): malformed but
// correctly encrypted and signed supplement contents, rekey/keySupplement argument checks, and the
// boundaries of the symmetric primitives (label keys over 64 bytes or empty, short AEAD input,
// deterministic RNG lengths) against libsodium.
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519SignSync } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { createGroupKeys, keySupplement, loadKeyMessage, rekey, signableDict, type GroupKeys } from '../../src/groups/index.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';
import { encryptForMultiple } from '../../src/groups/multi-encrypt.js';
import { aeadDecrypt, aeadEncrypt, blake2bKeyed, randombytesBufDeterministic } from '../../src/groups/primitives.js';
import { bencode, type BInput } from '../../src/util/bencode.js';
import { loadSodium } from '../helpers/sodium.js';

const group = ed25519KeyPairFromSeed(new Uint8Array(32).fill(0x51));
const adminId = identityFromSeed(new Uint8Array(32).fill(0x52));
const bob = identityFromSeed(new Uint8Array(32).fill(0x53));
const admin = () => createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });
const member = () => createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
const T0 = 1_700_000_000_000;

const rejects = async (p: Promise<unknown>, code: string) => {
  await expect(p).rejects.toSatisfy((e) => isSessionSdkError(e, code as never));
};

/** A supplement signed by the group whose only entry is `inner` correctly encrypted to `to`. */
async function supplementCarrying(a: GroupKeys, to: GroupKeys, inner: Uint8Array): Promise<Uint8Array> {
  // Entries under 68 bytes are refused by the decoder before decryption; keep every case above
  // that, so each one reaches the key-list parser it is meant to test.
  expect(inner.length + 16).toBeGreaterThanOrEqual(68);
  const nonce = new Uint8Array(24).fill(7);
  const [entry] = await encryptForMultiple([inner], [to.userX25519PublicKey], nonce, keyringInternals(a, 'test').adminX25519SecretKey(), a.groupX25519PublicKey, 'SessionGroupKeyMemberKey');
  const { toSign, finish } = signableDict({ '#': nonce, '+': [entry!], G: 1 });
  return finish(ed25519SignSync(group.secretKey, toSign));
}

describe('loadKeyMessage: authentic supplements with malformed key lists', () => {
  const key32 = new Uint8Array(32).fill(9);
  const cases: [string, BInput][] = [
    ['a dict instead of a list', { g: 1, k: key32, t: T0 }],
    ['an entry that is not a dict', [new Uint8Array(60)]],
    ['a negative generation', [{ g: -1, k: key32, t: T0 }]],
    ['a generation given as bytes', [{ g: new Uint8Array(1), k: key32, t: T0 }]],
    ['a generation beyond 2^53', [{ g: 2n ** 60n, k: key32, t: T0 }]],
    ['no timestamp', [{ g: 1, k: key32, x: new Uint8Array(20) }]],
    ['a timestamp beyond 2^53', [{ g: 1, k: key32, t: 2n ** 60n }]],
  ];
  for (const [name, list] of cases) {
    it(`rejects ${name} as CONFIG_INVALID and loads nothing`, async () => {
      const a = admin();
      const m = member();
      await rejects(loadKeyMessage(m, await supplementCarrying(a, m, bencode(list)), T0), 'CONFIG_INVALID');
      expect(m.size).toBe(0);
    });
  }

  it('accepts the same supplement once the list is well-formed (the cases above differ only in the list)', async () => {
    const a = admin();
    const m = member();
    expect(await loadKeyMessage(m, await supplementCarrying(a, m, bencode([{ g: 1, k: key32, t: T0 }])), T0)).toBe(true);
    expect(m.knownKeys().map((k) => [k.generation, k.timestampMs])).toEqual([[1, T0]]);
  });
});

describe('rekey / keySupplement argument checks', () => {
  it('rejects a non-array member list and non-string IDs with typed errors', async () => {
    const a = admin();
    await rejects(rekey(a, 'not an array' as never), 'INVALID_INPUT');
    await rejects(rekey(a, [adminId.sessionId, 42 as never]), 'INVALID_SESSION_ID');
    await loadKeyMessage(a, await rekey(a, [adminId.sessionId, bob.sessionId]), T0);
    await rejects(keySupplement(a, [null as never]), 'INVALID_SESSION_ID');
    expect(a.size).toBe(1);
  });

  it('validates timestampMs but the message does not depend on it', async () => {
    await rejects(rekey(admin(), [adminId.sessionId], { timestampMs: 1.5 }), 'INVALID_INPUT');
    await rejects(rekey(admin(), [adminId.sessionId], { timestampMs: Number.MAX_SAFE_INTEGER + 2 }), 'INVALID_INPUT');
    const withTime = await rekey(admin(), [adminId.sessionId, bob.sessionId], { timestampMs: T0 });
    const without = await rekey(admin(), [adminId.sessionId, bob.sessionId]);
    expect(withTime).toEqual(without);
  });

  it('encryptForMultiple rejects non-array inputs and a non-string domain', async () => {
    const xsk = new Uint8Array(32).fill(1);
    const xpk = bob.x25519PublicKey;
    const n = new Uint8Array(24);
    await rejects(encryptForMultiple('m' as never, [xpk], n, xsk, xpk, 'd'), 'INVALID_INPUT');
    await rejects(encryptForMultiple([new Uint8Array(1)], xpk as never, n, xsk, xpk, 'd'), 'INVALID_INPUT');
    await rejects(encryptForMultiple([new Uint8Array(1)], [xpk], n, xsk, xpk, 7 as never), 'INVALID_INPUT');
  });
});

describe('groups primitives at their boundaries (vs libsodium)', () => {
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
  });
  const msg = Uint8Array.from({ length: 50 }, (_, i) => i);

  it('a byte label longer than 64 bytes is truncated to BLAKE2b\'s maximum key, like libsession', () => {
    const label = Uint8Array.from({ length: 80 }, (_, i) => 200 - i);
    const expected = sodium.crypto_generichash(32, msg, label.subarray(0, 64));
    expect(blake2bKeyed(32, label, msg)).toEqual(expected);
    expect(blake2bKeyed(32, label, msg.subarray(0, 20), msg.subarray(20))).toEqual(expected);
    // exactly 64 bytes is used as is
    expect(blake2bKeyed(32, label.subarray(0, 64), msg)).toEqual(expected);
  });

  it('an empty label means unkeyed BLAKE2b, in one part or several', () => {
    const expected = sodium.crypto_generichash(32, msg, null);
    expect(blake2bKeyed(32, '', msg)).toEqual(expected);
    expect(blake2bKeyed(32, new Uint8Array(0), msg.subarray(0, 1), msg.subarray(1))).toEqual(expected);
  });

  it('aeadDecrypt returns undefined (not a crash) for input shorter than a tag', () => {
    const key = new Uint8Array(32).fill(3);
    const nonce = new Uint8Array(24).fill(4);
    const ct = aeadEncrypt(key, nonce, new Uint8Array(0));
    expect(ct).toHaveLength(16);
    expect(aeadDecrypt(key, nonce, ct)).toEqual(new Uint8Array(0));
    for (let n = 0; n < 16; n++) expect(aeadDecrypt(key, nonce, ct.subarray(0, n))).toBeUndefined();
  });

  it('randombytesBufDeterministic accepts 0 and rejects negative, fractional and oversized lengths', () => {
    const seed = new Uint8Array(32).fill(0x77);
    expect(randombytesBufDeterministic(0, seed)).toEqual(new Uint8Array(0));
    expect(randombytesBufDeterministic(100, seed)).toEqual(sodium.randombytes_buf_deterministic(100, seed));
    for (const n of [-1, 1.5, Number.NaN, 64 * 0xffffffff + 1]) {
      expect(() => randombytesBufDeterministic(n, seed)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});
