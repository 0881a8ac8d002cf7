// Test helpers: load vectors from test-vectors/, hex, and run a suite under every crypto provider.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import { setCryptoProvider, type CryptoProvider } from '../../src/crypto/provider.js';

export const VECTOR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-vectors');

/** Parses a JSON file under test-vectors/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadVectors<T = any>(rel: string): T {
  return JSON.parse(readFileSync(join(VECTOR_DIR, rel), 'utf8')) as T;
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs `body` once per provider (noble reference and native WebCrypto): outputs must match. */
export function describeEachProvider(name: string, body: (provider: 'noble' | 'webcrypto') => void): void {
  for (const p of ['noble', 'webcrypto'] as const) {
    describe(`${name} [${p}]`, () => {
      let prev: CryptoProvider;
      beforeAll(() => {
        prev = setCryptoProvider(p);
      });
      afterAll(() => {
        setCryptoProvider(prev);
      });
      body(p);
    });
  }
}
