// GroupKeys state paths the scenario tests do not reach: pending-rekey bookkeeping, duplicate
// and same-generation keys, idempotent destroy/loadAdminKey, and restoring libsession-format
// dumps (spec/groups.md §2.6–§2.7), including every malformed-dump rejection (CONFIG_INVALID).
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';
import { createGroupKeys, decryptGroupMessage, encryptGroupMessage, loadKeyMessage, rekey } from '../../src/groups/index.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { bdecode, bencode, isBDict, type BInput } from '../../src/util/bencode.js';

const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(71));
const adminId = identityFromSeed(new Uint8Array(32).fill(72));
const bob = identityFromSeed(new Uint8Array(32).fill(73));
const admin = () => createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
const member = (dump?: Uint8Array) => createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, dump });
const members = [adminId.sessionId, bob.sessionId];
const T0 = 1_700_000_000_000;
const code = (c: string) => (e: unknown) => isSessionSdkError(e, c as never);

describe('GroupKeys bookkeeping', () => {
  it('rejects a non-object options argument', () => {
    expect(() => createGroupKeys(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createGroupKeys('x' as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('a fresh keyring has no keys, generation -1, no pending key; toString names role without secrets', () => {
    const m = member();
    expect(m.size).toBe(0);
    expect(m.generation).toBe(-1);
    expect(m.confirmedGeneration).toBe(-1);
    expect(m.pendingKey()).toBeUndefined();
    expect(m.pendingConfig()).toBeUndefined();
    expect(() => m.encryptionKey()).toThrow();
    const s = m.toString();
    expect(s).toMatch(/^GroupKeys\(03[0-9a-f]{8}…, member, gen -1, 0 keys, user [0-9a-f]{8}…\)$/);
    expect(admin().toString()).toContain(', admin, ');
    expect(s).not.toContain(Buffer.from(bob.ed25519SecretKey.subarray(0, 32)).toString('hex').slice(0, 16));
  });

  it('a pending rekey counts in size and generation, encrypts, and a second rekey replaces it', async () => {
    const a = admin();
    const msg1 = await rekey(a, members);
    expect(a.size).toBe(1);
    expect(a.generation).toBe(0);
    expect(a.confirmedGeneration).toBe(-1);
    const k1 = a.pendingKey()!;
    expect(k1).toEqual(a.encryptionKey());
    expect(a.pendingConfig()).toEqual(msg1);
    // While pending, our own messages still decrypt (decryption keys include the pending key).
    const ct = await encryptGroupMessage(a, new TextEncoder().encode('hi'));
    expect(new TextDecoder().decode((await decryptGroupMessage(a, ct)).plaintext)).toBe('hi');
    // Rekeying again before confirmation replaces (and wipes) the old pending key.
    const msg2 = await rekey(a, [...members, identityFromSeed(new Uint8Array(32).fill(74)).sessionId]);
    expect(a.size).toBe(1);
    expect(a.pendingConfig()).toEqual(msg2);
    expect(a.pendingKey()).not.toEqual(k1);
    // Confirming the second message clears the pending state.
    expect(await loadKeyMessage(a, msg2, T0)).toBe(true);
    expect(a.pendingKey()).toBeUndefined();
    expect(a.size).toBe(1);
    expect(a.generation).toBe(0);
  });

  it('the same key loaded twice is kept once; with a hash it is tracked, without one nothing changes', async () => {
    const a = admin();
    const msg = await rekey(a, members);
    await loadKeyMessage(a, msg, T0, { hash: 'h1' });
    const m = member();
    expect(await loadKeyMessage(m, msg, T0)).toBe(true);
    expect(await loadKeyMessage(m, msg, T0)).toBe(true); // duplicate, no hash
    expect(m.size).toBe(1);
    expect([...m.activeHashes()]).toEqual([]);
    expect(await loadKeyMessage(m, msg, T0 + 5, { hash: 'hb' })).toBe(true);
    expect(await loadKeyMessage(m, msg, T0 + 6, { hash: 'ha' })).toBe(true);
    expect(m.size).toBe(1);
    expect([...m.activeHashes()].sort()).toEqual(['ha', 'hb']);
    // The dump stores hashes in byte order and restores them.
    const d = bdecode(m.dump());
    expect(isBDict(d)).toBe(true);
    const A = (d as Map<string, unknown>).get('A') as unknown[][];
    expect(A).toHaveLength(1);
    expect((A[0]!.slice(1) as Uint8Array[]).map((h) => new TextDecoder().decode(h))).toEqual(['ha', 'hb']);
    const again = member(m.dump());
    expect([...again.activeHashes()].sort()).toEqual(['ha', 'hb']);
    expect(again.encryptionKey()).toEqual(m.encryptionKey());
  });

  it('loadAdminKey on an admin keyring is a no-op; destroy is idempotent with or without a pending key', async () => {
    const a = admin();
    a.loadAdminKey(g.secretKey);
    expect(a.isAdmin).toBe(true);
    await rekey(a, members);
    a.destroy();
    a.destroy();
    expect(() => a.encryptionKey()).toThrow(expect.objectContaining({ code: 'DESTROYED' }));
    const m = member();
    m.destroy(); // no pending key, no keys
    m.destroy();
    await expect(loadKeyMessage(m, new Uint8Array(10), T0)).rejects.toSatisfy(code('DESTROYED'));
  });
});

describe('GroupKeys dump restore', () => {
  const key = (b: number) => new Uint8Array(32).fill(b);
  const restore = (d: BInput) => member(bencode(d));
  const rejects = (d: BInput, why: RegExp) => {
    let err: unknown;
    try {
      restore(d);
    } catch (e) {
      err = e;
    }
    expect(isSessionSdkError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(why);
  };

  it('restores keys, same-generation keys ordered by timestamp then bytes, and a pending rekey', () => {
    const k = restore({
      A: [[1, 'x']],
      L: [
        { g: 0, k: key(1), t: T0 },
        { g: 1, k: key(2), t: T0 },
        { g: 1, k: key(3), t: T0 }, // concurrent rekey: same generation and time, larger key
      ],
      P: { c: 'cfg', g: 2, k: key(9) },
    });
    expect(k.size).toBe(4);
    expect(k.generation).toBe(2);
    expect(k.confirmedGeneration).toBe(1);
    expect(k.pendingKey()).toEqual(key(9));
    expect(k.pendingConfig()).toEqual(new TextEncoder().encode('cfg'));
    expect(k.knownKeys().map((x) => x.key[0])).toEqual([1, 2, 3]);
    // A member never reports needsRekey, even with two keys in one generation.
    expect(k.needsRekey).toBe(false);
    expect(k.dump()).toEqual(bencode({ A: [[1, 'x']], L: [{ g: 0, k: key(1), t: T0 }, { g: 1, k: key(2), t: T0 }, { g: 1, k: key(3), t: T0 }], P: { c: 'cfg', g: 2, k: key(9) } }));
  });

  it('rejects every malformed dump with CONFIG_INVALID', () => {
    const L = [{ g: 0, k: key(1), t: T0 }];
    expect(() => member(bencode('not a dict'))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    rejects({ L }, /active hashes \(A\)/);
    rejects({ A: [] }, /keys \(L\)/);
    rejects({ A: [], L: ['x'] }, /key entry is not a dict/);
    rejects({ A: [], L: [{ g: 0, k: key(1).subarray(0, 31), t: T0 }] }, /key \(k\) must be 32 bytes/);
    rejects({ A: [], L: [{ g: 'zero', k: key(1), t: T0 }] }, /generation \(g\) is not an integer/);
    rejects({ A: [], L: [{ g: 0, k: key(1) }] }, /timestamp \(t\) is not an integer/);
    // Same generation and time, keys out of byte order (and exact duplicates) are unsorted.
    rejects({ A: [], L: [{ g: 0, k: key(2), t: T0 }, { g: 0, k: key(1), t: T0 }] }, /not in sorted order/);
    rejects({ A: [], L: [{ g: 0, k: key(1), t: T0 }, { g: 0, k: key(1), t: T0 }] }, /not in sorted order/);
    rejects({ A: [], L: [{ g: 1, k: key(1), t: T0 }, { g: 0, k: key(1), t: T0 }] }, /not in sorted order/);
    rejects({ A: ['x'], L }, /active entry must be a non-empty list/);
    rejects({ A: [[]], L }, /active entry must be a non-empty list/);
    rejects({ A: [['g']], L }, /active generation is not an integer/);
    rejects({ A: [[0, 5]], L }, /message hash must be a string/);
    rejects({ A: [], L, P: 'x' }, /pending \(P\) is not a dict/);
    rejects({ A: [], L, P: { g: 1, k: key(2) } }, /pending config \(c\) missing/);
    rejects({ A: [], L, P: { c: '', g: 1, k: key(2) } }, /pending config \(c\) missing/);
    rejects({ A: [], L, P: { c: 'x', g: 1, k: key(2).subarray(1) } }, /pending key \(k\) must be 32 bytes/);
    rejects({ A: [], L, P: { c: 'x', k: key(2) } }, /pending generation \(g\) is not an integer/);
  });
});
