// Readers on data written by other clients (spec/config.md §3, LS `*::load` and iterators): values
// outside the range we write, wrong value types and malformed Session-ID keys are read exactly as
// libsession reads them, skipped where libsession skips them, and kept (never dropped) by our edits.
// Data arrives through the real receive path (encrypt → merge); see ./foreign.ts.
import { describe, expect, it } from 'vitest';
import {
  ConfigSet,
  ContactsConfig,
  ConvoInfoVolatileConfig,
  CONVO_PRUNE_HIGH_MS,
  GroupInfoConfig,
  GroupMembersConfig,
  UserGroupsConfig,
  UserProfileConfig,
  groupMemberStatus,
  parseConfigMessage,
  type ConfigState,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed, ed25519SignSync } from '../../src/crypto/noble.js';
import { bdecode, bencode } from '../../src/util/bencode.js';
import { fromHex } from '../../src/util/bytes.js';
import { bmap, cdict, idk, receive } from './foreign.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(0x5a);
const id = (prefix: string, byte: string) => prefix + byte.repeat(32);
const [bob, carol, dave, erin] = ['11', '22', '33', '44'].map((b) => id('05', b)) as [string, string, string, string];
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The raw `&` data a state would push (read back from its dump). */
function rawData(s: ConfigState): Map<string, unknown> {
  return parseConfigMessage((bdecode(s.dump()) as Map<string, Uint8Array>).get('$')!).data;
}

