// CLI error mapping: usage and SDK errors become exit codes 2 and 1; anything else (for example
// an I/O failure of the caller's stdin reader) is not disguised as either and propagates.
import { describe, expect, it } from 'vitest';
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
