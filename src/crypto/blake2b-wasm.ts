/**
 * BLAKE2b (RFC 7693) with its compression function in a 1.4 KB WebAssembly module: keyed or not,
 * with or without a 16-byte personalisation, any digest length 1..64. Pure-JS BLAKE2b needs 64-bit
 * arithmetic split into 32-bit halves and runs an order of magnitude below WASM's native i64
 * (spec/performance.md §2–3); the hot users are the "S" attachment content hash
 * (spec/identity-envelope.md §6.2) and config message hashing and encryption (spec/config.md §1.4,
 * §2.2). Where WebAssembly is unavailable or refused (CSP, some embedded engines) the functions
 * here return `undefined` and callers use @noble/hashes (see `blake2b.ts`, which does that
 * choice); both give identical digests (tested against noble and libsodium).
 *
 * The module is compiled from `blake2b.wat` beside this file (regenerate the bytes with
 * `SESSION_SDK_REGEN_WASM=1 npx vitest run test/envelope/attachments-blake2b.test.ts`; the test
 * fails if they drift). Its memory: chaining value at 0, SIGMA at 64, message blocks at 1024.
 * @module
 */

/** Base64 of the module compiled from blake2b.wat (wabt 1.0.39). */
export const BLAKE2B_WASM_BASE64 =
  'AGFzbQEAAAABEgNgA39+fgBgA39/fABgAn98AAMEAwABAgUDAQACBxsDBm1lbW9yeQIABmJsb2NrcwABBWZpbmFsAAIK5ggDoQgCEH4Bf0EAKQMAIQNBACkDCCEEQQApAxAhBUEAKQMYIQZBACkDICEHQQApAyghCEEAKQMwIQlBACkDOCEKQoiS853/zPmE6gAhC0K7zqqm2NDrs7t/IQxCq/DT9K/uvLc8IQ1C8e30+KWn/aelfyEOQtGFmu/6z5SH0QAgAYUhD0Kf2PnZwpHagpt/IRBC6/qG2r+19sEfIAKFIRFC+cL4m5Gjs/DbACESQcAAIRMDQCADIAd8IAAgEy0AAGopAwB8IQMgDyADhUIgiiEPIAsgD3whCyAHIAuFQhiKIQcgAyAHfCAAIBMtAAFqKQMAfCEDIA8gA4VCEIohDyALIA98IQsgByALhUI/iiEHIAQgCHwgACATLQACaikDAHwhBCAQIASFQiCKIRAgDCAQfCEMIAggDIVCGIohCCAEIAh8IAAgEy0AA2opAwB8IQQgECAEhUIQiiEQIAwgEHwhDCAIIAyFQj+KIQggBSAJfCAAIBMtAARqKQMAfCEFIBEgBYVCIIohESANIBF8IQ0gCSANhUIYiiEJIAUgCXwgACATLQAFaikDAHwhBSARIAWFQhCKIREgDSARfCENIAkgDYVCP4ohCSAGIAp8IAAgEy0ABmopAwB8IQYgEiAGhUIgiiESIA4gEnwhDiAKIA6FQhiKIQogBiAKfCAAIBMtAAdqKQMAfCEGIBIgBoVCEIohEiAOIBJ8IQ4gCiAOhUI/iiEKIAMgCHwgACATLQAIaikDAHwhAyASIAOFQiCKIRIgDSASfCENIAggDYVCGIohCCADIAh8IAAgEy0ACWopAwB8IQMgEiADhUIQiiESIA0gEnwhDSAIIA2FQj+KIQggBCAJfCAAIBMtAApqKQMAfCEEIA8gBIVCIIohDyAOIA98IQ4gCSAOhUIYiiEJIAQgCXwgACATLQALaikDAHwhBCAPIASFQhCKIQ8gDiAPfCEOIAkgDoVCP4ohCSAFIAp8IAAgEy0ADGopAwB8IQUgECAFhUIgiiEQIAsgEHwhCyAKIAuFQhiKIQogBSAKfCAAIBMtAA1qKQMAfCEFIBAgBYVCEIohECALIBB8IQsgCiALhUI/iiEKIAYgB3wgACATLQAOaikDAHwhBiARIAaFQiCKIREgDCARfCEMIAcgDIVCGIohByAGIAd8IAAgEy0AD2opAwB8IQYgESAGhUIQiiERIAwgEXwhDCAHIAyFQj+KIQcgE0EQaiETIBNBgAJJDQALQQBBACkDACADIAuFhTcDAEEAQQApAwggBCAMhYU3AwhBAEEAKQMQIAUgDYWFNwMQQQBBACkDGCAGIA6FhTcDGEEAQQApAyAgByAPhYU3AyBBAEEAKQMoIAggEIWFNwMoQQBBACkDMCAJIBGFhTcDMEEAQQApAzggCiAShYU3AzgLNQEBfiACsSEDAkADQCABRQ0BIANCgAF8IQMgACADQgAQACAAQYABaiEAIAFBAWshAQwACwsLCwAgACABsUJ/EAALC8gBAQBBwAALwAEACBAYICgwOEBIUFhgaHB4cFAgQEh4aDAIYAAQWDgoGFhAYAAoEHhoUHAYMDgISCA4SBgIaGBYcBAwKFAgAHhASAAoOBAgUHhwCFhgMEAYaBBgMFAAWEAYIGg4KHhwCEhgKAh4cGggUAA4MBhIEEBYaFg4cGAIGEgoAHggQDAQUDB4cEhYGABAYBBoOAggUChQEEAgODAIKHhYSHAYYGgAAAgQGCAoMDhASFBYYGhweHBQIEBIeGgwCGAAEFg4KBg=';

