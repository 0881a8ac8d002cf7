/**
 * Keyed, personalised BLAKE2b (RFC 7693) with its compression function in a 1.4 KB WebAssembly
 * module, for the content hash that derives an "S" attachment's key (spec/identity-envelope.md
 * §6.2). Pure-JS BLAKE2b needs 64-bit arithmetic split into 32-bit halves and runs at ≈20 MB/s,
 * an order of magnitude below WASM's native i64, and the hash covers the whole file
 * (spec/performance.md §2–3). Where WebAssembly is unavailable or refused (CSP, some embedded
 * engines) {@link createBlake2b} returns `undefined` and the caller uses @noble/hashes; both give
 * identical digests (tested against noble and libsodium).
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
const IV = [
  0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
];

interface Kernel {
  mem: Uint8Array;
  blocks(p: number, n: number, t: number): void;
  final(p: number, t: number): void;
}

let kernel: Kernel | null | undefined;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function loadKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return kernel;
    // Synchronous compile is allowed everywhere for modules under 4 KB.
    const inst = new wa.Instance(new wa.Module(decodeBase64(BLAKE2B_WASM_BASE64)), {});
    const ex = inst.exports as { memory: WebAssembly.Memory; blocks: Kernel['blocks']; final: Kernel['final'] };
    kernel = { mem: new Uint8Array(ex.memory.buffer), blocks: ex.blocks, final: ex.final };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Incremental BLAKE2b with a key (≤ 64 bytes) and 16-byte personalisation. */
export interface Blake2bHasher {
  update(data: Uint8Array): void;
  /** The digest; the hasher (and the module memory it used) is wiped afterwards. */
  digest(): Uint8Array;
}

/**
 * A WASM-backed BLAKE2b hasher, or `undefined` if this runtime cannot run the module. Each hasher
 * keeps its own chaining value and swaps it into the shared module memory around each call, so
 * any number may be interleaved (e.g. two attachments streaming at once).
 */
export function createBlake2b(opts: { key: Uint8Array; personalization: Uint8Array; dkLen: number }): Blake2bHasher | undefined {
  const k = loadKernel();
  if (!k) return undefined;
  const { key, personalization, dkLen } = opts;
  if (dkLen < 1 || dkLen > 64 || key.length > 64 || personalization.length !== 16) throw new RangeError('blake2b parameters');
  // Parameter block (RFC 7693 §2.5): digest length, key length, fanout 1, depth 1, personalisation at 48.
  const param = new Uint8Array(64);
  param[0] = dkLen;
  param[1] = key.length;
  param[2] = 1;
  param[3] = 1;
  param.set(personalization, 48);
  const h = new Uint8Array(64);
  const hv = new DataView(h.buffer);
  const pv = new DataView(param.buffer);
  for (let i = 0; i < 8; i++) hv.setBigUint64(i * 8, IV[i]! ^ pv.getBigUint64(i * 8, true), true);
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
