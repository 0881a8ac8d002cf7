/**
 * libsodium's `crypto_secretstream_xchacha20poly1305`, byte for byte, on @noble/ciphers
 * primitives (HChaCha20, ChaCha20-IETF, Poly1305). Used by libsession's deterministic "S"
 * attachments (spec/identity-envelope.md §6.2), which need what libsodium does not offer: a push
 * state initialised from a caller-chosen header instead of a random one.
 *
 * Construction (libsodium `crypto_secretstream/xchacha20poly1305/secretstream_xchacha20poly1305.c`):
 * - init: `k = HChaCha20(key, header[0..16])`, `nonce = le32(1) ‖ header[16..24]` (counter ‖ inonce).
 * - per message: ChaCha20-IETF(k, nonce) block 0 keys Poly1305; block 1 encrypts a 64-byte block
 *   whose first byte is the tag (only that byte is sent); the message is encrypted from block 2.
 *   MAC = Poly1305(ad ‖ pad16(ad) ‖ tagblock(64) ‖ c ‖ zeros(len(c) mod 16) ‖ le64(adlen) ‖
 *   le64(64 + len(c))) — note libsodium pads `c` by `len(c) mod 16`, not to a 16-byte boundary.
 *   Output `enc_tag(1) ‖ c ‖ mac(16)`. Then `inonce ^= mac[0..8]`, `counter += 1`, and the state
 *   rekeys when the tag has the REKEY bit or the counter wrapped to 0.
 * @module
 */
import { chacha20, hchacha } from '@noble/ciphers/chacha.js';
import { Poly1305 } from '@noble/ciphers/_poly1305.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, equalBytes, randomBytes, wipe } from '../util/bytes.js';

/** Key length (`crypto_secretstream_xchacha20poly1305_KEYBYTES`). */
export const SECRETSTREAM_KEYBYTES = 32;
/** Header length (`…_HEADERBYTES`). */
export const SECRETSTREAM_HEADERBYTES = 24;
/** Per-message overhead: 1 encrypted tag byte + 16-byte MAC (`…_ABYTES`). */
export const SECRETSTREAM_ABYTES = 17;
/** Ordinary message (`…_TAG_MESSAGE`). */
export const SECRETSTREAM_TAG_MESSAGE = 0;
/** End of a logical set of messages (`…_TAG_PUSH`). */
export const SECRETSTREAM_TAG_PUSH = 1;
/** Rekey after this message (`…_TAG_REKEY`). */
export const SECRETSTREAM_TAG_REKEY = 2;
/** Last message of the stream (`…_TAG_FINAL` = PUSH | REKEY). */
export const SECRETSTREAM_TAG_FINAL = 3;

/** One direction of a secretstream: the derived key and `counter(4) ‖ inonce(8)`. Mutated per message. */
export interface SecretstreamState {
  /** 32-byte subkey (HChaCha20 of the stream key, replaced on rekey). */
  readonly k: Uint8Array;
  /** 12-byte ChaCha20-IETF nonce: little-endian 32-bit counter ‖ 8-byte inonce. */
  readonly nonce: Uint8Array;
}

