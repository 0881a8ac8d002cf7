/**
 * Verifier for test-vectors/groups/multi-encrypt.json (spec/groups.md §2.3, §2.11), the
 * user-facing replay of test/groups/multi-swarm-vectors.test.ts: libsession's multi-recipient
 * encryption with the vectors' fixed nonces, its "simple" bencoded form, and the kicked notice.
 * @module
 */
import {
  decodeMultiSimple,
  decryptForMultiple,
  decryptForMultipleSimple,
  encryptForMultiple,
  encryptForMultipleSimple,
  identityFromSeed,
  makeKickedNotice,
  openKickedNotice,
  type Identity,
} from '../index.js';
import { byId, expectEqual, hex, list, skipOtherVectors, toHex, type FileVerifier, type VerifyContext } from './check.js';
import { ascii, expectHex, expectNone, hexOrNone, keyringFor, namedVectorRunner, testUsers, userBySessionId } from './groups-common.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

/** The identities of `multi_encrypt_x25519_keys` (its input seeds), by index. */
function keyPairs(doc: Doc): Identity[] {
  const v = byId(doc, 'multi_encrypt_x25519_keys');
  if (!v) throw new Error('multi_encrypt_x25519_keys is missing (the other vectors index its seeds)');
  return list(v.inputs, 'ed25519_seeds').map((s) => identityFromSeed(hex(s)));
}

/** A `decrypt_results` key: `"<i>"`, `"<i>_with_domain_'<domain>'"` or `"<i>_not_a_recipient"`. */
function parseResultKey(key: string, domain: string): { index: number; domain: string } {
  const m = /^(\d+)(?:_with_domain_'(.*)'|_not_a_recipient)?$/u.exec(key);
  if (!m) throw new Error(`unknown decrypt_results entry ${key}`);
  return { index: Number(m[1]), domain: m[2] ?? domain };
}

async function sameMessage(doc: Doc, v: Doc): Promise<void> {
  const kp = keyPairs(doc);
  const sender = kp[v.inputs.sender_index]!;
  const nonce = hex(v.inputs.nonce);
  const msg = hex(v.inputs.message_hex);
  expectEqual('message_hex is message_utf8', text(msg), v.inputs.message_utf8);
  const recipients = list(v.inputs, 'recipient_indices').map((i) => kp[i]!.x25519PublicKey);
  const cts = await encryptForMultiple([msg], recipients, nonce, sender.x25519SecretKey, sender.x25519PublicKey, v.inputs.domain);
  const want = list(v.outputs, 'ciphertexts');
  expectEqual('ciphertext count', cts.length, want.length);
  want.forEach((c, j) => expectHex(`ciphertexts[${j}]`, cts[j]!, c));
  const results = v.outputs.decrypt_results;
  if (typeof results !== 'object' || results === null || Object.keys(results).length === 0) throw new Error('no decrypt_results');
  for (const [key, expected] of Object.entries(results)) {
    const { index, domain } = parseResultKey(key, v.inputs.domain);
    const r = kp[index];
    if (!r) throw new Error(`decrypt_results ${key}: no key pair ${index}`);
    const pt = await decryptForMultiple(cts, nonce, r.x25519SecretKey, r.x25519PublicKey, sender.x25519PublicKey, domain);
    if (expected === null) expectNone(`decrypt ${key}`, pt);
    else expectEqual(`decrypt ${key}`, text(pt), expected);
  }
}

async function perRecipient(doc: Doc, v: Doc): Promise<void> {
  const kp = keyPairs(doc);
  const sender = kp[v.inputs.sender_index]!;
  const nonce = hex(v.inputs.nonce);
  const indices = list(v.inputs, 'recipient_indices');
  const msgs = list(v.inputs, 'messages_utf8').map((m: string) => ascii(m));
  const cts = await encryptForMultiple(msgs, indices.map((i) => kp[i]!.x25519PublicKey), nonce, sender.x25519SecretKey, sender.x25519PublicKey, v.inputs.domain);
  const want = list(v.outputs, 'ciphertexts');
  expectEqual('ciphertext count', cts.length, want.length);
  want.forEach((c, j) => expectHex(`ciphertexts[${j}]`, cts[j]!, c));
  for (const [j, i] of indices.entries()) {
    const r = kp[i]!;
    const pt = await decryptForMultiple(cts, nonce, r.x25519SecretKey, r.x25519PublicKey, sender.x25519PublicKey, v.inputs.domain);
    expectEqual(`recipient ${i} decrypts its message`, text(pt), v.inputs.messages_utf8[j]);
  }
}

