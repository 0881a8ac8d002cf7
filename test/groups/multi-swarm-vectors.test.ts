// Multi-recipient encryption and subaccount auth against test-vectors/groups/multi-encrypt.json
// and swarm-auth.json (spec/groups.md §2.3, §2.10, §2.11).
import { expect, it } from 'vitest';
import { ed25519KeyPairFromSeed, ed25519SeedToX25519Secret, ed25519PkToX25519Sync } from '../../src/crypto/noble.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import {
  createGroupKeys,
  decryptForMultiple,
  decryptForMultipleSimple,
  encryptForMultiple,
  encryptForMultipleSimple,
  makeSubaccount,
  subaccountSign,
  subaccountToken,
  verifySubaccount,
  verifySubaccountAuth,
  makeKickedNotice,
  openKickedNotice,
} from '../../src/groups/index.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const M = loadVectors('groups/multi-encrypt.json');
const S = loadVectors('groups/swarm-auth.json');
const mBy = (n: string) => M.vectors.find((v: { name: string }) => v.name === n);
const sBy = (n: string) => S.vectors.find((v: { name: string }) => v.name === n);
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const utf8 = (s: string) => new TextEncoder().encode(s);

const seeds: Uint8Array[] = mBy('multi_encrypt_x25519_keys').inputs.ed25519_seeds.map(hex);
const kp = seeds.map((s) => {
  const ed = ed25519KeyPairFromSeed(s);
  return { ed, xsk: ed25519SeedToX25519Secret(s), xpk: ed25519PkToX25519Sync(ed.publicKey) };
});

