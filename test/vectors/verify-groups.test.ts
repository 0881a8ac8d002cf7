// `session-sdk vectors verify` for test-vectors/groups/ (issue 7): every vector of the area runs
// and passes, none is skipped; a changed expected value fails exactly its vector with a findable
// label (other vectors of the same run keep passing, showing each vector replays its own
// history); malformed vectors fail instead of crashing or passing.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder, NO_VERIFIER, type FileReport, type VerifyContext } from '../../src/vectors/check.js';
import { GROUPS_VERIFIERS } from '../../src/vectors/groups.js';
import { formatVectorReport, verifyVectorDirectory } from '../../src/vectors/verify.js';
import { VECTOR_DIR } from '../helpers/vectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const FILES = ['group-messages.json', 'groups-v2-keys.json', 'legacy-closed-groups.json', 'multi-encrypt.json', 'swarm-auth.json'];
const shipped = (file: string): Doc => JSON.parse(readFileSync(join(VECTOR_DIR, 'groups', file), 'utf8'));
const siblings: VerifyContext = { loadSibling: (rel) => JSON.parse(readFileSync(join(VECTOR_DIR, rel), 'utf8')) };
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};

async function run(file: string, doc: Doc, ctx: VerifyContext = siblings): Promise<FileReport> {
  const rec = new FileRecorder(`groups/${file}`);
  await GROUPS_VERIFIERS[file]!(doc, rec, ctx);
  return rec.report;
}

/** A copy of `file` with the vector `name` changed by `edit` (several pairs allowed). */
function mutated(file: string, ...edits: [string, (v: Doc) => void][]): Doc {
  const doc = shipped(file);
  for (const [name, edit] of edits) edit(doc.vectors.find((v: Doc) => v.name === name));
  return doc;
}

/** Flips the low bit of the first byte of a hex string. */
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);

/** Exactly the vectors matching `lines` failed (one line each, in file order); all others passed. */
function failsExactly(r: FileReport, lines: RegExp[]): void {
  expect(r.failures, JSON.stringify(r.failures)).toHaveLength(lines.length);
  lines.forEach((l, i) => expect(r.failures[i]).toMatch(l));
  expect([r.failed, r.passed, r.skipped]).toEqual([lines.length, r.run - lines.length, 0]);
}

describe('groups verifiers on the shipped test-vectors/groups/', () => {
  const reports: Record<string, FileReport> = {};
  beforeAll(async () => {
    for (const f of FILES) reports[f] = await run(f, shipped(f));
  });

  it('every groups file has a verifier', () => {
    expect(Object.keys(GROUPS_VERIFIERS).sort()).toEqual(FILES);
  });

  it('an empty vector list runs and skips nothing; a document without one is a malformed file', async () => {
    for (const f of FILES) {
      expect((await run(f, { vectors: [] })).run, f).toBe(0);
      await expect(run(f, {}), f).rejects.toThrow('"vectors" is not a list');
    }
  });

  for (const f of FILES) {
    it(`${f}: one run per vector, all pass, none skipped`, () => {
      const r = reports[f]!;
      expect(r.failures).toEqual([]);
      expect([r.run, r.passed, r.failed, r.skipped]).toEqual([shipped(f).vectors.length, r.run, 0, 0]);
    });
  }
});

