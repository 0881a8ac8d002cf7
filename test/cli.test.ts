// The session-sdk CLI: runCli is tested in-process; one spawn checks the entry point wiring.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityDemo } from '../scripts/demo-identity.js';
import { runCli, USAGE } from '../src/cli.js';
import { identityFromSeed, mnemonicDecode, parseSessionId } from '../src/index.js';
import { loadVectors } from './helpers/vectors.js';

// The sessionjs README phrase (mnemonic.json) and the Session ID identity.json gives for its seed.
const PUFFIN = 'puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi';
const PUFFIN_SEED = loadVectors<{ encode: { input: { seed: string }; expected: { words: string } }[] }>(
  'identity-envelope/mnemonic.json',
).encode.find((v) => v.expected.words === PUFFIN)!.input.seed;
const PUFFIN_ID = loadVectors<{ seed_to_identity: { input: { seed: string }; expected: { session_id?: string } }[] }>(
  'identity-envelope/identity.json',
).seed_to_identity.find((v) => v.input.seed === PUFFIN_SEED)!.expected.session_id!;

function parseNew(stdout: string): { sessionId: string; phrase: string } {
  const m = /^Session ID: +(05[0-9a-f]{64})\nRecovery phrase: (.+)\n$/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return { sessionId: m![1]!, phrase: m![2]! };
}

