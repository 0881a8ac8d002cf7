/**
 * Verifier for test-vectors/groups/groups-v2-keys.json (spec/groups.md §2.1–2.6), the user-facing
 * replay of test/groups/keys-vectors.test.ts: test identities, seed hashes, the admin's rekey
 * history (gen 0 → 1 → 2) and a key supplement, each replayed through the public groups API and
 * compared byte for byte, then loaded by every test user (members must obtain the key, everyone
 * else must not). Each vector replays its own history from the earlier vectors' *inputs*, so a
 * damaged expected value fails that vector alone.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { chacha20 } from '@noble/ciphers/chacha.js';
import {
  createGroupKeys,
  decodeKeysMessage,
  decryptForMultiple,
  getCryptoProvider,
  identityFromSeed,
  keySupplement,
  loadKeyMessage,
  makeSubaccount,
  multiEncryptKey,
  rekey,
  sessionIdToPublicKey,
  type FullKeysMessage,
  type GroupKeys,
  type SupplementKeysMessage,
} from '../index.js';
import { byId, expectEqual, hex, list, skipOtherVectors, toHex, type FileVerifier } from './check.js';
import { ascii, expectHex, hexOrNone, hk, keyringFor, namedVectorRunner, testUsers, userBySessionId, xOpen } from './groups-common.js';
import { concatBytes } from '../util/bytes.js';

/** The admin's key history, in order (spec/groups.md §2.4). */
const REKEY_STEPS = ['rekey_gen0_no_members', 'rekey_gen1_five_members', 'rekey_gen2_three_members'] as const;
/** Swarm storage times the history's keys messages are loaded at: the upstream test's clock. */
const REKEY_LOAD_TIMES_MS = [1680064058000, 1680064059000, 1680064060000];
const MEMBER_DOMAIN = 'SessionGroupKeyMemberKey';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const admin1Seed = (doc: Doc): Uint8Array => hex(byId(doc, 'test_identities')?.inputs?.users?.admin1);

/**
 * An admin keyring of `groupSeed` that has issued and loaded the first `steps` rekeys of the
 * history (from those vectors' inputs); returns it with the messages it issued, by generation.
 */
async function replayHistory(doc: Doc, groupSeed: Uint8Array, steps: number): Promise<{ admin: GroupKeys; messages: Uint8Array[] }> {
  const admin = keyringFor(admin1Seed(doc), groupSeed, true);
  const messages: Uint8Array[] = [];
  for (let i = 0; i < steps; i++) {
    const step = byId(doc, REKEY_STEPS[i]!);
    if (!step) throw new Error(`history step ${REKEY_STEPS[i]!} is missing`);
    const msg = await rekey(admin, list(step.inputs, 'member_session_ids_sorted'));
    expectEqual(`history: ${REKEY_STEPS[i]!} loads for the admin`, await loadKeyMessage(admin, msg, REKEY_LOAD_TIMES_MS[i]!), true);
    messages.push(msg);
  }
  return { admin, messages };
}

const keyInfos = (k: GroupKeys): string => JSON.stringify(k.knownKeys().map((x) => ({ g: x.generation, k: toHex(x.key), t: x.timestampMs })));

/** Every test user's member keyring loads `msg` iff it is in `members`, then holds `encKey`. */
async function checkMemberLoads(doc: Doc, groupSeed: Uint8Array, msg: Uint8Array, members: readonly unknown[], atMs: number, encKey: unknown): Promise<void> {
  for (const [name, u] of testUsers(doc)) {
    const mk = keyringFor(u.seed, groupSeed, false);
    const isMember = members.includes(u.sessionId);
    expectEqual(`${name} loads the message`, await loadKeyMessage(mk, msg, atMs), isMember);
    if (isMember) expectEqual(`${name}'s group key`, toHex(mk.encryptionKey()), encKey);
    else expectEqual(`${name} holds no key`, mk.size, 0);
  }
}

// spec/groups.md §2.1
async function identities(v: Doc): Promise<void> {
  const group = identityFromSeed(hex(v.inputs.group_ed25519_seed));
  expectHex('group_ed25519_pk', group.ed25519PublicKey, v.outputs.group_ed25519_pk);
  const inputs = v.inputs.users;
  const names = Object.keys(v.outputs.users ?? {});
  if (names.length === 0) throw new Error('no users in outputs');
  expectEqual('users with expectations', names.join(','), Object.keys(inputs ?? {}).join(','));
  for (const name of names) {
    const want = v.outputs.users[name];
    const id = identityFromSeed(hex(inputs[name]));
    expectHex(`${name} ed25519_seed`, id.seed, want.ed25519_seed);
    expectHex(`${name} ed25519_pk`, id.ed25519PublicKey, want.ed25519_pk);
    expectHex(`${name} x25519_pk`, id.x25519PublicKey, want.x25519_pk);
    expectEqual(`${name} session_id`, id.sessionId, want.session_id);
    const mk = createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: group.ed25519PublicKey });
    expectEqual(`${name} keyring session id`, mk.userSessionId, want.session_id);
    expectEqual('group_id', mk.groupId, v.outputs.group_id);
  }
}