/** Base64 of the module compiled from secretstream-chacha20.wat (wabt 1.0.39). */
export const CHACHA20_WASM_BASE64 =
  'AGFzbQEAAAABBwFgA39/fwADAgEABQMBAAIHEAIGbWVtb3J5AgADeG9yAAAKmAoBlQoBE38CQANAIAFFDQFBACgCACEDQQAoAgQhBEEAKAIIIQVBACgCDCEGQQAoAhAhB0EAKAIUIQhBACgCGCEJQQAoAhwhCkEAKAIgIQtBACgCJCEMQQAoAighDUEAKAIsIQ4gAiEPQQAoAjQhEEEAKAI4IRFBACgCPCESQQohEwNAIAMgB2ohAyAPIANzQRB3IQ8gCyAPaiELIAcgC3NBDHchByADIAdqIQMgDyADc0EIdyEPIAsgD2ohCyAHIAtzQQd3IQcgBCAIaiEEIBAgBHNBEHchECAMIBBqIQwgCCAMc0EMdyEIIAQgCGohBCAQIARzQQh3IRAgDCAQaiEMIAggDHNBB3chCCAFIAlqIQUgESAFc0EQdyERIA0gEWohDSAJIA1zQQx3IQkgBSAJaiEFIBEgBXNBCHchESANIBFqIQ0gCSANc0EHdyEJIAYgCmohBiASIAZzQRB3IRIgDiASaiEOIAogDnNBDHchCiAGIApqIQYgEiAGc0EIdyESIA4gEmohDiAKIA5zQQd3IQogAyAIaiEDIBIgA3NBEHchEiANIBJqIQ0gCCANc0EMdyEIIAMgCGohAyASIANzQQh3IRIgDSASaiENIAggDXNBB3chCCAEIAlqIQQgDyAEc0EQdyEPIA4gD2ohDiAJIA5zQQx3IQkgBCAJaiEEIA8gBHNBCHchDyAOIA9qIQ4gCSAOc0EHdyEJIAUgCmohBSAQIAVzQRB3IRAgCyAQaiELIAogC3NBDHchCiAFIApqIQUgECAFc0EIdyEQIAsgEGohCyAKIAtzQQd3IQogBiAHaiEGIBEgBnNBEHchESAMIBFqIQwgByAMc0EMdyEHIAYgB2ohBiARIAZzQQh3IREgDCARaiEMIAcgDHNBB3chByATQQFrIRMgEw0ACyADQQAoAgBqIQMgBEEAKAIEaiEEIAVBACgCCGohBSAGQQAoAgxqIQYgB0EAKAIQaiEHIAhBACgCFGohCCAJQQAoAhhqIQkgCkEAKAIcaiEKIAtBACgCIGohCyAMQQAoAiRqIQwgDUEAKAIoaiENIA5BACgCLGohDiAPIAJqIQ8gEEEAKAI0aiEQIBFBACgCOGohESASQQAoAjxqIRIgAUHAAE8EQCAAIAAoAgAgA3M2AgAgACAAKAIEIARzNgIEIAAgACgCCCAFczYCCCAAIAAoAgwgBnM2AgwgACAAKAIQIAdzNgIQIAAgACgCFCAIczYCFCAAIAAoAhggCXM2AhggACAAKAIcIApzNgIcIAAgACgCICALczYCICAAIAAoAiQgDHM2AiQgACAAKAIoIA1zNgIoIAAgACgCLCAOczYCLCAAIAAoAjAgD3M2AjAgACAAKAI0IBBzNgI0IAAgACgCOCARczYCOCAAIAAoAjwgEnM2AjwgAEHAAGohACABQcAAayEBBUEAIAM2AkBBACAENgJEQQAgBTYCSEEAIAY2AkxBACAHNgJQQQAgCDYCVEEAIAk2AlhBACAKNgJcQQAgCzYCYEEAIAw2AmRBACANNgJoQQAgDjYCbEEAIA82AnBBACAQNgJ0QQAgETYCeEEAIBI2AnxBACEVA0AgACAVaiAAIBVqLQAAIBUtAEBzOgAAIBVBAWohFSAVIAFJDQALQQBCADcDQEEAQgA3A0hBAEIANwNQQQBCADcDWEEAQgA3A2BBAEIANwNoQQBCADcDcEEAQgA3A3hBACEBCyACQQFqIQIMAAsLCw==';

const KDATA = 1024;
const KSLAB = 65536;

interface ChaChaKernel {
  mem: Uint8Array;
  xor(p: number, len: number, counter: number): void;
}
let chachaKernel: ChaChaKernel | null | undefined;
let forceNoble = false;

