/**
 * Verifiers for the account-sync configs besides UserProfile (spec/config.md §2–§3.4): the derived
 * Contacts, ConvoInfoVolatile and UserGroups scenarios — same edits, same pushes, same merges,
 * same dumps — as test/config/types.test.ts asserts. UserProfile is in config-user-profile.ts.
 * @module
 */
import { ContactsConfig, ConvoInfoVolatileConfig, UserGroupsConfig, identityFromSeed, type Contact } from '../index.js';
import { expectEqual, hex, toHex, type FileVerifier } from './check.js';
import { accountOf, expectJson, hexOf, pushAndConfirm, recordedCompressor, type RecordKeys } from './config-push.js';
import { derivedUserProfile, userProfileFile } from './config-user-profile.js';

const enc = new TextEncoder();
const id = (prefix: string, byte: string): string => prefix + byte.repeat(32);

const derivedContacts: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-contacts scenarios', async () => {
    const { seed } = accountOf(doc?.account);
    const s = doc.scenarios;
    const k: RecordKeys = { key: seed, domain: 'Contacts', namespace: 3, accountSeed: seed };
    const compress = recordedCompressor(doc);
    const [joe, kate, zed] = [id('05', '00'), id('05', '11'), id('05', '22')];
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
    const rs = s.set_fields.result;
    const p1 = await pushAndConfirm('set_fields.result', a, rs, k);

    const b = new ContactsConfig({ ed25519SecretKey: seed, compress });
    expectJson('restore accepted', await b.merge([{ hash: rs.storage_message_hash_used, data: p1.data }]), [rs.storage_message_hash_used]);
    const brief = (x: Contact): object => ({ session_id: x.sessionId, name: x.name, nickname: x.nickname ?? '', approved: x.approved, blocked: x.blocked });
    expectJson('restore_on_new_device', b.all().map(brief), s.restore_on_new_device);
    const k2 = b.get(kate);
    expectJson('restore: Kate', [k2?.priority, k2?.notifications, k2?.muteUntil, k2?.expirationMode, k2?.expirationTimerSeconds], [3, 'disabled', 1800000000, 'after-send', 3600]);
    expectJson('restore: Joe', [b.get(joe)?.approvedMe, b.get(joe)?.createdAt], [true, 1700000000]);

    const c = s.conflict;
    a.set({ ...a.get(joe)!, name: 'Joseph' });
    b.set({ ...b.getOrConstruct(zed), name: 'Zed', approved: true });
    b.erase(kate);
    const pa = await pushAndConfirm('conflict.device_a_push', a, c.device_a_push, k);
    const pb = await pushAndConfirm('conflict.device_b_push', b, c.device_b_push, k);
    await a.merge([{ hash: c.device_b_push.storage_message_hash_used, data: pb.data }]);
    await b.merge([{ hash: c.device_a_push.storage_message_hash_used, data: pa.data }]);
    const ma = await pushAndConfirm('conflict.merged_on_a', a, c.merged_on_a, k);
    const mb = await pushAndConfirm('conflict.merged_on_b', b, c.merged_on_b, k);
    expectEqual('conflict identical', toHex(ma.data) === toHex(mb.data), c.identical);
    expectJson('conflict merged_contacts', a.all().map((x) => ({ session_id: x.sessionId, name: x.name })), c.merged_contacts);

    // dirty merge: X (= a) holds an unpushed edit while Y's push arrives
    const d = s.dirty_merge;
    const y = new ContactsConfig({ ed25519SecretKey: seed, compress });
    await y.merge([{ hash: c.merged_on_a.storage_message_hash_used, data: ma.data }]);
    y.set({ ...y.get(zed)!, nickname: 'Zeddy' });
    const py = await pushAndConfirm('dirty_merge.device_y_push', y, d.device_y_push, k);
    a.set({ ...a.get(joe)!, blocked: true });
    await a.merge([{ hash: d.device_y_push.storage_message_hash_used, data: py.data }]);
    await pushAndConfirm('dirty_merge.device_x_push_after_merge', a, d.device_x_push_after_merge, k);
  });
};

