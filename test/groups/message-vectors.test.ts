// Group messages (namespace 11) against test-vectors/groups/group-messages.json (spec/groups.md §2.8).
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { encodeEnvelope } from '../../src/envelope/wire.js';
import {
  createGroupKeys,
  decodeKeysMessage,
  decryptGroupContent,
  decryptGroupMessage,
  encryptGroupContent,
  encryptGroupMessage,
  loadKeyMessage,
  type GroupKeys,
} from '../../src/groups/index.js';
import { isSessionSdkError } from '../../src/errors.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('groups/group-messages.json');
const K = loadVectors('groups/groups-v2-keys.json');
const byName = (n: string) => V.vectors.find((v: { name: string }) => v.name === n);
const kByName = (n: string) => K.vectors.find((v: { name: string }) => v.name === n);
const group = ed25519KeyPairFromSeed(hex(kByName('test_identities').inputs.group_ed25519_seed));
const gen2Msg = hex(kByName('rekey_gen2_three_members').outputs.keys_message);

/** A member keyring holding the gen-2 key of the vectors (loaded from the real keys message). */
async function keyringFor(seedHex: string): Promise<GroupKeys> {
  const k = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(seedHex)).ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
  expect(await loadKeyMessage(k, gen2Msg, 1680064060000)).toBe(true);
  return k;
}

describeEachProvider('group-messages.json (derived unless noted)', () => {
  it('group_message_v1_uncompressed_current: byte-exact encrypt, decrypt', async () => {
    const v = byName('group_message_v1_uncompressed_current');
    const keys = await keyringFor(v.inputs.sender_ed25519_seed);
    expect(toHex(keys.encryptionKey())).toBe(v.inputs.group_enc_key);
    const ct = await encryptGroupMessage(keys, hex(v.inputs.plaintext), { nonce: hex(v.inputs.nonce), compress: v.inputs.compress, padding: v.inputs.padding });
    expect(ct.length).toBe(v.outputs.ciphertext_len);
    expect(toHex(ct)).toBe(v.outputs.ciphertext);
    const out = await decryptGroupMessage(keys, ct);
    expect(toHex(out.plaintext)).toBe(v.inputs.plaintext);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
    expect(out.oldSignature).toBe(false);
  });

  it('group_message_v1_uncompressed_pre_pr21: rejected by default, accepted with allowOldSignature', async () => {
    const v = byName('group_message_v1_uncompressed_pre_pr21');
    const keys = await keyringFor(v.inputs.sender_ed25519_seed);
    const ct = hex(v.outputs.ciphertext);
    await expect(decryptGroupMessage(keys, ct)).rejects.toSatisfy((e) => isSessionSdkError(e, 'BAD_SIGNATURE'));
    const out = await decryptGroupMessage(keys, ct, { allowOldSignature: true });
    expect(toHex(out.plaintext)).toBe(v.inputs.plaintext);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
    expect(out.oldSignature).toBe(true);
  });

  it('group_message_envelope_wrapped: byte-exact', async () => {
    const v = byName('group_message_envelope_wrapped');
    const keys = await keyringFor(v.inputs.sender_ed25519_seed);
    const env = hex(v.outputs.envelope_protobuf);
    const ct = await encryptGroupMessage(keys, env, { nonce: hex(v.inputs.nonce), compress: false });
    expect(toHex(ct)).toBe(v.outputs.ciphertext);
    const out = await decryptGroupMessage(keys, ct);
    expect(out.plaintext).toEqual(env);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
  });

  it('group_message_zstd_decrypt_only: z body decompresses to the 1632-byte text', async () => {
    const v = byName('group_message_zstd_decrypt_only');
    const keys = await keyringFor(byName('group_message_v1_uncompressed_current').inputs.sender_ed25519_seed);
    const ct = hex(v.inputs.ciphertext);
    expect(ct.length).toBe(v.outputs.ciphertext_len);
    const out = await decryptGroupMessage(keys, ct);
    expect(out.plaintext.length).toBe(v.outputs.plaintext_len);
    expect(new TextDecoder().decode(out.plaintext)).toBe(v.outputs.plaintext_utf8);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
  });

  it('group_message_sizes_upstream (upstream): 1632-byte text → 256 bytes compressed, 2048 uncompressed; admin1 as sender', async () => {
    const v = byName('group_message_sizes_upstream');
    const ids = kByName('test_identities');
    const keys = await keyringFor(ids.inputs.users[v.inputs.sender]);
    let msg = v.inputs.base_utf8 as string;
    for (let i = 0; i < v.inputs.doublings; i++) msg += msg;
    const pt = new TextEncoder().encode(msg);
    expect(pt.length).toBe(1632);
    const ct = await encryptGroupMessage(keys, pt, { compress: false });
    expect(ct.length).toBe(v.outputs.uncompressed_ciphertext_len);
    const out = await decryptGroupMessage(keys, ct);
    expect(out.senderSessionId).toBe(v.outputs.decrypted_sender_session_id);
    expect(out.plaintext).toEqual(pt);
    const ct2 = await encryptGroupMessage(keys, pt);
    expect(ct2.length).toBe(v.outputs.compressed_ciphertext_len);
    const out2 = await decryptGroupMessage(keys, ct2);
    expect(out2.plaintext).toEqual(pt);
    expect(out2.senderSessionId).toBe(v.outputs.decrypted_sender_session_id);
  });

  it('the gen-2 keys message is the one the message vectors use', () => {
    const d = decodeKeysMessage(gen2Msg);
    expect(d.generation).toBe(2);
  });
});

