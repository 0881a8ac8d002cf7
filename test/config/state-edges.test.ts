// ConfigState edge contract (spec/config.md §2.6, §2.9–§2.11): storage-hash bookkeeping across
// edits and dumps, key-list installation, payloads that decrypt but are not config messages, the
// size limit applied to the final (wrapped) push, and libsession's optional dump keys.
import { describe, expect, it } from 'vitest';
import {
  CONFIG_ENCRYPT_OVERHEAD,
  CONFIG_MAX_MESSAGE_SIZE,
  GroupInfoConfig,
  UserGroupsConfig,
  UserProfileConfig,
  configEncrypt,
  configPaddedSize,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { bdecode, bencode, type BInput } from '../../src/util/bencode.js';
import { utf8 } from '../../src/util/bytes.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(0x21);
const profile = (dump?: Uint8Array) => new UserProfileConfig({ ed25519SecretKey: account, ...(dump ? { dump } : {}) });

const groupSeed = new Uint8Array(32).fill(0x31);
const groupPk = ed25519KeyPairFromSeed(groupSeed).publicKey;
const k1 = new Uint8Array(32).fill(1);
const k2 = new Uint8Array(32).fill(2);
const k3 = new Uint8Array(32).fill(3);
const adminInfo = (keys: Uint8Array[] = [k1]) =>
  new GroupInfoConfig({ groupEd25519PublicKey: groupPk, groupEd25519SecretKey: groupSeed, keys });

/** The `$` message of a dump and a dump dict with some keys replaced or removed. */
function dumpWith(base: Uint8Array, changes: Record<string, BInput | undefined>): Uint8Array {
  const d = bdecode(base) as Map<string, BInput>;
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) d.delete(k);
    else d.set(k, v);
  }
  return bencode(d);
}

describe('storage hashes (spec §2.9)', () => {
  it('currentHashes: none before a confirmed push, the stored hash after, moved to obsolete by the next edit', async () => {
    const p = profile();
    expect(p.currentHashes()).toEqual([]);
    p.setName('A');
    const push1 = await p.push();
    expect(push1.obsoleteHashes).toEqual([]);
    p.confirmPushed(push1.seqno, 'h1');
    expect(p.currentHashes()).toEqual(['h1']);
    p.setName('B');
    expect(p.currentHashes()).toEqual([]);
    expect((await p.push()).obsoleteHashes).toEqual(['h1']);
  });

  it('obsolete hashes survive a dump, so a restored state still deletes them on its next push', async () => {
    const p = profile();
    p.setName('A');
    p.confirmPushed((await p.push()).seqno, 'h1');
    p.setName('B'); // h1 becomes obsolete
    const r = profile(p.dump());
    expect(r.status).toBe('dirty');
    expect(r.getName()).toBe('B');
    expect((await r.push()).obsoleteHashes).toEqual(['h1']);
  });
});

describe('dump loading (libsession init_from_dump, spec §2.10)', () => {
  it('"(", ")" and "+" are optional: a dump without them loads with no known hashes', async () => {
    const p = profile();
    p.setName('A');
    p.confirmPushed((await p.push()).seqno, 'h1');
    const r = profile(dumpWith(p.dump(), { '(': undefined, ')': undefined, '+': undefined }));
    expect([r.status, r.seqno, r.getName()]).toEqual(['clean', p.seqno, 'A']);
    expect(r.currentHashes()).toEqual([]);
  });

  it('malformed hash lists and extra data are CONFIG_INVALID', async () => {
    const p = profile();
    p.setName('A');
    p.confirmPushed((await p.push()).seqno, 'h1');
    const good = p.dump();
    expect(() => profile(dumpWith(good, { ')': undefined }))).toThrow(code('CONFIG_INVALID')); // "(" without ")"
    expect(() => profile(dumpWith(good, { '(': 5 }))).toThrow(code('CONFIG_INVALID'));
    expect(() => profile(dumpWith(good, { ')': [utf8('ok'), 7] }))).toThrow(code('CONFIG_INVALID'));
    expect(() => profile(dumpWith(good, { '+': [] }))).toThrow(code('CONFIG_INVALID'));
    expect(profile(dumpWith(good, { ')': [utf8('old')] })).currentHashes()).toEqual(['h1']);
  });
});

