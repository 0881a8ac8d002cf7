/**
 * Verifiers for UserProfile (namespace 2, spec/config.md §2, §3.1): the upstream known answers of
 * user-profile.json (empty message and push, push1's layers, dumps) and the derived scenario of
 * derived-user-profile.json (set fields, restore, conflict and identical merges), as
 * test/config/user-profile.test.ts asserts.
 * @module
 */
import {
  CONFIG_TYPES,
  UserProfileConfig,
  configDecrypt,
  configEncrypt,
  configMessageHash,
  decodeConfigPayload,
  emptyConfigMessage,
  encodeConfigPayload,
  serializeConfigMessage,
  unwrapUserConfig,
} from '../index.js';
import { expectEqual, hex, list, toHex, type FileVerifier } from './check.js';
import { accountOf, expectJson, pushAndConfirm, recordedCompressor, type RecordKeys } from './config-push.js';

const enc = new TextEncoder();
const KALLIE_PIC = { url: 'http://example.org/omg-pic-123.bmp', key: enc.encode('secret78901234567890123456789012') };

/** The upstream push1 edits (test_config_userprofile.cpp). */
function push1Profile(seed: Uint8Array): UserProfileConfig {
  const p = new UserProfileConfig({ ed25519SecretKey: seed });
  p.setName('Kallie');
  p.setProfilePicture(KALLIE_PIC);
  p.setNoteToSelfPriority(9);
  return p;
}

/** Verifies user-profile.json. */
export const userProfileFile: FileVerifier = async (doc, rec) => {
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

/** Verifies derived-user-profile.json. */
export const derivedUserProfile: FileVerifier = async (doc, rec) => {
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
    // Reloaded from its dump, a device has the same state and the same dump.
    const reloaded = new UserProfileConfig({ ed25519SecretKey: sk, dump: hex(s.set_fields.result.dump_after_confirm) });
    expectEqual('reload: name', reloaded.getName(), 'Kallie');
    expectEqual('reload: note-to-self expiry', reloaded.getNoteToSelfExpirySeconds(), 86400);
    expectEqual('reload: blinded message requests', reloaded.getBlindedMessageRequests(), true);
    expectJson('reload: current hashes', reloaded.currentHashes(), [s.set_fields.result.storage_message_hash_used]);
    expectEqual('reload: dump', toHex(reloaded.dump()), s.set_fields.result.dump_after_confirm);

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