describe('group message keys: a removed member cannot read the gen-2 message', () => {
  it('member3 (removed at gen 2) gets DECRYPT_FAILED', async () => {
    const v = byName('group_message_v1_uncompressed_current');
    const ids = kByName('test_identities');
    const m3 = createGroupKeys({ userEd25519SecretKey: identityFromSeed(hex(ids.inputs.users.member3)).ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
    expect(await loadKeyMessage(m3, hex(kByName('rekey_gen1_five_members').outputs.keys_message), 1680064059000)).toBe(true);
    expect(await loadKeyMessage(m3, gen2Msg, 1680064060000)).toBe(false);
    await expect(decryptGroupMessage(m3, hex(v.outputs.ciphertext))).rejects.toSatisfy((e) => isSessionSdkError(e, 'DECRYPT_FAILED'));
  });
});

describeEachProvider('group content (Envelope-wrapped) helpers', () => {
  it('desktop style reproduces group_message_envelope_wrapped; both styles decrypt to the content', async () => {
    const v = byName('group_message_envelope_wrapped');
    const keys = await keyringFor(v.inputs.sender_ed25519_seed);
    const content = hex(v.inputs.content_protobuf);
    const ct = await encryptGroupContent(keys, content, { style: 'desktop', timestampMs: v.inputs.envelope_timestamp_ms, nonce: hex(v.inputs.nonce), compress: false });
    expect(toHex(ct)).toBe(v.outputs.ciphertext);
    const out = await decryptGroupContent(keys, ct);
    expect(out.content).toEqual(content);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
    expect(out.envelope.source).toBe(keys.groupId);
    // the light codec writes exactly what the envelope module writes
    const viaWire = encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', source: keys.groupId, timestamp: v.inputs.envelope_timestamp_ms, content });
    expect(toHex(viaWire)).toBe(v.outputs.envelope_protobuf);

    const ls = await encryptGroupContent(keys, content, { timestampMs: 1700000000000 });
    const o2 = await decryptGroupContent(keys, ls);
    expect(o2.content).toEqual(content);
    expect(o2.envelope.sourceDevice).toBe(1);
    expect(o2.envelope.source).toBeUndefined();
    const pro = o2.envelope.proSig!;
    expect(pro.length).toBe(64);
    // decoy: a valid point and a reduced scalar, like a real signature
    expect(() => ed25519.Point.fromBytes(pro.subarray(0, 32))).not.toThrow();
    expect(pro[63]! < 0x10).toBe(true);
  });

  it('rejects envelopes without content or with a bad proSig / source', async () => {
    const keys = await keyringFor(byName('group_message_envelope_wrapped').inputs.sender_ed25519_seed);
    const bad = [
      encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', timestamp: 1 }),
      encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', timestamp: 1, content: hex('0a00'), proSig: new Uint8Array(63) }),
      encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', timestamp: 1, content: hex('0a00'), source: 'nothex' }),
      encodeEnvelope({ type: 'SESSION_MESSAGE', timestamp: 1, content: hex('0a00') }).subarray(2), // no type
      hex('0807'), // no timestamp
      hex('ffff'),
    ];
    for (const b of bad) {
      const ct = await encryptGroupMessage(keys, b);
      await expect(decryptGroupContent(keys, ct)).rejects.toSatisfy((e) => isSessionSdkError(e, 'INVALID_ENCODING'));
    }
  });
});

describe('group envelope codec agrees with the envelope module', () => {
  it('random envelopes: our decoder reads what encodeEnvelope writes, and the envelope module reads what we write', async () => {
    const fc = (await import('fast-check')).default;
    const keys = await keyringFor(byName('group_message_envelope_wrapped').inputs.sender_ed25519_seed);
    const { decodeEnvelope } = await import('../../src/envelope/wire.js');
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: fc.constantFrom('SESSION_MESSAGE' as const, 'CLOSED_GROUP_MESSAGE' as const),
            timestamp: fc.nat({ max: 2 ** 48 }),
            source: fc.constantFrom('', keys.groupId),
            sourceDevice: fc.nat({ max: 2 ** 31 }),
            content: fc.uint8Array({ minLength: 1, maxLength: 40 }),
            serverTimestamp: fc.nat({ max: 2 ** 48 }),
            proSig: fc.uint8Array({ minLength: 64, maxLength: 64 }),
          },
          { requiredKeys: ['type', 'timestamp', 'content'] },
        ),
        async (env) => {
          const bytes = encodeEnvelope(env);
          const out = await decryptGroupContent(keys, await encryptGroupMessage(keys, bytes, { compress: false }));
          expect(out.envelope).toEqual(decodeEnvelope(bytes));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
    const ours = await encryptGroupContent(keys, hex('0a00'), { timestampMs: 1700000000000 });
    const plain = (await decryptGroupMessage(keys, ours)).plaintext;
    const theirs = decodeEnvelope(plain);
    expect(theirs.sourceDevice).toBe(1);
    expect(theirs.proSig?.length).toBe(64);
    expect(encodeEnvelope(theirs)).toEqual(plain);
  });
});
