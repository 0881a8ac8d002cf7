/**
 * Verifier for test-vectors/groups/legacy-closed-groups.json (spec/groups.md §1), the
 * user-facing replay of test/groups/legacy.test.ts: desktop padding, the member's opening of an
 * ENCRYPTION_KEY_PAIR wrapper, a group message opened with the group's key pair, and the
 * protocol constants. Sealed boxes are randomised, so only the decrypt direction is checkable.
 * @module
 */
import {
  LEGACY_GROUP_NAMESPACE,
  LEGACY_GROUP_SIZE_LIMIT,
  LegacyControlType,
  decodeLegacyKeyPair,
  decryptLegacyGroupMessage,
  encodeEnvelope,
  encodeLegacyKeyPair,
  generateLegacyEncryptionKeyPair,
  identityFromSeed,
  openLegacyKeyPairWrappers,
  openWithLegacyKeyPair,
  padLegacyDesktopMessage,
  unpadMessage,
  type EnvelopeType,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, skipOtherVectors, toHex, type FileVerifier } from './check.js';
import { expectHex, expectNone, namedVectorRunner } from './groups-common.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function padding(v: Doc): void {
  const lengths = list(v.inputs, 'lengths');
  const want = list(v.outputs, 'padded_lengths');
  expectEqual('length count', lengths.length, want.length);
  for (const [i, n] of lengths.entries()) {
    const m = new Uint8Array(n).fill(7);
    const p = padLegacyDesktopMessage(m);
    expectEqual(`padded length of ${n}`, p.length, want[i]);
    expectEqual(`unpadMessage reads the padding of ${n}`, toHex(unpadMessage(p)), toHex(m));
  }
}

async function keyPairWrapper(v: Doc): Promise<void> {
  const { admin, member } = v.inputs;
  const out = v.outputs;
  // The inputs' derived keys must be the seeds' keys (the SDK test checks the member's X25519 key).
  const a = identityFromSeed(hex(admin.ed25519_seed));
  expectHex('admin ed25519_pk', a.ed25519PublicKey, admin.ed25519_pk);
  expectEqual('admin session_id', a.sessionId, admin.session_id);
  const m = identityFromSeed(hex(member.ed25519_seed));
  expectHex('member ed25519_pk', m.ed25519PublicKey, member.ed25519_pk);
  expectHex('member x25519_pk', m.x25519PublicKey, member.x25519_pk);
  expectHex('member x25519_sk', m.x25519SecretKey, member.x25519_sk);
  expectEqual('member session_id', m.sessionId, member.session_id);

  const ct = hex(v.inputs.ciphertext);
  const wrappers = [{ publicKey: hex(member.session_id), encryptedKeyPair: ct }];
  const kp = await openLegacyKeyPairWrappers(m.ed25519SecretKey, wrappers, [admin.session_id]);
  expectEqual('the member has a wrapper', kp !== undefined, true);
  expectHex('enc_x25519_pk', kp!.publicKey, out.enc_x25519_pk);
  expectHex('enc_x25519_sk', kp!.secretKey, out.enc_x25519_sk);
  const opened = await openWithLegacyKeyPair({ publicKey: m.x25519PublicKey, secretKey: m.x25519SecretKey }, ct);
  expectHex('keypair_protobuf', opened.plaintext, out.keypair_protobuf);
  expectHex('sender_ed25519_pk', opened.senderEd25519PublicKey, out.sender_ed25519_pk);
  expectEqual('sender session id', opened.senderSessionId, admin.session_id);
  const decoded = decodeLegacyKeyPair(hex(out.keypair_protobuf));
  expectHex('keypair_protobuf public key', decoded.publicKey, out.enc_x25519_pk);
  expectHex('keypair_protobuf (re-encoded)', encodeLegacyKeyPair(decoded), out.keypair_protobuf);
  // Only an admin may distribute the key pair; another user has no wrapper.
  await expectSdkError('wrapper from a non-admin', 'NOT_ADMIN', () => openLegacyKeyPairWrappers(m.ed25519SecretKey, wrappers, [m.sessionId]));
  expectNone('another user has no wrapper', await openLegacyKeyPairWrappers(a.ed25519SecretKey, wrappers, [admin.session_id]));
}

async function groupMessage(v: Doc): Promise<void> {
  const out = v.outputs;
  const kp = { publicKey: hex(v.inputs.enc_x25519_pk), secretKey: hex(v.inputs.enc_x25519_sk) };
  const ct = hex(v.inputs.ciphertext);
  // Stored pairs are tried newest first: the right one among unrelated ones is found.
  const r = await decryptLegacyGroupMessage([generateLegacyEncryptionKeyPair(), kp, generateLegacyEncryptionKeyPair()], ct);
  expectEqual('key pair index', r.keyPairIndex, 1);
  expectHex('padded_plaintext', r.plaintext, out.padded_plaintext);
  expectEqual('padded_len', r.plaintext.length, out.padded_len);
  expectHex('content', r.content, out.content);
  expectHex('sender_ed25519_pk', r.senderEd25519PublicKey, out.sender_ed25519_pk);
  expectEqual('sender_session_id', r.senderSessionId, out.sender_session_id);
  await expectSdkError('without the group key pair', 'DECRYPT_FAILED', () => decryptLegacyGroupMessage([generateLegacyEncryptionKeyPair()], ct));
  const bad = ct.slice();
  bad[bad.length - 1]! ^= 1;
  await expectSdkError('tampered ciphertext', 'DECRYPT_FAILED', () => decryptLegacyGroupMessage([kp], bad));
}

/** The wire value of an envelope type: field 1 (varint) of the encoded Envelope. */
function envelopeTypeValue(type: EnvelopeType): number {
  const b = encodeEnvelope({ type, timestamp: 1, content: Uint8Array.of(0) });
  expectEqual('Envelope field 1 (type, varint) comes first', b[0], 0x08);
  return b[1]!;
}

function constants(v: Doc): void {
  const c = v.outputs;
  expectEqual('CLOSED_GROUP_SIZE_LIMIT', LEGACY_GROUP_SIZE_LIMIT, c.CLOSED_GROUP_SIZE_LIMIT);
  expectEqual('legacy_group_namespace', LEGACY_GROUP_NAMESPACE, c.legacy_group_namespace);
  expectEqual('envelope_type_CLOSED_GROUP_MESSAGE', envelopeTypeValue('CLOSED_GROUP_MESSAGE'), c.envelope_type_CLOSED_GROUP_MESSAGE);
  expectEqual('envelope_type_SESSION_MESSAGE', envelopeTypeValue('SESSION_MESSAGE'), c.envelope_type_SESSION_MESSAGE);
  const types = c.ClosedGroupControlMessage_types;
  if (typeof types !== 'object' || types === null) throw new Error('ClosedGroupControlMessage_types is not an object');
  const sdk: Record<string, number> = LegacyControlType;
  expectEqual('control message type names', Object.keys(sdk).sort().join(','), Object.keys(types).sort().join(','));
  for (const [name, value] of Object.entries(types)) expectEqual(`ClosedGroupControlMessage ${name}`, sdk[name], value);
}

export const legacyClosedGroups: FileVerifier = async (doc, rec) => {
  const run = namedVectorRunner(doc, rec);
  await run('legacy_padding_desktop', padding);
  await run('legacy_keypair_wrapper', keyPairWrapper);
  await run('legacy_group_message', groupMessage);
  await run('legacy_constants', constants);
  skipOtherVectors(doc, ['legacy_padding_desktop', 'legacy_keypair_wrapper', 'legacy_group_message', 'legacy_constants'], rec);
};
