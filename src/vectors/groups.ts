/**
 * The groups area of `session-sdk vectors verify`: the registry of its file verifiers, and the
 * verifier of test-vectors/groups/group-messages.json (spec/groups.md §2.8), as
 * test/groups/message-vectors.test.ts — each message decrypted, its inner layer and signature
 * compared, and re-encrypted with the vector's nonce where the SDK writes that form. The member
 * keyring is loaded from the gen-2 keys message of groups-v2-keys.json in the same directory.
 * The other files' verifiers live in groups-keys.ts, groups-multi.ts, groups-swarm.ts and
 * groups-legacy.ts.
 * @module
 */
import {
  createGroupKeys,
  decryptGroupMessage,
  destroyIdentity,
  encodeEnvelope,
  encryptGroupContent,
  encryptGroupMessage,
  identityFromSeed,
  loadKeyMessage,
  verifyEd25519,
  zstdDecompressBounded,
  type DecryptedGroupMessage,
  type GroupKeys,
} from '../index.js';
import { byId, expectEqual, expectSdkError, hex, skipOtherVectors, toHex, type FileVerifier } from './check.js';
import { ascii, expectHex, xOpen } from './groups-common.js';
import { groupsV2Keys } from './groups-keys.js';
import { legacyClosedGroups } from './groups-legacy.js';
import { multiEncrypt } from './groups-multi.js';
import { swarmAuth } from './groups-swarm.js';
import { concatBytes } from '../util/bytes.js';

/** The time the vectors' keys message is loaded at (its keys are valid then). */
const LOAD_TIME_MS = 1680064060000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function keyring(keysDoc: any, memberSeedHex: unknown, groupPkHex: unknown): Promise<GroupKeys> {
  const msg = byId(keysDoc, 'rekey_gen2_three_members')?.outputs?.keys_message;
  if (msg === undefined) throw new Error('groups-v2-keys.json has no rekey_gen2_three_members keys message');
  const id = identityFromSeed(hex(memberSeedHex));
  try {
    const k = createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: hex(groupPkHex) });
    expectEqual('keys message loads', await loadKeyMessage(k, hex(msg), LOAD_TIME_MS), true);
    return k;
  } finally {
    destroyIdentity(id);
  }
}