// spec/groups.md §2.2: each seed hash recomputed, then shown to be the value the SDK uses.
async function seedHashes(doc: Doc, v: Doc): Promise<void> {
  const seed = hex(v.inputs.group_ed25519_seed);
  const admin = keyringFor(admin1Seed(doc), seed, true);
  expectHex('group_x25519_pk', admin.groupX25519PublicKey, v.outputs.group_x25519_pk);
  for (const label of ['SessionGroupKeySeed', 'SessionGroupKeyAdminKey', 'SessionGroupSubaccountMask']) {
    expectHex(label, hk(32, label, seed), v.outputs[label]);
  }
  // H2 keys the gen-0 key; the admin key opens the message's K; the mask blinds a subaccount.
  const msg = await rekey(admin, []);
  const h1 = hk(56, 'SessionGroupKeyGen', ascii('0'), hex(v.outputs.SessionGroupKeySeed));
  expectHex('SDK gen-0 key from SessionGroupKeySeed', admin.encryptionKey(), toHex(h1.subarray(0, 32)));
  const d = decodeKeysMessage(msg) as FullKeysMessage;
  expectEqual('keys message kind', d.kind, 'full');
  expectHex('K opened with SessionGroupKeyAdminKey', xOpen('K', hex(v.outputs.SessionGroupKeyAdminKey), d.nonce, d.adminKey), toHex(h1.subarray(0, 32)));
  const X = admin.userX25519PublicKey;
  const k = ed25519.Point.Fn.create(bytesToBigLE(hk(64, hex(v.outputs.SessionGroupSubaccountMask), Uint8Array.of(0x05), X, Uint8Array.of(0x03), admin.groupEd25519PublicKey)));
  const sv = await makeSubaccount(admin, admin.userSessionId);
  expectHex('SDK subaccount blinding from SessionGroupSubaccountMask', sv.subarray(4, 36), toHex(ed25519.Point.Fn.toBytes(k)));
}

function bytesToBigLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

// spec/groups.md §2.4
async function rekeyStep(doc: Doc, v: Doc, step: number): Promise<void> {
  const seed = hex(v.inputs.group_ed25519_seed);
  const out = v.outputs;
  const { admin } = await replayHistory(doc, seed, step);
  expectEqual('generation', admin.confirmedGeneration + 1, v.inputs.generation);
  const sids: string[] = list(v.inputs, 'member_session_ids_sorted');
  // Given in reverse: the SDK must sort, as libsession's Members config iterates in order.
  const msg = await rekey(admin, [...sids].reverse());
  expectEqual('keys_message_len', msg.length, out.keys_message_len);
  expectHex('keys_message', msg, out.keys_message);
  expectHex('group_enc_key (pending)', admin.encryptionKey(), out.group_enc_key);
  expectEqual('the admin loads its message', await loadKeyMessage(admin, msg, REKEY_LOAD_TIMES_MS[step]!), true);
  expectEqual('generation after load', admin.generation, v.inputs.generation);

  const d = decodeKeysMessage(msg) as FullKeysMessage;
  expectEqual('keys message kind', d.kind, 'full');
  expectHex('nonce', d.nonce, out.nonce);
  expectHex('K_admin_ciphertext', d.adminKey, out.K_admin_ciphertext);
  expectEqual('signed_prefix_len', d.signedData.length, out.signed_prefix_len);
  expectHex('signature', d.signature, out.signature);
  const members = list(out, 'members');
  expectEqual('member entries + junk', d.memberKeys.length, members.length + out.n_junk);

  // Derivation intermediates (recomputed, then tied to the SDK's key, nonce and entries).
  expectHex('seed_hash_SessionGroupKeySeed', hk(32, 'SessionGroupKeySeed', seed), out.seed_hash_SessionGroupKeySeed);
  const h1 = hk(56, 'SessionGroupKeyGen', ...sids.map(ascii), ascii(String(v.inputs.generation)), hex(out.seed_hash_SessionGroupKeySeed));
  expectHex('h1_56', h1, out.h1_56);
  expectHex('h1_56 = group_enc_key ‖ nonce', hex(out.h1_56), `${String(out.group_enc_key)}${String(out.nonce)}`);
  expectHex('K opened with the admin key', xOpen('K', hex(out.admin_key_SessionGroupKeyAdminKey), d.nonce, d.adminKey), out.group_enc_key);
  expectHex('admin_key_SessionGroupKeyAdminKey', hk(32, 'SessionGroupKeyAdminKey', seed), out.admin_key_SessionGroupKeyAdminKey);

  const group = identityFromSeed(seed);
  for (const [j, m] of members.entries()) {
    expectEqual(`members[${j}].session_id (sorted)`, sids[j], m.session_id);
    expectHex(`members[${j}].ciphertext`, d.memberKeys[j]!, m.ciphertext);
    expectHex(`members[${j}] opened with its outer key`, xOpen(`members[${j}].ciphertext`, hex(m.member_outer_key), d.nonce, hex(m.ciphertext)), out.group_enc_key);
    const X = sessionIdToPublicKey(m.session_id);
    const dh = await getCryptoProvider().x25519(group.x25519SecretKey, X);
    expectHex(`members[${j}].member_outer_key`, multiEncryptKey(dh, group.x25519PublicKey, X, MEMBER_DOMAIN), m.member_outer_key);
  }
  if (out.n_junk === 0) {
    expectEqual('junk_rng_seed (none without junk)', out.junk_rng_seed === null ? 'null' : String(out.junk_rng_seed), 'null');
  } else {
    expectHex('junk_rng_seed', hk(32, 'SessionGroupJunkMembers', h1, group.ed25519SecretKey), out.junk_rng_seed);
    // randombytes_buf_deterministic = ChaCha20-IETF keystream, nonce "LibsodiumDRG", counter 0.
    const junk = chacha20(hex(out.junk_rng_seed), ascii('LibsodiumDRG'), new Uint8Array(48 * out.n_junk));
    expectHex('junk entries', concatBytes(...d.memberKeys.slice(members.length)), toHex(junk));
  }
  await checkMemberLoads(doc, seed, msg, sids, REKEY_LOAD_TIMES_MS[step]!, out.group_enc_key);
}

