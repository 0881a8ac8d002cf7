// Legacy closed groups against test-vectors/groups/legacy-closed-groups.json (all derived) plus
// round trips, negatives and protobuf properties (spec/groups.md §1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityFromSeed, generateIdentity } from '../../src/identity/keys.js';
import { padMessage } from '../../src/envelope/padding.js';
import { isSessionSdkError } from '../../src/errors.js';
import {
  LegacyControlType,
  LEGACY_GROUP_NAMESPACE,
  LEGACY_GROUP_SIZE_LIMIT,
  decodeLegacyControlMessage,
  decodeLegacyKeyPair,
  decryptLegacyGroupMessage,
  encodeLegacyControlMessage,
  encryptLegacyGroupMessage,
  generateLegacyEncryptionKeyPair,
  makeLegacyKeyPairWrappers,
  openLegacyKeyPairWrappers,
  openWithLegacyKeyPair,
  padLegacyDesktopMessage,
} from '../../src/groups/index.js';
import { unpadMessage } from '../../src/envelope/padding.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('groups/legacy-closed-groups.json');
const by = (n: string) => V.vectors.find((v: { name: string }) => v.name === n);
const code = (c: string) => (e: unknown) => isSessionSdkError(e, c as never);

describe('legacy-closed-groups.json (derived)', () => {
  it('legacy_padding_desktop: lengths, and unpadMessage reads the form', () => {
    const v = by('legacy_padding_desktop');
    v.inputs.lengths.forEach((n: number, i: number) => {
      const m = new Uint8Array(n).fill(7);
      const p = padLegacyDesktopMessage(m);
      expect(p.length).toBe(v.outputs.padded_lengths[i]);
      expect(unpadMessage(p)).toEqual(m);
    });
  });

  it('legacy_constants', () => {
    const c = by('legacy_constants').outputs;
    expect(LEGACY_GROUP_SIZE_LIMIT).toBe(c.CLOSED_GROUP_SIZE_LIMIT);
    expect(LEGACY_GROUP_NAMESPACE).toBe(c.legacy_group_namespace);
    expect(LegacyControlType).toEqual(c.ClosedGroupControlMessage_types);
  });
});

