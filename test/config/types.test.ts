// Contacts, ConvoInfoVolatile, UserGroups, groups::Info, groups::Members against the derived
// libsession-util vectors (spec/config.md §2-§3): same ops → same bytes, same merges.
import { describe, expect, it } from 'vitest';
import {
  ContactsConfig,
  ConvoInfoVolatileConfig,
  GroupInfoConfig,
  GroupMembersConfig,
  UserGroupsConfig,
  groupMemberStatus,
  type Contact,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { createGroupKeys, loadKeyMessage } from '../../src/groups/index.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { checkRecordLayers, pushAndConfirm, pushRecords, vectorCompressor, type PushRecord } from './helpers.js';

const id = (prefix: string, byte: string) => prefix + byte.repeat(32);
const enc = new TextEncoder();

describe('Contacts (derived vectors)', () => {
  const v = loadVectors('config/derived-contacts.json');
  const seed = hex(v.account.seed32);
  const records = pushRecords(v);
  const compress = vectorCompressor(records);
  const s = v.scenarios;
  const D = 'Contacts';
  const joe = id('05', '00');
  const kate = id('05', '11');
  const zed = id('05', '22');

  it('record layers decrypt and decode', () => {
    expect(records.length).toBe(7);
    for (const r of records) checkRecordLayers(r, seed, D);
  });

  it('set, restore, conflict, identical merges, dirty merge', async () => {
    const a = new ContactsConfig({ ed25519SecretKey: seed, compress });
    a.set({ ...a.getOrConstruct(joe), name: 'Joe', nickname: 'Joey', approved: true, approvedMe: true, createdAt: 1700000000 });
    a.set({
      ...a.getOrConstruct(kate),
      name: 'Kate',
      profilePicture: { url: 'http://example.org/kate.png', key: enc.encode('k'.repeat(32)) },
      blocked: true,
      priority: 3,
      notifications: 'disabled',
      muteUntil: 1800000000,
      expirationMode: 'after-send',
      expirationTimerSeconds: 3600,
    });
    const p1 = await pushAndConfirm(a, s.set_fields.result, seed, D, seed);

    const b = new ContactsConfig({ ed25519SecretKey: seed, compress });
    expect(await b.merge([{ hash: 'chashA1', data: p1.data }])).toEqual(['chashA1']);
    const got = b.all().map((c: Contact) => ({
      session_id: c.sessionId,
      name: c.name,
      nickname: c.nickname ?? '',
      approved: c.approved,
      blocked: c.blocked,
    }));
    expect(got).toEqual(s.restore_on_new_device);
    expect(b.get(kate)).toMatchObject({ expirationMode: 'after-send', expirationTimerSeconds: 3600, priority: 3, notifications: 'disabled', muteUntil: 1800000000 });
    expect(b.get(joe)).toMatchObject({ approvedMe: true, createdAt: 1700000000 });

    a.set({ ...a.get(joe)!, name: 'Joseph' });
    b.set({ ...b.getOrConstruct(zed), name: 'Zed', approved: true });
    expect(b.erase(kate)).toBe(true);
    expect(b.erase(kate)).toBe(false);
    const pa = await pushAndConfirm(a, s.conflict.device_a_push, seed, D, seed);
    const pb = await pushAndConfirm(b, s.conflict.device_b_push, seed, D, seed);
    await a.merge([{ hash: 'chashB2', data: pb.data }]);
    await b.merge([{ hash: 'chashA2', data: pa.data }]);
    const ma = await pushAndConfirm(a, s.conflict.merged_on_a, seed, D, seed);
    await pushAndConfirm(b, s.conflict.merged_on_b, seed, D, seed);
    expect(a.all().map((c) => ({ session_id: c.sessionId, name: c.name }))).toEqual(s.conflict.merged_contacts);

    // dirty merge: X (= a) holds an unpushed edit while Y's push arrives
    const y = new ContactsConfig({ ed25519SecretKey: seed, compress });
    await y.merge([{ hash: 'chashA3', data: ma.data }]);
    y.set({ ...y.get(zed)!, nickname: 'Zeddy' });
    const py = await pushAndConfirm(y, s.dirty_merge.device_y_push, seed, D, seed);
    a.set({ ...a.get(joe)!, blocked: true });
    await a.merge([{ hash: 'chashY4', data: py.data }]);
    await pushAndConfirm(a, s.dirty_merge.device_x_push_after_merge, seed, D, seed);
    expect(a.get(joe)!.blocked).toBe(true);
    expect(a.get(zed)!.nickname).toBe('Zeddy');
  });

  it('rejects bad IDs with typed errors', () => {
    const c = new ContactsConfig({ ed25519SecretKey: seed });
    expect(() => c.get('03' + '00'.repeat(32))).toThrow(expect.objectContaining({ code: 'INVALID_PREFIX' }));
    expect(() => c.get('05zz')).toThrow(expect.objectContaining({ code: 'INVALID_SESSION_ID' }));
    expect(() => c.set({ ...c.getOrConstruct(joe), name: 'x'.repeat(101) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(c.needsPush()).toBe(false);
  });
});

describe('ConvoInfoVolatile (derived vector)', () => {
  const v = loadVectors('config/derived-convo-info-volatile.json');
  const seed = hex(v.account.seed32);
  const records = pushRecords(v);
  const pk = '0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff';

  it('every conversation kind, byte-exact', async () => {
    for (const r of records) checkRecordLayers(r, seed, 'ConvoInfoVolatile');
    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed, compress: vectorCompressor(records) });
    c.set({ kind: 'one-to-one', id: '0550' + '00'.repeat(31), lastRead: 4102444800000, unread: false });
    c.set({ kind: 'one-to-one', id: '0551' + '11'.repeat(31), lastRead: 4102444800001, unread: true });
    c.set({ kind: 'group', id: id('03', 'aa'), lastRead: 4102444800002, unread: false });
    c.set({ kind: 'community', baseUrl: 'http://Example.ORG:5678', room: 'SudokuRoom', pubkey: pk, lastRead: 4102444800003, unread: false });
    c.set({ kind: 'legacy-group', id: id('05', 'cc'), lastRead: 4102444800004, unread: true });
    const push = await pushAndConfirm(c, v.scenarios.set_fields.result, seed, 'ConvoInfoVolatile', seed);
    const r = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed });
    await r.merge([{ hash: 'vhash1', data: push.data }]);
    expect(r.all().length).toBe(5);
    expect(r.get({ kind: 'community', baseUrl: 'http://example.org:5678', room: 'sudokuroom' })).toMatchObject({ pubkey: pk, lastRead: 4102444800003 });
  });

  it('old last-read values are not stored, stale entries are pruned on push', async () => {
    const now = 1_700_000_000_000;
    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed, now: () => now });
    c.set({ kind: 'one-to-one', id: id('05', '11'), lastRead: now - 31 * 86_400_000, unread: false });
    expect(c.needsPush()).toBe(false);
    c.set({ kind: 'one-to-one', id: id('05', '22'), lastRead: now - 86_400_000, unread: false });
    c.set({ kind: 'one-to-one', id: id('05', '33'), lastRead: now - 86_400_000, unread: true });
    const later = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed, now: () => now + 50 * 86_400_000, dump: c.dump() });
    await later.push();
    expect(later.all().map((x) => x.id)).toEqual([id('05', '33')]);
  });
});

