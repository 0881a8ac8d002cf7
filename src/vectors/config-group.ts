/**
 * Verifiers for the groups-v2 configs of test-vectors/config/ (spec/config.md §2.8, §3.5–§3.6):
 * the derived groups::Info and groups::Members scenarios (signed pushes, member reads, forged
 * signatures, conflicts, key rotation) and the linked chain keys message → GroupKeys → config
 * keys, as test/config/types.test.ts asserts.
 * @module
 */
import {
  GroupInfoConfig,
  GroupMembersConfig,
  createGroupKeys,
  groupMemberStatus,
  destroyIdentity,
  identityFromSeed,
  loadKeyMessage,
  type GroupMember,
} from '../index.js';
import { expectEqual, hex, toHex, type FileVerifier } from './check.js';
import { expectJson, hexOf, labelled, pushAndConfirm, recordedCompressor, type RecordKeys } from './config-push.js';

const enc = new TextEncoder();
const id = (prefix: string, byte: string): string => prefix + byte.repeat(32);

/** The group of a derived file: seed, public key and config key, checked against each other. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function groupOf(g: any): { seed: Uint8Array; pk: Uint8Array; key: Uint8Array } {
  const seed = hex(g?.seed);
  const pk = identityFromSeed(seed).ed25519PublicKey;
  expectEqual('group ed25519_pk', toHex(pk), g.ed25519_pk);
  expectEqual('group group_id', '03' + toHex(pk), g.group_id);
  return { seed, pk, key: hex(g.enc_key) };
}

const derivedGroupInfo: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-group-info scenarios', async () => {
    const { seed, pk, key } = groupOf(doc?.group);
    const s = doc.scenarios;
    const k: RecordKeys = { key, domain: 'groups::Info', namespace: 13 };
    const compress = recordedCompressor(doc);
    const admin = (): GroupInfoConfig => new GroupInfoConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys: [key], compress });
    const member = (keys = [key]): GroupInfoConfig => new GroupInfoConfig({ groupEd25519PublicKey: pk, keys });

    const a = admin();
    await pushAndConfirm('empty_push', a, s.empty_push, k);
    a.setName('Test group');
    a.setDescription('A description');
    a.setProfilePicture({ url: 'http://example.org/g.png', key: enc.encode('g'.repeat(32)) });
    a.setExpiryTimerSeconds(3600);
    a.setCreated(1700000000);
    a.setDeleteBefore(1700000100);
    a.setDeleteAttachmentsBefore(1700000200);
    const p1 = await pushAndConfirm('info_set_fields.result', a, s.info_set_fields.result, k);

    const mr = s.info_member_read;
    const m = member();
    expectEqual('info_member_read readonly', m.isReadOnly, mr.readonly);
    expectJson('info_member_read accepted', await m.merge([{ hash: 'ihash1', data: p1.data }]), mr.accepted);
    expectEqual('info_member_read name', m.getName(), mr.name);
    expectEqual('info_member_read description', m.getDescription(), mr.description);
    // A member's dump keeps the verified signature: reloaded, it re-merges the stored copy as is.
    const again = new GroupInfoConfig({ groupEd25519PublicKey: pk, keys: [key], dump: m.dump() });
    expectJson('member reload: merge of the same push', await again.merge([{ hash: 'ihash1', data: p1.data }]), mr.accepted);
    expectJson('member reload: state', [again.seqno, again.needsPush(), again.currentHashes()], [1, false, mr.accepted]);

    // libsession throws "no valid config messages" here; the SDK accepts nothing and keeps its
    // state (spec/config.md §2.6), which is the same outcome for the caller.
    const bs = s.info_bad_signature;
    const fresh = member();
    expectEqual('info_bad_signature merge_threw (stated)', typeof bs.merge_threw, 'string');
    expectJson('info_bad_signature accepted', await fresh.merge([{ hash: 'bad', data: hex(bs.push) }]), []);
    expectJson('info_bad_signature name_after', fresh.getName() ?? null, bs.name_after);

    const c = s.info_conflict;
    const b = admin();
    await b.merge([{ hash: 'ihash1', data: p1.data }]);
    a.setName('Name from A');
    b.setDescription('Description from B');
    const pa = await pushAndConfirm('info_conflict.admin_a_push', a, c.admin_a_push, k);
    const pb = await pushAndConfirm('info_conflict.admin_b_push', b, c.admin_b_push, k);

    const ro = s.info_readonly_conflict;
    const reader = member();
    const both = [
      { hash: c.admin_a_push.storage_message_hash_used, data: pa.data },
      { hash: c.admin_b_push.storage_message_hash_used, data: pb.data },
    ];
    expectJson('info_readonly_conflict accepted', await reader.merge(both), ro.accepted);
    expectEqual('info_readonly_conflict needs_push', reader.needsPush(), ro.needs_push);
    expectJson('info_readonly_conflict current_hashes', reader.currentHashes(), ro.current_hashes);
    expectEqual('info_readonly_conflict name', reader.getName(), ro.name);
    expectEqual('info_readonly_conflict description', reader.getDescription(), ro.description);

    await a.merge([both[1]!]);
    await b.merge([both[0]!]);
    const ma = await pushAndConfirm('info_conflict.merged_on_a', a, c.merged_on_a, k);
    const mb = await pushAndConfirm('info_conflict.merged_on_b', b, c.merged_on_b, k);
    expectEqual('info_conflict identical', toHex(ma.data) === toHex(mb.data), c.identical);
    expectEqual('info_conflict merged_name', a.getName(), c.merged_name);
    expectEqual('info_conflict merged_description', a.getDescription(), c.merged_description);

    const kr = s.info_key_rotation;
    const newKey = hex(kr.new_enc_key);
    a.setKeys([newKey, key], { dirty: true });
    expectEqual('info_key_rotation needs_push_after_replace_keys', a.needsPush(), kr.needs_push_after_replace_keys);
    const pk4 = await pushAndConfirm('info_key_rotation.push', a, kr.push, { ...k, key: newKey });
    const rb = kr.reader_with_both_keys;
    const r = member([newKey, key]);
    const rotated = [
      { hash: c.merged_on_a.storage_message_hash_used, data: ma.data },
      { hash: kr.push.storage_message_hash_used, data: pk4.data },
    ];
    expectJson('info_key_rotation reader accepted', await r.merge(rotated), rb.accepted);
    expectJson('info_key_rotation reader current_hashes', r.currentHashes(), rb.current_hashes);
    expectEqual('info_key_rotation reader name', r.getName(), rb.name);
    expectJson('info_key_rotation old-key reader accepted', await member([key]).merge([rotated[1]!]), []);
  });
};

const derivedGroupMembers: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-group-members scenarios', async () => {
    const { seed, pk, key } = groupOf(doc?.group);
    const s = doc.scenarios;
    const a = new GroupMembersConfig({ groupEd25519PublicKey: pk, groupEd25519SecretKey: seed, keys: [key], compress: recordedCompressor(doc) });
    const set = (sid: string, f: Partial<GroupMember>): void => a.set({ ...a.getOrConstruct(sid), ...f });
    set(id('05', '11'), { name: 'Admin', admin: true });
    set(id('05', '22'), { name: 'Invitee', inviteStatus: 1, supplement: true });
    set(id('05', '33'), { inviteStatus: 2 });
    set(id('05', '44'), { name: 'Member', profilePicture: { url: 'http://example.org/m.png', key: enc.encode('m'.repeat(32)) } });
    set(id('05', '55'), { name: 'Promoting', admin: true, promotionStatus: 1 });
    set(id('05', '66'), { name: 'Leaving', removedStatus: 2 });
    const rs = s.members_set_fields.result;
    const push = await pushAndConfirm('members_set_fields.result', a, rs, { key, domain: 'groups::Members', namespace: 14 });
    const m = new GroupMembersConfig({ groupEd25519PublicKey: pk, keys: [key] });
    expectJson('members_member_read accepted', await m.merge([{ hash: rs.storage_message_hash_used, data: push.data }]), [rs.storage_message_hash_used]);
    const got = m.all().map((x) => ({
      session_id: x.sessionId,
      name: x.name,
      admin: x.admin,
      invite_status: x.inviteStatus,
      promotion_status: x.promotionStatus,
      removed_status: x.removedStatus,
      supplement: x.supplement,
    }));
    expectJson('members_member_read', got, s.members_member_read);
    const statuses = ['admin', 'invite-sent', 'invite-failed', 'joined', 'promotion-sent', 'removed-with-messages'];
    expectJson('member statuses', m.all().map(groupMemberStatus), statuses);
  });
};

const derivedGroupLinked: FileVerifier = async (doc, rec) => {
  await rec.vector('derived-group-linked scenarios', async () => {
    const inp = doc?.inputs;
    const group = identityFromSeed(hex(inp?.group_seed));
    const admin = identityFromSeed(hex(inp.admin_user_seed));
    try {
      const gpk = group.ed25519PublicKey;
      expectEqual('inputs.group_id', '03' + toHex(gpk), inp.group_id);
      // The config key comes out of the keys message, as a client gets it (spec/groups.md §2.6).
      const keys = createGroupKeys({ userEd25519SecretKey: admin.ed25519SecretKey, groupEd25519PublicKey: gpk, groupEd25519SecretKey: group.ed25519SecretKey });
      const found = await labelled('load keys_message', () => loadKeyMessage(keys, hex(inp.keys_message), inp.keys_message_timestamp_ms));
      expectEqual('found_key', found, doc.found_key);
      const configKeys = keys.decryptionKeys();
      expectEqual('group_enc_key', hexOf(configKeys[0]), doc.group_enc_key);
      const compress = recordedCompressor(doc);
      const opts = { groupEd25519PublicKey: gpk, groupEd25519SecretKey: group.seed, keys: configKeys, compress };
      const info = new GroupInfoConfig(opts);
      info.setName('Linked group');
      info.setCreated(1700000000);
      const ki: RecordKeys = { key: configKeys[0]!, domain: 'groups::Info', namespace: 13 };
      const ip = await pushAndConfirm('info_push', info, doc.scenarios.info_push, ki);
      const members = new GroupMembersConfig(opts);
      members.set({ ...members.getOrConstruct(admin.sessionId), name: 'admin1', admin: true });
      await pushAndConfirm('members_push', members, doc.scenarios.members_push, { ...ki, domain: 'groups::Members', namespace: 14 });
      // A member fed the keyring's encryption key reads the pushed Info back.
      const reader = new GroupInfoConfig({ groupEd25519PublicKey: gpk, keys: [], encryptionKey: keys.encryptionKey() });
      await reader.merge([{ hash: doc.scenarios.info_push.storage_message_hash_used, data: ip.data }]);
      expectEqual('member reads the name', reader.getName(), 'Linked group');
    } finally {
      destroyIdentity(group);
      destroyIdentity(admin);
    }
  });
};

/** The group-config verifiers, by file name. */
export const GROUP_CONFIG_VERIFIERS: Record<string, FileVerifier> = {
  'derived-group-info.json': derivedGroupInfo,
  'derived-group-members.json': derivedGroupMembers,
  'derived-group-linked.json': derivedGroupLinked,
};