const H = 0;
const DATA = 1024;
const SLAB = 65536;
// The IV as little-endian 32-bit halves (low word first), so the parameter block can be folded in
// with 32-bit XORs instead of BigInt arithmetic (a measurable cost on small inputs).
const IV32 = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);
const EMPTY = new Uint8Array(0);

interface Kernel {
  mem: Uint8Array;
  view: DataView;
  blocks(p: number, n: number, t: number): void;
  final(p: number, t: number): void;
}

let kernel: Kernel | null | undefined;
let forceNoble = false;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function loadKernel(): Kernel | null {
  if (forceNoble) return null;
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return kernel;
    // Synchronous compile is allowed everywhere for modules under 4 KB.
    const inst = new wa.Instance(new wa.Module(decodeBase64(BLAKE2B_WASM_BASE64)), {});
    const ex = inst.exports as { memory: WebAssembly.Memory; blocks: Kernel['blocks']; final: Kernel['final'] };
    // The module never grows its memory, so these views stay valid.
    kernel = { mem: new Uint8Array(ex.memory.buffer), view: new DataView(ex.memory.buffer), blocks: ex.blocks, final: ex.final };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Test hook: `true` makes every function here report WebAssembly unavailable (noble paths). */
export function _blake2bForceNoble(on: boolean): void {
  forceNoble = on;
}

/**
 * BLAKE2b parameters, named as in @noble/hashes: no key and no personalisation by default (plain
 * `crypto_generichash`), digest length 1..64 (default 64).
 */
export interface Blake2bOptions {
  /** MAC key, 0..64 bytes (empty = unkeyed). */
  key?: Uint8Array;
  /** Exactly 16 bytes when given (absent = all zero, as libsodium without a personal). */
  personalization?: Uint8Array;
  /** Digest length in bytes, 1..64; default 64. */
  dkLen?: number;
}

/**
 * Throws RangeError unless key ≤ 64 bytes, personalisation absent or 16 bytes, dkLen 1..64. The
 * SDK passes fixed, valid values, so this guards against programming errors, identically for the
 * WASM and noble paths.
 */
export function checkBlake2bOptions(keyLength: number, pers: Uint8Array | undefined, dkLen: number): void {
  if (!Number.isInteger(dkLen) || dkLen < 1 || dkLen > 64 || keyLength > 64 || (pers !== undefined && pers.length !== 16)) {
    throw new RangeError('blake2b parameters');
  }
}

/**
 * Writes the initial chaining value (IV ⊕ parameter block, RFC 7693 §2.5: digest length, key
 * length, fanout 1, depth 1, zero salt, personalisation at byte 48) at `off` in `v`.
 */
function writeInitialState(v: DataView, off: number, keyLength: number, pers: Uint8Array | undefined, dkLen: number): void {
  checkBlake2bOptions(keyLength, pers, dkLen);
  v.setUint32(off, IV32[0]! ^ (dkLen | (keyLength << 8) | 0x01010000), true);
  for (let i = 1; i < 12; i++) v.setUint32(off + i * 4, IV32[i]!, true);
  for (let i = 12; i < 16; i++) {
    const p = pers ? (pers[(i - 12) * 4]! | (pers[(i - 12) * 4 + 1]! << 8) | (pers[(i - 12) * 4 + 2]! << 16) | (pers[(i - 12) * 4 + 3]! << 24)) : 0;
    v.setUint32(off + i * 4, IV32[i]! ^ p, true);
  }
}

/**
 * One-shot BLAKE2b of `data` in the WASM kernel, or `undefined` if this runtime cannot run it.
 * Writes the chaining value and each block straight into module memory (no per-call hasher
 * state), then wipes what it used: the key block is secret.
 */
export function blake2bWasm(data: Uint8Array, opts: Blake2bOptions = {}): Uint8Array | undefined {
  const k = loadKernel();
  if (!k) return undefined;
  const key = opts.key ?? EMPTY;
  const dkLen = opts.dkLen ?? 64;
  writeInitialState(k.view, H, key.length, opts.personalization, dkLen);
  const { mem } = k;
  let t = 0;
  let used = 128;
  try {
    if (key.length) {
      // The zero-padded key is the first block; it is the last one only if there is no data.
      mem.fill(0, DATA, DATA + 128);
      mem.set(key, DATA);
      if (data.length === 0) {
        k.final(DATA, 128);
        return mem.slice(H, H + dkLen);
      }
      k.blocks(DATA, 1, 0);
      t = 128;
    }
    // Everything but the last block (1..128 bytes; 0 only for empty unkeyed input) in slabs.
    const bulk = data.length === 0 ? 0 : Math.floor((data.length - 1) / 128) * 128;
    for (let o = 0; o < bulk; o += SLAB) {
      const n = Math.min(SLAB, bulk - o);
      mem.set(data.subarray(o, o + n), DATA);
      k.blocks(DATA, n / 128, t);
      t += n;
      if (n > used) used = n;
    }
    const rest = data.length - bulk;
    mem.set(data.subarray(bulk), DATA);
    mem.fill(0, DATA + rest, DATA + 128);
    k.final(DATA, t + rest);
    return mem.slice(H, H + dkLen);
  } finally {
    mem.fill(0, H, H + 64);
    mem.fill(0, DATA, DATA + used);
  }
}

/** Incremental BLAKE2b (see {@link Blake2bOptions}). */
export interface Blake2bHasher {
  update(data: Uint8Array): void;
  /** The digest; the hasher (and the module memory it used) is wiped afterwards. */
  digest(): Uint8Array;
}

/**
 * A WASM-backed incremental BLAKE2b hasher, or `undefined` if this runtime cannot run the module.
 * Each hasher keeps its own chaining value and swaps it into the shared module memory around each
 * call, so any number may be interleaved (e.g. two attachments streaming at once).
 */
export function createBlake2b(opts: Blake2bOptions = {}): Blake2bHasher | undefined {
  const k = loadKernel();
  if (!k) return undefined;
  const key = opts.key ?? EMPTY;
  const dkLen = opts.dkLen ?? 64;
  const h = new Uint8Array(64);
  writeInitialState(new DataView(h.buffer), 0, key.length, opts.personalization, dkLen);
  const buf = new Uint8Array(128);
  let buflen = 0;
  let t = 0;
  let done = false;
  // Compresses n full blocks of src (a multiple of 128 bytes), never the final block.
  const compress = (src: Uint8Array): void => {
    k.mem.set(h, H);
    for (let o = 0; o < src.length; o += SLAB) {
      const part = src.subarray(o, Math.min(o + SLAB, src.length));
      k.mem.set(part, DATA);
      k.blocks(DATA, part.length / 128, t);
      t += part.length;
    }
    h.set(k.mem.subarray(H, H + 64));
    k.mem.fill(0, H, H + 64);
    k.mem.fill(0, DATA, DATA + Math.min(src.length, SLAB));
  };

  const hasher: Blake2bHasher = {
    update(data) {
      if (done) throw new Error('blake2b: digest() already called');
      let d = data;
      if (buflen + d.length <= 128) {
        buf.set(d, buflen);
        buflen += d.length;
        return;
      }
      // The buffered block is not the last one (more data follows): compress it.
      const fill = 128 - buflen;
      buf.set(d.subarray(0, fill), buflen);
      compress(buf);
      d = d.subarray(fill);
      // Keep the last block (1..128 bytes) buffered for finalisation.
      const bulk = Math.floor((d.length - 1) / 128) * 128;
      if (bulk > 0) compress(d.subarray(0, bulk));
      buf.fill(0);
      buf.set(d.subarray(bulk));
      buflen = d.length - bulk;
    },
    digest() {
      if (done) throw new Error('blake2b: digest() already called');
      done = true;
      buf.fill(0, buflen);
      k.mem.set(h, H);
      k.mem.set(buf, DATA);
      k.final(DATA, t + buflen);
      const out = k.mem.slice(H, H + dkLen);
      k.mem.fill(0, H, H + 64);
      k.mem.fill(0, DATA, DATA + 128);
      h.fill(0);
      buf.fill(0);
      return out;
    },
  };
  if (key.length) {
    const block = new Uint8Array(128);
    block.set(key);
    hasher.update(block);
    block.fill(0);
  }
  return hasher;
}