/** Whether `needle` occurs in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The inner layer of a group message (spec/groups.md §2.8), opened with the keyring's key so the
 * vector's intermediates can be compared: the padded length and the bencoded dict when the vector
 * states them, and always the signature — carried in the dict and valid over `signed`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function checkInner(v: any, k: GroupKeys, ct: Uint8Array, out: DecryptedGroupMessage, signed: Uint8Array, fields: { paddedLen?: boolean; inner?: boolean }): Uint8Array {
  const padded = xOpen('inner layer', k.encryptionKey(), ct.subarray(0, 24), ct.subarray(24));
  if (fields.paddedLen) expectEqual('padded_inner_len', padded.length, v.outputs.padded_inner_len);
  let n = padded.length;
  while (n > 0 && padded[n - 1] === 0) n--;
  const inner = padded.subarray(0, n);
  if (fields.inner) expectHex('inner_bencoded', inner, v.outputs.inner_bencoded);
  const sig = hex(v.outputs.signature);
  expectEqual('signature in the inner dict', contains(inner, concatBytes(ascii('1:s64:'), sig)), true);
  expectEqual('signature verifies over what it covers', verifyEd25519(sig, signed, out.senderEd25519PublicKey), true);
  return inner;
}

const groupMessages: FileVerifier = async (doc, rec, ctx) => {
  // The keys file is read lazily so that its absence fails the vectors, not the whole run.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let keysDoc: any;
  const keys = async (seed: unknown, groupPk: unknown, encKey: unknown): Promise<GroupKeys> => {
    keysDoc ??= ctx.loadSibling('groups/groups-v2-keys.json');
    const k = await keyring(keysDoc, seed, groupPk);
    expectEqual('group encryption key', toHex(k.encryptionKey()), encKey);
    return k;
  };
  const current = byId(doc, 'group_message_v1_uncompressed_current');

  if (current) {
    await rec.vector('group_message_v1_uncompressed_current (decrypt)', async () => {
      const v = current;
      const k = await keys(v.inputs.sender_ed25519_seed, v.inputs.group_ed25519_pk, v.inputs.group_enc_key);
      const ct = hex(v.outputs.ciphertext);
      const out = await decryptGroupMessage(k, ct);
      expectEqual('plaintext', toHex(out.plaintext), v.inputs.plaintext);
      expectEqual('sender session id', out.senderSessionId, v.outputs.sender_session_id);
      expectEqual('old signature', out.oldSignature, false);
      checkInner(v, k, ct, out, concatBytes(out.plaintext, k.groupEd25519PublicKey), { paddedLen: true, inner: true });
      // The vector's nonce injected: the SDK's encryption reproduces the ciphertext.
      const again = await encryptGroupMessage(k, hex(v.inputs.plaintext), { nonce: hex(v.inputs.nonce), compress: v.inputs.compress, padding: v.inputs.padding });
      expectEqual('re-encrypt: ciphertext_len', again.length, v.outputs.ciphertext_len);
      expectHex('re-encrypt: ciphertext', again, v.outputs.ciphertext);
    });
  }
  const old = byId(doc, 'group_message_v1_uncompressed_pre_pr21');
  if (old) {
    await rec.vector('group_message_v1_uncompressed_pre_pr21 (decrypt)', async () => {
      const v = old;
      const k = await keys(v.inputs.sender_ed25519_seed, v.inputs.group_ed25519_pk, v.inputs.group_enc_key);
      const ct = hex(v.outputs.ciphertext);
      // Pre-PR-21 signatures cover the plaintext only: refused unless explicitly allowed.
      await expectSdkError('default decrypt', 'BAD_SIGNATURE', () => decryptGroupMessage(k, ct));
      const out = await decryptGroupMessage(k, ct, { allowOldSignature: true });
      expectEqual('plaintext', toHex(out.plaintext), v.inputs.plaintext);
      expectEqual('sender session id', out.senderSessionId, v.outputs.sender_session_id);
      expectEqual('old signature', out.oldSignature, true);
      expectEqual('ciphertext_len', ct.length, v.outputs.ciphertext_len);
      expectHex('nonce', ct.subarray(0, 24), v.inputs.nonce);
      checkInner(v, k, ct, out, out.plaintext, { paddedLen: true, inner: true });
    });
  }
  const wrapped = byId(doc, 'group_message_envelope_wrapped');
  if (wrapped) {
    await rec.vector('group_message_envelope_wrapped (decrypt)', async () => {
      const v = wrapped;
      const k = await keys(v.inputs.sender_ed25519_seed, v.inputs.group_ed25519_pk, v.inputs.group_enc_key);
      const ct = hex(v.outputs.ciphertext);
      const out = await decryptGroupMessage(k, ct);
      expectEqual('plaintext (envelope)', toHex(out.plaintext), v.outputs.envelope_protobuf);
      expectEqual('sender session id', out.senderSessionId, v.outputs.sender_session_id);
      checkInner(v, k, ct, out, concatBytes(out.plaintext, k.groupEd25519PublicKey), { inner: true });
      // Desktop's writer: Envelope{type 7, source = group id, timestamp, content}, uncompressed.
      const content = hex(v.inputs.content_protobuf);
      const env = encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', source: k.groupId, timestamp: v.inputs.envelope_timestamp_ms, content });
      expectHex('envelope_protobuf from content_protobuf', env, v.outputs.envelope_protobuf);
      const nonce = hex(v.inputs.nonce);
      expectHex('re-encrypt: ciphertext', await encryptGroupMessage(k, env, { nonce, compress: false }), v.outputs.ciphertext);
      const viaContent = await encryptGroupContent(k, content, { style: 'desktop', timestampMs: v.inputs.envelope_timestamp_ms, nonce, compress: false });
      expectHex('encryptGroupContent (desktop): ciphertext', viaContent, v.outputs.ciphertext);
    });
  }
  const zstd = byId(doc, 'group_message_zstd_decrypt_only');
  if (zstd) {
    await rec.vector('group_message_zstd_decrypt_only (decrypt)', async () => {
      const v = zstd;
      // Any member can decrypt; the vectors use the current-message sender's keyring.
      const member = current?.inputs?.sender_ed25519_seed;
      const k = await keys(member, v.inputs.group_ed25519_pk, v.inputs.group_enc_key);
      const ct = hex(v.inputs.ciphertext);
      expectEqual('ciphertext_len', ct.length, v.outputs.ciphertext_len);
      const out = await decryptGroupMessage(k, ct);
      expectEqual('plaintext', new TextDecoder().decode(out.plaintext), v.outputs.plaintext_utf8);
      expectEqual('plaintext_len', out.plaintext.length, v.outputs.plaintext_len);
      expectEqual('sender session id', out.senderSessionId, v.outputs.sender_session_id);
      const frame = hex(v.outputs.zstd_frame);
      const inner = checkInner(v, k, ct, out, concatBytes(frame, k.groupEd25519PublicKey), {});
      expectEqual('zstd_frame is the z field', contains(inner, concatBytes(ascii(`1:z${frame.length}:`), frame)), true);
      expectEqual('zstd_frame decompresses to plaintext_utf8', new TextDecoder().decode(zstdDecompressBounded(frame, 1_000_000)), v.outputs.plaintext_utf8);
    });
  }
  const sizes = byId(doc, 'group_message_sizes_upstream');
  if (sizes) {
    await rec.vector('group_message_sizes_upstream', async () => {
      const v = sizes;
      keysDoc ??= ctx.loadSibling('groups/groups-v2-keys.json');
      const ids = byId(keysDoc, 'test_identities')?.inputs;
      const groupPk = toHex(identityFromSeed(hex(ids?.group_ed25519_seed)).ed25519PublicKey);
      const k = await keyring(keysDoc, ids?.users?.[v.inputs.sender], groupPk);
      if (typeof v.inputs.base_utf8 !== 'string' || !Number.isSafeInteger(v.inputs.doublings)) throw new Error('base_utf8 / doublings missing');
      const pt = new TextEncoder().encode(v.inputs.base_utf8.repeat(2 ** v.inputs.doublings));
      const out = v.outputs;
      // libsession compresses only when that is smaller (here it is), so both sizes are pinned.
      for (const [what, compress, len] of [['uncompressed', false, out.uncompressed_ciphertext_len], ['compressed', true, out.compressed_ciphertext_len]] as const) {
        const ct = await encryptGroupMessage(k, pt, { compress });
        expectEqual(`${what}_ciphertext_len`, ct.length, len);
        const got = await decryptGroupMessage(k, ct);
        expectEqual(`${what}: plaintext`, toHex(got.plaintext), toHex(pt));
        expectEqual(`${what}: decrypted_sender_session_id`, got.senderSessionId, out.decrypted_sender_session_id);
        ct[ct.length - 1]! ^= 1;
        await expectSdkError(`${what}: last byte flipped`, 'DECRYPT_FAILED', () => decryptGroupMessage(k, ct));
      }
    });
  }
  skipOtherVectors(
    doc,
    ['group_message_v1_uncompressed_current', 'group_message_v1_uncompressed_pre_pr21', 'group_message_envelope_wrapped', 'group_message_zstd_decrypt_only', 'group_message_sizes_upstream'],
    rec,
  );
};

/** Verifiers of the groups area, by file name. */
export const GROUPS_VERIFIERS: Record<string, FileVerifier> = {
  'group-messages.json': groupMessages,
  'groups-v2-keys.json': groupsV2Keys,
  'legacy-closed-groups.json': legacyClosedGroups,
  'multi-encrypt.json': multiEncrypt,
  'swarm-auth.json': swarmAuth,
};
