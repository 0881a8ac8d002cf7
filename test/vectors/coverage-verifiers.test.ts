// `session-sdk vectors verify` on damaged input: each verifier must turn a malformed or wrong
// vector into a reported failure (label + reason), never a pass by omission and never a crash
// that escapes verifyVectorDirectory. Complements test/vectors-verify.test.ts, which covers the
// shipped files and one flipped byte per verified file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSdkError } from '../../src/errors.js';
import {
  byId,
  expectEqual,
  expectSdkError,
  FileRecorder,
  hex,
  list,
  NO_VERIFIER,
  skipOtherSections,
  skipOtherVectors,
  VectorMismatch,
  type VerifyContext,
} from '../../src/vectors/check.js';
import { GROUPS_VERIFIERS } from '../../src/vectors/groups.js';
import { IDENTITY_VERIFIERS } from '../../src/vectors/identity.js';
import { ONION_VERIFIERS } from '../../src/vectors/onion.js';
import { formatVectorReport, verifyVectorDirectory } from '../../src/vectors/verify.js';
import { VECTOR_DIR } from '../helpers/vectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const shipped = (rel: string): any => JSON.parse(readFileSync(join(VECTOR_DIR, rel), 'utf8'));
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};

describe('check.ts building blocks', () => {
  it('FileRecorder.vector classifies mismatches, SDK errors and malformed vectors as failures', async () => {
    const rec = new FileRecorder('area/f.json');
    await rec.vector('ok', () => undefined);
    await rec.vector('mismatch', () => expectEqual('field', 'a', 'b'));
    await rec.vector('sdk', () => {
      throw new SessionSdkError('INVALID_INPUT', 'nope');
    });
    await rec.vector('error', () => {
      throw new Error('boom');
    });
    await rec.vector('non-error', () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'a string';
    });
    expect(rec.report).toMatchObject({ file: 'area/f.json', run: 5, passed: 1, failed: 4, skipped: 0 });
    expect(rec.report.failures).toEqual([
      'mismatch: field: got a, vector expects b',
      'sdk: SDK threw INVALID_INPUT: nope',
      'error: malformed vector: boom',
      'non-error: malformed vector: a string',
    ]);
  });

  it('skip ignores non-positive counts and merges reasons and sections', () => {
    const rec = new FileRecorder('a/b.json');
    rec.skip(0, 'r1', 's');
    rec.skip(-3, 'r1');
    expect(rec.report.skipped).toBe(0);
    expect(rec.report.skipReasons).toEqual([]);
    rec.skip(2, 'r1', 's1');
    rec.skip(3, 'r1', 's1');
    rec.skip(1, 'r1');
    rec.skip(4, 'r2', 's2');
    expect(rec.report.skipped).toBe(10);
    expect(rec.report.skipReasons).toEqual([
      { reason: 'r1', count: 6, sections: ['s1'] },
      { reason: 'r2', count: 4, sections: ['s2'] },
    ]);
  });

  it('expectEqual: a missing expected value is a mismatch even when got is undefined too', () => {
    expect(() => expectEqual('x', undefined, undefined)).toThrow(VectorMismatch);
    expect(() => expectEqual('x', null, null)).toThrow(/expected value missing/);
    expect(() => expectEqual('x', 1n, 2n)).toThrow('x: got 1n, vector expects 2n');
    expect(() => expectEqual('x', { a: 1 }, 'y')).toThrow('x: got {"a":1}, vector expects y');
    // Long values are shortened to 37 characters plus an ellipsis.
    const long = 'f'.repeat(64);
    expect(() => expectEqual('x', long, 'y')).toThrow(`x: got ${'f'.repeat(37)}..., vector expects y`);
    // JSON.stringify(undefined) is undefined: rendered as the string "undefined".
    expect(() => expectEqual('x', undefined, 'y')).toThrow('x: got undefined, vector expects y');
    expect(() => expectEqual('x', 'same', 'same')).not.toThrow();
  });

  it('expectSdkError distinguishes right code, wrong code, non-SDK error and acceptance', async () => {
    const sdk = (code: 'INVALID_INPUT' | 'DECRYPT_FAILED') => () => {
      throw new SessionSdkError(code, 'm');
    };
    await expect(expectSdkError('w', 'INVALID_INPUT', sdk('INVALID_INPUT'))).resolves.toBeUndefined();
    await expect(expectSdkError('w', 'INVALID_INPUT', async () => sdk('INVALID_INPUT')())).resolves.toBeUndefined();
    await expect(expectSdkError('w', 'INVALID_INPUT', sdk('DECRYPT_FAILED'))).rejects.toThrow('w: expected INVALID_INPUT, got DECRYPT_FAILED');
    await expect(
      expectSdkError('w', 'INVALID_INPUT', () => {
        throw new TypeError('plain');
      }),
    ).rejects.toThrow('w: expected INVALID_INPUT, got TypeError: plain');
    await expect(expectSdkError('w', 'INVALID_INPUT', () => 1)).rejects.toThrow('w: expected INVALID_INPUT, but it was accepted');
  });

  it('hex is strict: non-strings, odd lengths and non-hex characters are malformed', () => {
    expect(hex('0aFf')).toEqual(Uint8Array.of(0x0a, 0xff));
    expect(hex('')).toEqual(new Uint8Array(0));
    expect(() => hex(12)).toThrow('expected a hex string, got 12');
    expect(() => hex(undefined)).toThrow('expected a hex string, got undefined');
    expect(() => hex('abc')).toThrow(/hex string/);
    expect(() => hex('zz')).toThrow(/hex string/);
  });

  it('list and byId reject non-lists and find entries by id or name', () => {
    expect(() => list(undefined, 'vectors')).toThrow('"vectors" is not a list');
    expect(() => list({ vectors: {} }, 'vectors')).toThrow('"vectors" is not a list');
    const doc = { vectors: [null, { id: 'a', n: 1 }, { name: 'b', n: 2 }] };
    expect(byId(doc, 'a').n).toBe(1);
    expect(byId(doc, 'b').n).toBe(2);
    expect(byId(doc, 'c')).toBeUndefined();
  });

  it('skipOtherSections / skipOtherVectors count unhandled vectors with their section', () => {
    const rec = new FileRecorder('a/b.json');
    skipOtherSections({ handled: [1, 2], other: [1, 2, 3], scalar: 5, empty: [] }, ['handled'], rec);
    expect(rec.report.skipReasons).toEqual([{ reason: NO_VERIFIER, count: 3, sections: ['other'] }]); // the empty list adds nothing
    skipOtherSections(null, [], rec); // a null document has no sections
    const rec2 = new FileRecorder('a/c.json');
    skipOtherVectors({ vectors: [{ id: 'done', cases: [1] }, { id: 'x', cases: [1, 2] }, { name: 'y' }, null] }, ['done'], rec2);
    expect(rec2.report.skipped).toBe(4);
    expect(rec2.report.skipReasons).toEqual([{ reason: NO_VERIFIER, count: 4, sections: ['x', 'y', 'undefined'] }]);
  });
});

