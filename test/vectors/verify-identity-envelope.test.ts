// `session-sdk vectors verify` on identity-envelope/attachments.json, blinding.json and
// session-encrypt.json (issue 7): every shipped vector runs and passes; one changed expected value
// per section fails exactly its vector, by label; malformed vectors fail, never crash or pass.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder, type FileReport, type VerifyContext } from '../../src/vectors/check.js';
import { IDENTITY_VERIFIERS } from '../../src/vectors/identity.js';
import { verifyVectorDirectory } from '../../src/vectors/verify.js';
import { VECTOR_DIR } from '../helpers/vectors.js';

const AREA = 'identity-envelope';
const FILES = ['attachments.json', 'blinding.json', 'session-encrypt.json'] as const;
type File = (typeof FILES)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const shipped = (file: File): any => JSON.parse(readFileSync(join(VECTOR_DIR, AREA, file), 'utf8'));
/** Vectors in a file of this area: every entry of every top-level list (none nest cases). */
const vectorCount = (doc: object): number => Object.values(doc).reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 0), 0);
/** Flips the low bit of the first byte of a hex string. */
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);
/** Changes the first character of a base64 string. */
const flipB64 = (s: string): string => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'session-sdk-ie-vectors-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A vector directory holding only `file` of this area, changed by `edit` (as `mutatedCopy` does). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyCopy(name: string, file: File, edit: (doc: any) => void): Promise<FileReport> {
  const dir = join(tmp, name);
  mkdirSync(join(dir, AREA), { recursive: true });
  cpSync(join(VECTOR_DIR, AREA, file), join(dir, AREA, file));
  const doc = shipped(file);
  edit(doc);
  writeFileSync(join(dir, AREA, file), JSON.stringify(doc, null, 2));
  const r = await verifyVectorDirectory(dir);
  return r.modules[0]!.files[0]!;
}