describeEachProvider('multi-encrypt.json', () => {
  it('multi_encrypt_x25519_keys (upstream)', () => {
    expect(kp.map((k) => toHex(k.xpk))).toEqual(mBy('multi_encrypt_x25519_keys').outputs.x25519_pubkeys);
  });

  it('multi_encrypt_same_message (upstream): ciphertexts and decrypt results', async () => {
    const v = mBy('multi_encrypt_same_message');
    const nonce = hex(v.inputs.nonce);
    const recips = v.inputs.recipient_indices.map((i: number) => kp[i]!.xpk);
    const cts = await encryptForMultiple([utf8(v.inputs.message_utf8)], recips, nonce, kp[0]!.xsk, kp[0]!.xpk, v.inputs.domain);
    expect(cts.map(toHex)).toEqual(v.outputs.ciphertexts);
    for (const i of [1, 2, 3]) {
      const pt = await decryptForMultiple(cts, nonce, kp[i]!.xsk, kp[i]!.xpk, kp[0]!.xpk, v.inputs.domain);
      expect(new TextDecoder().decode(pt!)).toBe('hello');
    }
    expect(await decryptForMultiple(cts, nonce, kp[3]!.xsk, kp[3]!.xpk, kp[0]!.xpk, 'not test suite')).toBeUndefined();
    expect(await decryptForMultiple(cts, nonce, kp[4]!.xsk, kp[4]!.xpk, kp[0]!.xpk, v.inputs.domain)).toBeUndefined();
  });

  it('multi_encrypt_per_recipient_messages + simple encoding (upstream)', async () => {
    const v = mBy('multi_encrypt_per_recipient_messages');
    const nonce = hex(v.inputs.nonce);
    const recips = v.inputs.recipient_indices.map((i: number) => kp[i]!.xpk);
    const msgs = v.inputs.messages_utf8.map(utf8);
    const cts = await encryptForMultiple(msgs, recips, nonce, kp[0]!.xsk, kp[0]!.xpk, v.inputs.domain);
    expect(cts.map(toHex)).toEqual(v.outputs.ciphertexts);
    const enc = await encryptForMultipleSimple(msgs, recips, kp[0]!.ed.secretKey, v.inputs.domain, { nonce });
    expect(toHex(enc)).toBe(mBy('multi_encrypt_simple_encoding').outputs.encoded);
    // also with an explicit X25519 pair and a 32-byte seed as sender
    expect(await encryptForMultipleSimple(msgs, recips, { x25519SecretKey: kp[0]!.xsk, x25519PublicKey: kp[0]!.xpk }, v.inputs.domain, { nonce })).toEqual(enc);
    expect(await encryptForMultipleSimple(msgs, recips, seeds[0]!, v.inputs.domain, { nonce })).toEqual(enc);
    for (const [j, i] of [1, 2, 3].entries()) {
      const pt = await decryptForMultipleSimple(enc, kp[i]!.ed.secretKey, kp[0]!.xpk, v.inputs.domain);
      expect(new TextDecoder().decode(pt!)).toBe(v.inputs.messages_utf8[j]);
    }
    expect(await decryptForMultipleSimple(enc, kp[4]!.ed.secretKey, kp[0]!.xpk, v.inputs.domain)).toBeUndefined();
  });

  it('random padding pads to a multiple with entries of the first message size', async () => {
    const enc = await encryptForMultipleSimple([utf8('hello')], [kp[1]!.xpk], kp[0]!.ed.secretKey, 'd', { pad: 4 });
    const { decodeMultiSimple } = await import('../../src/groups/multi-encrypt.js');
    const d = decodeMultiSimple(enc);
    expect(d.entries.length).toBe(4);
    expect(d.entries.every((e) => e.length === 21)).toBe(true);
    expect(new TextDecoder().decode((await decryptForMultipleSimple(enc, kp[1]!.ed.secretKey, kp[0]!.xpk, 'd'))!)).toBe('hello');
  });

  it('group_kicked_notice (derived): byte-exact, removed members read it, others do not', async () => {
    const v = mBy('group_kicked_notice');
    const g = ed25519KeyPairFromSeed(hex(v.inputs.group_ed25519_seed));
    const admin = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex('0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210')).ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
    const notice = await makeKickedNotice(admin, v.inputs.recipients_session_ids, v.inputs.current_generation, { nonce: hex(v.inputs.nonce) });
    expect(toHex(notice)).toBe(v.outputs.encoded);
    const K = loadVectors('groups/groups-v2-keys.json').vectors[0].inputs.users;
    for (const [name, sid] of [['member3', v.inputs.recipients_session_ids[0]], ['member4', v.inputs.recipients_session_ids[1]]]) {
      const mk = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(K[name!])).ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
      expect(mk.userSessionId).toBe(sid);
      expect(await openKickedNotice(mk, notice)).toEqual({ generation: 2 });
    }
    const m1 = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(K.member1)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
    expect(await openKickedNotice(m1, notice)).toBeUndefined();
  });
});

