// Deterministic byte source for tests only: SHA-256(seed ‖ counter) blocks. The SDK's default is
// crypto.getRandomValues; this exists so path choices and back-off jitter are reproducible.
import { sha256 } from '@noble/hashes/sha2.js';
import type { RandomSource } from '../../src/onion/snode-pool.js';

export function seededRandom(seed: number | string): RandomSource {
  const s = new TextEncoder().encode(String(seed));
  let counter = 0;
  let buf = new Uint8Array(0);
  let off = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (off >= buf.length) {
        const block = new Uint8Array(s.length + 4);
        block.set(s);
        new DataView(block.buffer).setUint32(s.length, counter++);
        buf = sha256(block);
        off = 0;
      }
      out[i] = buf[off++]!;
    }
    return out;
  };
}