describe('UserGroups (derived vector)', () => {
  const v = loadVectors('config/derived-user-groups.json');
  const seed = hex(v.account.seed32);
  const records = pushRecords(v);
  const gid = (b: number) => {
    const { publicKey, secretKey } = ed25519KeyPairFromSeed(new Uint8Array(32).fill(b));
    return { id: '03' + toHex(publicKey), sk: secretKey };
  };

  it('community, legacy group, admin group, member group', async () => {
    for (const r of records) checkRecordLayers(r, seed, 'UserGroups');
    const u = new UserGroupsConfig({ ed25519SecretKey: seed, compress: vectorCompressor(records) });
    u.setCommunity({
      baseUrl: 'http://Example.ORG:5678',
      room: 'SudokuRoom',
      pubkey: '0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff',
      priority: 14,
      joinedAt: 1700000001,
      notifications: 'default',
      muteUntil: 0,
      invited: false,
    });
    u.setLegacyGroup({
      sessionId: id('05', 'cc'),
      name: 'Legacy',
      encPublicKey: new Uint8Array(32).fill(0x11),
      encSecretKey: new Uint8Array(32).fill(0x22),
      members: { [id('05', 'dd')]: true, [id('05', 'ee')]: false },
      disappearingTimerSeconds: 60,
      priority: 0,
      joinedAt: 1700000002,
      notifications: 'default',
      muteUntil: 0,
      invited: false,
    });
    const admin = gid(0x99);
    u.setGroup({ ...u.getOrConstructGroup(admin.id), secretKey: admin.sk, name: 'Admin group', joinedAt: 1700000003, notifications: 'mentions' });
    const member = gid(0x88);
    u.setGroup({ ...u.getOrConstructGroup(member.id), authData: new Uint8Array(100).fill(0x42), name: 'Invited group', invited: true });
    const push = await pushAndConfirm(u, v.scenarios.set_fields.result, seed, 'UserGroups', seed);

    const r = new UserGroupsConfig({ ed25519SecretKey: seed });
    await r.merge([{ hash: 'ughash1', data: push.data }]);
    expect(toHex(r.getGroup(admin.id)!.secretKey!)).toBe(toHex(admin.sk));
    expect(r.getGroup(member.id)).toMatchObject({ name: 'Invited group', invited: true });
    expect(r.getGroup(member.id)!.secretKey).toBeUndefined();
    expect(r.communities()).toMatchObject([{ baseUrl: 'http://example.org:5678', room: 'SudokuRoom', priority: 14 }]);
    expect(r.legacyGroups()[0]!.members).toEqual({ [id('05', 'dd')]: true, [id('05', 'ee')]: false });
    expect(r.eraseCommunity('http://example.org:5678', 'sudokuroom')).toBe(true);
    expect(r.communities()).toEqual([]);
  });
});