async function simpleEncoding(doc: Doc, v: Doc): Promise<void> {
  const base = byId(doc, v.inputs.same_as);
  if (!base) throw new Error(`same_as ${String(v.inputs.same_as)} is missing`);
  const kp = keyPairs(doc);
  const sender = kp[base.inputs.sender_index]!;
  const indices = list(base.inputs, 'recipient_indices');
  const msgs = list(base.inputs, 'messages_utf8').map((m: string) => ascii(m));
  const enc = await encryptForMultipleSimple(msgs, indices.map((i) => kp[i]!.x25519PublicKey), sender.ed25519SecretKey, base.inputs.domain, {
    nonce: hex(base.inputs.nonce),
  });
  expectHex('encoded', enc, v.outputs.encoded);
  for (const [j, i] of indices.entries()) {
    const pt = await decryptForMultipleSimple(enc, kp[i]!.ed25519SecretKey, sender.x25519PublicKey, base.inputs.domain);
    expectEqual(`recipient ${i} decrypts its message`, text(pt), base.inputs.messages_utf8[j]);
  }
  // Every key pair that is neither sender nor recipient gets nothing.
  for (const [i, other] of kp.entries()) {
    if (i === base.inputs.sender_index || indices.includes(i)) continue;
    expectNone(`non-recipient ${i}`, await decryptForMultipleSimple(enc, other.ed25519SecretKey, sender.x25519PublicKey, base.inputs.domain));
  }
}

// spec/groups.md §2.11: needs the test identities of groups-v2-keys.json to open the notice.
async function kickedNotice(v: Doc, ctx: VerifyContext): Promise<void> {
  const users = testUsers(ctx.loadSibling('groups/groups-v2-keys.json'));
  const seed = hex(v.inputs.group_ed25519_seed);
  const admin1 = users.get('admin1');
  if (!admin1) throw new Error('groups-v2-keys.json has no admin1');
  const admin = keyringFor(admin1.seed, seed, true);
  const sids = list(v.inputs, 'recipients_session_ids');
  const notice = await makeKickedNotice(admin, sids, v.inputs.current_generation, { nonce: hex(v.inputs.nonce) });
  expectHex('encoded', notice, v.outputs.encoded);
  const d = decodeMultiSimple(notice);
  expectHex('nonce', d.nonce, v.inputs.nonce);
  const cts = list(v.outputs, 'ciphertexts');
  expectEqual('entries', d.entries.length, cts.length);
  cts.forEach((c, j) => expectHex(`ciphertexts[${j}]`, d.entries[j]!, c));
  const messages = list(v.inputs, 'messages');
  for (const [j, sid] of sids.entries()) {
    const u = userBySessionId(users, sid);
    const pt = await decryptForMultipleSimple(notice, u.ed25519SecretKey, admin.groupX25519PublicKey, v.inputs.domain);
    expectEqual(`recipient ${j} message`, hexOrNone(pt), messages[j]);
    expectEqual(`recipient ${j} opens the notice`, (await openKickedNotice(keyringFor(u.seed, seed, false), notice))?.generation, v.inputs.current_generation);
  }
  for (const [name, u] of users) {
    if (sids.includes(u.sessionId)) continue;
    expectNone(`${name} (not removed)`, await openKickedNotice(keyringFor(u.seed, seed, false), notice));
  }
}

export const multiEncrypt: FileVerifier = async (doc, rec, ctx) => {
  const run = namedVectorRunner(doc, rec);
  await run('multi_encrypt_x25519_keys', async (v) => {
    const want = list(v.outputs, 'x25519_pubkeys');
    const kp = keyPairs(doc);
    expectEqual('key count', kp.length, want.length);
    want.forEach((x, i) => expectHex(`x25519_pubkeys[${i}]`, kp[i]!.x25519PublicKey, x));
  });
  await run('multi_encrypt_same_message', (v) => sameMessage(doc, v));
  await run('multi_encrypt_per_recipient_messages', (v) => perRecipient(doc, v));
  await run('multi_encrypt_simple_encoding', (v) => simpleEncoding(doc, v));
  await run('group_kicked_notice', (v) => kickedNotice(v, ctx));
  skipOtherVectors(
    doc,
    ['multi_encrypt_x25519_keys', 'multi_encrypt_same_message', 'multi_encrypt_per_recipient_messages', 'multi_encrypt_simple_encoding', 'group_kicked_notice'],
    rec,
  );
};