const derivedConvoInfoVolatile: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-convo-info-volatile scenarios', async () => {
    const { seed } = accountOf(doc?.account);
    const k: RecordKeys = { key: seed, domain: 'ConvoInfoVolatile', namespace: 4, accountSeed: seed };
    const pk = '0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff';
    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed, compress: recordedCompressor(doc) });
    c.set({ kind: 'one-to-one', id: '0550' + '00'.repeat(31), lastRead: 4102444800000, unread: false });
    c.set({ kind: 'one-to-one', id: '0551' + '11'.repeat(31), lastRead: 4102444800001, unread: true });
    c.set({ kind: 'group', id: id('03', 'aa'), lastRead: 4102444800002, unread: false });
    c.set({ kind: 'community', baseUrl: 'http://Example.ORG:5678', room: 'SudokuRoom', pubkey: pk, lastRead: 4102444800003, unread: false });
    c.set({ kind: 'legacy-group', id: id('05', 'cc'), lastRead: 4102444800004, unread: true });
    const rs = doc.scenarios.set_fields.result;
    const push = await pushAndConfirm('set_fields.result', c, rs, k);
    const r = new ConvoInfoVolatileConfig({ ed25519SecretKey: seed });
    expectJson('read back: accepted', await r.merge([{ hash: rs.storage_message_hash_used, data: push.data }]), [rs.storage_message_hash_used]);
    expectEqual('read back: conversations', r.all().length, 5);
    const community = r.get({ kind: 'community', baseUrl: 'http://example.org:5678', room: 'sudokuroom' });
    expectEqual('read back: community last read', community?.lastRead, 4102444800003);
  });
};

const derivedUserGroups: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-user-groups scenarios', async () => {
    const { seed } = accountOf(doc?.account);
    const k: RecordKeys = { key: seed, domain: 'UserGroups', namespace: 5, accountSeed: seed };
    const ids = doc.group_ids;
    const admin = identityFromSeed(hex(ids.admin_group_seed));
    const adminId = '03' + toHex(admin.ed25519PublicKey);
    expectEqual('group_ids.admin_group', adminId, ids.admin_group);
    const memberId = '03' + toHex(identityFromSeed(new Uint8Array(32).fill(0x88)).ed25519PublicKey);
    expectEqual('group_ids.member_group', memberId, ids.member_group);
    const u = new UserGroupsConfig({ ed25519SecretKey: seed, compress: recordedCompressor(doc) });
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
    u.setGroup({ ...u.getOrConstructGroup(adminId), secretKey: admin.ed25519SecretKey, name: 'Admin group', joinedAt: 1700000003, notifications: 'mentions' });
    u.setGroup({ ...u.getOrConstructGroup(memberId), authData: new Uint8Array(100).fill(0x42), name: 'Invited group', invited: true });
    const rs = doc.scenarios.set_fields.result;
    const push = await pushAndConfirm('set_fields.result', u, rs, k);
    const r = new UserGroupsConfig({ ed25519SecretKey: seed });
    expectJson('read back: accepted', await r.merge([{ hash: rs.storage_message_hash_used, data: push.data }]), [rs.storage_message_hash_used]);
    expectEqual('read back: admin group key', hexOf(r.getGroup(adminId)?.secretKey), toHex(admin.ed25519SecretKey));
    expectEqual('read back: member group name', r.getGroup(memberId)?.name, 'Invited group');
    expectEqual('read back: communities', r.communities().length, 1);
    expectJson('read back: legacy members', r.legacyGroups()[0]?.members, { [id('05', 'dd')]: true, [id('05', 'ee')]: false });
  });
};

/** The user-config verifiers, by file name. */
export const USER_CONFIG_VERIFIERS: Record<string, FileVerifier> = {
  'user-profile.json': userProfileFile,
  'derived-user-profile.json': derivedUserProfile,
  'derived-contacts.json': derivedContacts,
  'derived-convo-info-volatile.json': derivedConvoInfoVolatile,
  'derived-user-groups.json': derivedUserGroups,
};
