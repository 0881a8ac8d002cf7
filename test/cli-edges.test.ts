// CLI error mapping: usage and SDK errors become exit codes 2 and 1; anything else (for example
// an I/O failure of the caller's stdin reader) is not disguised as either and propagates.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, runCliAsync } from '../src/cli.js';

describe('CLI error mapping', () => {
  it('an stdin reader failure propagates unchanged, from runCli and runCliAsync', async () => {
    const eio = new Error('EIO: i/o error, read');
    const readStdin = () => {
      throw eio;
    };
    expect(() => runCli(['id', 'restore', '-'], { readStdin })).toThrow(eio);
    await expect(runCliAsync(['id', 'restore', '-'], { readStdin })).rejects.toBe(eio);
  });

  it('a phrase read from stdin that is not a valid mnemonic is an SDK error (exit 1), without echoing it', () => {
    const r = runCli(['id', 'restore', '-'], { readStdin: () => 'secret words that are not a phrase' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^session-sdk: .*\([A-Z_]+\)\n$/);
    expect(r.stderr).not.toContain('secret');
  });
});

describe('CLI entry point', () => {
  const argv = process.argv.slice();
  const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  afterEach(() => {
    process.argv.splice(0, process.argv.length, ...argv);
    process.exitCode = undefined;
    vi.restoreAllMocks();
    vi.resetModules();
  });

  /** Imports a fresh copy of src/cli.ts with `args` as process.argv[1..]; returns what it wrote. */
  async function load(args: (string | undefined)[]): Promise<{ out: string; err: string }> {
    process.argv.splice(1, process.argv.length - 1, ...(args as string[]));
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
    vi.resetModules();
    await import('../src/cli.js');
    await new Promise((r) => setTimeout(r, 20)); // the entry point runs asynchronously
    return { out, err };
  }

  it('runs when the process was started with the CLI file, and sets the exit code', async () => {
    const { out, err } = await load([cliPath, 'help']);
    expect(out).toMatch(/^Usage: session-sdk <command>/);
    expect(err).toBe('');
    expect(process.exitCode).toBe(0);
    const bad = await load([cliPath, 'frobnicate']);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/^session-sdk: unknown command/);
    expect(process.exitCode).toBe(2);
  });

  it('does nothing when imported as a library, including from a host without a script path (REPL, node -e)', async () => {
    expect(await load([])).toEqual({ out: '', err: '' });
    expect(await load(['/somewhere/else.js', 'help'])).toEqual({ out: '', err: '' });
    expect(process.exitCode).toBeUndefined();
  });
});