describe('groups-v2-keys.json: a changed expectation fails exactly its vector', () => {
  it('identities, the gen-0 junk seed and a member outer key (gen 1, seed hashes and supplement still pass)', async () => {
    const r = await run(
      'groups-v2-keys.json',
      mutated(
        'groups-v2-keys.json',
        ['test_identities', (v) => (v.outputs.users.member2.x25519_pk = flipHex(v.outputs.users.member2.x25519_pk))],
        ['rekey_gen0_no_members', (v) => (v.outputs.junk_rng_seed = '00'.repeat(32))],
        ['rekey_gen2_three_members', (v) => (v.outputs.members[1].member_outer_key = flipHex(v.outputs.members[1].member_outer_key))],
      ),
    );
    failsExactly(r, [
      /^test_identities: member2 x25519_pk: got 3ac269b7/,
      /^rekey_gen0_no_members: junk_rng_seed \(none without junk\): got 0000/,
      /^rekey_gen2_three_members: members\[1\]\.ciphertext: does not authenticate$/,
    ]);
  });

  it('a seed hash, a junk seed and a supplement intermediate (identities, gen 0 and gen 2 still pass)', async () => {
    const r = await run(
      'groups-v2-keys.json',
      mutated(
        'groups-v2-keys.json',
        ['group_seed_hashes', (v) => (v.outputs.SessionGroupSubaccountMask = flipHex(v.outputs.SessionGroupSubaccountMask))],
        ['rekey_gen1_five_members', (v) => (v.outputs.junk_rng_seed = flipHex(v.outputs.junk_rng_seed))],
        ['key_supplement_two_new_members', (v) => (v.outputs.inner_plaintext_bencoded = flipHex(v.outputs.inner_plaintext_bencoded))],
      ),
    );
    failsExactly(r, [
      /^group_seed_hashes: SessionGroupSubaccountMask: got c4c074ef/,
      /^rekey_gen1_five_members: junk_rng_seed: got 6e14baeb/,
      /^key_supplement_two_new_members: nonce derivation: got /,
    ]);
  });

  it('the admin key, the keys message and the supplement signature', async () => {
    const r = await run(
      'groups-v2-keys.json',
      mutated(
        'groups-v2-keys.json',
        ['rekey_gen0_no_members', (v) => (v.outputs.admin_key_SessionGroupKeyAdminKey = flipHex(v.outputs.admin_key_SessionGroupKeyAdminKey))],
        ['rekey_gen1_five_members', (v) => (v.outputs.keys_message = flipHex(v.outputs.keys_message))],
        ['key_supplement_two_new_members', (v) => (v.outputs.signature = flipHex(v.outputs.signature))],
      ),
    );
    failsExactly(r, [
      /^rekey_gen0_no_members: K: does not authenticate$/,
      /^rekey_gen1_five_members: keys_message: got 64313a23/,
      /^key_supplement_two_new_members: signature: got b6ce13ad/,
    ]);
  });

  it('a missing history step fails the vectors that replay it; unknown vectors are counted as skipped', async () => {
    const doc = shipped('groups-v2-keys.json');
    doc.vectors = doc.vectors.filter((v: Doc) => v.name !== 'rekey_gen0_no_members');
    doc.vectors.push({ name: 'rekey_gen9_future' });
    const r = await run('groups-v2-keys.json', doc);
    expect(r.failures).toEqual([
      'rekey_gen1_five_members: malformed vector: history step rekey_gen0_no_members is missing',
      'rekey_gen2_three_members: malformed vector: history step rekey_gen0_no_members is missing',
      'key_supplement_two_new_members: malformed vector: history step rekey_gen0_no_members is missing',
    ]);
    expect([r.run, r.passed, r.skipped]).toEqual([5, 2, 1]);
    expect(r.skipReasons).toEqual([{ reason: NO_VERIFIER, count: 1, sections: ['rekey_gen9_future'] }]);
  });

  it('malformed: no users, a non-hex seed, users without expectations, a recipient without a test identity', async () => {
    const file = 'groups-v2-keys.json';
    const byName = (doc: Doc, name: string): Doc => doc.vectors.find((v: Doc) => v.name === name);
    const pick = (doc: Doc, ...names: string[]): Doc => ({ vectors: doc.vectors.filter((v: Doc) => names.includes(v.name)) });
    const doc = shipped(file);
    delete byName(doc, 'test_identities').outputs.users;
    byName(doc, 'group_seed_hashes').inputs.group_ed25519_seed = 'xyz';
    expect((await run(file, pick(doc, 'test_identities', 'group_seed_hashes'))).failures).toEqual([
      'test_identities: malformed vector: no users in outputs',
      'group_seed_hashes: malformed vector: expected a hex string, got xyz',
    ]);
    const doc2 = shipped(file);
    const ids = byName(doc2, 'test_identities');
    ids.outputs.users = { admin1: ids.outputs.users.admin1 };
    failsExactly(await run(file, pick(doc2, 'test_identities')), [/^test_identities: users with expectations: got admin1, vector expects admin1,admin2,/]);
    delete ids.inputs.users;
    failsExactly(await run(file, pick(doc2, 'test_identities')), [/^test_identities: users with expectations: got admin1, vector expects $/]);
    // The supplement's first recipient (member3b) has no seed: it cannot be checked.
    const doc3 = shipped(file);
    delete byName(doc3, 'test_identities').inputs.users.member3b;
    const sid = String(byName(doc3, 'key_supplement_two_new_members').inputs.recipient_session_ids[0]);
    const r3 = await run(file, pick(doc3, 'test_identities', 'rekey_gen0_no_members', 'rekey_gen1_five_members', 'rekey_gen2_three_members', 'key_supplement_two_new_members'));
    expect(r3.failures).toEqual([
      expect.stringMatching(/^test_identities: users with expectations: got admin1,admin2,member1,member2,member3\.\.\., vector expects /),
      `key_supplement_two_new_members: malformed vector: no test identity has Session ID ${sid}`,
    ]);
    // Without the test identities nothing can be replayed.
    expect((await run(file, pick(shipped(file), 'key_supplement_two_new_members'))).failures).toEqual([
      'key_supplement_two_new_members: malformed vector: expected a hex string, got undefined',
    ]);
  });
});