describe('session-sdk CLI', () => {
  it('--help, -h and help print usage with exit code 0', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['id', '--help'], ['id', 'restore', '-h']]) {
      const r = runCli(argv);
      expect(r).toEqual({ stdout: USAGE, stderr: '', code: 0 });
    }
    expect(USAGE).toContain('id new [--words 13|25]');
    expect(USAGE).toContain('id restore');
  });

  it('id new prints a 25-word phrase by default that restores to the printed Session ID', () => {
    const r = runCli(['id', 'new']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/secret/);
    const { sessionId, phrase } = parseNew(r.stdout);
    expect(phrase.split(' ')).toHaveLength(25);
    expect(parseSessionId(sessionId).prefix).toBe(0x05);
    expect(identityFromSeed(mnemonicDecode(phrase)).sessionId).toBe(sessionId);
    expect(runCli(['id', 'restore', phrase])).toEqual({ stdout: sessionId + '\n', stderr: '', code: 0 });
  });

  it('id new --words 13 prints a 13-word (16-byte) phrase; --words=25 works too', () => {
    const r13 = runCli(['id', 'new', '--words', '13']);
    expect(r13.code).toBe(0);
    const n13 = parseNew(r13.stdout);
    expect(n13.phrase.split(' ')).toHaveLength(13);
    expect(mnemonicDecode(n13.phrase)).toHaveLength(16);
    expect(runCli(['id', 'restore', n13.phrase]).stdout).toBe(n13.sessionId + '\n');
    const r25 = runCli(['id', 'new', '--words=25']);
    expect(parseNew(r25.stdout).phrase.split(' ')).toHaveLength(25);
  });

  it('two runs create different identities', () => {
    expect(parseNew(runCli(['id', 'new']).stdout).sessionId).not.toBe(parseNew(runCli(['id', 'new']).stdout).sessionId);
  });

  it('--json output', () => {
    const n = JSON.parse(runCli(['id', 'new', '--json', '--words', '13']).stdout) as { sessionId: string; recoveryPhrase: string };
    expect(n.recoveryPhrase.split(' ')).toHaveLength(13);
    expect(JSON.parse(runCli(['id', 'restore', '--json', n.recoveryPhrase]).stdout)).toEqual({ sessionId: n.sessionId, words: 13 });
  });

  it('id restore prints the known Session ID of a known phrase, quoted, unquoted, prefixed or from stdin', () => {
    expect(PUFFIN_ID).toMatch(/^05/);
    const want = { stdout: PUFFIN_ID + '\n', stderr: '', code: 0 };
    expect(runCli(['id', 'restore', PUFFIN])).toEqual(want);
    expect(runCli(['id', 'restore', ...PUFFIN.split(' ')])).toEqual(want);
    expect(runCli(['id', 'restore', PUFFIN.toUpperCase().split(' ').map((w) => w.slice(0, 3)).join('  ')])).toEqual(want);
    expect(runCli(['id', 'restore', '-'], { readStdin: () => `${PUFFIN}\n` })).toEqual(want);
    expect(runCli(['id', 'restore', '--', PUFFIN])).toEqual(want);
    // 12 words (no checksum word) restore the same account.
    expect(runCli(['id', 'restore', PUFFIN.split(' ').slice(0, 12).join(' ')])).toEqual(want);
  });

  it('exit code 1 with the SessionSdkError message for a bad phrase, and no secret words in it', () => {
    const bad = PUFFIN.replace(/kiwi$/, 'puffin');
    const r = runCli(['id', 'restore', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/checksum.*BAD_MNEMONIC_CHECKSUM/);
    for (const w of new Set(bad.split(' '))) expect(r.stderr).not.toContain(w);
    expect(runCli(['id', 'restore', PUFFIN.replace('luxury', 'qqqqq')]).stderr).toMatch(/word 2 .*UNKNOWN_MNEMONIC_WORD/);
    expect(runCli(['id', 'restore', 'amaze buffet']).code).toBe(1);
    expect(runCli(['id', 'restore', 'abbey abbey zoom']).stderr).toContain('INVALID_MNEMONIC');
    expect(runCli(['id', 'restore', '-'], { readStdin: () => '' }).stderr).toContain('INVALID_MNEMONIC_LENGTH');
  });

  it('exit code 2 with usage for usage errors', () => {
    for (const argv of [
      [],
      ['id'],
      ['id', 'delete'],
      ['frobnicate'],
      ['id', 'new', '--words', '12'],
      ['id', 'new', '--words'],
      ['id', 'new', '--words=24'],
      ['id', 'new', 'extra'],
      ['id', 'new', '--verbose'],
      ['id', 'restore'],
      ['id', 'restore', '--words', '13', PUFFIN],
    ]) {
      const r = runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: session-sdk');
    }
    // A phrase typed without `id restore` is not echoed back.
    const r = runCli(PUFFIN.split(' '));
    expect(r.code).toBe(2);
    for (const w of PUFFIN.split(' ')) expect(r.stderr).not.toContain(w);
    // `-` without a stdin reader is a usage error, not a crash.
    expect(runCli(['id', 'restore', '-']).code).toBe(2);
  });

  it('runs as a program: prints, and sets the exit code', () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const ok = spawnSync(tsx, ['src/cli.ts', 'id', 'restore', '-'], { input: PUFFIN, encoding: 'utf8', timeout: 30_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe(PUFFIN_ID + '\n');
    const usage = spawnSync(tsx, ['src/cli.ts'], { encoding: 'utf8', timeout: 30_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: session-sdk');
  });
});

describe('npm run demo (identity walk-through)', () => {
  it('runs every check and prints a transcript with the phrase, restore, 13-word account and blinding', async () => {
    const lines: string[] = [];
    await identityDemo((l) => lines.push(l));
    const out = lines.join('\n');
    expect(out).toMatch(/^ {3}Session ID {10}05[0-9a-f]{64}$/m);
    expect(out).toMatch(/ 25\. [a-z]+$/m); // a 25-word phrase, numbered
    expect(out).not.toMatch(/ 26\. /);
    expect(out).toContain('✓ same Session ID as the new identity');
    expect(out).toContain('BAD_MNEMONIC_CHECKSUM');
    expect(out).toMatch(/ 13\. [a-z]+$/m);
    expect(out).toContain(PUFFIN_ID);
    expect(out).toMatch(/blind15 ID {10}15[0-9a-f]{64}/);
    expect(out).toMatch(/blind25 ID {10}25[0-9a-f]{64}/);
    expect(out).toContain('✓ the Session ID matches its blind25 ID');
    expect(lines.filter((l) => l.includes('✓'))).toHaveLength(7);
  });
});