describe('Contacts (LS contact_info::load)', () => {
  it('out-of-range enums, non-1 flags and int64 extremes read as libsession reads them', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    await receive(c, cdict({
      c: bmap([
        [idk(bob), { '@': 3, e: 7, E: 60, a: 2, A: -1, b: 0, '+': INT64_MAX }], // no name
        [idk(carol), { n: 'Carol', '@': 9, e: 1, E: 0, '!': -5, j: -1, '+': INT64_MIN }],
        [idk(dave), { n: Uint8Array.of(0x42, 0xff, 0xfe), N: Uint8Array.of(0xc3) }], // not UTF-8
      ]),
    }), account);
    // A reader never throws on bytes that are not UTF-8: such a name reads as absent.
    expect(c.get(dave)).toMatchObject({ name: '' });
    expect(c.get(dave)!.nickname).toBeUndefined();
    expect(c.get(bob)).toMatchObject({
      name: '', notifications: 'all', // contacts have no mentions-only: a stored 3 is "all"
      expirationMode: 'none', expirationTimerSeconds: 0, // mode 7 is unknown
      approved: true, approvedMe: true, blocked: false, // any nonzero integer is a set flag
      priority: Number.MAX_SAFE_INTEGER, // int64 beyond 2^53 clamps to the safe range
    });
    expect(c.get(carol)).toMatchObject({
      name: 'Carol', notifications: 'default', expirationMode: 'none', expirationTimerSeconds: 0, muteUntil: 0, createdAt: 0,
      priority: -Number.MAX_SAFE_INTEGER,
    });
    expect([c.status, c.seqno]).toEqual(['clean', 1]); // adopting one message needs no push
  });

  // Deliberate difference (see ContactsConfig.all): LS src/config/contacts.cpp @ 06fdd68f
  // `Contacts::iterator::_load_info` checks only the 33-byte length, so it would list the 03 key.
  it('all() skips keys that are not 33-byte 05 IDs and non-dict values; set() repairs one entry and keeps the rest', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    await receive(c, cdict({
      c: bmap([[idk(bob), { n: 'Bob' }], [idk(id('03', '11')), { n: 'G' }], ['short', { n: 'S' }], [idk(carol), 'not a dict']]),
    }), account);
    expect(c.all().map((x) => x.sessionId)).toEqual([bob]);
    expect(c.get(carol)).toBeUndefined();
    c.set({ ...c.getOrConstruct(carol), name: 'Carol' });
    expect(c.all().map((x) => x.name)).toEqual(['Bob', 'Carol']);
    const stored = rawData(c).get('c') as Map<string, unknown>;
    expect([...stored.keys()].sort()).toEqual([idk(id('03', '11')), idk(bob), idk(carol), 'short'].sort());
  });

  // LS src/config/contacts.cpp @ 06fdd68f: `contact_info::load` reads `!` and `j` through
  // `to_epoch_seconds`, and `Contacts::set` / `set_created` store them through it too (helper in
  // include/session/util.hpp @ 0099ee71: > 9e12 → µs, > 9e9 → ms, else seconds).
  it('"!" and "j" in milliseconds or microseconds read and write as seconds, like current libsession', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    await receive(c, cdict({
      c: bmap([
        [idk(bob), { n: 'Bob', '!': 1_800_000_000_123, j: 1_700_000_000_999_999 }], // ms, µs
        [idk(carol), { n: 'Carol', '!': 9_000_000_000, j: 9_000_000_001 }], // boundary: s, ms
      ]),
    }), account);
    expect(c.get(bob)).toMatchObject({ muteUntil: 1_800_000_000, createdAt: 1_700_000_000 });
    expect(c.get(carol)).toMatchObject({ muteUntil: 9_000_000_000, createdAt: 9_000_000 });
    c.set({ ...c.getOrConstruct(dave), name: 'Dave', muteUntil: 1_800_000_000_500, createdAt: 1_700_000_000 });
    const stored = (rawData(c).get('c') as Map<string, Map<string, unknown>>).get(idk(dave))!;
    expect([stored.get('!'), stored.get('j')]).toEqual([1_800_000_000n, 1_700_000_000n]);
  });

  // LS src/config/contacts.cpp @ 06fdd68f: `contact_info::load` keeps `n`/`N` as raw bytes
  // (`maybe_string`) and `Contacts::set` writes them back unchanged, so a read-modify-write on
  // another device never alters a name it could not decode. Ours reads them as absent; our set()
  // must still leave the stored bytes alone.
  it('a name or nickname that is not UTF-8 reads as absent but survives a read-modify-write byte for byte', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    const badName = Uint8Array.of(0x42, 0xff, 0xfe);
    const badNick = Uint8Array.of(0xc3);
    await receive(c, cdict({ c: bmap([[idk(dave), { n: badName, N: badNick }]]) }), account);
    expect(c.get(dave)).toMatchObject({ name: '' });
    c.set({ ...c.get(dave)!, approved: true });
    const stored = (rawData(c).get('c') as Map<string, Map<string, unknown>>).get(idk(dave))!;
    expect([stored.get('n'), stored.get('N'), stored.get('a')]).toEqual([badName, badNick, 1n]);
    c.set({ ...c.get(dave)!, name: 'Dave', nickname: 'D' }); // an explicit new value replaces them
    expect(c.get(dave)).toMatchObject({ name: 'Dave', nickname: 'D' });
  });

  it('a name that is not a string is INVALID_INPUT and stores nothing', () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    expect(() => c.set({ ...c.getOrConstruct(bob), name: 42 as never })).toThrow(code('INVALID_INPUT'));
    expect(c.needsPush()).toBe(false);
  });
});

