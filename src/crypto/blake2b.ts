/**
 * One-shot BLAKE2b (RFC 7693; libsodium `crypto_generichash`, optionally with a personal): the
 * WebAssembly kernel of `blake2b-wasm.ts` where the runtime allows it, @noble/hashes otherwise,
 * byte-identical either way (tested against both and libsodium). There is no small-input cutover
 * to noble: measured on Node 22 the kernel is ≈10× faster already for an empty input (≈0.5 µs
 * against ≈5 µs per call) and ≈18× at 8 KiB, so WASM is used at every size (spec/performance.md §2).
 * @module
 */
import { blake2b as nobleBlake2b } from '@noble/hashes/blake2.js';
import { blake2bWasm, checkBlake2bOptions, type Blake2bOptions } from './blake2b-wasm.js';

export type { Blake2bOptions } from './blake2b-wasm.js';

/**
 * BLAKE2b of `data`: unkeyed and unpersonalised unless `opts` says otherwise, 64-byte digest
 * unless `opts.dkLen` (1..64) is given. Parameters are the SDK's own constants at every call site,
 * so a bad one is a programming error and throws RangeError (from either implementation).
 *
 * @example
 * ```ts
 * const hash = blake2b(configBytes, { dkLen: 32 }); // = crypto_generichash(32, configBytes)
 * const mac = blake2b(data, { key, dkLen: 24 }); // = crypto_generichash(24, data, key)
 * ```
 */
export function blake2b(data: Uint8Array, opts: Blake2bOptions = {}): Uint8Array {
  const fast = blake2bWasm(data, opts);
  if (fast) return fast;
  const { key, personalization, dkLen = 64 } = opts;
  checkBlake2bOptions(key?.length ?? 0, personalization, dkLen);
  // An empty key means unkeyed (as in libsodium); noble only accepts that spelt `undefined`.
  return nobleBlake2b(data, { dkLen, key: key && key.length ? key : undefined, personalization });
}
