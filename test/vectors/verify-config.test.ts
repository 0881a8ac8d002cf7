// `session-sdk vectors verify` on test-vectors/config/ (issue 7): every shipped vector runs and
// passes; one changed expected value per kind of vector fails exactly that vector, by label;
// malformed vectors fail, never crash or pass.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder, type FileReport, type VerifyContext } from '../../src/vectors/check.js';
import { CONFIG_VERIFIERS } from '../../src/vectors/config.js';
import { expectJson, hexOf } from '../../src/vectors/config-push.js';
import { verifyVectorDirectory } from '../../src/vectors/verify.js';
import { VECTOR_DIR } from '../helpers/vectors.js';

const AREA = 'config';
const FILES = readdirSync(join(VECTOR_DIR, AREA)).filter((f) => f.endsWith('.json')).sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const shipped = (file: string): any => JSON.parse(readFileSync(join(VECTOR_DIR, AREA, file), 'utf8'));
/** Vectors in a file: each entry of `vectors`, counting nested cases; a scenario file is one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const vectorCount = (doc: any): number =>
  Array.isArray(doc.vectors) ? doc.vectors.reduce((n: number, v: { cases?: unknown[] }) => n + (Array.isArray(v.cases) ? v.cases.length : 1), 0) : 1;
/** Flips the low bit of the first byte of a hex string. */
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'session-sdk-config-vectors-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs one file's verifier on an in-memory document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyDoc(file: string, doc: any): Promise<FileReport> {
  const rec = new FileRecorder(`${AREA}/${file}`);
  await CONFIG_VERIFIERS[file]!(doc, rec, noSiblings);
  return rec.report;
}

