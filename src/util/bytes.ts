/**
 * Byte helpers shared by every module: validation that throws {@link SessionSdkError}, hex,
 * UTF-8, constant-time comparison and best-effort wiping (spec/security.md §5).
 * @module
 */
import { SessionSdkError, type SessionSdkErrorCode } from '../errors.js';

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Throws unless `v` is a Uint8Array (of `len` bytes, when given). */
export function assertBytes(
  v: unknown,
  name: string,
  len?: number | readonly number[],
  code: SessionSdkErrorCode = 'INVALID_LENGTH',
): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new SessionSdkError('INVALID_INPUT', `${name} must be a Uint8Array`);
  if (len === undefined) return;
  const ok = typeof len === 'number' ? v.length === len : len.includes(v.length);
  if (!ok) {
    const want = typeof len === 'number' ? `${len}` : len.join(' or ');
    throw new SessionSdkError(code, `${name} must be ${want} bytes, got ${v.length}`);
  }
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

/** Decodes hex (either case); throws `INVALID_HEX` (or `code`) on odd length or a non-hex digit. */
export function fromHex(hex: string, name = 'hex', code: SessionSdkErrorCode = 'INVALID_HEX'): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) throw new SessionSdkError(code, `${name} is not valid hex`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** Concatenates byte arrays into a new array. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time equality for MACs, tags and secrets (time depends only on the lengths). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 encode. */
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

/** Strict UTF-8 decode; throws `INVALID_ENCODING` on malformed input. */
export function fromUtf8(b: Uint8Array): string {
  try {
    return dec.decode(b);
  } catch {
    throw new SessionSdkError('INVALID_ENCODING', 'bytes are not valid UTF-8');
  }
}

/** Best-effort zeroisation of buffers the SDK owns (spec/security.md §5). */
export function wipe(...bufs: (Uint8Array | undefined)[]): void {
  for (const b of bufs) b?.fill(0);
}

/** Cryptographically secure random bytes from `crypto.getRandomValues` (the only RNG used). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues is capped at 65536 bytes per call.
  for (let o = 0; o < n; o += 65536) globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}

/** Copies `b` (so callers can wipe their own buffer independently). */
export function copyBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