describe('keys (libsession replace_keys)', () => {
  it('setKeys rejects a non-array with INVALID_INPUT and keeps the old keys', () => {
    const info = adminInfo();
    expect(() => info.setKeys('k' as never)).toThrow(code('INVALID_INPUT'));
    expect(info.keys()).toEqual([k1]);
  });

  it('duplicates are dropped, first occurrence (priority) kept; the encryption key goes first', () => {
    const info = adminInfo();
    info.setKeys([k2, k3, k2, k1, k3]);
    expect(info.keys()).toEqual([k2, k3, k1]);
    info.setKeys([k2, k3, k1], { encryptionKey: k1 });
    expect(info.keys()).toEqual([k1, k2, k3]);
    expect(info.needsPush()).toBe(false); // no `dirty`: installing keys never changes the config
  });

  // LS src/config/base.cpp @ 0047e1bd: `replace_keys` with an empty list calls
  // `clear_keys(dirty_config)`, which calls `dirty()` when keys were removed (`ret > 0`) and the
  // config is writable — a new seqno, which another client sees when the next push lands.
  it('setKeys([], { dirty: true }) over a non-empty list starts a new seqno, like clear_keys', async () => {
    const info = adminInfo();
    expect(info.seqno).toBe(0);
    info.setKeys([], { dirty: true });
    expect(info.keys()).toEqual([]);
    expect(info.status).toBe('dirty');
    expect(info.seqno).toBe(1);
    info.setKeys([k1]); // keys back without `dirty`: the pending version is what gets pushed
    expect((await info.push()).seqno).toBe(1);
  });

  it('setKeys([], { dirty: true }) over no keys, or on a read-only config, changes nothing', () => {
    const info = adminInfo([]);
    info.setKeys([], { dirty: true });
    expect(info.needsPush()).toBe(false);
    expect(info.seqno).toBe(0);
    const member = new GroupInfoConfig({ groupEd25519PublicKey: groupPk, keys: [k1] });
    member.setKeys([], { dirty: true });
    expect(member.keys()).toEqual([]);
    expect(member.needsPush()).toBe(false);
  });
});

describe('merge input that decrypts but is not a config message (spec §2.6)', () => {
  it('empty, multi-part ("m") and undecompressable ("z") payloads are skipped; the state is untouched', async () => {
    const p = profile();
    const enc = (payload: Uint8Array) => configEncrypt(payload, account, 'UserProfile');
    const merged = await p.merge([
      { hash: 'zeros', data: enc(new Uint8Array(216)) },
      { hash: 'multi', data: enc(Uint8Array.of(0, 0, 0x6d, 1, 2, 3)) },
      { hash: 'zstd', data: enc(Uint8Array.of(0x7a, 1, 2, 3, 4)) },
    ]);
    expect(merged).toEqual([]);
    expect([p.status, p.seqno, p.getName()]).toEqual(['clean', 0, undefined]);
    // A valid message next to them is still taken.
    const q = profile();
    q.setName('Q');
    const { data } = await q.push();
    expect(await p.merge([{ hash: 'multi', data: enc(Uint8Array.of(0x6d)) }, { hash: 'good', data }])).toEqual(['good']);
    expect(p.getName()).toBe('Q');
  });
});

describe('size limit (spec §2.11: the final push, after wrapping, ≤ 76 800 bytes)', () => {
  const legacy = '05' + 'ab'.repeat(32);
  const memberId = (i: number) => '05' + i.toString(16).padStart(8, '0') + '00'.repeat(28);
  const bigGroups = (members: number, compress?: (m: Uint8Array) => Uint8Array) => {
    const ug = new UserGroupsConfig({ ed25519SecretKey: account, ...(compress ? { compress } : {}) });
    const all: Record<string, boolean> = {};
    for (let i = 0; i < members; i++) all[memberId(i)] = false;
    ug.setLegacyGroup({
      sessionId: legacy, name: '', members: all, priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false,
      disappearingTimerSeconds: 0,
    });
    return ug;
  };

  it('a user config whose ciphertext is exactly at the limit is refused: the wrapping counts too', async () => {
    const ug = bigGroups(1000);
    const message = (bdecode(ug.dump()) as Map<string, Uint8Array>).get('$')!;
    // Precondition: the encrypted, unwrapped message is exactly at the limit (spec §2.2–§2.3).
    expect(configPaddedSize(message.length) + CONFIG_ENCRYPT_OVERHEAD).toBe(CONFIG_MAX_MESSAGE_SIZE);
    await expect(ug.push()).rejects.toThrow(code('TOO_LARGE'));
    expect(ug.status).toBe('dirty'); // nothing was handed out: still to be pushed
  });

  it('TOO_LARGE before wrapping says whether a compressor was available', async () => {
    const noGain = (m: Uint8Array) => new Uint8Array(m.length); // never shorter, so never used
    const err = await bigGroups(1100, noGain).push().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/^config data is too large \(\d+ bytes serialized\)$/) });
  });
});