/** Runs `file` changed by `edit`; expects exactly the vectors labelled `labels` to fail. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectOnlyFailure(file: string, edit: (doc: any) => void, label: RegExp): Promise<FileReport> {
  const doc = shipped(file);
  edit(doc);
  const r = await verifyDoc(file, doc);
  expect(r.failed, r.failures.join('\n')).toBe(1);
  expect(r.failures[0]).toMatch(label);
  expect([r.run, r.skipped]).toEqual([vectorCount(shipped(file)), 0]);
  return r;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const vec = (doc: any, name: string): any => doc.vectors.find((v: { name: string }) => v.name === name);

describe('vectors verify: config/', () => {
  it('runs every vector of every config file through a vector directory: all pass, none skipped', async () => {
    const dir = join(tmp, 'shipped');
    mkdirSync(dir);
    cpSync(join(VECTOR_DIR, AREA), join(dir, AREA), { recursive: true });
    const r = await verifyVectorDirectory(dir);
    const files = r.modules[0]!.files;
    expect(files.map((f) => f.file)).toEqual(FILES.map((f) => `${AREA}/${f}`));
    for (const f of files) {
      const n = vectorCount(shipped(f.file.slice(AREA.length + 1)));
      expect([f.run, f.passed, f.failed, f.skipped], f.file).toEqual([n, n, 0, 0]);
    }
    expect(files.find((f) => f.file === 'config/config-message.json')!.run).toBe(30);
    expect(files.find((f) => f.file === 'config/user-profile.json')!.run).toBe(5);
  });

  it('a changed value in a temp copy fails its vector through the directory walk', async () => {
    const dir = join(tmp, 'mutated');
    mkdirSync(join(dir, AREA), { recursive: true });
    const doc = shipped('derived-group-linked.json');
    doc.group_enc_key = flipHex(doc.group_enc_key);
    writeFileSync(join(dir, AREA, 'derived-group-linked.json'), JSON.stringify(doc));
    const f = (await verifyVectorDirectory(dir)).modules[0]!.files[0]!;
    expect([f.run, f.failed]).toEqual([1, 1]);
    expect(f.failures[0]).toMatch(/^derived-group-linked scenarios: group_enc_key: got /);
  });
});

/**
 * Applies every edit to one copy of `file` (edits of different vectors, so one run checks them
 * all) and expects exactly one failure per edit, each matching its label.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectFailures(file: string, edits: [(doc: any) => void, RegExp][]): Promise<FileReport> {
  const doc = shipped(file);
  for (const [edit] of edits) edit(doc);
  const r = await verifyDoc(file, doc);
  expect(r.failed, r.failures.join('\n')).toBe(edits.length);
  for (const [, label] of edits) expect(r.failures.filter((f) => label.test(f)), String(label)).toHaveLength(1);
  return r;
}

describe('vectors verify: config-message.json, one change per kind fails exactly its vector', () => {
  const F = 'config-message.json';
  it('hashes, merges, rebuilt bytes, signatures, bencodings, rejections', async () => {
    const r = await expectFailures(F, [
      [(d) => (vec(d, 'm12').hash = flipHex(vec(d, 'm12').hash)), /^m12 message: hash: got /],
      // a merge result (only its hash: its bytes feed m127)
      [(d) => (vec(d, 'm126b').hash = flipHex(vec(d, 'm126b').hash)), /^m126b message: hash: got /],
      // bytes no other vector builds on: hash-checked first
      [(d) => (vec(d, 'm127').serialized = vec(d, 'm127').serialized.slice(0, -2) + '66'), /^m127 message: hash: got /],
      // the hash-less too-old message is rebuilt from its steps ("won't sea"); merges ignore it
      [
        (d) => (vec(d, 'm120b_too_old').serialized = vec(d, 'm120b_too_old').serialized.replace('776f6e277420736565', '776f6e277420736561')),
        /^m120b_too_old message: new message, 2 increments: bytes: got /,
      ],
      [(d) => (vec(d, 'signed_m10').signature = flipHex(vec(d, 'signed_m10').signature)), /^signed_m10 message: signature: got /],
      [(d) => (vec(d, 'bt-encoding-of-config-values').cases[2].encoded = 'i-43e'), /^bt-encoding-of-config-values #2 scalar -42: encoded: got i-42e/],
      [(d) => (vec(d, 'reject-empty-set-or-dict').cases[0].serialized_utf8 = 'd1:#i0e1:&de1:<le1:=dee'), /^reject-empty-set-or-dict #0: parse: expected CONFIG_INVALID, but it was accepted/],
      [(d) => (vec(d, 'reject-empty-set-or-dict').cases[1].error = 'Data contains an unpruned, empty set'), /^reject-empty-set-or-dict #1: reason: got false/],
    ]);
    expect([r.run, r.skipped]).toEqual([30, 0]);
  });
  it('the signed portion', () =>
    expectFailures(F, [[(d) => (vec(d, 'signed_m10').signed_portion = flipHex(vec(d, 'signed_m10').signed_portion)), /^signed_m10 message: signed_portion: got /]]));
});

describe('vectors verify: user-profile.json, one change per vector fails exactly it', () => {
  const F = 'user-profile.json';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const flip = (name: string, field: string) => (d: any) => (vec(d, name)[field] = flipHex(vec(d, name)[field]));
  it('hash, pushes, ciphertext, dumps', async () => {
    await expectFailures(F, [
      [flip('empty-seqno0-hash', 'blake2b_256'), /^empty-seqno0-hash: blake2b_256: got /],
      [flip('empty-push-wrapped', 'push'), /^empty-push-wrapped: push: got /],
      [flip('push1', 'ciphertext'), /^push1: ciphertext: got /],
      [flip('dump-after-push', 'dump'), /^dump-after-push: dump: got /],
      [flip('dump-after-confirm', 'dump'), /^dump-after-confirm: dump: got /],
    ]);
    await expectFailures(F, [[flip('push1', 'push_wrapped'), /^push1: push_wrapped: got /]]);
  });
  it('the account keys are checked by every vector', async () => {
    const d = shipped(F);
    d.account.x25519_pk = flipHex(d.account.x25519_pk);
    const r = await verifyDoc(F, d);
    expect([r.run, r.failed]).toEqual([5, 5]);
    for (const f of r.failures) expect(f).toMatch(/: account x25519_pk: got /);
  });
});

/** A path into a derived file and the label its change must fail with. */
const DERIVED: [string, string[], RegExp][] = [
  ['derived-user-profile.json', ['scenarios', 'conflict', 'merged_on_b', 'dump_after_confirm'], /^derived-user-profile scenarios: conflict\.merged_on_b dump_after_confirm: got /],
  ['derived-contacts.json', ['scenarios', 'dirty_merge', 'device_x_push_after_merge', 'push'], /^derived-contacts scenarios: dirty_merge\.device_x_push_after_merge wrapped_protobuf: got /],
  ['derived-contacts.json', ['scenarios', 'conflict', 'device_a_push', 'layers', 'ciphertext'], /conflict\.device_a_push decrypt\(ciphertext\): /],
  ['derived-convo-info-volatile.json', ['scenarios', 'set_fields', 'result', 'layers', 'config_message_blake2b'], /^derived-convo-info-volatile scenarios: set_fields\.result config_message_blake2b: got /],
  ['derived-user-groups.json', ['scenarios', 'set_fields', 'result', 'layers', 'compressed'], /^derived-user-groups scenarios: set_fields\.result compressed: got /],
  ['derived-user-groups.json', ['group_ids', 'member_group'], /group_ids\.member_group: got /],
  ['derived-group-info.json', ['scenarios', 'info_key_rotation', 'push', 'push'], /^derived-group-info scenarios: info_key_rotation\.push push \(group configs push the ciphertext\): got /],
  ['derived-group-info.json', ['group', 'ed25519_pk'], /group ed25519_pk: got /],
  ['derived-group-members.json', ['scenarios', 'members_set_fields', 'result', 'dump_after_confirm'], /^derived-group-members scenarios: members_set_fields\.result dump_after_confirm: got /],
  ['derived-group-linked.json', ['scenarios', 'members_push', 'layers', 'config_message'], /^derived-group-linked scenarios: members_push config_message_blake2b: got /],
  ['derived-group-linked.json', ['inputs', 'keys_message'], /^derived-group-linked scenarios: load keys_message: SDK threw /],
];