describe('group-messages.json: a changed expectation fails exactly its vector', () => {
  it('inner layer, zstd frame and message sizes', async () => {
    const r = await run(
      'group-messages.json',
      mutated(
        'group-messages.json',
        ['group_message_v1_uncompressed_current', (v) => (v.outputs.inner_bencoded = flipHex(v.outputs.inner_bencoded))],
        ['group_message_zstd_decrypt_only', (v) => (v.outputs.zstd_frame = flipHex(v.outputs.zstd_frame))],
        ['group_message_sizes_upstream', (v) => (v.outputs.compressed_ciphertext_len = 255)],
      ),
    );
    failsExactly(r, [
      /^group_message_v1_uncompressed_current \(decrypt\): inner_bencoded: got 64303a69/,
      /^group_message_zstd_decrypt_only \(decrypt\): signature verifies over what it covers: got false, vector expects true$/,
      /^group_message_sizes_upstream: compressed_ciphertext_len: got 256, vector expects 255$/,
    ]);
  });

  it('pre-PR-21 signature, envelope re-encryption input, current nonce', async () => {
    const r = await run(
      'group-messages.json',
      mutated(
        'group-messages.json',
        ['group_message_v1_uncompressed_current', (v) => (v.inputs.nonce = flipHex(v.inputs.nonce))],
        ['group_message_v1_uncompressed_pre_pr21', (v) => (v.outputs.padded_inner_len = 217)],
        ['group_message_envelope_wrapped', (v) => (v.inputs.envelope_timestamp_ms += 1)],
        ['group_message_zstd_decrypt_only', (v) => (v.outputs.zstd_frame = v.outputs.zstd_frame.slice(0, -2))],
      ),
    );
    failsExactly(r, [
      /^group_message_v1_uncompressed_current \(decrypt\): re-encrypt: ciphertext: got 010102/,
      /^group_message_v1_uncompressed_pre_pr21 \(decrypt\): padded_inner_len: got 216, vector expects 217$/,
      /^group_message_envelope_wrapped \(decrypt\): envelope_protobuf from content_protobuf: got 080712/,
      /^group_message_zstd_decrypt_only \(decrypt\): signature verifies over what it covers: got false/,
    ]);
  });

  it('a pre-PR-21 signature that is not in the message, and a sizes vector without its inputs', async () => {
    const r = await run(
      'group-messages.json',
      mutated(
        'group-messages.json',
        ['group_message_v1_uncompressed_pre_pr21', (v) => (v.outputs.signature = flipHex(v.outputs.signature))],
        ['group_message_sizes_upstream', (v) => delete v.inputs.doublings],
      ),
    );
    failsExactly(r, [
      /^group_message_v1_uncompressed_pre_pr21 \(decrypt\): signature in the inner dict: got false/,
      /^group_message_sizes_upstream: malformed vector: base_utf8 \/ doublings missing$/,
    ]);
  });

  it('the sizes vector needs the sibling keys file and its gen-2 keys message', async () => {
    const doc = shipped('group-messages.json');
    const sizes = { vectors: doc.vectors.filter((v: Doc) => v.name === 'group_message_sizes_upstream') };
    expect((await run('group-messages.json', sizes, noSiblings)).failures).toEqual(['group_message_sizes_upstream: malformed vector: no sibling groups/groups-v2-keys.json']);
    const keysDoc = JSON.parse(readFileSync(join(VECTOR_DIR, 'groups/groups-v2-keys.json'), 'utf8'));
    keysDoc.vectors = keysDoc.vectors.filter((v: Doc) => v.name !== 'rekey_gen2_three_members');
    expect((await run('group-messages.json', sizes, { loadSibling: () => keysDoc })).failures).toEqual([
      'group_message_sizes_upstream: malformed vector: groups-v2-keys.json has no rekey_gen2_three_members keys message',
    ]);
  });
});