describe('groups::Info (derived vectors)', () => {
  const v = loadVectors('config/derived-group-info.json');
  const seed = hex(v.group.seed);
  const pk = hex(v.group.ed25519_pk);
  const key = hex(v.group.enc_key);
  const records = pushRecords(v);
  const compress = vectorCompressor(records);
  const s = v.scenarios;
  const D = 'groups::Info';
  const admin = (keys = [key]) => new GroupInfoConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys, compress });
  const member = (keys = [key]) => new GroupInfoConfig({ groupEd25519PublicKey: pk, keys });

  it('record layers decrypt and decode', () => {
    for (const r of records) checkRecordLayers(r, r === s.info_key_rotation.push ? hex(s.info_key_rotation.new_enc_key) : key, D);
  });

  it('empty push, all fields, member read, bad signature, conflict, read-only conflict, key rotation', async () => {
    const a = admin();
    await pushAndConfirm(a, s.empty_push, key, D);
    a.setName('Test group');
    a.setDescription('A description');
    a.setProfilePicture({ url: 'http://example.org/g.png', key: enc.encode('g'.repeat(32)) });
    a.setExpiryTimerSeconds(3600);
    a.setCreated(1700000000);
    a.setDeleteBefore(1700000100);
    a.setDeleteAttachmentsBefore(1700000200);
    const p1 = await pushAndConfirm(a, s.info_set_fields.result, key, D);

    const m = member();
    expect(m.isReadOnly).toBe(true);
    expect(await m.merge([{ hash: 'ihash1', data: p1.data }])).toEqual(s.info_member_read.accepted);
    expect(m.getName()).toBe(s.info_member_read.name);
    expect(m.getDescription()).toBe(s.info_member_read.description);
    expect(() => m.setName('x')).toThrow(expect.objectContaining({ code: 'NOT_ADMIN' }));
    // a member's dump keeps the verified signature; reloaded, it re-serializes the identical signed
    // message (so merging the stored copy again changes nothing)
    const sig = s.info_set_fields.result.layers.config_message.slice(-130, -2);
    expect(toHex(m.dump())).toContain(sig);
    const reloaded = new GroupInfoConfig({ groupEd25519PublicKey: pk, keys: [key], dump: m.dump() });
    expect(toHex(reloaded.dump())).toContain(sig);
    expect(reloaded.getName()).toBe('Test group');
    expect(await reloaded.merge([{ hash: 'ihash1', data: p1.data }])).toEqual(['ihash1']);
    expect([reloaded.seqno, reloaded.needsPush(), reloaded.currentHashes()]).toEqual([1, false, ['ihash1']]);

    const fresh = member();
    expect(await fresh.merge([{ hash: 'bad', data: hex(s.info_bad_signature.push) }])).toEqual([]);
    expect(fresh.getName()).toBeUndefined();

    const b = admin();
    await b.merge([{ hash: 'ihash1', data: p1.data }]);
    a.setName('Name from A');
    b.setDescription('Description from B');
    const pa = await pushAndConfirm(a, s.info_conflict.admin_a_push, key, D);
    const pb = await pushAndConfirm(b, s.info_conflict.admin_b_push, key, D);

    const ro = member();
    expect(await ro.merge([{ hash: 'ihashA2', data: pa.data }, { hash: 'ihashB2', data: pb.data }])).toEqual(s.info_readonly_conflict.accepted);
    expect(ro.needsPush()).toBe(false);
    expect(ro.currentHashes()).toEqual(s.info_readonly_conflict.current_hashes);
    expect(ro.getName()).toBe(s.info_readonly_conflict.name);
    expect(ro.getDescription()).toBe(s.info_readonly_conflict.description);
    expect((await ro.push()).obsoleteHashes).toEqual([]);

    await a.merge([{ hash: 'ihashB2', data: pb.data }]);
    await b.merge([{ hash: 'ihashA2', data: pa.data }]);
    const ma = await pushAndConfirm(a, s.info_conflict.merged_on_a, key, D);
    await pushAndConfirm(b, s.info_conflict.merged_on_b, key, D);
    expect([a.getName(), a.getDescription()]).toEqual([s.info_conflict.merged_name, s.info_conflict.merged_description]);

    const newKey = hex(s.info_key_rotation.new_enc_key);
    a.setKeys([newKey, key], { dirty: true });
    expect(a.needsPush()).toBe(s.info_key_rotation.needs_push_after_replace_keys);
    const pk4 = await pushAndConfirm(a, s.info_key_rotation.push, newKey, D);
    const r = member([newKey, key]);
    const rb = s.info_key_rotation.reader_with_both_keys;
    expect(await r.merge([{ hash: 'ihashA3', data: ma.data }, { hash: 'ihashK4', data: pk4.data }])).toEqual(rb.accepted);
    expect(r.currentHashes()).toEqual(rb.current_hashes);
    expect(r.getName()).toBe(rb.name);
    // a member with only the old key cannot read the new push
    const old = member([key]);
    expect(await old.merge([{ hash: 'ihashK4', data: pk4.data }])).toEqual([]);
  });

  it('rejects a secret key that does not match the group key', () => {
    expect(() => new GroupInfoConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: new Uint8Array(32).fill(1), keys: [key] })).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });
});

