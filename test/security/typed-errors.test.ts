// "Never a bare TypeError from deep inside a dependency" (spec/API.md conventions) for inputs of
// the wrong length or the wrong JavaScript type. The fuzz harness varies the *data* argument of
// every decoder; this file varies key lengths and argument types, on both crypto providers.
import { describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { describeEachProvider } from '../helpers/vectors.js';
import { buildFuzzTargets } from './fuzz-harness.js';

async function outcome(f: () => unknown): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return sdk.isSessionSdkError(e) ? e.code : `untyped ${e instanceof Error ? e.name : typeof e}`;
  }
}

describeEachProvider('hop keys of the wrong length', () => {
  it('a 32-byte hop key works on both ciphers (control)', async () => {
    for (const enc of ['xchacha20', 'aes-gcm'] as const) {
      const k = new Uint8Array(32).fill(1);
      const blob = await sdk.encryptWithHopKey(enc, k, Uint8Array.of(1, 2, 3));
      expect(await sdk.decryptWithHopKey(enc, k, blob)).toEqual(Uint8Array.of(1, 2, 3));
    }
  });

  it('encryptWithHopKey / decryptWithHopKey reject a 31- or 33-byte key with INVALID_KEY', async () => {
    for (const enc of ['xchacha20', 'aes-gcm'] as const) {
      for (const len of [31, 33]) {
        const k = new Uint8Array(len).fill(1);
        expect(await outcome(() => sdk.encryptWithHopKey(enc, k, Uint8Array.of(1)))).toBe('INVALID_KEY');
        expect(await outcome(() => sdk.decryptWithHopKey(enc, k, new Uint8Array(64)))).toBe('INVALID_KEY');
      }
    }
  });
});

// Every fuzzed decoder validates its data argument's JavaScript type (plain JavaScript callers
// can pass anything): none may throw anything but SessionSdkError.
const KNOWN_UNTYPED: string[] = [];

describe('type confusion on the data argument of every fuzzed decoder', () => {
  it('only SessionSdkError', async () => {
    const targets = await buildFuzzTargets();
    const bad = new Set<string>();
    const samples: string[] = [];
    for (const t of targets) {
      if (t.kind === 'json') continue; // these take `unknown` by design and are fuzzed with fc.anything()
      for (const v of [undefined, null, 0, 1.5, {}, [], t.kind === 'bytes' ? 'abcd' : new Uint8Array(4), new Uint16Array(4)]) {
        const o = await outcome(() => (t.call as (x: unknown) => unknown)(v));
        if (o.startsWith('untyped')) {
          bad.add(t.name);
          samples.push(`${t.name}(${v === null ? 'null' : Array.isArray(v) ? '[]' : typeof v}) → ${o}`);
        }
      }
    }
    if (bad.size) console.log(`untyped errors:\n  ${samples.join('\n  ')}`);
    expect([...bad].sort()).toEqual([...KNOWN_UNTYPED].sort());
  });
});
