// UserProfile (namespace 2) against upstream and derived vectors (spec/config.md §2, §3.1).
import { describe, expect, it } from 'vitest';
import { UserProfileConfig, configEncrypt, encodeConfigPayload, configDecrypt } from '../../src/config/index.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { checkRecordLayers, pushAndConfirm, pushRecords, vectorCompressor, type PushRecord } from './helpers.js';

const up = loadVectors('config/user-profile.json');
const dv = loadVectors('config/derived-user-profile.json');
const seed = hex(dv.account.seed32);
const sk = hex(dv.account.ed25519_sk);
const records = pushRecords(dv);
const compress = vectorCompressor(records);
const D = 'UserProfile';
const v = (name: string) => up.vectors.find((x: { name: string }) => x.name === name);

describe('UserProfile: upstream vectors', () => {
  it('empty seqno-0 push, wrapped (432 bytes)', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: sk });
    expect(p.needsPush()).toBe(false);
    const push = await p.push();
    expect(push.seqno).toBe(0);
    expect(push.data.length).toBe(432);
    expect(toHex(push.data)).toBe(v('empty-push-wrapped').push);
  });

  it('push1: message, padding, ciphertext, wrapped form and dumps', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: seed });
    p.setName('Kallie');
    p.setProfilePicture({ url: 'http://example.org/omg-pic-123.bmp', key: new TextEncoder().encode('secret78901234567890123456789012') });
    p.setNoteToSelfPriority(9);
    expect(p.needsPush()).toBe(true);
    expect(p.seqno).toBe(1);
    const vp = v('push1');
    expect(toHex(encodeConfigPayload(hex(vp.config_message)))).toBe(vp.padded);
    expect(toHex(configEncrypt(hex(vp.padded), seed, D))).toBe(vp.ciphertext);
    const push = await p.push();
    expect(toHex(push.data)).toBe(vp.push_wrapped);
    expect(toHex(p.dump())).toBe(v('dump-after-push').dump);
    p.confirmPushed(1, v('dump-after-confirm').confirmed_hash);
    expect(toHex(p.dump())).toBe(v('dump-after-confirm').dump);
    // merge accepts the raw ciphertext as well as the wrapped push
    for (const data of [hex(vp.ciphertext), hex(vp.push_wrapped)]) {
      const q = new UserProfileConfig({ ed25519SecretKey: sk });
      expect(await q.merge([{ hash: 'h', data }])).toEqual(['h']);
      expect(q.getName()).toBe('Kallie');
      expect(q.getNoteToSelfPriority()).toBe(9);
    }
  });
});

describe('UserProfile: derived vectors (libsession-util)', () => {
  it('every record layer decrypts and decodes', () => {
    expect(records.length).toBe(6);
    for (const r of records) checkRecordLayers(r, seed, D);
  });

  it('empty push, all fields, restore, conflict and identical merges', async () => {
    const s = dv.scenarios;
    const a = new UserProfileConfig({ ed25519SecretKey: sk, compress });
    await pushAndConfirm(a, s.empty_push as PushRecord, seed, D, seed);
    a.setName('Kallie');
    a.setProfilePicture({ url: 'http://example.org/omg-pic-123.bmp', key: new TextEncoder().encode('secret78901234567890123456789012') });
    a.setNoteToSelfPriority(9);
    a.setNoteToSelfExpirySeconds(86400);
    a.setBlindedMessageRequests(true);
    const p1 = await pushAndConfirm(a, s.set_fields.result, seed, D, seed);

    // restore on a second device
    const b = new UserProfileConfig({ ed25519SecretKey: sk, compress });
    expect(await b.merge([{ hash: 'hashA1', data: p1.data }])).toEqual(s.restore_on_new_device.merged_hashes);
    expect(b.getName()).toBe('Kallie');
    expect(b.needsPush()).toBe(false);
    expect(toHex(b.dump())).toBe(s.restore_on_new_device.dump);

    // conflicting edits
    a.setName('Kallie A');
    b.setProfilePicture({ url: 'http://example.org/b.png', key: new Uint8Array(32).fill(0x62) /* 'b' x 32 */ });
    const pa = await pushAndConfirm(a, s.conflict.device_a_push, seed, D, seed);
    const pb = await pushAndConfirm(b, s.conflict.device_b_push, seed, D, seed);
    await a.merge([{ hash: 'hashB2', data: pb.data }]);
    await b.merge([{ hash: 'hashA2', data: pa.data }]);
    expect(a.needsPush() && b.needsPush()).toBe(true);
    await pushAndConfirm(a, s.conflict.merged_on_a, seed, D, seed);
    await pushAndConfirm(b, s.conflict.merged_on_b, seed, D, seed);
    for (const x of [a, b]) {
      expect(x.getName()).toBe(s.conflict.merged_name);
      expect(x.getProfilePicture()?.url).toBe(s.conflict.merged_pic_url);
    }
  });

  it('reloads from a dump and keeps going', async () => {
    const rec = dv.scenarios.set_fields.result as PushRecord;
    const p = new UserProfileConfig({ ed25519SecretKey: sk, dump: hex(rec.dump_after_confirm) });
    expect(p.getName()).toBe('Kallie');
    expect(p.getNoteToSelfExpirySeconds()).toBe(86400);
    expect(p.getBlindedMessageRequests()).toBe(true);
    expect(p.currentHashes()).toEqual(['hashA1']);
    expect(toHex(p.dump())).toBe(rec.dump_after_confirm);
    p.setName('Kallie'); // unchanged value: no new version
    expect(p.needsPush()).toBe(false);
    p.setName('Other');
    expect(p.seqno).toBe(2);
    const push = await p.push();
    expect(push.obsoleteHashes).toEqual(['hashA1']);
    expect(configDecrypt(hex(rec.layers.ciphertext), seed, D).length).toBe(hex(rec.layers.padded).length);
  });
});

// The protobuf wrapping seals through the envelope module, which uses the crypto provider: both
// providers must give the same bytes, and unwrap what the other wrapped.
describeEachProvider('UserProfile wrapped push', () => {
  it('empty and push1 pushes are byte-identical under this provider', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: sk });
    expect(toHex((await p.push()).data)).toBe(v('empty-push-wrapped').push);
    p.setName('Kallie');
    p.setProfilePicture({ url: 'http://example.org/omg-pic-123.bmp', key: new TextEncoder().encode('secret78901234567890123456789012') });
    p.setNoteToSelfPriority(9);
    expect(toHex((await p.push()).data)).toBe(v('push1').push_wrapped);
    const q = new UserProfileConfig({ ed25519SecretKey: seed });
    expect(await q.merge([{ hash: 'w', data: hex(v('push1').push_wrapped) }])).toEqual(['w']);
    expect(q.getName()).toBe('Kallie');
  });
});