describeEachProvider('swarm-auth.json', () => {
  const v = sBy('swarm_subaccount_sign_retrieve');
  const d = sBy('swarm_subaccount_signing_value_derived');
  const g = ed25519KeyPairFromSeed(hex(v.inputs.group_ed25519_seed));
  const admin = () =>
    createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(v.inputs.admin_ed25519_seed)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
  const member = () => createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(v.inputs.member_ed25519_seed)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey });

  it('swarm_subaccount_sign_retrieve (upstream): subaccount, subaccount_sig, signature', async () => {
    const a = admin();
    expect(a.groupId).toBe(v.outputs.group_id);
    expect(a.userSessionId).toBe(v.outputs.admin_session_id);
    const m = member();
    expect(m.userSessionId).toBe(v.outputs.member_session_id);
    const sv = await makeSubaccount(a, m.userSessionId, v.inputs.write, v.inputs.delete);
    const r = subaccountSign(m, utf8(v.inputs.message_to_sign_utf8), sv);
    expect(r.subaccount).toEqual(b64(v.outputs.subaccount_b64));
    expect(r.subaccountSig).toEqual(b64(v.outputs.subaccount_sig_b64));
    expect(r.signature).toEqual(b64(v.outputs.signature_b64));
    expect(toHex(r.subaccount)).toBe(v.outputs.subaccount_hex);
    // the signature is plain Ed25519 under kT
    expect(verifyEd25519(r.signature, utf8(v.inputs.message_to_sign_utf8), r.subaccount.subarray(4))).toBe(true);
    // and a verifier accepts the upstream triple (read + write), but not for delete or another message/group
    const auth = { subaccount: b64(v.outputs.subaccount_b64), subaccountSig: b64(v.outputs.subaccount_sig_b64), signature: b64(v.outputs.signature_b64) };
    const msg = utf8(v.inputs.message_to_sign_utf8);
    expect(await verifySubaccountAuth(g.publicKey, msg, auth, { write: true })).toBe(true);
    expect(await verifySubaccountAuth(g.publicKey, msg, auth, { del: true })).toBe(false);
    expect(await verifySubaccountAuth(g.publicKey, utf8('retrieve9991693340111001'), auth)).toBe(false);
    expect(await verifySubaccountAuth(ed25519KeyPairFromSeed(new Uint8Array(32)).publicKey, msg, auth)).toBe(false);
    const flipped = { ...auth, subaccount: auth.subaccount.slice() };
    flipped.subaccount[1] = 0x07; // self-granted delete: the admin signature no longer matches
    expect(await verifySubaccountAuth(g.publicKey, msg, flipped, { del: true })).toBe(false);
    expect(await verifySubaccountAuth(g.publicKey, msg, { ...auth, signature: new Uint8Array(63) })).toBe(false);
  });

  it('swarm_subaccount_signing_value_derived: signing values, tokens', async () => {
    const a = admin();
    const sid = member().userSessionId;
    expect(toHex(await makeSubaccount(a, sid))).toBe(d.outputs.signing_value_100_bytes_write);
    expect(toHex(await makeSubaccount(a, sid, false))).toBe(d.outputs.signing_value_readonly);
    expect(toHex(subaccountToken(a, sid))).toBe(d.outputs.token_write_nodel);
    expect(toHex(subaccountToken(a, sid, false))).toBe(d.outputs.token_readonly);
    expect(toHex(subaccountToken(a, sid, true, true))).toBe(d.outputs.token_write_del);
    const r = subaccountSign(member(), utf8(v.inputs.message_to_sign_utf8), hex(d.outputs.signing_value_100_bytes_write));
    expect(toHex(r.signature)).toBe(d.outputs.signature_R + d.outputs.signature_S);
  });

  it('verifySubaccount: accepts the value, honours flags, and every bit flip except bit 7 of byte 35 fails', async () => {
    const m = member();
    const sv = hex(d.outputs.signing_value_100_bytes_write);
    expect(await verifySubaccount(m, sv)).toBe(true);
    expect(await verifySubaccount(m, sv, true)).toBe(true);
    expect(await verifySubaccount(m, sv, true, true)).toBe(false);
    expect(await verifySubaccount(m, hex(d.outputs.signing_value_readonly), true)).toBe(false);
    // one bit per byte (rotating), plus every bit of the flags byte and of byte 35
    const flips: [number, number][] = [];
    for (let byte = 0; byte < 100; byte++) flips.push([byte, byte % 8]);
    for (let bit = 0; bit < 8; bit++) flips.push([1, bit], [35, bit]);
    for (const [byte, bit] of flips) {
      {
        const x = sv.slice();
        x[byte]! ^= 1 << bit;
        const ok = await verifySubaccount(m, x);
        // byte 1 bit 3 = "any prefix" flag: turning it on keeps the signature-covered prefix, but
        // the signature covers the flags byte, so it still fails. Only the ignored top bit of k passes.
        if (byte === 35 && bit === 7) expect(ok, `${byte}:${bit}`).toBe(true);
        else expect(ok, `${byte}:${bit}`).toBe(false);
      }
    }
    // another member cannot use it
    const other = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(v.inputs.admin_ed25519_seed)).ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
    expect(await verifySubaccount(other, sv)).toBe(false);
  });
});