describe('multi-encrypt.json: a changed expectation fails exactly its vector', () => {
  it('an X25519 key, a per-recipient ciphertext, a kicked-notice entry', async () => {
    const r = await run(
      'multi-encrypt.json',
      mutated(
        'multi-encrypt.json',
        ['multi_encrypt_x25519_keys', (v) => (v.outputs.x25519_pubkeys[2] = flipHex(v.outputs.x25519_pubkeys[2]))],
        ['multi_encrypt_per_recipient_messages', (v) => (v.outputs.ciphertexts[1] = flipHex(v.outputs.ciphertexts[1]))],
        ['group_kicked_notice', (v) => (v.outputs.ciphertexts[0] = flipHex(v.outputs.ciphertexts[0]))],
      ),
    );
    failsExactly(r, [
      /^multi_encrypt_x25519_keys: x25519_pubkeys\[2\]: got afd9716e/,
      /^multi_encrypt_per_recipient_messages: ciphertexts\[1\]: got bcb642c4/,
      /^group_kicked_notice: ciphertexts\[0\]: got 7cf619d9/,
    ]);
  });

  it('a must-fail decryption claimed to succeed, the simple encoding, a kicked message', async () => {
    const r = await run(
      'multi-encrypt.json',
      mutated(
        'multi-encrypt.json',
        ['multi_encrypt_same_message', (v) => (v.outputs.decrypt_results["3_with_domain_'not test suite'"] = 'hello')],
        ['multi_encrypt_simple_encoding', (v) => (v.outputs.encoded = flipHex(v.outputs.encoded))],
        ['group_kicked_notice', (v) => (v.inputs.messages[1] = flipHex(v.inputs.messages[1]))],
      ),
    );
    failsExactly(r, [
      /^multi_encrypt_same_message: decrypt 3_with_domain_'not test suite': got undefined, vector expects hello$/,
      /^multi_encrypt_simple_encoding: encoded: got 64313a23/,
      /^group_kicked_notice: recipient 1 message: got 0a41669a/,
    ]);
  });

  it('a decryption claimed to fail that succeeds; a wrong same-message ciphertext', async () => {
    const r = await run(
      'multi-encrypt.json',
      mutated('multi-encrypt.json', [
        'multi_encrypt_same_message',
        (v) => {
          v.outputs.decrypt_results = { "3_with_domain_'test suite'": null };
        },
      ]),
    );
    failsExactly(r, [/^multi_encrypt_same_message: decrypt 3_with_domain_'test suite' \(absent\): got present, vector expects absent$/]);
    const r2 = await run('multi-encrypt.json', mutated('multi-encrypt.json', ['multi_encrypt_same_message', (v) => (v.outputs.ciphertexts[0] = flipHex(v.outputs.ciphertexts[0]))]));
    failsExactly(r2, [/^multi_encrypt_same_message: ciphertexts\[0\]: got e64937e5/]);
  });

  it('malformed: decrypt_results, missing key vector, same_as, sibling and admin', async () => {
    const fail = async (doc: Doc, ctx: VerifyContext = siblings) => (await run('multi-encrypt.json', doc, ctx)).failures;
    const same = (results: unknown) => mutated('multi-encrypt.json', ['multi_encrypt_same_message', (v) => (v.outputs.decrypt_results = results)]);
    const only = (doc: Doc, name: string) => ({ vectors: doc.vectors.filter((v: Doc) => v.name === name || v.name === 'multi_encrypt_x25519_keys') });
    expect(await fail(only(same({ x: 'hello' }), 'multi_encrypt_same_message'))).toEqual(['multi_encrypt_same_message: malformed vector: unknown decrypt_results entry x']);
    expect(await fail(only(same({ 9: 'hello' }), 'multi_encrypt_same_message'))).toEqual(['multi_encrypt_same_message: malformed vector: decrypt_results 9: no key pair 9']);
    expect(await fail(only(same({}), 'multi_encrypt_same_message'))).toEqual(['multi_encrypt_same_message: malformed vector: no decrypt_results']);
    expect(await fail(only(same(null), 'multi_encrypt_same_message'))).toEqual(['multi_encrypt_same_message: malformed vector: no decrypt_results']);
    const noKeys = shipped('multi-encrypt.json');
    noKeys.vectors = noKeys.vectors.filter((v: Doc) => v.name === 'multi_encrypt_per_recipient_messages');
    expect(await fail(noKeys)).toEqual([
      'multi_encrypt_per_recipient_messages: malformed vector: multi_encrypt_x25519_keys is missing (the other vectors index its seeds)',
    ]);
    const simple = only(mutated('multi-encrypt.json', ['multi_encrypt_simple_encoding', (v) => (v.inputs.same_as = 'nothing')]), 'multi_encrypt_simple_encoding');
    expect(await fail(simple)).toEqual(['multi_encrypt_simple_encoding: malformed vector: same_as nothing is missing']);
    const kicked = only(shipped('multi-encrypt.json'), 'group_kicked_notice');
    expect(await fail(kicked, noSiblings)).toEqual(['group_kicked_notice: malformed vector: no sibling groups/groups-v2-keys.json']);
    const keysDoc = JSON.parse(readFileSync(join(VECTOR_DIR, 'groups/groups-v2-keys.json'), 'utf8'));
    delete keysDoc.vectors[0].inputs.users.admin1;
    expect(await fail(kicked, { loadSibling: () => keysDoc })).toEqual(['group_kicked_notice: malformed vector: groups-v2-keys.json has no admin1']);
    expect(await fail(kicked, { loadSibling: () => ({ vectors: [] }) })).toEqual(['group_kicked_notice: malformed vector: groups-v2-keys.json has no test_identities users']);
  });
});