describe('vectors verify: derived-*.json, a changed expected value fails the scenario with its step', () => {
  for (const [file, path, label] of DERIVED) {
    it(`${file} ${path.join('.')}`, () =>
      expectOnlyFailure(
        file,
        (d) => {
          const parent = path.slice(0, -1).reduce((o, k) => o[k], d);
          const k = path[path.length - 1]!;
          parent[k] = flipHex(parent[k]);
        },
        label,
      ));
  }

  // Values that are not hex: a field read back, a list, a boolean.
  const edits: [string, string, (d: any) => void, RegExp][] = [
    ['derived-contacts.json', 'a restored contact', (d) => (d.scenarios.restore_on_new_device[1].blocked = false), /restore_on_new_device: got /],
    ['derived-contacts.json', 'an obsolete hash', (d) => (d.scenarios.conflict.merged_on_a.obsolete_hashes = ['chashB2']), /conflict\.merged_on_a obsolete_hashes: got /],
    ['derived-user-profile.json', 'identical merges', (d) => (d.scenarios.conflict.identical = false), /conflict identical: got true/],
    ['derived-user-profile.json', 'a pad length', (d) => (d.scenarios.empty_push.layers.pad_len = 192), /empty_push pad_len: got 193/],
    ['derived-group-info.json', 'a read-only member', (d) => (d.scenarios.info_member_read.readonly = false), /info_member_read readonly: got true/],
    ['derived-group-info.json', 'accepted hashes', (d) => (d.scenarios.info_readonly_conflict.accepted = ['ihashA2']), /info_readonly_conflict accepted: got /],
    ['derived-group-info.json', 'a forged push', (d) => (d.scenarios.info_bad_signature.push = d.scenarios.info_set_fields.result.push), /info_bad_signature accepted: got \["bad"\]/],
    ['derived-group-info.json', 'name after a forged push', (d) => (d.scenarios.info_bad_signature.name_after = 'x'), /info_bad_signature name_after: got null/],
    ['derived-group-members.json', 'a member read back', (d) => (d.scenarios.members_member_read[4].promotion_status = 2), /members_member_read: got /],
    ['derived-group-linked.json', 'found_key', (d) => (d.found_key = false), /found_key: got true/],
  ];
  for (const [file, what, edit, label] of edits) it(`${file} ${what}`, () => expectOnlyFailure(file, edit, label));
});