describe('onion verifiers on damaged vectors', () => {
  it('swarm.json: a wrong expectation fails that case; a non-list "cases" throws (file-level failure)', async () => {
    const doc = {
      vectors: [
        {
          id: 'pubkey-to-swarm-space',
          cases: [{ pubkey_hex: '05' + '00'.repeat(32), expected_swarm_space_u64_decimal: '1', expected_hex: '0000000000000001' }],
        },
        { id: 'pubkey-to-swarm-id', sets: [{ swarm_ids_decimal: ['0'], cases: [{ pubkey_hex: 'zz', expected_swarm_id_decimal: '0' }] }] },
        { id: 'unknown', cases: [1, 2] },
      ],
    };
    const rec = new FileRecorder('onion/swarm.json');
    await ONION_VERIFIERS['swarm.json']!(doc, rec, noSiblings);
    expect(rec.report).toMatchObject({ run: 2, passed: 0, failed: 2, skipped: 2 });
    expect(rec.report.failures[0]).toMatch(/^pubkey-to-swarm-space #1: swarm space: got \d+, vector expects 1$/);
    expect(rec.report.failures[1]).toMatch(/^pubkey-to-swarm-id set 1 #1: SDK threw /);
    await expect(ONION_VERIFIERS['swarm.json']!({ vectors: [{ id: 'pubkey-to-swarm-space', cases: 'x' }] }, new FileRecorder('x'), noSiblings)).rejects.toThrow(
      '"cases" is not a list',
    );
  });

  it('storage-signatures.json: unknown method, missing signer keys and a non-base64 body fail', async () => {
    const doc = {
      keys: {},
      vectors: [
        {
          id: 'storage-rpc-signatures',
          cases: [
            { id: 'c1', method: 'frobnicate' },
            { id: 'c2', method: 'retrieve', namespace: 0, timestamp_ms: 1, signer: 'nobody', message_hex: undefined },
          ],
        },
        { id: 'message-hash', cases: [{ pubkey_hex: '05' + '00'.repeat(32), namespace: 0, data_base64: 7, expected_hash: 'x' }] },
      ],
    };
    const rec = new FileRecorder('onion/storage-signatures.json');
    await ONION_VERIFIERS['storage-signatures.json']!(doc, rec, noSiblings);
    expect(rec.report).toMatchObject({ run: 3, passed: 0, failed: 3 });
    expect(rec.report.failures).toEqual([
      'storage-rpc-signatures c1: malformed vector: unknown method frobnicate',
      'storage-rpc-signatures c2: signed message: expected value missing from the vector',
      'message-hash #1: malformed vector: expected a base64 string',
    ]);
  });

  it('storage-signatures.json: a correct message with no keys for its signer fails naming the signer', async () => {
    const real = shipped('onion/storage-signatures.json');
    const sigs = byId(real, 'storage-rpc-signatures');
    const c = { ...sigs.cases[0], signer: 'ghost' };
    const rec = new FileRecorder('onion/storage-signatures.json');
    await ONION_VERIFIERS['storage-signatures.json']!({ keys: real.keys, vectors: [{ id: 'storage-rpc-signatures', cases: [c] }] }, rec, noSiblings);
    expect(rec.report.failures).toEqual([`storage-rpc-signatures ${String(c.id)}: malformed vector: no keys for signer ghost`]);
  });

  it('onion-layers.json: a valid ciphertext listed as must-fail is reported as accepted', async () => {
    const real = shipped('onion/onion-layers.json');
    const v = structuredClone(byId(real, 'libsession-hop-encryption-decrypt'));
    v.expected.must_fail_aesgcm_decrypt = [v.inputs.aes_gcm_ciphertext];
    v.expected.must_fail_xchacha20_decrypt = ['00'];
    delete v.expected.also_must_fail_aesgcm_decrypt_defined_but_unused_upstream;
    const rec = new FileRecorder('onion/onion-layers.json');
    await ONION_VERIFIERS['onion-layers.json']!({ vectors: [v] }, rec, noSiblings);
    expect(rec.report).toMatchObject({ run: 4, passed: 3, failed: 1 });
    expect(rec.report.failures).toEqual(['must_fail_aesgcm_decrypt #1: aes-gcm decrypt: expected DECRYPT_FAILED, but it was accepted']);
  });
});

describe('identity verifiers on damaged vectors', () => {
  it('identity.json: valid_as not a list, a wrong pk and a bad id accepted as valid all fail', async () => {
    const goodId = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72'; // valid in identity.json
    const doc = {
      seed_to_identity: [],
      key_conversion: [{ input: {}, expected: { ed25519_pk: 'zz', x25519_pk: '00' } }],
      ed25519_signatures: [],
      id_strings: [
        { value: goodId, valid_as: 'session' },
        { value: goodId, valid_as: [] }, // a valid id the vector claims is invalid
        { value: 'nonsense', valid_as: ['session'] },
      ],
      extra: [1],
    };
    const rec = new FileRecorder('identity-envelope/identity.json');
    await IDENTITY_VERIFIERS['identity.json']!(doc, rec, noSiblings);
    expect(rec.report).toMatchObject({ run: 4, passed: 0, failed: 4, skipped: 1 });
    expect(rec.report.failures[0]).toMatch(/^key_conversion #1: malformed vector: expected a hex string/);
    expect(rec.report.failures[1]).toBe('id_strings #1: malformed vector: valid_as is not a list');
    expect(rec.report.failures[2]).toBe('id_strings #2: parseSessionId: expected INVALID_SESSION_ID, but it was accepted');
    expect(rec.report.failures[3]).toMatch(/^id_strings #3: SDK threw INVALID_SESSION_ID/);
  });

  it('identity.json: a missing section is a malformed file, not zero vectors', async () => {
    await expect(IDENTITY_VERIFIERS['identity.json']!({ seed_to_identity: [] }, new FileRecorder('x'), noSiblings)).rejects.toThrow(
      '"key_conversion" is not a list',
    );
  });

  it('mnemonic.json: an unknown expected_error name fails the vector', async () => {
    const doc = { encode: [], decode_ok: [], decode_errors: [{ words: 'a b c', expected_error: 'martian' }] };
    const rec = new FileRecorder('identity-envelope/mnemonic.json');
    await IDENTITY_VERIFIERS['mnemonic.json']!(doc, rec, noSiblings);
    expect(rec.report.failures).toEqual(['decode_errors #1: malformed vector: unknown expected_error martian']);
  });
});

describe('groups verifier on damaged vectors', () => {
  const real = shipped('groups/group-messages.json');
  const keysDoc = shipped('groups/groups-v2-keys.json');

  it('a missing sibling keys file fails every vector that needs it, never the whole run', async () => {
    const rec = new FileRecorder('groups/group-messages.json');
    await GROUPS_VERIFIERS['group-messages.json']!(real, rec, noSiblings);
    expect(rec.report.run).toBeGreaterThan(0);
    expect(rec.report.failed).toBe(rec.report.run);
    for (const f of rec.report.failures) expect(f).toMatch(/malformed vector: no sibling groups\/groups-v2-keys\.json$/);
  });

  it('a keys file without the gen-2 keys message fails with a clear reason', async () => {
    const rec = new FileRecorder('groups/group-messages.json');
    await GROUPS_VERIFIERS['group-messages.json']!(real, rec, { loadSibling: () => ({ vectors: [] }) });
    expect(rec.report.failed).toBe(rec.report.run);
    expect(rec.report.failures[0]).toMatch(/groups-v2-keys\.json has no rekey_gen2_three_members keys message$/);
  });

  it('a wrong group encryption key or a tampered ciphertext fails only its vector', async () => {
    const doc = structuredClone(real);
    const cur = byId(doc, 'group_message_v1_uncompressed_current');
    cur.inputs.group_enc_key = '00'.repeat(32);
    const rec = new FileRecorder('groups/group-messages.json');
    await GROUPS_VERIFIERS['group-messages.json']!(doc, rec, { loadSibling: () => keysDoc });
    expect(rec.report.failed).toBe(1);
    expect(rec.report.passed).toBe(rec.report.run - 1);
    expect(rec.report.failures[0]).toMatch(/^group_message_v1_uncompressed_current \(decrypt\): group encryption key: got /);
  });
});

describe('verifyVectorDirectory on a directory of damaged files', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'session-sdk-cov-vectors-'));
    mkdirSync(join(tmp, 'onion'));
    mkdirSync(join(tmp, 'groups'));
    mkdirSync(join(tmp, 'empty-area'));
    mkdirSync(join(tmp, 'other'));
    writeFileSync(join(tmp, 'onion', 'swarm.json'), JSON.stringify({ vectors: 'not a list' }));
    writeFileSync(join(tmp, 'onion', 'onion-layers.json'), '{ truncated');
    writeFileSync(join(tmp, 'onion', 'notes.txt'), 'ignored: not json');
    writeFileSync(join(tmp, 'groups', 'group-messages.json'), readFileSync(join(VECTOR_DIR, 'groups', 'group-messages.json')));
    writeFileSync(join(tmp, 'other', 'scenario.json'), JSON.stringify({ a: 1 }));
    writeFileSync(join(tmp, 'other', 'lists.json'), JSON.stringify({ a: [{ cases: [1, 2] }, { tests: [1] }, 3], b: 'x' }));
    writeFileSync(join(tmp, 'stray.json'), '{}');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports each damaged file as failed and counts unverified files as skipped', async () => {
    const r = await verifyVectorDirectory(tmp);
    // Areas in name order; an area with no .json file is left out; top-level files are ignored.
    expect(r.modules.map((m) => m.name)).toEqual(['groups', 'onion', 'other']);
    const files = Object.fromEntries(r.modules.flatMap((m) => m.files).map((f) => [f.file, f]));
    expect(Object.keys(files).sort()).toEqual(['groups/group-messages.json', 'onion/onion-layers.json', 'onion/swarm.json', 'other/lists.json', 'other/scenario.json']);
    expect(files['onion/swarm.json']).toMatchObject({ run: 1, failed: 1, failures: ['malformed file ("vectors" is not a list)'] });
    expect(files['onion/onion-layers.json']!.failed).toBe(1);
    expect(files['onion/onion-layers.json']!.failures[0]).toMatch(/^not readable JSON \(/);
    // groups-v2-keys.json is absent from this directory: its dependants fail, they are not skipped.
    expect(files['groups/group-messages.json']!.failed).toBeGreaterThan(0);
    expect(files['other/scenario.json']).toMatchObject({ run: 0, skipped: 1, skipReasons: [{ reason: NO_VERIFIER, count: 1, sections: [] }] });
    expect(files['other/lists.json']).toMatchObject({ skipped: 4 });
    expect(r.failed).toBe(files['onion/swarm.json']!.failed + files['onion/onion-layers.json']!.failed + files['groups/group-messages.json']!.failed);
    expect(r.skipped).toBe(5 + files['groups/group-messages.json']!.skipped);

    const text = formatVectorReport(r);
    expect(text).toContain('  FAILED onion/swarm.json malformed file ("vectors" is not a list)');
    expect(text).toMatch(/Total: \d+ run, 0 passed, \d+ failed, \d+ skipped\n$/);
  });

  it('a file path instead of a directory is INVALID_INPUT', async () => {
    await expect(verifyVectorDirectory(join(tmp, 'stray.json'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
