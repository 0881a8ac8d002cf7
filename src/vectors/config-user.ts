/**
 * Verifiers for the user configs of test-vectors/config/ (spec/config.md §2–§3.4): the upstream
 * UserProfile known answers (user-profile.json) and the derived UserProfile, Contacts,
 * ConvoInfoVolatile and UserGroups scenarios — same edits, same pushes, same merges, same dumps —
 * as test/config/user-profile.test.ts and test/config/types.test.ts assert.
 * @module
 */
import {
  CONFIG_TYPES,
  ContactsConfig,
  ConvoInfoVolatileConfig,
  UserGroupsConfig,
  UserProfileConfig,
  configDecrypt,
  configEncrypt,
  configMessageHash,
  decodeConfigPayload,
  emptyConfigMessage,
  encodeConfigPayload,
  identityFromSeed,
  serializeConfigMessage,
  unwrapUserConfig,
  type Contact,
} from '../index.js';
import { expectEqual, hex, list, toHex, type FileVerifier } from './check.js';
import { accountOf, expectJson, hexOf, pushAndConfirm, recordedCompressor, type RecordKeys } from './config-push.js';

const enc = new TextEncoder();
const id = (prefix: string, byte: string): string => prefix + byte.repeat(32);
const KALLIE_PIC = { url: 'http://example.org/omg-pic-123.bmp', key: enc.encode('secret78901234567890123456789012') };

/** The upstream push1 edits (test_config_userprofile.cpp). */
function push1Profile(seed: Uint8Array): UserProfileConfig {
  const p = new UserProfileConfig({ ed25519SecretKey: seed });
  p.setName('Kallie');
  p.setProfilePicture(KALLIE_PIC);
  p.setNoteToSelfPriority(9);
  return p;
}

const userProfileFile: FileVerifier = async (doc, rec) => {
  const account = doc?.account;
  for (const x of list(doc, 'vectors')) {
    const name = String(x?.name);
    await rec.vector(name, async () => {
      const { seed, sk } = accountOf(account);
      expectEqual('account namespace', CONFIG_TYPES.UserProfile.namespace, account.namespace);
      const domain = String(account.domain);
      if (name === 'empty-seqno0-hash') {
        const m = serializeConfigMessage(emptyConfigMessage());
        expectEqual('config_message', toHex(m), x.config_message);
        expectEqual('config_message_utf8', new TextDecoder().decode(m), x.config_message_utf8);
        expectEqual('blake2b_256', toHex(configMessageHash(m)), x.blake2b_256);
      } else if (name === 'empty-push-wrapped') {
        const p = new UserProfileConfig({ ed25519SecretKey: sk });
        expectEqual('needs push', p.needsPush(), false);
        const push = await p.push();
        expectEqual('seqno', push.seqno, x.seqno);
        expectEqual('push_length', push.data.length, x.push_length);
        expectEqual('push', toHex(push.data), x.push);
      } else if (name === 'push1') {
        const p = push1Profile(seed);
        expectEqual('seqno', p.seqno, x.seqno);
        const padded = encodeConfigPayload(hex(x.config_message));
        expectEqual('config_message_blake2b_256', toHex(configMessageHash(hex(x.config_message))), x.config_message_blake2b_256);
        expectEqual('padded', toHex(padded), x.padded);
        expectEqual('pad_len', padded.length - hex(x.config_message).length, x.pad_len);
        expectEqual('compressed (never, without a compressor)', JSON.stringify(x.compressed), 'null');
        expectEqual('ciphertext', toHex(configEncrypt(padded, hex(account.key_base), domain)), x.ciphertext);
        const push = await p.push();
        expectEqual('push_wrapped', toHex(push.data), x.push_wrapped);
        const ct = await unwrapUserConfig(seed, push.data, push.namespace);
        expectEqual('our config_message', toHex(decodeConfigPayload(configDecrypt(ct, seed, domain))), x.config_message);
        // merge accepts the raw ciphertext as well as the wrapped push
        for (const [what, data] of [['ciphertext', hex(x.ciphertext)], ['push_wrapped', hex(x.push_wrapped)]] as const) {
          const q = new UserProfileConfig({ ed25519SecretKey: sk });
          expectJson(`merge ${what}: accepted`, await q.merge([{ hash: 'h', data }]), ['h']);
          expectEqual(`merge ${what}: name`, q.getName(), 'Kallie');
          expectEqual(`merge ${what}: priority`, q.getNoteToSelfPriority(), 9);
          expectEqual(`merge ${what}: picture`, q.getProfilePicture()?.url, KALLIE_PIC.url);
        }
      } else if (name === 'dump-after-push' || name === 'dump-after-confirm') {
        const p = push1Profile(seed);
        const push = await p.push();
        if (name === 'dump-after-confirm') p.confirmPushed(push.seqno, x.confirmed_hash);
        expectEqual('dump', toHex(p.dump()), x.dump);
      } else {
        throw new Error(`unknown vector ${name}`);
      }
    });
  }
};

const derivedUserProfile: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-user-profile scenarios', async () => {
    const { seed, sk } = accountOf(doc?.account);
    const s = doc.scenarios;
    const k: RecordKeys = { key: seed, domain: 'UserProfile', namespace: 2, accountSeed: seed };
    const compress = recordedCompressor(doc);
    const a = new UserProfileConfig({ ed25519SecretKey: sk, compress });
    await pushAndConfirm('empty_push', a, s.empty_push, k);
    a.setName('Kallie');
    a.setProfilePicture(KALLIE_PIC);
    a.setNoteToSelfPriority(9);
    a.setNoteToSelfExpirySeconds(86400);
    a.setBlindedMessageRequests(true);
    const p1 = await pushAndConfirm('set_fields.result', a, s.set_fields.result, k);

    const r = s.restore_on_new_device;
    const b = new UserProfileConfig({ ed25519SecretKey: sk, compress });
    expectJson('restore merged_hashes', await b.merge([{ hash: s.set_fields.result.storage_message_hash_used, data: p1.data }]), r.merged_hashes);
    expectEqual('restore name', b.getName(), r.name);
    expectEqual('restore needs_push', b.needsPush(), r.needs_push);
    expectEqual('restore dump', toHex(b.dump()), r.dump);

    const c = s.conflict;
    a.setName('Kallie A');
    b.setProfilePicture({ url: 'http://example.org/b.png', key: new Uint8Array(32).fill(0x62) });
    const pa = await pushAndConfirm('conflict.device_a_push', a, c.device_a_push, k);
    const pb = await pushAndConfirm('conflict.device_b_push', b, c.device_b_push, k);
    await a.merge([{ hash: c.device_b_push.storage_message_hash_used, data: pb.data }]);
    await b.merge([{ hash: c.device_a_push.storage_message_hash_used, data: pa.data }]);
    const ma = await pushAndConfirm('conflict.merged_on_a', a, c.merged_on_a, k);
    const mb = await pushAndConfirm('conflict.merged_on_b', b, c.merged_on_b, k);
    expectEqual('conflict identical', toHex(ma.data) === toHex(mb.data), c.identical);
    for (const [dev, x] of [['a', a], ['b', b]] as const) {
      expectEqual(`conflict merged_name on ${dev}`, x.getName(), c.merged_name);
      expectEqual(`conflict merged_pic_url on ${dev}`, x.getProfilePicture()?.url, c.merged_pic_url);
    }
  });
};

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
