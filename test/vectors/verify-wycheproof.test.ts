// `session-sdk vectors verify` on test-vectors/wycheproof/ and identity-envelope/ed25519-speccheck.json
// (issue 7): every case is one vector, run on both providers; the only skips are AES parameters
// the SDK never uses, counted exactly; one changed expectation fails exactly that vector; damaged
// vectors fail, never pass and never crash.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRecorder, type FileReport, type FileVerifier, type VerifyContext } from '../../src/vectors/check.js';
import { SPECCHECK_VERIFIERS } from '../../src/vectors/speccheck.js';
import { verifyVectorDirectory, type VectorReport } from '../../src/vectors/verify.js';
import { libsodiumX25519Verdict, WYCHEPROOF_VERIFIERS } from '../../src/vectors/wycheproof.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, VECTOR_DIR } from '../helpers/vectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const shipped = (rel: string): Doc => JSON.parse(readFileSync(join(VECTOR_DIR, rel), 'utf8'));
const wy = (file: string): Doc => shipped(`wycheproof/${file}`);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const casesOf = (doc: Doc): any[] => doc.testGroups.flatMap((g: Doc) => g.tests);
/** The first case (in file order) whose group and case satisfy `pred`. */
const find = (doc: Doc, pred: (g: Doc, t: Doc) => boolean): Doc => {
  for (const g of doc.testGroups) for (const t of g.tests) if (pred(g, t)) return t;
  throw new Error('no such case');
};
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};

async function run(verifier: FileVerifier, doc: Doc): Promise<FileReport> {
  const rec = new FileRecorder('x');
  await verifier(doc, rec, noSiblings);
  return rec.report;
}
const W = (file: string): FileVerifier => WYCHEPROOF_VERIFIERS[file]!;
const SPECCHECK = SPECCHECK_VERIFIERS['ed25519-speccheck.json']!;

const FILES = [
  'aes_cbc_pkcs5_test.json',
  'aes_gcm_test.json',
  'chacha20_poly1305_test.json',
  'ed25519_test.json',
  'hmac_sha256_test.json',
  'x25519_test.json',
  'xchacha20_poly1305_test.json',
];
const OUTSIDE_KEY = "parameter outside the SDK's use (AES key other than 256 bits)";
const OUTSIDE_IV = "parameter outside the SDK's use (GCM iv other than 96 bits)";