describe('vectors verify: malformed config vectors fail, never crash or pass', () => {
  it('a missing expected value fails its vector', async () => {
    await expectOnlyFailure('user-profile.json', (d) => delete vec(d, 'push1').padded, /^push1: padded: expected value missing/);
    await expectOnlyFailure('derived-contacts.json', (d) => delete d.scenarios.conflict.merged_contacts, /merged_contacts: expected value missing/);
    await expectOnlyFailure('derived-group-info.json', (d) => delete d.scenarios.info_bad_signature.name_after, /name_after: expected value missing/);
    await expectOnlyFailure('derived-group-info.json', (d) => delete d.scenarios.info_bad_signature.merge_threw, /merge_threw \(stated\): got undefined/);
    await expectOnlyFailure('derived-user-groups.json', (d) => delete d.scenarios.set_fields.result.obsolete_hashes, /malformed vector: "obsolete_hashes" is not a list/);
  });

  it('non-hex and wrongly typed fields fail their vector', async () => {
    await expectOnlyFailure('derived-convo-info-volatile.json', (d) => (d.account.seed32 = 'not hex'), /malformed vector: expected a hex string/);
    await expectOnlyFailure('derived-group-members.json', (d) => (d.group = null), /malformed vector: expected a hex string/);
    await expectOnlyFailure('derived-group-linked.json', (d) => delete d.inputs, /malformed vector: expected a hex string/);
    await expectOnlyFailure('user-profile.json', (d) => (vec(d, 'dump-after-confirm').confirmed_hash = 7), /^dump-after-confirm: SDK threw INVALID_INPUT/);
  });

  it('config-message.json: missing, non-hex and unknown entries fail as vectors', async () => {
    const r = await expectFailures('config-message.json', [
      [(d) => delete vec(d, 'm13').hash, /^m13 message: hash: expected value missing from the vector/],
      [(d) => (vec(d, 'm124_loaded_mutable_unchanged').serialized = 'zz'), /^m124_loaded_mutable_unchanged message: malformed vector: expected a hex string/],
      [(d) => (vec(d, 'm120b_too_old').hash = '00'.repeat(32)), /^m120b_too_old message: hash: got /],
      [(d) => (vec(d, 'bt-encoding-of-config-values').cases[0].value = 'scalar 4'), /#0 scalar 4: malformed vector: unknown value scalar 4/],
      [(d) => delete vec(d, 'reject-empty-set-or-dict').cases[1].error, /#1: malformed vector: case states no expected error/],
      [(d) => d.vectors.push({ name: 'm10-copy', serialized: vec(d, 'm10').serialized, hash: vec(d, 'm10').hash }), /^m10-copy message: malformed vector: no known construction for message m10-copy$/],
      [(d) => d.vectors.push({ name: 'odd' }), /^odd: malformed vector: neither a serialized message nor a list of cases$/],
      [(d) => delete vec(d, 'm126b').inputs, /^m126b message: malformed vector: "inputs" is not a list$/],
      [(d) => (vec(d, 'm127').inputs = ['m126a', 'm125b']), /^m127 message: mutable merge \+ edit: bytes: got /],
    ]);
    expect([r.run, r.passed]).toEqual([32, 23]);
  });

  it('user-profile.json: an unknown vector fails', () =>
    expectOnlyFailure('user-profile.json', (d) => (vec(d, 'push1').name = 'push2'), /^push2: malformed vector: unknown vector push2/));

  it('a file whose structure is not the schema fails as a whole (verify.ts counts it)', async () => {
    await expect(verifyDoc('config-message.json', {})).rejects.toThrow(/"vectors" is not a list/);
    await expect(verifyDoc('user-profile.json', { account: {} })).rejects.toThrow(/"vectors" is not a list/);
    const r = await verifyDoc('derived-user-profile.json', {});
    expect([r.run, r.failed]).toEqual([1, 1]);
  });
});

describe('vectors verify: config-encrypt.json', () => {
  it('one change per vector fails exactly it; an unknown entry fails as a vector', async () => {
    const byName = (d: { vectors: { name: string }[] }, n: string): any => d.vectors.find((v) => v.name === n);
    const r = await expectFailures('config-encrypt.json', [
      [(d) => (byName(d, 'encrypt-test-suite1').ciphertext = flipHex(byName(d, 'encrypt-test-suite1').ciphertext)), /^encrypt-test-suite1: ciphertext: got /],
      [(d) => (byName(d, 'nonce-depends-on-domain-not-key').other_key_same_domain.nonce = '00'), /^nonce-depends-on-domain-not-key: nonce \(other key\): got /],
      [(d) => (byName(d, 'padded_size').cases[3].padded += 1), /^padded_size\(\d+, \d+\): padded size: got /],
      [(d) => d.vectors.push({ name: 'mystery' }), /^mystery: malformed vector: unknown vector$/],
    ]);
    expect([r.run, r.passed]).toEqual([27, 23]);
  });
});

describe('vectors verify: config helpers', () => {
  it('a record field that is not hex fails as malformed, an SDK rejection names its step', async () => {
    await expectOnlyFailure('derived-group-members.json', (d) => (d.scenarios.members_set_fields.result.layers.ciphertext = 'zz'), /members_set_fields\.result decrypt\(ciphertext\)|malformed vector: expected a hex string/);
    await expectOnlyFailure('derived-convo-info-volatile.json', (d) => (d.scenarios.set_fields.result.push = d.scenarios.set_fields.result.layers.wrapped_protobuf = '00'), /set_fields\.result unwrap\(push\): SDK threw /);
  });
  it('expectJson ignores object key order but not list order, and needs the expected value', () => {
    expect(() => expectJson('o', { b: 1, a: [2, { d: null, c: 3 }] }, { a: [2, { c: 3, d: null }], b: 1 })).not.toThrow();
    expect(() => expectJson('l', [1, 2], [2, 1])).toThrow(/^l: got \[1,2\], vector expects \[2,1\]$/);
    expect(() => expectJson('m', null, undefined)).toThrow(/^m: expected value missing from the vector$/);
  });
  it('hexOf makes a missing SDK value comparable', () => {
    expect(hexOf(undefined)).toBe('(none)');
    expect(hexOf(Uint8Array.of(1, 255))).toBe('01ff');
  });
});
