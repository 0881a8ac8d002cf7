// `session-sdk vectors verify [dir]` (issue 7): the shipped vectors all pass, and a copy with one
// byte of one expected value flipped fails exactly that vector, with exit code 1.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync, USAGE } from '../src/cli.js';
import { formatVectorReport, verifyVectorDirectory, type VectorReport } from '../src/vectors/verify.js';
import { VECTOR_DIR } from './helpers/vectors.js';


const fileReport = (r: VectorReport, file: string) => r.modules.flatMap((m) => m.files).find((f) => f.file === file)!;

/** Flips the low bit of the first byte of a hex string. */
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'session-sdk-vectors-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * A copy of the area of `file` (plus `extraAreas`) from test-vectors/, in which `edit` changes
 * that one parsed file. Only the areas a case needs are copied: the full directory (with its
 * ~2,000 Wycheproof cases) is run once, by the first test.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mutatedCopy(name: string, file: string, edit: (doc: any) => void, extraAreas: string[] = []): string {
  const dir = join(tmp, name);
  for (const area of [file.split('/')[0]!, ...extraAreas]) cpSync(join(VECTOR_DIR, area), join(dir, area), { recursive: true });
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return dir;
}

describe('vectors verify on test-vectors/', () => {
  // The one full-directory run (API and CLI): the CLI is run without a directory argument, so it
  // also shows that the default is ./test-vectors relative to the working directory.
  it('runs every shipped file, all pass, exit code 0; only out-of-scope Wycheproof AES cases are skipped', { timeout: 180_000 }, async () => {
    expect(process.cwd()).toBe(join(VECTOR_DIR, '..'));
    expect(USAGE).toContain('default: ./test-vectors');
    const r = await verifyVectorDirectory('test-vectors');
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(r.run);
    // Every shipped file has a verifier that runs it: the only skips are Wycheproof cases with
    // parameters the SDK never uses (AES-128/192, GCM IVs other than 96 bits), each with its reason.
    const files = r.modules.flatMap((m) => m.files);
    expect(files.length).toBe(32);
    for (const f of files) {
      expect(f.run, f.file).toBeGreaterThan(0);
      expect([f.passed, f.failed], f.file).toEqual([f.run, 0]);
      if (!f.file.startsWith('wycheproof/aes_')) expect(f.skipped, f.file).toBe(0);
      for (const s of f.skipReasons) expect(s.reason, f.file).toMatch(/^parameter outside the SDK's use \((AES key other than 256 bits|GCM iv other than 96 bits)\)$/);
    }
    expect(r.skipped).toBe(392);

    const cli = await runCliAsync(['vectors', 'verify']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^Vectors in test-vectors\n/);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toBe(formatVectorReport(r));
    for (const m of ['config', 'groups', 'identity-envelope', 'onion', 'wycheproof']) expect(cli.stdout).toMatch(new RegExp(`^${m}\\n  file +run +passed +failed +skipped +skip reason$`, 'm'));
    expect(cli.stdout).toMatch(/^ {2}identity\.json +13 +13 +0 +0$/m);
    expect(cli.stdout).toMatch(new RegExp(`^Total: ${r.run} run, ${r.run} passed, 0 failed, ${r.skipped} skipped$`, 'm'));
    expect(cli.stdout).not.toContain('FAILED');
  });

  it('counts a file no verifier covers as skipped, with the reason', async () => {
    const dir = mutatedCopy('unknown-file', 'onion/swarm.json', () => {});
    writeFileSync(join(dir, 'onion/not-a-known-file.json'), JSON.stringify({ vectors: [{ id: 'a', cases: [1, 2, 3] }, { id: 'b' }] }));
    const r = await verifyVectorDirectory(dir);
    const f = fileReport(r, 'onion/not-a-known-file.json');
    expect([f.run, f.skipped]).toEqual([0, 4]);
    expect(f.skipReasons.map((x) => x.reason)).toEqual(['no verifier yet']);
    expect(r.failed).toBe(0);
  });
});

describe('vectors verify on a damaged copy', () => {
  // One expected value per area, one byte flipped: exactly that vector fails.
  const cases: { file: string; label: RegExp; edit: (doc: any) => void }[] = [
    {
      file: 'identity-envelope/identity.json',
      label: /seed_to_identity #1: ed25519_pk: got 4cb76fdc/,
      edit: (d) => (d.seed_to_identity[0].expected.ed25519_pk = flipHex(d.seed_to_identity[0].expected.ed25519_pk)),
    },
    {
      file: 'identity-envelope/session-encrypt.json',
      label: /deterministic_encrypt #1: ciphertext: got/,
      edit: (d) => (d.deterministic_encrypt[0].expected.ciphertext = flipHex(d.deterministic_encrypt[0].expected.ciphertext)),
    },
    {
      file: 'onion/storage-signatures.json',
      label: /storage-rpc-signatures user-retrieve-ns0: signature: got/,
      edit: (d) => {
        const c = d.vectors.find((v: any) => v.id === 'storage-rpc-signatures').cases.find((x: any) => x.id === 'user-retrieve-ns0');
        c.expected_signature.hex = flipHex(c.expected_signature.hex);
      },
    },
    {
      file: 'groups/group-messages.json',
      label: /group_message_envelope_wrapped \(decrypt\): plaintext \(envelope\): got/,
      edit: (d) => {
        const v = d.vectors.find((x: any) => x.name === 'group_message_envelope_wrapped');
        v.outputs.envelope_protobuf = flipHex(v.outputs.envelope_protobuf);
      },
    },
    {
      file: 'config/config-encrypt.json',
      label: /encrypt-test-suite1: ciphertext: got f14f242a/,
      edit: (d) => (d.vectors[0].ciphertext = flipHex(d.vectors[0].ciphertext)),
    },
  ];

  for (const [i, c] of cases.entries()) {
    it(`${c.file}: the flipped vector fails, everything else passes, exit code 1`, async () => {
      const dir = mutatedCopy(`flip-${i}`, c.file, c.edit);
      const r = await verifyVectorDirectory(dir);
      expect(r.failed).toBe(1);
      const f = fileReport(r, c.file);
      expect(f.failed).toBe(1);
      expect(f.failures).toHaveLength(1);
      expect(f.failures[0]).toMatch(c.label);
      const cli = await runCliAsync(['vectors', 'verify', dir]);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(`  FAILED ${c.file} ${f.failures[0]}`);
      expect(cli.stdout).toMatch(/, 1 failed, /);
    });
  }

  it('a vector missing its expected value fails (never passes by omission)', async () => {
    const dir = mutatedCopy('missing', 'onion/swarm.json', (d) => {
      delete d.vectors[0].cases[0].expected_swarm_space_u64_decimal;
    });
    const r = await verifyVectorDirectory(dir);
    expect(r.failed).toBe(1);
    expect(fileReport(r, 'onion/swarm.json').failures[0]).toMatch(/pubkey-to-swarm-space #1: swarm space: expected value missing/);
  });

  it('an unreadable file or a file of the wrong shape fails; a missing directory is invalid input', async () => {
    const dir = mutatedCopy('broken', 'onion/swarm.json', () => {}, ['config']);
    writeFileSync(join(dir, 'onion/swarm.json'), '{"vectors": [');
    writeFileSync(join(dir, 'config/config-encrypt.json'), '{"vectors": 7}');
    const r = await runCliAsync(['vectors', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED onion\/swarm\.json not readable JSON/);
    expect(r.stdout).toMatch(/FAILED config\/config-encrypt\.json malformed file \("vectors" is not a list\)/);
    const missing = await runCliAsync(['vectors', 'verify', join(tmp, 'does-not-exist')]);
    expect(missing).toMatchObject({ stdout: '', code: 1 });
    expect(missing.stderr).toContain('INVALID_INPUT');
  });

  it('usage errors exit 2; the synchronous runCli points to runCliAsync', async () => {
    for (const argv of [['vectors'], ['vectors', 'check'], ['vectors', 'verify', 'a', 'b'], ['vectors', 'verify', '--json']]) {
      const r = await runCliAsync(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage: session-sdk');
    }
    expect(runCli(['vectors', 'verify']).code).toBe(2);
    // Other commands behave as with runCli.
    expect(await runCliAsync(['--help'])).toEqual({ stdout: USAGE, stderr: '', code: 0 });
  });
});
