// Negative and property tests for every groups decoder: keys messages (decodeKeysMessage,
// loadKeyMessage), group messages (decryptGroupMessage, openGroupMessageInner), multi-encrypt
// blobs, kicked notices, zstd. Only SessionSdkError may escape, and nothing mutated may load.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519SignSync } from '../../src/crypto/noble.js';
import { generateIdentity, identityFromSeed } from '../../src/identity/keys.js';
import { isSessionSdkError } from '../../src/errors.js';
import { bencode } from '../../src/util/bencode.js';
import { concatBytes } from '../../src/util/bytes.js';
import {
  createGroupKeys,
  decodeKeysMessage,
  decodeMultiSimple,
  decryptGroupMessage,
  encryptGroupMessage,
  keySupplement,
  loadKeyMessage,
  openGroupMessageInner,
  openKickedNotice,
  rekey,
  signableDict,
  type GroupKeys,
} from '../../src/groups/index.js';
import { aeadEncrypt } from '../../src/groups/primitives.js';
import { zstdDecompressBounded } from '../../src/util/zstd.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';
import { hex, loadVectors } from '../helpers/vectors.js';

const K = loadVectors('groups/groups-v2-keys.json');
const kBy = (n: string) => K.vectors.find((v: { name: string }) => v.name === n);
const group = ed25519KeyPairFromSeed(hex(kBy('test_identities').inputs.group_ed25519_seed));
const member1 = identityFromSeed(hex(kBy('test_identities').inputs.users.member1));
const gen1 = hex(kBy('rekey_gen1_five_members').outputs.keys_message);
const gen0 = hex(kBy('rekey_gen0_no_members').outputs.keys_message);
const supp = hex(kBy('key_supplement_two_new_members').outputs.supplement_message);