describe('swarm-auth.json: a changed expectation fails exactly its vector', () => {
  it('the upstream subaccount signature (the derived vector still passes)', async () => {
    const r = await run(
      'swarm-auth.json',
      mutated('swarm-auth.json', ['swarm_subaccount_sign_retrieve', (v) => (v.outputs.subaccount_sig_b64 = `5${String(v.outputs.subaccount_sig_b64).slice(1)}`)]),
    );
    failsExactly(r, [/^swarm_subaccount_sign_retrieve: subaccount_sig_b64: got 6brvv/]);
  });

  it('a signature intermediate (the upstream vector still passes); a missing same_as', async () => {
    const r = await run('swarm-auth.json', mutated('swarm-auth.json', ['swarm_subaccount_signing_value_derived', (v) => (v.outputs.r_scalar = flipHex(v.outputs.r_scalar))]));
    failsExactly(r, [/^swarm_subaccount_signing_value_derived: r_scalar: got 751a17cf/]);
    const doc = shipped('swarm-auth.json');
    const r3 = await run('swarm-auth.json', { vectors: [{ ...doc.vectors[1], inputs: { same_as: 'gone' } }] });
    expect(r3.failures).toEqual(['swarm_subaccount_signing_value_derived: malformed vector: same_as gone is missing']);
  });

  it('the sign bit and the blinding hash of the derived vector', async () => {
    const doc = shipped('swarm-auth.json');
    // The upstream vector reduced to its inputs (what same_as refers to): it fails fast, cheaply.
    const inputsOnly = { name: doc.vectors[0].name, inputs: doc.vectors[0].inputs, outputs: {} };
    const derived = (edit: Doc): Doc => ({ vectors: [inputsOnly, { ...doc.vectors[1], outputs: { ...doc.vectors[1].outputs, ...edit } }] });
    const upstreamLine = 'swarm_subaccount_sign_retrieve: group_ed25519_pk: expected value missing from the vector';
    expect((await run('swarm-auth.json', derived({ member_ed_pk_sign_bit_set: true }))).failures).toEqual([
      upstreamLine,
      'swarm_subaccount_signing_value_derived: member_ed_pk_sign_bit_set: got false, vector expects true',
    ]);
    const blind = (await run('swarm-auth.json', derived({ blind_hash64: flipHex(doc.vectors[1].outputs.blind_hash64) }))).failures;
    expect(blind[0]).toBe(upstreamLine);
    expect(blind[1]).toMatch(/^swarm_subaccount_signing_value_derived: blind_hash64: got 5d1c2975/);
  });
});