describe('groups::Members (LS member::load, get_status)', () => {
  const seed = new Uint8Array(32).fill(0x61);
  const pk = ed25519KeyPairFromSeed(seed).publicKey;
  const keys = [new Uint8Array(32).fill(0x62)];
  const signer = (m: Uint8Array) => ed25519SignSync(seed, m);

  it('admins have no invite state; a supplement counts only for a pending invite of a plain member', async () => {
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, keys }); // a read-only member reads
    await receive(m, cdict({
      m: bmap([
        [idk(bob), { A: 1, I: 1, s: 1 }], // no name
        [idk(carol), { n: 'C', I: 2, P: 1, s: 1 }],
        [idk(dave), { n: 'D', I: 1, s: 1 }],
        [idk(erin), { n: 'E', I: 9, P: -1, R: 3 }],
        [idk(id('03', '55')), { n: 'not a member key' }],
        [idk(id('05', '66')), 'not a dict'],
      ]),
    }), keys[0]!, { signer });
    const all = m.all();
    expect(all.map((x) => x.sessionId)).toEqual([bob, carol, dave, erin]);
    expect(all[0]).toMatchObject({ name: '', admin: true, inviteStatus: 0, supplement: false });
    expect(all[1]).toMatchObject({ inviteStatus: 2, promotionStatus: 1, supplement: false });
    expect(all[2]).toMatchObject({ inviteStatus: 1, supplement: true });
    expect(all[3]).toMatchObject({ inviteStatus: 0, promotionStatus: 0, removedStatus: 0 }); // out of range → 0
    // Promotion state only shows for admins (spec §3.6): carol is still a failed invite.
    expect(all.map(groupMemberStatus)).toEqual(['admin', 'invite-failed', 'invite-sent', 'joined']);
  });

  it('a member name that is not UTF-8 survives a read-modify-write (LS members.cpp Members::set writes the raw name back)', async () => {
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys });
    const bad = Uint8Array.of(0xe2, 0x82);
    await receive(m, cdict({ m: bmap([[idk(bob), { n: bad, I: 1 }]]) }), keys[0]!, { signer });
    expect(m.get(bob)!.name).toBe('');
    m.set({ ...m.get(bob)!, inviteStatus: 0 });
    const stored = (rawData(m).get('m') as Map<string, Map<string, unknown>>).get(idk(bob))!;
    expect([stored.get('n'), stored.has('I')]).toEqual([bad, false]);
  });

  // LS include/session/config/groups/members.hpp @ 0579f5c2: `pending_send_ids` is device-local
  // (dumped under `+`, never pushed) and only feeds the "sending" statuses of `get_status`.
  it('a libsession Members dump with pending_send_ids in "+" loads; the local set is not carried over', () => {
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys });
    m.set({ ...m.getOrConstruct(bob), name: 'Bob', inviteStatus: 3 });
    const d = bdecode(m.dump()) as Map<string, unknown>;
    d.set('+', new Map([['pending_send_ids', [fromHex(bob)]]]));
    const restored = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys, dump: bencode(d as never) });
    expect(groupMemberStatus(restored.get(bob)!)).toBe('invite-not-sent');
    expect((bdecode(restored.dump()) as Map<string, unknown>).get('+')).toEqual(new Map());
  });

  it('groupMemberStatus falls back like the C API for statuses outside 0–3', () => {
    const base = new GroupMembersConfig({ groupEd25519PublicKey: pk, keys }).getOrConstruct(bob);
    expect(groupMemberStatus({ ...base, admin: true, promotionStatus: 7 as never })).toBe('admin');
    expect(groupMemberStatus({ ...base, inviteStatus: -1 as never })).toBe('joined');
  });

  it('erasing from an empty member list reports false and does not dirty the config', () => {
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys });
    expect(m.erase(bob)).toBe(false);
    expect(m.needsPush()).toBe(false);
  });

  it('Info: only a positive "!" means destroyed (LS is_destroyed)', async () => {
    for (const [v, destroyed] of [[2, true], [-1, false]] as const) {
      const info = new GroupInfoConfig({ groupEd25519PublicKey: pk, keys });
      await receive(info, cdict({ '!': v, n: 'G' }), keys[0]!, { signer });
      expect(info.isDestroyed(), String(v)).toBe(destroyed);
    }
  });
});