/** Runs one file's verifier on an in-memory document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyDoc(file: File, doc: any): Promise<FileReport> {
  const rec = new FileRecorder(`${AREA}/${file}`);
  await IDENTITY_VERIFIERS[file]!(doc, rec, noSiblings);
  return rec.report;
}

/** `doc` with every top-level list emptied except `keep` (to run one section alone, quickly). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function only(doc: any, ...keep: string[]): any {
  for (const [k, v] of Object.entries(doc)) if (Array.isArray(v) && !keep.includes(k)) doc[k] = [];
  return doc;
}

describe('identity-envelope verifiers on the shipped vectors', () => {
  it('run every vector of attachments.json, blinding.json and session-encrypt.json: all pass, none skipped', async () => {
    const dir = join(tmp, 'shipped');
    mkdirSync(join(dir, AREA), { recursive: true });
    for (const f of FILES) cpSync(join(VECTOR_DIR, AREA, f), join(dir, AREA, f));
    const r = await verifyVectorDirectory(dir);
    const files = r.modules[0]!.files;
    expect(files.map((f) => f.file)).toEqual(FILES.map((f) => `${AREA}/${f}`));
    for (const [i, f] of files.entries()) {
      const n = vectorCount(shipped(FILES[i]!));
      expect(f, f.file).toMatchObject({ run: n, passed: n, failed: 0, skipped: 0, skipReasons: [], failures: [] });
    }
    expect(files.map((f) => f.run)).toEqual([40, 35, 19]);
  });

  it('identity.json and mnemonic.json (verified by the same module) still pass in full', async () => {
    for (const [file, n] of [['identity.json', 13], ['mnemonic.json', 16]] as const) {
      const rec = new FileRecorder(`${AREA}/${file}`);
      await IDENTITY_VERIFIERS[file]!(JSON.parse(readFileSync(join(VECTOR_DIR, AREA, file), 'utf8')), rec, noSiblings);
      expect(rec.report, file).toMatchObject({ run: n, passed: n, failed: 0, skipped: 0 });
    }
  });
});

describe('a changed expected value fails exactly its vector', () => {
  // One change per section (several sections per copy, each in its own vector): the failures are
  // exactly these labels, everything else still passes.
  it('attachments.json', async () => {
    const f = await verifyCopy('flip-attachments', 'attachments.json', (d) => {
      d.libsession_encrypted_sizes[3].expected_encrypted_size += 1;
      d.libsession_encrypt_derived[1].expected.encrypted_hex = flipHex(d.libsession_encrypt_derived[1].expected.encrypted_hex);
      d.libsession_encrypt_derived[5].expected.encrypted_last64_hex = flipHex(d.libsession_encrypt_derived[5].expected.encrypted_last64_hex);
      d.legacy_encrypt[2].expected.digest_sha256_of_blob = flipHex(d.legacy_encrypt[2].expected.digest_sha256_of_blob);
      d.legacy_size_padding[4].padded_len += 1;
    });
    expect(f).toMatchObject({ run: 40, passed: 35, failed: 5, skipped: 0 });
    expect(f.failures).toEqual([
      'libsession_encrypted_sizes #4 (10 bytes): encrypted size: got 4096, vector expects 4097',
      expect.stringMatching(/^libsession_encrypt_derived #2: encrypted_hex: got 53e16cfc/),
      expect.stringMatching(/^libsession_encrypt_derived #6: encrypted_last64_hex: got 396dd0ed/),
      expect.stringMatching(/^legacy_encrypt #3: digest_sha256_of_blob: got 2afff3a4/),
      'legacy_size_padding #5 (1000 bytes): padded_len: got 1020, vector expects 1021',
    ]);
  });

  it('session-encrypt.json', async () => {
    const f = await verifyCopy('flip-session-encrypt', 'session-encrypt.json', (d) => {
      d.deterministic_encrypt[0].intermediates_derived.nonce_blake2b24_epk_rpk = flipHex(d.deterministic_encrypt[0].intermediates_derived.nonce_blake2b24_epk_rpk);
      d.randomised_encrypt_properties[0].expected.decrypt_sender_ed25519_pk = flipHex(d.randomised_encrypt_properties[0].expected.decrypt_sender_ed25519_pk);
      d.randomised_encrypt_properties[1].expected.ciphertext_len += 1;
      d.other_decrypt_functions[0].expected.session_id = flipHex(d.other_decrypt_functions[0].expected.session_id);
      d.other_decrypt_functions[1].expected.plaintext_hex = flipHex(d.other_decrypt_functions[1].expected.plaintext_hex);
      d.padding[2].expected.padded_hex = d.padding[2].expected.padded_hex.slice(0, -2) + '01';
      d.padding[7].expected.padded_hex = flipHex(d.padding[7].expected.padded_hex);
      d.envelope_framing[0].expected.envelope_protobuf = flipHex(d.envelope_framing[0].expected.envelope_protobuf);
    });
    expect(f).toMatchObject({ run: 19, passed: 11, failed: 8, skipped: 0 });
    expect(f.failures).toEqual([
      expect.stringMatching(/^deterministic_encrypt #1: nonce_blake2b24_epk_rpk: got df0776c2.*vector expects de0776c2/),
      expect.stringMatching(/^randomised_encrypt_properties #1: sender ed25519 pk: got 4cb76fdc/),
      'randomised_encrypt_properties #2: ciphertext_len: got 589, vector expects 590',
      expect.stringMatching(/^other_decrypt_functions #1: session_id: got 05d2ad01.*vector expects 04d2ad01/),
      'other_decrypt_functions #2: plaintext_hex: got 546573744d657373616765, vector expects 556573744d657373616765',
      expect.stringMatching(/^padding #3: padMessage: got 4141414141800000/),
      expect.stringMatching(/^padding #8: unpadMessage: got 8100000000/),
      expect.stringMatching(/^envelope_framing #1: envelope_protobuf: got 08062880/),
    ]);
  });

  it('blinding.json (X-SOGS headers and blinded DMs)', async () => {
    const f = await verifyCopy('flip-blinding', 'blinding.json', (d) => {
      const s = d.sogs_request_signing;
      s[0].derived.libsession_variant_signature_b64 = flipB64(s[0].derived.libsession_variant_signature_b64);
      s[1].derived_intermediates.body_blake2b64 = flipHex(s[1].derived_intermediates.body_blake2b64);
      s[2].expected['X-SOGS-Pubkey'] = '01' + s[2].expected['X-SOGS-Pubkey'].slice(2);
      s[3].expected['X-SOGS-Signature'] = flipB64(s[3].expected['X-SOGS-Signature']);
      d.blinded_dm[0].expected.ciphertext = flipHex(d.blinded_dm[0].expected.ciphertext);
      d.blinded_dm[1].expected.decrypt_sender_session_id = flipHex(d.blinded_dm[1].expected.decrypt_sender_session_id);
      d.blinded_dm[2].expected.shared_key = flipHex(d.blinded_dm[2].expected.shared_key);
      d.blinded_dm[3].expected.sender_blinded_id = '15' + d.blinded_dm[3].expected.sender_blinded_id.slice(2);
    });
    expect(f).toMatchObject({ run: 35, passed: 27, failed: 8, skipped: 0 });
    expect(f.failures).toEqual([
      expect.stringMatching(/^sogs_request_signing #1: libsession_variant_signature_b64: got kXxMbg6/),
      expect.stringMatching(/^sogs_request_signing #2: body_blake2b64: got ebd4b1e0/),
      expect.stringMatching(/^sogs_request_signing #3: X-SOGS-Pubkey: got 00bac6e7.*vector expects 01bac6e7/),
      expect.stringMatching(/^sogs_request_signing #4: X-SOGS-Signature: got uumZNee7/),
      expect.stringMatching(/^blinded_dm #1: ciphertext: got 00044929/),
      expect.stringMatching(/^blinded_dm #2: decrypt_sender_session_id \(recipient\): got 05d2ad01.*vector expects 04d2ad01/),
      'blinded_dm #3: shared_key: does not open the ciphertext',
      expect.stringMatching(/^blinded_dm #4: sender_blinded_id: got 258ce2ed.*vector expects 158ce2ed/),
    ]);
  });
});

describe('malformed vectors fail with a reason, never crash or pass', () => {
  it('attachments.json: missing constants, unknown domain or generator, bad lengths, missing fields', async () => {
    const d = only(shipped('attachments.json'), 'libsession_encrypted_sizes', 'libsession_encrypt_derived', 'legacy_encrypt', 'legacy_size_padding');
    d.libsession_encrypted_sizes = [d.libsession_encrypted_sizes[0], { plaintext_size: 5 }];
    const [a, b] = [d.libsession_encrypt_derived[0], d.libsession_encrypt_derived[5]];
    const variant = (patch: (v: any) => void): any => {
      const v = structuredClone(a);
      patch(v);
      return v;
    };
    d.libsession_encrypt_derived = [
      variant((v) => (v.input.domain_personalisation_ascii = 'Session_Other___')),
      variant((v) => (v.input.domain_personalisation_ascii = 7)),
      variant((v) => (v.input.plaintext_generator = 'byte[i] = i')),
      variant((v) => (v.input.plaintext_len = -1)),
      variant((v) => (v.input.plaintext_hex = '00')),
      variant((v) => (v.input.seed = 'xyz')),
      variant((v) => delete v.expected.key),
      { ...b, expected: { ...b.expected, encrypted_first64_hex: undefined } },
    ];
    d.legacy_encrypt = [{ input: { ...d.legacy_encrypt[0].input, iv: 'a0a1' }, expected: d.legacy_encrypt[0].expected }];
    d.legacy_size_padding = [d.legacy_size_padding[0]];
    delete d.max_attachment_bytes_desktop;
    const r = await verifyDoc('attachments.json', d);
    expect(r).toMatchObject({ run: 12, passed: 1, failed: 11, skipped: 0 });
    expect(r.failures).toEqual([
      'libsession_encrypted_sizes #2 (5 bytes): encrypted size: expected value missing from the vector',
      'libsession_encrypt_derived #1: domain personalisation Session_Other___ is none of the file\'s constants',
      'libsession_encrypt_derived #2: malformed vector: expected an ASCII string',
      'libsession_encrypt_derived #3: malformed vector: unknown plaintext_generator byte[i] = i',
      'libsession_encrypt_derived #4: malformed vector: plaintext_len is not a length',
      'libsession_encrypt_derived #5: plaintext_hex: got , vector expects 00',
      'libsession_encrypt_derived #6: malformed vector: expected a hex string, got xyz',
      'libsession_encrypt_derived #7: key: expected value missing from the vector',
      'libsession_encrypt_derived #8: encrypted_first64_hex: expected value missing from the vector',
      expect.stringMatching(/^legacy_encrypt #1: SDK threw INVALID_LENGTH: /),
      'legacy_size_padding #1 (1 bytes): max_attachment_bytes_desktop: expected value missing from the vector',
    ]);

    delete d.libsession_constants;
    const r2 = await verifyDoc('attachments.json', only(d, 'libsession_encrypted_sizes'));
    expect(r2.failures[0]).toBe('libsession_encrypted_sizes #1 (0 bytes): malformed vector: libsession_constants is missing');
    await expect(verifyDoc('attachments.json', { libsession_encrypted_sizes: [] })).rejects.toThrow('"libsession_encrypt_derived" is not a list');
  });

  it('attachments.json: a size above the regular limit must be refused without allowLarge', async () => {
    const d = only(shipped('attachments.json'), 'libsession_encrypted_sizes');
    d.libsession_encrypted_sizes = d.libsession_encrypted_sizes.filter((v: any) => v.plaintext_size > 10_218_286);
    d.libsession_constants.MAX_REGULAR_SIZE = 1;
    const r = await verifyDoc('attachments.json', d);
    expect(r.failures).toEqual(['libsession_encrypted_sizes #1 (25000000 bytes): MAX_REGULAR_SIZE: got 10218286, vector expects 1']);
  });

  it('session-encrypt.json: no recipient key, non-string message, stated flips, missing fields', async () => {
    const base = shipped('session-encrypt.json');
    const [r0, r1] = base.randomised_encrypt_properties;
    const d = only(structuredClone(base), 'randomised_encrypt_properties', 'other_decrypt_functions', 'padding', 'deterministic_encrypt', 'envelope_framing');
    d.randomised_encrypt_properties = [
      { ...r0, input: { ...r0.input, message_utf8: 5 } },
      // No flip stated: the remaining properties still pass.
      { ...r1, description: 'round trip only' },
      { ...r0, description: r0.description.replace('byte 2', 'byte 200') },
    ];
    d.other_decrypt_functions = [{ ...base.other_decrypt_functions[1], expected: { plaintext_hex: base.other_decrypt_functions[1].expected.plaintext_hex } }];
    d.padding = [{ ...base.padding[0], input: { plaintext_hex: '' } }];
    // Optional parts absent: only the seed as sender key, no ciphertext_len, recipient X25519 key or intermediates.
    const det = base.deterministic_encrypt[0];
    const { sender_ed25519_sk64: _sk64, ...seedOnly } = det.input;
    const { recipient_x25519_sk_for_decrypt: _x, ...noX } = det.input;
    d.deterministic_encrypt = [
      { ...det, input: seedOnly, expected: { ...det.expected, ciphertext_len: undefined } },
      { ...det, input: noX, intermediates_derived: undefined },
    ];
    const r = await verifyDoc('session-encrypt.json', d);
    expect(r).toMatchObject({ run: 8, passed: 4, failed: 4, skipped: 0 });
    expect(r.failures).toEqual([
      'randomised_encrypt_properties #1: malformed vector: expected a UTF-8 string',
      // Byte 200 is past the end of a 149-byte ciphertext: flipping nothing, the SDK accepts it.
      'randomised_encrypt_properties #3: byte 200 flipped: expected DECRYPT_FAILED, but it was accepted',
      'other_decrypt_functions #1: plaintext_utf8: expected value missing from the vector',
      'padding #1: plaintext_len: expected value missing from the vector',
    ]);

    // Without the file's recipient key (stated once, in randomised_encrypt_properties[0]) nothing decrypts.
    const noKey = structuredClone(base);
    noKey.randomised_encrypt_properties[0].expected.decrypt_with = 'the recipient';
    noKey.randomised_encrypt_properties = noKey.randomised_encrypt_properties.slice(0, 1);
    const r2 = await verifyDoc('session-encrypt.json', only(noKey, 'randomised_encrypt_properties', 'deterministic_encrypt', 'envelope_framing'));
    const missing = 'malformed vector: no recipient secret key (randomised_encrypt_properties[0].expected.decrypt_with)';
    expect(r2.failures).toEqual([`deterministic_encrypt #1: ${missing}`, `randomised_encrypt_properties #1: ${missing}`, `envelope_framing #1: ${missing}`]);
    const r3 = await verifyDoc('session-encrypt.json', only({ ...structuredClone(base), randomised_encrypt_properties: [] }, 'deterministic_encrypt'));
    expect(r3.failures).toEqual([`deterministic_encrypt #1: ${missing}`]);
    // An unknown section is counted as skipped, not silently ignored.
    const r4 = await verifyDoc('session-encrypt.json', { ...only(structuredClone(base)), extra: [1, 2] });
    expect(r4).toMatchObject({ run: 0, skipped: 2 });
  });

  it('blinding.json: a bad matches_variant, a non-boolean "blinded", a body given two ways that disagree, missing expectations', async () => {
    const base = shipped('blinding.json');
    const s = base.sogs_request_signing;
    const d = only(structuredClone(base), 'sogs_request_signing', 'blinded_dm');
    d.sogs_request_signing = [
      { ...s[0], input: { ...s[0].input, blinded: 'yes' } },
      { ...s[1], input: { ...s[1].input, body_utf8: 'hello' } },
      { ...s[2], expected: undefined },
      { ...s[3], input: { ...s[3].input, body_utf8: undefined, body_hex: '68656c6c6f20f09f8e82' }, expected: { 'X-SOGS-Pubkey': s[3].expected['X-SOGS-Pubkey'] } },
    ];
    d.blinded_dm = [{ ...base.blinded_dm[0], input: { ...base.blinded_dm[0].input, message_utf8: null } }];
    const x = base.blinded15_ids_extra[0];
    d.blinded15_ids_extra = [{ ...x, expected: { ...x.expected, matches_variant: 2 } }];
    const r = await verifyDoc('blinding.json', d);
    expect(r).toMatchObject({ run: 6, passed: 0, failed: 6 });
    expect(r.failures).toEqual([
      'blinded15_ids_extra #1: malformed vector: matches_variant must be 0 or 1',
      'sogs_request_signing #1: malformed vector: blinded is not a boolean',
      'sogs_request_signing #2: body_hex (UTF-8 of body_utf8): got 68656c6c6f, vector expects 68656c6c6f20f09f8e82',
      expect.stringMatching(/^sogs_request_signing #3: malformed vector: /),
      'sogs_request_signing #4: X-SOGS-Signature: expected value missing from the vector',
      'blinded_dm #1: malformed vector: expected a UTF-8 string',
    ]);
  });
});