// spec/groups.md §2.5
async function supplement(doc: Doc, v: Doc): Promise<void> {
  const seed = hex(v.inputs.group_ed25519_seed);
  const out = v.outputs;
  const keys = list(v.inputs, 'keys');
  const { messages } = await replayHistory(doc, seed, Math.max(...keys.map((k) => Number(k.g))) + 1);
  // An admin that holds exactly the listed keys, loaded from the swarm at the listed times.
  const admin = keyringFor(admin1Seed(doc), seed, true);
  for (const k of keys) expectEqual(`admin loads gen ${String(k.g)}`, await loadKeyMessage(admin, messages[k.g]!, k.t), true);
  const wantKeys = JSON.stringify(keys.map((k) => ({ g: k.g, k: k.k, t: k.t })));
  expectEqual('admin keys', keyInfos(admin), wantKeys);

  const recipients: string[] = list(v.inputs, 'recipient_session_ids');
  const supp = await keySupplement(admin, recipients);
  expectHex('supplement_message', supp, out.supplement_message);
  const d = decodeKeysMessage(supp) as SupplementKeysMessage;
  expectEqual('keys message kind', d.kind, 'supplement');
  expectHex('nonce', d.nonce, out.nonce);
  expectEqual('G', d.generation, out.G);
  const cts = list(out, 'ciphertexts');
  expectEqual('entries', d.entries.length, cts.length);
  cts.forEach((c, j) => expectHex(`ciphertexts[${j}]`, d.entries[j]!, c));
  expectHex('signature', d.signature, out.signature);
  const h2 = hk(32, 'SessionGroupKeySeed', seed);
  expectHex('nonce derivation', hk(24, 'SessionGroupKeyGen', ...recipients.map(ascii), hex(out.inner_plaintext_bencoded), h2), out.nonce);

  const users = testUsers(doc);
  const group = identityFromSeed(seed);
  const atMs = Math.max(...keys.map((k) => Number(k.t))) + 10_000;
  for (const [j, sid] of recipients.entries()) {
    const u = userBySessionId(users, sid);
    const inner = await decryptForMultiple([d.entries[j]!], d.nonce, u.x25519SecretKey, u.x25519PublicKey, group.x25519PublicKey, MEMBER_DOMAIN);
    expectEqual(`recipient ${j} inner plaintext`, hexOrNone(inner), out.inner_plaintext_bencoded);
  }
  for (const [name, u] of users) {
    const mk = keyringFor(u.seed, seed, false);
    const isRecipient = recipients.includes(u.sessionId);
    expectEqual(`${name} loads the supplement`, await loadKeyMessage(mk, supp, atMs), isRecipient);
    if (isRecipient) {
      expectEqual(`${name}'s keys`, keyInfos(mk), wantKeys);
      expectEqual(`${name}'s group key`, toHex(mk.encryptionKey()), keys[keys.length - 1].k);
    }
  }
  expectEqual('an admin ignores supplements', await loadKeyMessage(keyringFor(admin1Seed(doc), seed, true), supp, atMs), false);
}

export const groupsV2Keys: FileVerifier = async (doc, rec) => {
  const run = namedVectorRunner(doc, rec);
  await run('test_identities', identities);
  await run('group_seed_hashes', (v) => seedHashes(doc, v));
  for (const [i, name] of REKEY_STEPS.entries()) await run(name, (v) => rekeyStep(doc, v, i));
  await run('key_supplement_two_new_members', (v) => supplement(doc, v));
  skipOtherVectors(doc, ['test_identities', 'group_seed_hashes', ...REKEY_STEPS, 'key_supplement_two_new_members'], rec);
};