function loadChaChaKernel(): ChaChaKernel | null {
  if (forceNoble) return null;
  if (chachaKernel !== undefined) return chachaKernel;
  chachaKernel = null;
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return chachaKernel;
    const bin = atob(CHACHA20_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // Synchronous compile is allowed everywhere for modules under 4 KB.
    const ex = new wa.Instance(new wa.Module(bytes), {}).exports as { memory: WebAssembly.Memory; xor: ChaChaKernel['xor'] };
    chachaKernel = { mem: new Uint8Array(ex.memory.buffer), xor: ex.xor };
  } catch {
    chachaKernel = null;
  }
  return chachaKernel;
}

/** Base64 of the module compiled from secretstream-poly1305.wat (wabt 1.0.39). */
export const POLY1305_WASM_BASE64 =
  'AGFzbQEAAAABCgJgA39/fwBgAAADAwIAAQUDAQACBxwDBm1lbW9yeQIABmJsb2NrcwAABmZpbmlzaAABCsYIAssEARh+QQA1AgAhA0EANQIEIQRBADUCCCEFQQA1AgwhBkEANQIQIQcgBEIFfiEIIAVCBX4hCSAGQgV+IQogB0IFfiELQQA1AhQhDEEANQIYIQ1BADUCHCEOQQA1AiAhD0EANQIkIRACQANAIAFFDQEgADUCACEXIAA1AgQhGCAANQIIIRkgADUCDCEaIAwgF0L///8fg3whDCANIBdCGoggGEIGhoRC////H4N8IQ0gDiAYQhSIIBlCDIaEQv///x+DfCEOIA8gGUIOiCAaQhKGhEL///8fg3whDyAQIBpCCIggAq2EfCEQIAwgA34gDSALfnwgDiAKfnwgDyAJfnwgECAIfnwhESAMIAR+IA0gA358IA4gC358IA8gCn58IBAgCX58IRIgDCAFfiANIAR+fCAOIAN+fCAPIAt+fCAQIAp+fCETIAwgBn4gDSAFfnwgDiAEfnwgDyADfnwgECALfnwhFCAMIAd+IA0gBn58IA4gBX58IA8gBH58IBAgA358IRUgEUIaiCEWIBFC////H4MhDCASIBZ8IRIgEkIaiCEWIBJC////H4MhDSATIBZ8IRMgE0IaiCEWIBNC////H4MhDiAUIBZ8IRQgFEIaiCEWIBRC////H4MhDyAVIBZ8IRUgFUIaiCEWIBVC////H4MhECAMIBZCBX58IQwgDEIaiCEWIAxC////H4MhDCANIBZ8IQ0gAEEQaiEAIAFBAWshAQwACwtBACAMPgIUQQAgDT4CGEEAIA4+AhxBACAPPgIgQQAgED4CJAv2AwIMfwF+QQAoAhQhAEEAKAIYIQFBACgCHCECQQAoAiAhA0EAKAIkIQQgAUEadiEKIAFB////H3EhASACIApqIQIgAkEadiEKIAJB////H3EhAiADIApqIQMgA0EadiEKIANB////H3EhAyAEIApqIQQgBEEadiEKIARB////H3EhBCAAIApBBWxqIQAgAEEadiEKIABB////H3EhACABIApqIQEgAEEFaiEFIAVBGnYhCiAFQf///x9xIQUgASAKaiEGIAZBGnYhCiAGQf///x9xIQYgAiAKaiEHIAdBGnYhCiAHQf///x9xIQcgAyAKaiEIIAhBGnYhCiAIQf///x9xIQggBCAKakGAgIAgayEJIAlBH3ZBAWshCyAAIAtBf3NxIAUgC3FyIQAgASALQX9zcSAGIAtxciEBIAIgC0F/c3EgByALcXIhAiADIAtBf3NxIAggC3FyIQMgBCALQX9zcSAJIAtxciEEIAAgAUEadHIhACABQQZ2IAJBFHRyIQEgAkEMdiADQQ50ciECIANBEnYgBEEIdHIhAyAArUEANQIofCEMQQAgDD4COCABrUEANQIsfCAMQiCIfCEMQQAgDD4CPCACrUEANQIwfCAMQiCIfCEMQQAgDD4CQCADrUEANQI0fCAMQiCIfCEMQQAgDD4CRAs=';