describe('UserGroups (LS group_info / community_info / legacy_group_info ::load, spec §3.4)', () => {
  const gid = id('03', 'a1');
  const pk32 = new Uint8Array(32).fill(0xc1);
  const received = async () => {
    const ug = new UserGroupsConfig({ ed25519SecretKey: account });
    await receive(ug, cdict({
      g: bmap([
        [idk(gid), { K: new Uint8Array(32).fill(9), n: 'G', '@': 3 }], // seed of another key pair
        [idk(id('05', 'a2')), { n: 'wrong prefix' }],
        [idk(id('03', 'a3')), 5],
      ]),
      o: bmap([
        ['https://a.org', { '#': pk32, R: { lobby: { '@': 9 }, bad: 5, x: { n: 'X' } } }],
        ['https://b.org', { '#': pk32.subarray(1), R: { r: { n: 'r' } } }],
        ['https://c.org', { '#': pk32 }],
      ]),
      C: bmap([
        [idk(bob), { m: new ConfigSet([fromHex(carol), fromHex(id('03', '01')), fromHex('0511'), 7n]), a: new ConfigSet([fromHex(dave)]) }],
        [idk(id('03', 'b1')), { n: 'wrong prefix' }],
      ]),
    }), account);
    return ug;
  };

  it('groups: a stored seed that does not match the group id gives no secret key; malformed entries are skipped', async () => {
    const ug = await received();
    expect(ug.groups()).toEqual([
      { groupId: gid, name: 'G', notifications: 'mentions', priority: 0, joinedAt: 0, muteUntil: 0, invited: false, removedStatus: 0 },
    ]);
  });

  it('communities: rooms without "n" use their key; servers without a 32-byte key and non-dict rooms are skipped', async () => {
    const ug = await received();
    expect(ug.communities().map((c) => [c.baseUrl, c.room, c.notifications])).toEqual([
      ['https://a.org', 'lobby', 'default'],
      ['https://a.org', 'X', 'default'],
    ]);
    expect(ug.getCommunity('https://a.org', 'LOBBY')!.room).toBe('LOBBY'); // no stored name: as asked
    expect(ug.getCommunity('https://b.org', 'r')).toBeUndefined();
    expect(ug.getCommunity('https://c.org', 'r')).toBeUndefined();
  });

  it('legacy groups: only 33-byte 05 members count; the name defaults to empty; 03 keys are skipped', async () => {
    const ug = await received();
    expect(ug.legacyGroups()).toMatchObject([{ sessionId: bob, name: '', members: { [carol]: false, [dave]: true } }]);
    expect(ug.getLegacyGroup(bob)!.encPublicKey).toBeUndefined();
  });
});

describe('ConvoInfoVolatile (LS base::load, prune_stale)', () => {
  const NOW = 1_800_000_000_000;
  const OLD = NOW - CONVO_PRUNE_HIGH_MS - 1;
  const pk32 = new Uint8Array(32).fill(0xd1);

  it('reads, skips and prunes foreign entries; malformed ones are left as found', async () => {
    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: account, now: () => NOW });
    await receive(c, cdict({
      '1': bmap([[idk(bob), { r: NOW }], [idk(id('03', '01')), { r: NOW }], [idk(carol), 'scalar'], [idk(dave), { r: OLD, u: 2 }]]),
      o: bmap([
        ['https://a.org', { R: { r1: { r: NOW, u: 1 } } }], // no server key
        ['https://b.org', { '#': pk32, R: { fresh: { r: NOW }, old: { r: OLD }, never: { x: 1 }, bad: 7 } }],
        ['https://c.org', 5],
      ]),
    }), account);
    // No server key: readable by address, without a pubkey, but not listed.
    expect(c.get({ kind: 'community', baseUrl: 'https://a.org', room: 'r1' })).toEqual({
      kind: 'community', baseUrl: 'https://a.org', room: 'r1', lastRead: NOW, unread: true,
    });
    expect(c.all().map((x) => x.id ?? x.room)).toEqual([bob, dave, 'fresh', 'never', 'old']);
    expect(c.get({ kind: 'one-to-one', id: dave })!.unread).toBe(true); // u = 2 is set

    await c.push(); // prunes old, unread-free entries ("never" has no r: read at 0)
    expect(c.all().map((x) => x.id ?? x.room)).toEqual([bob, dave, 'fresh']);
    const raw = rawData(c);
    expect((raw.get('o') as Map<string, unknown>).get('https://c.org')).toBe(5n);
    expect((raw.get('1') as Map<string, unknown>).has(idk(carol))).toBe(true);
    expect((raw.get('1') as Map<string, unknown>).has(idk(id('03', '01')))).toBe(true);

    const seqno = c.seqno;
    await c.push(); // nothing stale left: no new version
    expect(c.seqno).toBe(seqno);
  });
});

describe('value comparison on edits (spec §2.9 assign_if_changed)', () => {
  it('a name stored as a dict reads as unset; setName replaces it and dirties the config', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: account });
    await receive(p, cdict({ n: { x: 1 } }), account);
    expect(p.getName()).toBeUndefined();
    p.setName('Me');
    expect([p.getName(), p.status, p.seqno]).toEqual(['Me', 'dirty', 2]);
  });
});