describe('vectors verify: wycheproof and Ed25519 speccheck on the shipped files', () => {
  let tmp: string;
  let report: VectorReport;
  const fileReport = (f: string): FileReport => report.modules.flatMap((m) => m.files).find((x) => x.file === f)!;

  beforeAll(async () => {
    // Only these files, through the same directory walk and dispatch as the CLI.
    tmp = mkdtempSync(join(tmpdir(), 'session-sdk-wycheproof-'));
    cpSync(join(VECTOR_DIR, 'wycheproof'), join(tmp, 'wycheproof'), { recursive: true });
    mkdirSync(join(tmp, 'identity-envelope'));
    cpSync(join(VECTOR_DIR, 'identity-envelope/ed25519-speccheck.json'), join(tmp, 'identity-envelope/ed25519-speccheck.json'));
    report = await verifyVectorDirectory(tmp);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('every shipped wycheproof file has a verifier', () => {
    expect(readdirSync(join(VECTOR_DIR, 'wycheproof')).filter((f) => f.endsWith('.json')).sort()).toEqual(FILES);
    expect(Object.keys(WYCHEPROOF_VERIFIERS).sort()).toEqual(FILES);
  });

  it.each(FILES.filter((f) => !f.startsWith('aes_')))('%s: every case runs and passes, none skipped', (file) => {
    const doc = wy(file);
    const f = fileReport(`wycheproof/${file}`);
    expect(casesOf(doc)).toHaveLength(doc.numberOfTests);
    expect(f).toMatchObject({ run: doc.numberOfTests, passed: doc.numberOfTests, failed: 0, skipped: 0 });
  });

  it('aes_cbc_pkcs5_test.json: the 72 AES-256 cases pass; the 144 AES-128/192 cases are skipped, with that reason', () => {
    const doc = wy('aes_cbc_pkcs5_test.json');
    const aes256 = doc.testGroups.filter((g: Doc) => g.keySize === 256).flatMap((g: Doc) => g.tests).length;
    expect(aes256).toBe(72);
    expect(fileReport('wycheproof/aes_cbc_pkcs5_test.json')).toMatchObject({
      run: 72,
      passed: 72,
      failed: 0,
      skipped: 144,
      skipReasons: [{ reason: OUTSIDE_KEY, count: 144, sections: ['keySize 128', 'keySize 192'] }],
    });
  });

  it('aes_gcm_test.json: AES-256 with 96-bit IVs and every invalid AES-256 case pass; valid cases with other IVs and other key sizes are skipped', () => {
    const doc = wy('aes_gcm_test.json');
    let runs = 0;
    let otherKey = 0;
    let otherIv = 0;
    for (const g of doc.testGroups) {
      for (const t of g.tests) {
        if (g.keySize !== 256) otherKey++;
        else if (g.ivSize !== 96 && t.result === 'valid') otherIv++;
        else runs++;
      }
    }
    expect([runs, otherKey, otherIv]).toEqual([68, 211, 37]);
    // the two invalid AES-256 cases outside 96-bit IVs are the empty IVs, refused by the SDK
    expect(doc.testGroups.filter((g: Doc) => g.keySize === 256 && g.ivSize !== 96).flatMap((g: Doc) => g.tests.filter((t: Doc) => t.result === 'invalid').map(() => g.ivSize))).toEqual([0, 0]);
    const f = fileReport('wycheproof/aes_gcm_test.json');
    expect(f).toMatchObject({ run: 68, passed: 68, failed: 0, skipped: 248 });
    expect(f.skipReasons.map((r) => [r.reason, r.count])).toEqual([
      [OUTSIDE_KEY, 211],
      [OUTSIDE_IV, 37],
    ]);
    expect(f.skipReasons[0]!.sections).toEqual(['keySize 128', 'keySize 192']);
    expect(f.skipReasons[1]!.sections.sort()).toEqual(['ivSize 1024', 'ivSize 120', 'ivSize 128', 'ivSize 16', 'ivSize 160', 'ivSize 2056', 'ivSize 256', 'ivSize 32', 'ivSize 48', 'ivSize 512', 'ivSize 64', 'ivSize 8', 'ivSize 80']);
  });

  it('ed25519-speccheck.json: all 12 cases pass, none skipped', () => {
    expect(fileReport('identity-envelope/ed25519-speccheck.json')).toMatchObject({ run: 12, passed: 12, failed: 0, skipped: 0 });
    expect(report).toMatchObject({ run: 1623 + 12, passed: 1623 + 12, failed: 0, skipped: 392 });
  });
});

describe('the acceptable-case decisions are libsodium’s', () => {
  it('libsodiumX25519Verdict equals crypto_scalarmult on every x25519_test.json case', async () => {
    const sodium = await loadSodium();
    let rejected = 0;
    for (const t of casesOf(wy('x25519_test.json'))) {
      let theirs: string;
      try {
        sodium.crypto_scalarmult(hex(t.private), hex(t.public));
        theirs = 'accept';
      } catch {
        theirs = 'reject';
      }
      expect(libsodiumX25519Verdict(t.shared), `tcId ${t.tcId}`).toBe(theirs);
      if (theirs === 'reject') rejected++;
    }
    expect(rejected).toBe(31);
  });

  it('the speccheck file records libsodium’s own verdicts', async () => {
    const sodium = await loadSodium();
    for (const c of shipped('identity-envelope/ed25519-speccheck.json').cases) {
      let ok: boolean;
      try {
        ok = sodium.crypto_sign_verify_detached(hex(c.sig), hex(c.msg), hex(c.pk));
      } catch {
        ok = false;
      }
      expect(ok ? 'accept' : 'reject', `case ${c.case}`).toBe(c.libsodium);
    }
  });
});

/**
 * A deep copy of `doc` with case `tcId` edited. With `window`, only that case's group is kept,
 * cut to the cases within `window` positions of it (the curve files are slow to run whole).
 */
function edited(doc: Doc, tcId: number, edit: (t: Doc) => void, window?: number): Doc {
  const d = structuredClone(doc);
  edit(find(d, (_g, t) => t.tcId === tcId));
  if (window !== undefined) {
    const g = d.testGroups.find((x: Doc) => x.tests.some((t: Doc) => t.tcId === tcId));
    const i = g.tests.findIndex((t: Doc) => t.tcId === tcId);
    d.testGroups = [{ ...g, tests: g.tests.slice(Math.max(0, i - window), i + window + 1) }];
  }
  return d;
}

describe('one changed expectation fails exactly that vector', () => {
  // Each entry edits one case (one flipped byte of an expected value, or a flipped verdict) and
  // names the failure it must produce. The slow curve files are cut to the edited case's group.
  const cases: { name: string; file: string; tcId: (d: Doc) => number; edit: (t: Doc) => void; label: RegExp; wholeFile?: boolean }[] = [
    {
      name: 'AES-CBC ciphertext of a valid case',
      file: 'aes_cbc_pkcs5_test.json',
      tcId: (d) => find(d, (g, t) => g.keySize === 256 && t.result === 'valid').tcId,
      edit: (t) => (t.ct = flipHex(t.ct)),
      label: /^tcId \d+: \[noble\] ciphertext: got/,
    },
    {
      name: 'AES-CBC invalid case marked valid',
      file: 'aes_cbc_pkcs5_test.json',
      tcId: (d) => find(d, (g, t) => g.keySize === 256 && t.result === 'invalid').tcId,
      edit: (t) => (t.result = 'valid'),
      label: /^tcId \d+: \[noble\] ciphertext: got/,
    },
    {
      name: 'AES-GCM tag of a valid case',
      file: 'aes_gcm_test.json',
      tcId: (d) => find(d, (g, t) => g.keySize === 256 && g.ivSize === 96 && t.result === 'valid').tcId,
      edit: (t) => (t.tag = flipHex(t.tag)),
      label: /^tcId \d+: \[noble\] ciphertext ‖ tag: got/,
    },
    {
      name: 'AES-GCM valid case marked invalid',
      file: 'aes_gcm_test.json',
      tcId: (d) => find(d, (g, t) => g.keySize === 256 && g.ivSize === 96 && t.result === 'valid').tcId,
      edit: (t) => (t.result = 'invalid'),
      label: /^tcId \d+: \[noble\] decrypt: expected DECRYPT_FAILED, but it was accepted$/,
    },
    {
      name: 'HMAC tag of a valid full-length case',
      file: 'hmac_sha256_test.json',
      tcId: (d) => find(d, (g, t) => g.tagSize === 256 && t.result === 'valid').tcId,
      edit: (t) => (t.tag = flipHex(t.tag)),
      label: /^tcId \d+: \[noble\] tag: got/,
    },
    {
      name: 'HMAC tag of a valid truncated case',
      file: 'hmac_sha256_test.json',
      tcId: (d) => find(d, (g, t) => g.tagSize === 128 && t.result === 'valid').tcId,
      edit: (t) => (t.tag = flipHex(t.tag)),
      label: /^tcId \d+: \[noble\] tag: got/,
    },
    {
      name: 'HMAC invalid case marked valid',
      file: 'hmac_sha256_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'invalid').tcId,
      edit: (t) => (t.result = 'valid'),
      label: /^tcId \d+: \[noble\] tag: got/,
    },
    {
      name: 'HMAC valid case marked invalid',
      file: 'hmac_sha256_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid').tcId,
      edit: (t) => (t.result = 'invalid'),
      label: /^tcId \d+: \[noble\] forged tag accepted: got true, vector expects false$/,
    },
    {
      name: 'X25519 shared secret of a valid case',
      file: 'x25519_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid').tcId,
      edit: (t) => (t.shared = flipHex(t.shared)),
      label: /^tcId \d+: \[noble\] shared secret: got/,
    },
    {
      name: 'X25519 shared secret of an acceptable (twist) case libsodium accepts',
      file: 'x25519_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'acceptable' && t.flags.includes('Twist') && !/^0+$/.test(t.shared)).tcId,
      edit: (t) => (t.shared = flipHex(t.shared)),
      label: /^tcId \d+: \[noble\] shared secret: got/,
    },
    {
      name: 'X25519 all-zero acceptable case marked valid',
      file: 'x25519_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'acceptable' && /^0+$/.test(t.shared)).tcId,
      edit: (t) => (t.result = 'valid'),
      label: /^tcId \d+: SDK threw SMALL_ORDER_KEY/,
    },
    {
      name: 'Ed25519 signature of a valid case',
      file: 'ed25519_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid').tcId,
      edit: (t) => (t.sig = flipHex(t.sig)),
      label: /^tcId \d+: \[noble\] ed25519Verify accepts: got false, vector expects true$/,
    },
    {
      name: 'Ed25519 invalid case marked valid',
      file: 'ed25519_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'invalid').tcId,
      edit: (t) => (t.result = 'valid'),
      label: /^tcId \d+: \[noble\] ed25519Verify accepts: got false, vector expects true$/,
    },
    {
      name: 'XChaCha20-Poly1305 ciphertext of a valid case with AAD',
      file: 'xchacha20_poly1305_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid' && t.aad !== '' && t.msg !== '').tcId,
      edit: (t) => (t.ct = flipHex(t.ct)),
      label: /^tcId \d+: \[@noble\/ciphers\] plaintext: got rejected/,
    },
    {
      name: 'XChaCha20-Poly1305 plaintext of a valid AAD-free case (the SDK wrappers)',
      file: 'xchacha20_poly1305_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid' && t.aad === '' && t.msg !== '').tcId,
      edit: (t) => (t.msg = flipHex(t.msg)),
      label: /^tcId \d+: \[@noble\/ciphers\] plaintext: got/,
    },
    {
      name: 'XChaCha20-Poly1305 valid AAD-free case marked invalid',
      file: 'xchacha20_poly1305_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid' && t.aad === '').tcId,
      edit: (t) => (t.result = 'invalid'),
      label: /^tcId \d+: \[@noble\/ciphers\] decrypt: got [0-9a-f]*/,
    },
    {
      name: 'ChaCha20-Poly1305 tag of a valid case',
      file: 'chacha20_poly1305_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid').tcId,
      edit: (t) => (t.tag = flipHex(t.tag)),
      label: /^tcId \d+: \[@noble\/ciphers\] plaintext: got rejected/,
    },
    {
      name: 'ChaCha20-Poly1305 valid case marked invalid',
      file: 'chacha20_poly1305_test.json',
      tcId: (d) => find(d, (g, t) => t.result === 'valid').tcId,
      edit: (t) => (t.result = 'invalid'),
      label: /^tcId \d+: \[@noble\/ciphers\] decrypt: got [0-9a-f]*/,
    },
  ];

  for (const c of cases) {
    it(`${c.file}: ${c.name}`, async () => {
      const doc = wy(c.file);
      const id = c.tcId(doc);
      const slow = c.file === 'x25519_test.json' || c.file === 'ed25519_test.json';
      const d = edited(doc, id, c.edit, slow ? 10 : undefined);
      const r = await run(W(c.file), d);
      expect(r.failed).toBe(1);
      expect(r.passed).toBe(r.run - 1);
      expect(r.run).toBeGreaterThan(slow ? 5 : 50);
      expect(r.failures).toHaveLength(1);
      expect(r.failures[0]).toMatch(new RegExp(`^tcId ${id}: `));
      expect(r.failures[0]).toMatch(c.label);
    });
  }

  it('xchacha20_poly1305_test.json: a forged AAD-free case is rejected by every SDK wrapper', async () => {
    // Wycheproof's invalid 24-byte-nonce cases all carry AAD, which the SDK wrappers do not take,
    // so this forgery (one tag bit of a valid AAD-free case) checks the verifier's rejection path.
    const doc = wy('xchacha20_poly1305_test.json');
    const id = find(doc, (g, t) => t.result === 'valid' && t.aad === '' && t.msg !== '').tcId;
    const d = edited(doc, id, (t) => Object.assign(t, { tag: flipHex(t.tag), result: 'invalid' }), 0);
    expect(await run(W('xchacha20_poly1305_test.json'), d)).toMatchObject({ run: 1, passed: 1, failed: 0 });
  });

  it('ed25519-speccheck.json: a flipped libsodium verdict fails that case on the public verifier first', async () => {
    const doc = shipped('identity-envelope/ed25519-speccheck.json');
    for (const [i, want] of [
      [3, /^case 3: verifyEd25519 accepts: got true, vector expects false$/],
      [0, /^case 0: verifyEd25519 accepts: got false, vector expects true$/],
    ] as const) {
      const d = structuredClone(doc);
      d.cases[i].libsodium = d.cases[i].libsodium === 'accept' ? 'reject' : 'accept';
      const r = await run(SPECCHECK, d);
      expect([r.run, r.passed, r.failed]).toEqual([12, 11, 1]);
      expect(r.failures[0]).toMatch(want);
    }
  });
});