interface PolyKernel {
  mem: Uint8Array;
  blocks(p: number, n: number, hibit: number): void;
  finish(): void;
}
let polyKernel: PolyKernel | null | undefined;

function instantiate<T>(b64: string): T | null {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (!wa) return null;
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new wa.Instance(new wa.Module(bytes), {}).exports as T;
}

function loadPolyKernel(): PolyKernel | null {
  if (forceNoble) return null;
  if (polyKernel !== undefined) return polyKernel;
  polyKernel = null;
  try {
    const ex = instantiate<{ memory: WebAssembly.Memory; blocks: PolyKernel['blocks']; finish: PolyKernel['finish'] }>(POLY1305_WASM_BASE64);
    if (ex) polyKernel = { mem: new Uint8Array(ex.memory.buffer), blocks: ex.blocks, finish: ex.finish };
  } catch {
    polyKernel = null;
  }
  return polyKernel;
}

const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/**
 * Poly1305 on the WASM kernel. Its state lives in the module's memory from construction to
 * `digest()`, so a MAC must be computed synchronously start to finish (as `macOf` does).
 */
class KernelPoly1305 {
  private readonly buf = new Uint8Array(16);
  private fill = 0;

  constructor(
    private readonly k: PolyKernel,
    key: Uint8Array,
  ) {
    const t0 = le32(key, 0);
    const t1 = le32(key, 4);
    const t2 = le32(key, 8);
    const t3 = le32(key, 12);
    // r, clamped (RFC 8439 §2.5) and split into 26-bit limbs.
    const limbs = [
      t0 & 0x3ffffff,
      ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03,
      ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff,
      ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff,
      (t3 >>> 8) & 0x00fffff,
    ];
    const m = k.mem;
    m.fill(0, 0, 72);
    for (let i = 0; i < 5; i++) {
      const v = limbs[i]!;
      m[i * 4] = v & 0xff;
      m[i * 4 + 1] = (v >>> 8) & 0xff;
      m[i * 4 + 2] = (v >>> 16) & 0xff;
      m[i * 4 + 3] = v >>> 24;
    }
    m.set(key.subarray(16, 32), 40);
  }

  update(d: Uint8Array): void {
    const { k, buf } = this;
    let data = d;
    if (this.fill) {
      const take = Math.min(16 - this.fill, data.length);
      buf.set(data.subarray(0, take), this.fill);
      this.fill += take;
      data = data.subarray(take);
      if (this.fill < 16) return;
      k.mem.set(buf, KDATA);
      k.blocks(KDATA, 1, 1 << 24);
      this.fill = 0;
    }
    const bulk = data.length - (data.length & 15);
    for (let o = 0; o < bulk; o += KSLAB) {
      const n = Math.min(KSLAB, bulk - o);
      k.mem.set(data.subarray(o, o + n), KDATA);
      k.blocks(KDATA, n / 16, 1 << 24);
    }
    buf.set(data.subarray(bulk));
    this.fill = data.length - bulk;
  }

  digest(): Uint8Array {
    const { k, buf } = this;
    if (this.fill) {
      buf[this.fill] = 1;
      buf.fill(0, this.fill + 1);
      k.mem.set(buf, KDATA);
      k.blocks(KDATA, 1, 0);
    }
    k.finish();
    const tag = k.mem.slice(56, 72);
    k.mem.fill(0, 0, 72);
    k.mem.fill(0, KDATA, KDATA + KSLAB);
    buf.fill(0);
    return tag;
  }
}

function newPoly1305(key: Uint8Array): { update(d: Uint8Array): void; digest(): Uint8Array } {
  const k = loadPolyKernel();
  return k ? new KernelPoly1305(k, key) : new Poly1305(key);
}

/** Test hook: `true` routes ChaCha20 and Poly1305 through @noble/ciphers even where WebAssembly works. */
export function _secretstreamForceNoble(on: boolean): void {
  forceNoble = on;
}

const SIGMA_BYTES = Uint8Array.from('expand 32-byte k', (c) => c.charCodeAt(0));