describeEachProvider('legacy closed groups', () => {
  it('legacy_keypair_wrapper: the member opens its wrapper from the admin', async () => {
    const v = by('legacy_keypair_wrapper');
    const member = identityFromSeed(hex(v.inputs.member.ed25519_seed));
    expect(toHex(member.x25519SecretKey)).toBe(v.inputs.member.x25519_sk);
    const wrappers = [{ publicKey: hex(v.inputs.member.session_id), encryptedKeyPair: hex(v.inputs.ciphertext) }];
    const kp = await openLegacyKeyPairWrappers(member.ed25519SecretKey, wrappers, [v.inputs.admin.session_id]);
    expect(toHex(kp!.publicKey)).toBe(v.outputs.enc_x25519_pk);
    expect(toHex(kp!.secretKey)).toBe(v.outputs.enc_x25519_sk);
    // the same bytes through the X25519-keypair opener
    const opened = await openWithLegacyKeyPair({ publicKey: member.x25519PublicKey, secretKey: member.x25519SecretKey }, hex(v.inputs.ciphertext));
    expect(toHex(opened.plaintext)).toBe(v.outputs.keypair_protobuf);
    expect(toHex(opened.senderEd25519PublicKey)).toBe(v.outputs.sender_ed25519_pk);
    // not an admin → NOT_ADMIN; no wrapper for us → undefined
    await expect(openLegacyKeyPairWrappers(member.ed25519SecretKey, wrappers, [member.sessionId])).rejects.toSatisfy(code('NOT_ADMIN'));
    expect(await openLegacyKeyPairWrappers(generateIdentity().ed25519SecretKey, wrappers, [v.inputs.admin.session_id])).toBeUndefined();
  });

  it('legacy_group_message: opens with the stored pairs (newest first), unpads, sender', async () => {
    const v = by('legacy_group_message');
    const kp = { publicKey: hex(v.inputs.enc_x25519_pk), secretKey: hex(v.inputs.enc_x25519_sk) };
    const older = generateLegacyEncryptionKeyPair();
    const newer = generateLegacyEncryptionKeyPair();
    const out = await decryptLegacyGroupMessage([older, kp, newer], hex(v.inputs.ciphertext));
    expect(out.keyPairIndex).toBe(1);
    expect(toHex(out.plaintext)).toBe(v.outputs.padded_plaintext);
    expect(out.plaintext.length).toBe(v.outputs.padded_len);
    expect(toHex(out.content)).toBe(v.outputs.content);
    expect(toHex(out.senderEd25519PublicKey)).toBe(v.outputs.sender_ed25519_pk);
    expect(out.senderSessionId).toBe(v.outputs.sender_session_id);
    await expect(decryptLegacyGroupMessage([older, newer], hex(v.inputs.ciphertext))).rejects.toSatisfy(code('DECRYPT_FAILED'));
    const bad = hex(v.inputs.ciphertext);
    bad[bad.length - 1]! ^= 1;
    await expect(decryptLegacyGroupMessage([kp], bad)).rejects.toSatisfy(code('DECRYPT_FAILED'));
    await expect(decryptLegacyGroupMessage([kp], bad.subarray(0, 100))).rejects.toSatisfy(code('DECRYPT_FAILED'));
  });

  it('a rotation after a removal: remaining members get the new pair, the removed one does not', async () => {
    const admin = generateIdentity();
    const alice = generateIdentity();
    const mallory = generateIdentity();
    const kp1 = generateLegacyEncryptionKeyPair();
    const m1 = await encryptLegacyGroupMessage(mallory.ed25519SecretKey, kp1.publicKey, padLegacyDesktopMessage(new Uint8Array([1, 2, 3])));
    expect((await decryptLegacyGroupMessage([kp1], m1)).content).toEqual(new Uint8Array([1, 2, 3]));

    const kp2 = generateLegacyEncryptionKeyPair();
    const wrappers = await makeLegacyKeyPairWrappers(admin.ed25519SecretKey, [admin.sessionId, alice.sessionId], kp2);
    const control = encodeLegacyControlMessage({ type: LegacyControlType.ENCRYPTION_KEY_PAIR, publicKey: hex('05' + '11'.repeat(32)), members: [], admins: [], wrappers });
    const parsed = decodeLegacyControlMessage(control);
    expect(parsed.type).toBe(3);
    expect(parsed.wrappers.length).toBe(2);
    const got = await openLegacyKeyPairWrappers(alice.ed25519SecretKey, parsed.wrappers, [admin.sessionId]);
    expect(got).toEqual(kp2);
    expect(await openLegacyKeyPairWrappers(mallory.ed25519SecretKey, parsed.wrappers, [admin.sessionId])).toBeUndefined();

    const m2 = await encryptLegacyGroupMessage(alice.ed25519SecretKey, kp2.publicKey, padMessage(new Uint8Array([9])));
    const r = await decryptLegacyGroupMessage([kp1, got!], m2);
    expect(r.keyPairIndex).toBe(1);
    expect(r.senderSessionId).toBe(alice.sessionId);
    await expect(decryptLegacyGroupMessage([kp1], m2)).rejects.toSatisfy(code('DECRYPT_FAILED'));
  });

  it('NEW control message round trip with the key pair in the clear', () => {
    const kp = generateLegacyEncryptionKeyPair();
    const m = {
      type: LegacyControlType.NEW,
      publicKey: hex('05' + '22'.repeat(32)),
      name: 'grüppe',
      encryptionKeyPair: kp,
      members: [hex('05' + '33'.repeat(32))],
      admins: [hex('05' + '33'.repeat(32))],
      wrappers: [],
      expirationTimer: 3600,
    };
    expect(decodeLegacyControlMessage(encodeLegacyControlMessage(m))).toEqual(m);
  });
});

describe('legacy protobuf decoders: negatives and properties', () => {
  it('rejects malformed input', () => {
    expect(() => decodeLegacyKeyPair(hex('0a20' + '00'.repeat(31)))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyKeyPair(hex('0a20' + '00'.repeat(32)))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyKeyPair(hex('0a1f' + '00'.repeat(31) + '1220' + '00'.repeat(32)))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyControlMessage(hex('12'))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyControlMessage(hex('0a00'))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' })); // type as bytes
    expect(() => decodeLegacyControlMessage(hex('ffffffffffffffffffff01'))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyControlMessage(new Uint8Array())).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => decodeLegacyControlMessage(hex('0803' + '3a00'))).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' })); // empty wrapper
  });

  it('only SessionSdkError escapes on random and mutated input', () => {
    const valid = encodeLegacyControlMessage({ type: 3, members: [], admins: [], wrappers: [{ publicKey: new Uint8Array(33), encryptedKeyPair: new Uint8Array(200) }] });
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const m = valid.slice();
        m[i]! ^= x;
        return m;
      }),
    );
    fc.assert(
      fc.property(input, (b) => {
        for (const f of [decodeLegacyControlMessage, decodeLegacyKeyPair]) {
          try {
            f(b);
          } catch (e) {
            if (!isSessionSdkError(e)) throw e;
          }
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