describe('damaged vectors fail, never pass, never crash', () => {
  /** The file cut to one case: the first of the first group the SDK uses (AES-256, 96-bit GCM IV). */
  const small = (file: string): Doc => {
    const d = wy(file);
    const g = d.testGroups.find((x: Doc) => (x.keySize ?? 256) === 256 && (file !== 'aes_gcm_test.json' || x.ivSize === 96));
    d.testGroups = [{ ...g, tests: g.tests.slice(0, 1) }];
    return d;
  };

  it('a missing or non-hex field fails the case as a malformed vector', async () => {
    for (const [file, field] of [
      ['aes_cbc_pkcs5_test.json', 'ct'],
      ['aes_gcm_test.json', 'tag'],
      ['chacha20_poly1305_test.json', 'aad'],
      ['xchacha20_poly1305_test.json', 'key'],
      ['hmac_sha256_test.json', 'msg'],
      ['x25519_test.json', 'private'],
      ['ed25519_test.json', 'sig'],
    ] as const) {
      for (const bad of [undefined, 'zz']) {
        const d = small(file);
        d.testGroups[0].tests[0][field] = bad;
        const r = await run(W(file), d);
        expect([r.run, r.failed], `${file} ${field}=${bad}`).toEqual([1, 1]);
        expect(r.failures[0]).toMatch(/^tcId \d+: malformed vector: expected a hex string, got /);
      }
    }
  });

  it('a missing expected value fails (never passes by omission)', async () => {
    const d = small('x25519_test.json');
    delete d.testGroups[0].tests[0].shared;
    const r = await run(W('x25519_test.json'), d);
    expect(r.failures).toEqual([expect.stringMatching(/^tcId 1: \[noble\] shared secret: expected value missing from the vector$/)]);
  });

  it('a group without its public key, and an unknown or undecidable result, fail the case', async () => {
    const ed = small('ed25519_test.json');
    delete ed.testGroups[0].publicKey;
    expect((await run(W('ed25519_test.json'), ed)).failures[0]).toMatch(/^tcId 1: malformed vector: expected a hex string, got undefined/);
    const odd = small('hmac_sha256_test.json');
    odd.testGroups[0].tests[0].result = 'maybe';
    expect((await run(W('hmac_sha256_test.json'), odd)).failures[0]).toMatch(/^tcId 1: malformed vector: result "maybe" has no verdict for this primitive$/);
    // only X25519 has a libsodium rule for "acceptable": elsewhere it is not decided silently
    const acc = small('ed25519_test.json');
    acc.testGroups[0].tests[0].result = 'acceptable';
    expect((await run(W('ed25519_test.json'), acc)).failures[0]).toMatch(/result "acceptable" has no verdict/);
  });

  it('an HMAC group whose tagSize is not a whole number of bytes up to 256 bits fails', async () => {
    for (const size of [0, 12, 264, '256', undefined]) {
      const d = small('hmac_sha256_test.json');
      d.testGroups[0].tagSize = size;
      const r = await run(W('hmac_sha256_test.json'), d);
      expect(r.failures[0], String(size)).toMatch(/^tcId 1: malformed vector: tagSize .* is not a whole number of bytes up to 256 bits$/);
    }
  });

  it('AES groups: undeclared sizes run (and must fit); declared unused sizes are skipped with the exact reason', async () => {
    const gcm = wy('aes_gcm_test.json');
    const g96 = gcm.testGroups.find((g: Doc) => g.keySize === 256 && g.ivSize === 96);
    const one = (g: Doc, t = g.tests.find((x: Doc) => x.result === 'valid')): Doc => ({ ...gcm, testGroups: [{ ...g, tests: [t] }] });
    // no declared sizes: the case runs and passes on its own bytes
    const undeclared = one({ ...g96, keySize: undefined, ivSize: undefined, tagSize: undefined });
    expect(await run(W('aes_gcm_test.json'), undeclared)).toMatchObject({ run: 1, passed: 1, skipped: 0 });
    // an AES-128 key under an undeclared size is refused by the SDK: a failure, not a skip
    const g128 = gcm.testGroups.find((g: Doc) => g.keySize === 128 && g.ivSize === 96);
    expect((await run(W('aes_gcm_test.json'), one({ ...g128, keySize: undefined }))).failures[0]).toMatch(/SDK threw INVALID_KEY/);
    // a declared tag size other than 128 bits is skipped with its own reason
    const r = await run(W('aes_gcm_test.json'), one({ ...g96, tagSize: 96 }));
    expect(r.skipReasons).toEqual([{ reason: "parameter outside the SDK's use (GCM tag other than 128 bits)", count: 1, sections: ['tagSize 96'] }]);
    // a structurally wrong file is a file-level error (reported by verify.ts as a malformed file)
    await expect(run(W('aes_gcm_test.json'), { testGroups: [{ tests: 5 }] })).rejects.toThrow('"tests" is not a list');
    await expect(run(W('x25519_test.json'), {})).rejects.toThrow('"testGroups" is not a list');
  });

  it('speccheck: an unknown verdict or a missing field fails the case; a case without a number is labelled by position', async () => {
    const doc = shipped('identity-envelope/ed25519-speccheck.json');
    const d = { ...doc, cases: [{ ...doc.cases[0], libsodium: 'maybe' }, { ...doc.cases[1], case: undefined, sig: 'zz' }] };
    const r = await run(SPECCHECK, d);
    expect(r.failures).toEqual([
      'case 0: malformed vector: libsodium verdict "maybe" is neither "accept" nor "reject"',
      'case #2: malformed vector: expected a hex string, got zz',
    ]);
    await expect(run(SPECCHECK, {})).rejects.toThrow('"cases" is not a list');
  });
});