const member = () => createGroupKeys({ userEd25519SecretKey: member1.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
const admin = () =>
  createGroupKeys({ userEd25519SecretKey: generateIdentity().ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });

/** A signed keys dict with arbitrary fields (signed correctly by the group). */
function signed(fields: Record<string, unknown>): Uint8Array {
  const { toSign, finish } = signableDict(fields as never);
  return finish(ed25519SignSync(group.secretKey, toSign));
}
const nonce = new Uint8Array(24);
const k48 = new Uint8Array(48);
const pad75 = Array.from({ length: 75 }, () => k48);

const rejects = async (p: Promise<unknown>, ...codes: string[]) => {
  await expect(p).rejects.toSatisfy((e) => isSessionSdkError(e, ...(codes as never[])));
};

describe('keys messages: negatives', () => {
  it('decodes the vectors', () => {
    expect(decodeKeysMessage(gen0).kind).toBe('full');
    expect(decodeKeysMessage(supp).kind).toBe('supplement');
  });

  const cases: [string, () => Uint8Array, string][] = [
    ['unsigned', () => bencode({ '#': nonce, G: 0, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['signature not last', () => concatBytes(signed({ '#': nonce, G: 0, K: k48, k: [] }).slice(0, -1), new TextEncoder().encode('1:\x7fi1ee')), 'CONFIG_INVALID'],
    ['short signature', () => bencode({ '#': nonce, G: 0, K: k48, k: [], '~': new Uint8Array(63) }), 'CONFIG_INVALID'],
    ['no nonce', () => signed({ G: 0, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['23-byte nonce', () => signed({ '#': new Uint8Array(23), G: 0, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['negative generation', () => signed({ '#': nonce, G: -1, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['generation as bytes', () => signed({ '#': nonce, G: new Uint8Array(1), K: k48, k: [] }), 'CONFIG_INVALID'],
    ['huge generation', () => signed({ '#': nonce, G: 2n ** 62n, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['no G', () => signed({ '#': nonce, K: k48, k: [] }), 'CONFIG_INVALID'],
    ['no K', () => signed({ '#': nonce, G: 0, k: [] }), 'CONFIG_INVALID'],
    ['47-byte K', () => signed({ '#': nonce, G: 0, K: new Uint8Array(47), k: [] }), 'CONFIG_INVALID'],
    ['no k', () => signed({ '#': nonce, G: 0, K: k48 }), 'CONFIG_INVALID'],
    ['k not a list', () => signed({ '#': nonce, G: 0, K: k48, k: k48 }), 'CONFIG_INVALID'],
    ['unpadded k (74)', () => signed({ '#': nonce, G: 0, K: k48, k: pad75.slice(1) }), 'CONFIG_INVALID'],
    ['k entry of 49 bytes', () => signed({ '#': nonce, G: 0, K: k48, k: [...pad75.slice(1), new Uint8Array(49)] }), 'CONFIG_INVALID'],
    ['k entry an int', () => signed({ '#': nonce, G: 0, K: k48, k: [...pad75.slice(1), 5] }), 'CONFIG_INVALID'],
    ['supplement entry too small', () => signed({ '#': nonce, '+': [new Uint8Array(67)], G: 0 }), 'CONFIG_INVALID'],
    ['supplement without G', () => signed({ '#': nonce, '+': [new Uint8Array(68)] }), 'CONFIG_INVALID'],
    ['supplement not a list', () => signed({ '#': nonce, '+': new Uint8Array(68), G: 0 }), 'CONFIG_INVALID'],
    ['not a dict', () => bencode([1, 2]), 'INVALID_ENCODING'],
    ['trailing bytes', () => concatBytes(gen0, new Uint8Array([0])), 'INVALID_ENCODING'],
    ['keys out of order', () => new TextEncoder().encode('d1:Gi0e1:#0:e'), 'INVALID_ENCODING'],
    ['empty', () => new Uint8Array(0), 'INVALID_ENCODING'],
  ];
  for (const [name, make, code] of cases) {
    it(`rejects: ${name} (${code})`, async () => {
      const m = make();
      expect(() => decodeKeysMessage(m)).toThrow(expect.objectContaining({ code }));
      const keys = member();
      await rejects(loadKeyMessage(keys, m, 1), code);
      expect(keys.size).toBe(0);
    });
  }

  it('a forged or altered signature is BAD_SIGNATURE and changes nothing', async () => {
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const { toSign, finish } = signableDict({ '#': nonce, G: 0, K: k48, k: [] });
    for (const keys of [member(), admin()]) {
      await rejects(loadKeyMessage(keys, finish(ed25519SignSync(other.secretKey, toSign)), 1), 'BAD_SIGNATURE');
      const m = gen1.slice();
      m[200]! ^= 1; // inside a k entry
      await rejects(loadKeyMessage(keys, m, 1), 'BAD_SIGNATURE');
      expect(keys.size).toBe(0);
    }
  });

  it('a correctly signed message whose K does not decrypt is rejected for admins', async () => {
    await rejects(loadKeyMessage(admin(), signed({ '#': nonce, G: 0, K: k48, k: [] }), 1), 'CONFIG_INVALID');
    // a member just finds nothing in it
    expect(await loadKeyMessage(member(), signed({ '#': nonce, G: 0, K: k48, k: [] }), 1)).toBe(false);
  });

  it('a supplement entry that decrypts to garbage is CONFIG_INVALID', async () => {
    const a = admin();
    await loadKeyMessage(a, gen1, 1);
    const m = member();
    // craft an entry for member1 carrying a non-list plaintext, encrypted properly
    const { encryptForMultiple } = await import('../../src/groups/multi-encrypt.js');
    const n = new Uint8Array(24).fill(3);
    const [ct] = await encryptForMultiple([new Uint8Array(60).fill(0x41)], [m.userX25519PublicKey], n, keyringInternals(a, 'test').adminX25519SecretKey(), a.groupX25519PublicKey, 'SessionGroupKeyMemberKey');
    await rejects(loadKeyMessage(m, signed({ '#': n, '+': [ct!], G: 1 }), 1), 'CONFIG_INVALID');
    const [ct2] = await encryptForMultiple([bencode([{ g: 1, k: new Uint8Array(31), t: 5 }])], [m.userX25519PublicKey], n, keyringInternals(a, 'test').adminX25519SecretKey(), a.groupX25519PublicKey, 'SessionGroupKeyMemberKey');
    await rejects(loadKeyMessage(m, signed({ '#': n, '+': [concatBytes(ct2!, new Uint8Array(0))], G: 1 }), 1), 'CONFIG_INVALID');
    expect(m.size).toBe(0);
  });

  it('API misuse throws typed errors', async () => {
    const m = member();
    await rejects(rekey(m, []), 'NOT_ADMIN');
    await rejects(keySupplement(m, []), 'NOT_ADMIN');
    await rejects(keySupplement(admin(), [member1.sessionId]), 'NO_KEY');
    const a = admin();
    await loadKeyMessage(a, gen0, 1);
    await rejects(keySupplement(a, []), 'INVALID_INPUT');
    await rejects(rekey(a, ['05zz']), 'INVALID_SESSION_ID');
    await rejects(rekey(a, ['03' + '00'.repeat(32)]), 'INVALID_SESSION_ID', 'INVALID_PREFIX');
    await rejects(loadKeyMessage(m, gen0, 1.5), 'INVALID_INPUT');
    await rejects(loadKeyMessage({} as GroupKeys, gen0, 1), 'INVALID_INPUT');
    expect(() => createGroupKeys({ userEd25519SecretKey: new Uint8Array(31), groupEd25519PublicKey: group.publicKey })).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(() => createGroupKeys({ userEd25519SecretKey: member1.ed25519SecretKey, groupEd25519PublicKey: new Uint8Array(32) })).toThrow(expect.objectContaining({ code: 'SMALL_ORDER_KEY' }));
    expect(() =>
      createGroupKeys({ userEd25519SecretKey: member1.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: new Uint8Array(32).fill(1) }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    const badSk = member1.ed25519SecretKey.slice();
    badSk[40]! ^= 1;
    expect(() => createGroupKeys({ userEd25519SecretKey: badSk, groupEd25519PublicKey: group.publicKey })).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});

describe('keys messages: properties', () => {
  const mutate = (base: Uint8Array) =>
    fc.oneof(
      fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const m = base.slice();
        m[i]! ^= x;
        return m;
      }),
      fc.nat(base.length - 1).map((n) => base.slice(0, n)),
      fc.tuple(fc.nat(base.length), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, ins]) => concatBytes(base.subarray(0, i), ins, base.subarray(i))),
    );

  it('decodeKeysMessage: only SessionSdkError on random and mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutate(gen0), mutate(supp)), (b) => {
        try {
          decodeKeysMessage(b);
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('loadKeyMessage: no mutation of a signed message ever loads a key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutate(gen0), mutate(gen1), mutate(supp)), async (b) => {
        // (member1 can load gen1, the admin gen0 and gen1: the property is not vacuous)
        const original = [gen0, gen1, supp].some((o) => o.length === b.length && o.every((x, i) => x === b[i]));
        for (const keys of [member(), admin()]) {
          try {
            const ok = await loadKeyMessage(keys, b, 1);
            if (!original) expect(ok).toBe(false);
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
        }
      }),
      { seed: 42, numRuns: 120 },
    );
  });
});

describe('group messages: negatives and properties', () => {
  let keys: GroupKeys;
  let key: Uint8Array;
  const author = identityFromSeed(new Uint8Array(32).fill(5));
  beforeAll(async () => {
    keys = member();
    await loadKeyMessage(keys, gen1, 1);
    key = keys.encryptionKey();
  });
  /** Encrypts an arbitrary inner dict with the group key. */
  const wrap = (inner: Uint8Array, n = new Uint8Array(24).fill(1)) => concatBytes(n, aeadEncrypt(key, n, inner));
  const sign = (body: Uint8Array) => ed25519SignSync(author.seed, concatBytes(body, group.publicKey));
  const body = new TextEncoder().encode('payload');

  const cases: [string, () => Uint8Array, string][] = [
    ['version 2', () => bencode({ '': 2, a: author.ed25519PublicKey, d: body, s: sign(body) }), 'UNSUPPORTED_VERSION'],
    ['no version', () => bencode({ a: author.ed25519PublicKey, d: body, s: sign(body) }), 'INVALID_ENCODING'],
    ['no author', () => bencode({ '': 1, d: body, s: sign(body) }), 'INVALID_ENCODING'],
    ['31-byte author', () => bencode({ '': 1, a: author.ed25519PublicKey.subarray(1), d: body, s: sign(body) }), 'INVALID_ENCODING'],
    ['small-order author', () => bencode({ '': 1, a: new Uint8Array(32), d: body, s: sign(body) }), 'INVALID_KEY'],
    ['empty d', () => bencode({ '': 1, a: author.ed25519PublicKey, d: new Uint8Array(0), s: sign(new Uint8Array(0)) }), 'INVALID_ENCODING'],
    ['both d and z', () => bencode({ '': 1, a: author.ed25519PublicKey, d: body, s: sign(body), z: body }), 'INVALID_ENCODING'],
    ['neither d nor z', () => bencode({ '': 1, a: author.ed25519PublicKey, s: sign(body) }), 'INVALID_ENCODING'],
    ['no signature', () => bencode({ '': 1, a: author.ed25519PublicKey, d: body }), 'INVALID_ENCODING'],
    ['short signature', () => bencode({ '': 1, a: author.ed25519PublicKey, d: body, s: sign(body).subarray(1) }), 'INVALID_ENCODING'],
    ['wrong group in signature', () => bencode({ '': 1, a: author.ed25519PublicKey, d: body, s: ed25519SignSync(author.seed, concatBytes(body, new Uint8Array(32).fill(7))) }), 'BAD_SIGNATURE'],
    ['body-only (old) signature', () => bencode({ '': 1, a: author.ed25519PublicKey, d: body, s: ed25519SignSync(author.seed, body) }), 'BAD_SIGNATURE'],
    ['someone else signed', () => bencode({ '': 1, a: member1.ed25519PublicKey, d: body, s: sign(body) }), 'BAD_SIGNATURE'],
    ['not a dict', () => bencode([1]), 'INVALID_ENCODING'],
    ['all zero', () => new Uint8Array(50), 'INVALID_ENCODING'],
    ['garbage after the dict', () => concatBytes(bencode({ '': 1 }), new TextEncoder().encode('xe')), 'INVALID_ENCODING'],
    ['bad zstd', () => bencode({ '': 1, a: author.ed25519PublicKey, z: body, s: sign(body) }), 'INVALID_ENCODING'],
  ];
  for (const [name, make, code] of cases) {
    it(`rejects: ${name} (${code})`, async () => {
      await rejects(decryptGroupMessage(keys, wrap(concatBytes(make(), new Uint8Array(13)))), code);
    });
  }

  it('a zstd frame declaring a huge window or content size is refused before allocation', async () => {
    // frame header: magic, FHD = single segment + 4-byte FCS, FCS = 0x7fffffff
    const bomb = hex('28b52ffd' + 'a0' + 'ffffff7f' + '010000');
    expect(() => zstdDecompressBounded(bomb, 1_000_000)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    const wide = hex('28b52ffd' + '00' + 'f8' + '010000'); // window 2^41
    expect(() => zstdDecompressBounded(wide, 1_000_000)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    // an RLE block expanding past the limit: FHD 0 (window 1 MiB), RLE block of 131072 × 'a', repeated
    const rle = (last: boolean) => {
      const h = (131072 << 3) | (1 << 1) | (last ? 1 : 0);
      return Uint8Array.of(h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x61);
    };
    const blocks = Array.from({ length: 9 }, (_, i) => rle(i === 8));
    const big = concatBytes(hex('28b52ffd' + '00' + '50'), ...blocks);
    expect(() => zstdDecompressBounded(big, 1_000_000)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(zstdDecompressBounded(concatBytes(hex('28b52ffd' + '00' + '50'), ...blocks.slice(0, 1).map(() => rle(true))), 1_000_000).length).toBe(131072);
    // and the whole pipeline: a signed z body that decompresses too far
    await rejects(decryptGroupMessage(keys, wrap(bencode({ '': 1, a: author.ed25519PublicKey, z: big, s: sign(big) }))), 'INVALID_ENCODING');
  });

  it('input checks', async () => {
    await rejects(decryptGroupMessage(keys, new Uint8Array(39)), 'INVALID_LENGTH');
    await rejects(decryptGroupMessage(keys, new Uint8Array(100)), 'DECRYPT_FAILED');
    await rejects(encryptGroupMessage(keys, new Uint8Array(1_000_001)), 'TOO_LARGE');
    await rejects(encryptGroupMessage(keys, new Uint8Array(0)), 'INVALID_INPUT');
    await rejects(encryptGroupMessage(keys, body, { nonce: new Uint8Array(23) }), 'INVALID_LENGTH');
    await rejects(encryptGroupMessage(keys, body, { padding: -1 }), 'INVALID_INPUT');
    const c = await encryptGroupMessage(keys, body, { padding: 0 });
    expect(c.length).toBe(24 + 16 + bencode({ '': 1, a: keys.userEd25519PublicKey, d: body, s: new Uint8Array(64) }).length);
    expect((await encryptGroupMessage(keys, body, { padding: 1000 })).length).toBe(1000);
  });

  it('decryptGroupMessage / openGroupMessageInner: only SessionSdkError on random and mutated input', async () => {
    const valid = await encryptGroupMessage(keys, body);
    const inner = bencode({ '': 1, a: author.ed25519PublicKey, d: body, s: sign(body) });
    const dictish = fc
      .dictionary(fc.constantFrom('', 'a', 'd', 's', 'z', 'x'), fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.integer({ min: -3, max: 3 })))
      .map((o) => bencode(o as never));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }),
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const m = valid.slice();
            m[i]! ^= x;
            return m;
          }),
        ),
        fc.oneof(
          dictish,
          fc.tuple(fc.nat(inner.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const m = inner.slice();
            m[i]! ^= x;
            return m;
          }),
        ),
        async (ct, pt) => {
          try {
            await decryptGroupMessage(keys, ct);
            throw new Error('a mutated ciphertext decrypted');
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
          try {
            const r = await openGroupMessageInner(pt, group.publicKey);
            // only an unchanged body/signature can verify
            expect(r.plaintext).toEqual(body);
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
          try {
            await decryptGroupMessage(keys, wrap(pt));
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe('multi-encrypt blobs and kicked notices: negatives and properties', () => {
  it('decodeMultiSimple rejects bad shapes', () => {
    expect(() => decodeMultiSimple(bencode({ '#': new Uint8Array(23), e: [] }))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeMultiSimple(bencode({ '#': new Uint8Array(24) }))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeMultiSimple(bencode({ '#': new Uint8Array(24), e: [1] }))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(decodeMultiSimple(bencode({ '#': new Uint8Array(24), e: [] })).entries).toEqual([]);
  });

  it('openKickedNotice: only SessionSdkError on random input; a notice for someone else is undefined', async () => {
    const m = member();
    const notice = loadVectors('groups/multi-encrypt.json').vectors[4].outputs.encoded;
    expect(await openKickedNotice(m, hex(notice))).toBeUndefined();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 150 }), async (b) => {
        try {
          expect(await openKickedNotice(m, b)).toBeUndefined();
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('zstdDecompressBounded: only SessionSdkError on random input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ maxLength: 64 }).map((b) => concatBytes(hex('28b52ffd'), b)),
        ),
        (b) => {
          try {
            const out = zstdDecompressBounded(b, 4096);
            expect(out.length).toBeLessThanOrEqual(4096);
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('keyring dumps: negatives and properties', () => {
  const opts = { userEd25519SecretKey: member1.ed25519SecretKey, groupEd25519PublicKey: group.publicKey };
  const key = (g: number, t: number, b = g) => ({ g, k: new Uint8Array(32).fill(b), t });
  it('rejects malformed dumps', () => {
    for (const d of [
      bencode([]),
      bencode({ L: [] }),
      bencode({ A: [] }),
      bencode({ A: [], L: [{ g: 1, k: new Uint8Array(31), t: 1 }] }),
      bencode({ A: [], L: [{ g: 1, t: 1 }] }),
      bencode({ A: [], L: [key(2, 1), key(1, 1)] }),
      bencode({ A: [], L: [key(1, 1), key(1, 1)] }),
      bencode({ A: [[]], L: [] }),
      bencode({ A: [[1, 5]], L: [] }),
      bencode({ A: [], L: [], P: { g: 1, k: new Uint8Array(32) } }),
      bencode({ A: [], L: [], P: { c: new Uint8Array(3), g: 1, k: new Uint8Array(3) } }),
    ]) {
      expect(() => createGroupKeys({ ...opts, dump: d }), new TextDecoder().decode(d)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
    expect(() => createGroupKeys({ ...opts, dump: new Uint8Array([1]) })).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    const ok = createGroupKeys({ ...opts, dump: bencode({ A: [[1, 'h1']], L: [key(1, 1), key(2, 1)] }) });
    expect(ok.generation).toBe(2);
    expect([...ok.activeHashes()]).toEqual(['h1']);
  });

  it('only SessionSdkError on mutated dumps', () => {
    const valid = bencode({ A: [[1, 'h1', 'h2']], L: [key(1, 1), key(2, 5)], P: { c: new Uint8Array(10), g: 3, k: new Uint8Array(32) } });
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
          const m = valid.slice();
          m[i]! ^= x;
          return m;
        }),
        (d) => {
          try {
            createGroupKeys({ ...opts, dump: d });
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });
});