describe('groups::Members (derived vectors) and the linked keys chain', () => {
  const v = loadVectors('config/derived-group-members.json');
  const seed = hex(v.group.seed);
  const pk = hex(v.group.ed25519_pk);
  const key = hex(v.group.enc_key);
  const records = pushRecords(v);

  it('six members in every state; read back by a member', async () => {
    for (const r of records) checkRecordLayers(r, key, 'groups::Members');
    const a = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys: [key], compress: vectorCompressor(records) });
    const set = (sid: string, f: object) => a.set({ ...a.getOrConstruct(sid), ...f });
    set(id('05', '11'), { name: 'Admin', admin: true });
    set(id('05', '22'), { name: 'Invitee', inviteStatus: 1, supplement: true });
    set(id('05', '33'), { inviteStatus: 2 });
    set(id('05', '44'), { name: 'Member', profilePicture: { url: 'http://example.org/m.png', key: enc.encode('m'.repeat(32)) } });
    set(id('05', '55'), { name: 'Promoting', admin: true, promotionStatus: 1 });
    set(id('05', '66'), { name: 'Leaving', removedStatus: 2 });
    const push = await pushAndConfirm(a, v.scenarios.members_set_fields.result, key, 'groups::Members');
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, keys: [key] });
    await m.merge([{ hash: 'mhash1', data: push.data }]);
    const got = m.all().map((x) => ({
      session_id: x.sessionId,
      name: x.name,
      admin: x.admin,
      invite_status: x.inviteStatus,
      promotion_status: x.promotionStatus,
      removed_status: x.removedStatus,
      supplement: x.supplement,
    }));
    expect(got).toEqual(v.scenarios.members_member_read);
    expect(m.all().map(groupMemberStatus)).toEqual(['admin', 'invite-sent', 'invite-failed', 'joined', 'promotion-sent', 'removed-with-messages']);
  });

  it('linked: Info and Members under the key from a keys message', async () => {
    const l = loadVectors('config/derived-group-linked.json');
    const gseed = hex(l.inputs.group_seed);
    const gpk = ed25519KeyPairFromSeed(gseed).publicKey;
    expect('03' + toHex(gpk)).toBe(l.inputs.group_id);
    const k = hex(l.group_enc_key);
    const lrec = pushRecords(l);
    const compress = vectorCompressor(lrec);
    const info = new GroupInfoConfig({ groupEd25519PublicKey: gpk, groupEd25519SecretKey: gseed, keys: [k], compress });
    info.setName('Linked group');
    info.setCreated(1700000000);
    await pushAndConfirm(info, l.scenarios.info_push as PushRecord, k, 'groups::Info');
    const members = new GroupMembersConfig({ groupEd25519PublicKey: gpk, groupEd25519SecretKey: gseed, keys: [k], compress });
    const adminId = identityFromSeed(hex(l.inputs.admin_user_seed)).sessionId;
    members.set({ ...members.getOrConstruct(adminId), name: 'admin1', admin: true });
    await pushAndConfirm(members, l.scenarios.members_push as PushRecord, k, 'groups::Members');
  });

  it('linked through the groups module: keys message → GroupKeys → config keys', async () => {
    const l = loadVectors('config/derived-group-linked.json');
    const gseed = hex(l.inputs.group_seed);
    const { publicKey: gpk, secretKey: gsk } = ed25519KeyPairFromSeed(gseed);
    const admin = identityFromSeed(hex(l.inputs.admin_user_seed));
    const keys = createGroupKeys({ userEd25519SecretKey: admin.ed25519SecretKey, groupEd25519PublicKey: gpk, groupEd25519SecretKey: gsk });
    expect(await loadKeyMessage(keys, hex(l.inputs.keys_message), l.inputs.keys_message_timestamp_ms)).toBe(l.found_key);
    const configKeys = keys.decryptionKeys();
    expect(toHex(configKeys[0]!)).toBe(l.group_enc_key);
    const compress = vectorCompressor(pushRecords(l));
    const info = new GroupInfoConfig({ groupEd25519PublicKey: gpk, groupEd25519SecretKey: gseed, keys: configKeys, compress });
    info.setName('Linked group');
    info.setCreated(1700000000);
    await pushAndConfirm(info, l.scenarios.info_push as PushRecord, configKeys[0]!, 'groups::Info');
    // a member object fed the same key list reads it back
    const reader = new GroupInfoConfig({ groupEd25519PublicKey: gpk, keys: [new Uint8Array(32)], encryptionKey: keys.encryptionKey() });
    expect(toHex(reader.keys()[0]!)).toBe(l.group_enc_key);
    await reader.merge([{ hash: 'lihash1', data: hex(l.scenarios.info_push.push) }]);
    expect(reader.getName()).toBe('Linked group');
  });
});