/** ChaCha20-IETF keystream XOR of `input` into `output` (same length, may alias) from block `counter`. */
function chacha20Into(key: Uint8Array, nonce: Uint8Array, input: Uint8Array, output: Uint8Array, counter: number): void {
  const k = loadChaChaKernel();
  if (!k) {
    chacha20(key, nonce, input, output, counter);
    return;
  }
  const m = k.mem;
  m.set(SIGMA_BYTES, 0);
  m.set(key, 16);
  m.set(nonce, 52);
  let c = counter;
  for (let o = 0; o < input.length; o += KSLAB) {
    const n = Math.min(KSLAB, input.length - o);
    m.set(input.subarray(o, o + n), KDATA);
    k.xor(KDATA, n, c);
    output.set(m.subarray(KDATA, KDATA + n), o);
    m.fill(0, KDATA, KDATA + n);
    c += KSLAB / 64;
  }
  m.fill(0, 0, 64);
}

const SIGMA = /* @__PURE__ */ u32Copy(Uint8Array.from('expand 32-byte k', (c) => c.charCodeAt(0)));
const ZERO16 = new Uint8Array(16);

/** Native-endian 32-bit words over an aligned copy (the form noble's `hchacha` takes). */
function u32Copy(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

function hchacha20(key: Uint8Array, input16: Uint8Array): Uint8Array {
  const k = u32Copy(key);
  const i = u32Copy(input16);
  const out = new Uint32Array(8);
  hchacha(SIGMA, k, i, out);
  const res = new Uint8Array(out.buffer);
  wipe(new Uint8Array(k.buffer));
  return res;
}

function resetCounter(st: SecretstreamState): void {
  st.nonce.set([1, 0, 0, 0], 0);
}

function initState(key: Uint8Array, header: Uint8Array): SecretstreamState {
  assertBytes(key, 'secretstream key', SECRETSTREAM_KEYBYTES);
  assertBytes(header, 'secretstream header', SECRETSTREAM_HEADERBYTES);
  const st: SecretstreamState = { k: hchacha20(key, header.subarray(0, 16)), nonce: new Uint8Array(12) };
  resetCounter(st);
  st.nonce.set(header.subarray(16, 24), 4);
  return st;
}

/**
 * Starts an encrypting stream with a given 24-byte `header` (libsodium's `init_push` draws it at
 * random; pass `randomBytes(24)` for that behaviour, or use {@link secretstreamInitPushRandom}).
 * A fixed header is for deterministic constructions such as libsession's "S" attachments, where
 * the header is derived from a keyed hash of the content; never reuse a (key, header) pair for
 * different content.
 *
 * @example
 * ```ts
 * const st = secretstreamInitPush(key, header);
 * const c = secretstreamPush(st, chunk, SECRETSTREAM_TAG_FINAL);
 * ```
 */
export function secretstreamInitPush(key: Uint8Array, header: Uint8Array): SecretstreamState {
  return initState(key, header);
}

/**
 * libsodium's `crypto_secretstream_xchacha20poly1305_init_push`: a random header (returned; send
 * it before the first message) and the push state.
 *
 * @example
 * ```ts
 * const { state, header } = secretstreamInitPushRandom(key);
 * ```
 */
export function secretstreamInitPushRandom(key: Uint8Array): { state: SecretstreamState; header: Uint8Array } {
  const header = randomBytes(SECRETSTREAM_HEADERBYTES);
  return { state: initState(key, header), header };
}

/**
 * Starts a decrypting stream from the sender's 24-byte header (`init_pull`).
 *
 * @example
 * ```ts
 * const st = secretstreamInitPull(key, header);
 * const { message, tag } = secretstreamPull(st, ciphertext);
 * ```
 */
export function secretstreamInitPull(key: Uint8Array, header: Uint8Array): SecretstreamState {
  return initState(key, header);
}

/**
 * Replaces the state's key and inonce with ChaCha20 output of themselves and resets the counter
 * (`crypto_secretstream_xchacha20poly1305_rekey`). Called automatically after a REKEY/FINAL tag
 * or a counter wrap; call it by hand only if both sides do so at the same message.
 *
 * @example
 * ```ts
 * secretstreamRekey(state);
 * ```
 */
export function secretstreamRekey(st: SecretstreamState): void {
  const buf = new Uint8Array(40);
  buf.set(st.k, 0);
  buf.set(st.nonce.subarray(4, 12), 32);
  chacha20Into(st.k, st.nonce, buf, buf, 0);
  st.k.set(buf.subarray(0, 32));
  st.nonce.set(buf.subarray(32, 40), 4);
  wipe(buf);
  resetCounter(st);
}

function le64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  let v = n;
  for (let i = 0; i < 8; i++) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/** MAC over the secretstream transcript; `c` is the ciphertext (encrypt-then-MAC). */
function macOf(polyKey: Uint8Array, ad: Uint8Array, tagBlock: Uint8Array, c: Uint8Array): Uint8Array {
  const mac = newPoly1305(polyKey);
  if (ad.length) {
    mac.update(ad);
    mac.update(ZERO16.subarray(0, (16 - (ad.length & 15)) & 15));
  }
  mac.update(tagBlock);
  mac.update(c);
  // libsodium: (0x10 - sizeof block + mlen) & 0xf == mlen & 0xf (sizeof block = 64).
  mac.update(ZERO16.subarray(0, c.length & 15));
  mac.update(le64(ad.length));
  mac.update(le64(64 + c.length));
  return mac.digest();
}

function advance(st: SecretstreamState, mac: Uint8Array, tag: number): void {
  for (let i = 0; i < 8; i++) st.nonce[4 + i]! ^= mac[i]!;
  // 32-bit little-endian counter increment (sodium_increment over 4 bytes).
  let carry = 1;
  for (let i = 0; i < 4; i++) {
    const v = st.nonce[i]! + carry;
    st.nonce[i] = v & 0xff;
    carry = v >> 8;
  }
  const wrapped = st.nonce[0] === 0 && st.nonce[1] === 0 && st.nonce[2] === 0 && st.nonce[3] === 0;
  if ((tag & SECRETSTREAM_TAG_REKEY) !== 0 || wrapped) secretstreamRekey(st);
}

function polyKeyAndTagBlock(st: SecretstreamState, tagByte: number): { polyKey: Uint8Array; tagBlock: Uint8Array } {
  // Blocks 0 and 1 in one call: Poly1305 key, then the tag block's keystream.
  const blocks = new Uint8Array(128);
  blocks[64] = tagByte;
  chacha20Into(st.k, st.nonce, blocks, blocks, 0);
  const polyKey = blocks.slice(0, 32);
  const tagBlock = blocks.slice(64);
  wipe(blocks);
  return { polyKey, tagBlock };
}

/**
 * Encrypts one message into `out` at `offset` (`17 + message.length` bytes) and advances the
 * state. The allocation-free form of {@link secretstreamPush}, for chunked bulk encryption.
 *
 * @example
 * ```ts
 * secretstreamPushInto(st, chunk, SECRETSTREAM_TAG_MESSAGE, out, pos);
 * ```
 */
export function secretstreamPushInto(
  st: SecretstreamState,
  message: Uint8Array,
  tag: number,
  out: Uint8Array,
  offset: number,
  ad: Uint8Array = ZERO16.subarray(0, 0),
): number {
  assertBytes(message, 'message');
  if (!Number.isInteger(tag) || tag < 0 || tag > 255) throw new SessionSdkError('INVALID_INPUT', 'secretstream tag must be a byte');
  const total = message.length + SECRETSTREAM_ABYTES;
  if (!Number.isInteger(offset) || offset < 0 || offset + total > out.length)
    throw new SessionSdkError('INVALID_LENGTH', 'secretstream output buffer too small');
  const { polyKey, tagBlock } = polyKeyAndTagBlock(st, tag);
  out[offset] = tagBlock[0]!;
  const c = out.subarray(offset + 1, offset + 1 + message.length);
  chacha20Into(st.k, st.nonce, message, c, 2);
  const mac = macOf(polyKey, ad, tagBlock, c);
  out.set(mac, offset + 1 + message.length);
  wipe(polyKey, tagBlock);
  advance(st, mac, tag);
  return total;
}

/**
 * `crypto_secretstream_xchacha20poly1305_push`: encrypts and authenticates one message with `tag`
 * (0 MESSAGE, 1 PUSH, 2 REKEY, 3 FINAL), returning `enc_tag ‖ ciphertext ‖ mac`.
 *
 * @example
 * ```ts
 * const c = secretstreamPush(st, utf8('last one'), SECRETSTREAM_TAG_FINAL);
 * ```
 */
export function secretstreamPush(st: SecretstreamState, message: Uint8Array, tag: number = SECRETSTREAM_TAG_MESSAGE, ad?: Uint8Array): Uint8Array {
  assertBytes(message, 'message');
  const out = new Uint8Array(message.length + SECRETSTREAM_ABYTES);
  secretstreamPushInto(st, message, tag, out, 0, ad);
  return out;
}

/**
 * Authenticates then decrypts one message into `out` at `offset` (`ciphertext.length - 17`
 * bytes), returning the tag. On failure nothing is written, the state is unchanged and
 * `DECRYPT_FAILED` is thrown.
 *
 * @example
 * ```ts
 * const tag = secretstreamPullInto(st, piece, out, pos);
 * ```
 */
export function secretstreamPullInto(
  st: SecretstreamState,
  ciphertext: Uint8Array,
  out: Uint8Array,
  offset: number,
  ad: Uint8Array = ZERO16.subarray(0, 0),
): number {
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < SECRETSTREAM_ABYTES)
    throw new SessionSdkError('DECRYPT_FAILED', 'secretstream message shorter than its 17-byte overhead');
  const mlen = ciphertext.length - SECRETSTREAM_ABYTES;
  if (!Number.isInteger(offset) || offset < 0 || offset + mlen > out.length)
    throw new SessionSdkError('INVALID_LENGTH', 'secretstream output buffer too small');
  const { polyKey, tagBlock } = polyKeyAndTagBlock(st, ciphertext[0]!);
  const tag = tagBlock[0]!;
  tagBlock[0] = ciphertext[0]!;
  const c = ciphertext.subarray(1, 1 + mlen);
  const mac = macOf(polyKey, ad, tagBlock, c);
  wipe(polyKey, tagBlock);
  if (!equalBytes(mac, ciphertext.subarray(1 + mlen))) {
    throw new SessionSdkError('DECRYPT_FAILED', 'secretstream message failed authentication');
  }
  chacha20Into(st.k, st.nonce, c, out.subarray(offset, offset + mlen), 2);
  advance(st, mac, tag);
  return tag;
}

/**
 * `crypto_secretstream_xchacha20poly1305_pull`: verifies and decrypts one message. Messages must
 * be pulled in the order they were pushed; a reordered, duplicated, truncated or forged message
 * throws `DECRYPT_FAILED`. Whether the stream ended properly is the caller's check (`tag ===
 * SECRETSTREAM_TAG_FINAL` on the last message).
 *
 * @example
 * ```ts
 * const { message, tag } = secretstreamPull(st, c);
 * ```
 */
export function secretstreamPull(st: SecretstreamState, ciphertext: Uint8Array, ad?: Uint8Array): { message: Uint8Array; tag: number } {
  assertBytes(ciphertext, 'ciphertext');
  const message = new Uint8Array(Math.max(0, ciphertext.length - SECRETSTREAM_ABYTES));
  const tag = secretstreamPullInto(st, ciphertext, message, 0, ad);
  return { message, tag };
}

/** Test hook: one-shot Poly1305 through the same path secretstream uses (WASM kernel or noble). */
export function _secretstreamPoly1305(key: Uint8Array, message: Uint8Array): Uint8Array {
  const mac = newPoly1305(key);
  mac.update(message);
  return mac.digest();
}