describe('legacy-closed-groups.json: a changed expectation fails exactly its vector', () => {
  it('padding and the key pair wrapper', async () => {
    const r = await run(
      'legacy-closed-groups.json',
      mutated(
        'legacy-closed-groups.json',
        ['legacy_padding_desktop', (v) => (v.outputs.padded_lengths[4] = 159)],
        ['legacy_keypair_wrapper', (v) => (v.outputs.enc_x25519_sk = flipHex(v.outputs.enc_x25519_sk))],
      ),
    );
    failsExactly(r, [/^legacy_padding_desktop: padded length of 159: got 319, vector expects 159$/, /^legacy_keypair_wrapper: enc_x25519_sk: got 281ac197/]);
  });

  it('the group message and the constants', async () => {
    const r = await run(
      'legacy-closed-groups.json',
      mutated(
        'legacy-closed-groups.json',
        ['legacy_group_message', (v) => (v.outputs.content = flipHex(v.outputs.content))],
        ['legacy_constants', (v) => (v.outputs.envelope_type_SESSION_MESSAGE = 7)],
      ),
    );
    failsExactly(r, [/^legacy_group_message: content: got 0a070a05/, /^legacy_constants: envelope_type_SESSION_MESSAGE: got 6, vector expects 7$/]);
  });

  it('malformed: control types missing or renamed, lengths not a list, a member key that is not its seed', async () => {
    const r = await run(
      'legacy-closed-groups.json',
      mutated(
        'legacy-closed-groups.json',
        ['legacy_padding_desktop', (v) => (v.inputs.lengths = 5)],
        ['legacy_keypair_wrapper', (v) => (v.inputs.member.x25519_sk = flipHex(v.inputs.member.x25519_sk))],
        ['legacy_constants', (v) => delete v.outputs.ClosedGroupControlMessage_types],
      ),
    );
    failsExactly(r, [
      /^legacy_padding_desktop: malformed vector: "lengths" is not a list$/,
      /^legacy_keypair_wrapper: member x25519_sk: got 8826f8dd/,
      /^legacy_constants: malformed vector: ClosedGroupControlMessage_types is not an object$/,
    ]);
    const renamed = await run(
      'legacy-closed-groups.json',
      mutated('legacy-closed-groups.json', ['legacy_constants', (v) => (v.outputs.ClosedGroupControlMessage_types = { NEW: 1, UPDATE: 2 })]),
    );
    failsExactly(renamed, [/^legacy_constants: control message type names: got ENCRYPTION_KEY_PAIR,/]);
  });
});

describe('vectors verify on a directory copy', () => {
  it('a flipped multi-encrypt expectation fails that vector; the kicked notice reads its sibling keys file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-sdk-groups-vectors-'));
    try {
      mkdirSync(join(dir, 'groups'));
      cpSync(join(VECTOR_DIR, 'groups', 'groups-v2-keys.json'), join(dir, 'groups', 'groups-v2-keys.json'));
      const doc = mutated('multi-encrypt.json', ['group_kicked_notice', (v) => (v.outputs.encoded = flipHex(v.outputs.encoded))]);
      writeFileSync(join(dir, 'groups', 'multi-encrypt.json'), JSON.stringify(doc, null, 2));
      const r = await verifyVectorDirectory(dir);
      expect([r.run, r.failed, r.skipped]).toEqual([11, 1, 0]);
      const text = formatVectorReport(r);
      expect(text).toMatch(/^ {2}multi-encrypt\.json +5 +4 +1 +0$/m);
      expect(text).toMatch(/^ {2}FAILED groups\/multi-encrypt\.json group_kicked_notice: encoded: got 64313a23/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
