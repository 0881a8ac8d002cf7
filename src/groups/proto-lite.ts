/**
 * A minimal protobuf wire-format reader/writer for the handful of small, frozen messages the
 * groups module handles itself (legacy control messages, the group Envelope), so the groups
 * subpath does not pull in a full protobuf runtime. Strict: truncated input, over-long varints,
 * varints above 2^53 and field number 0 throw `INVALID_ENCODING`; unknown fields are skipped.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { concatBytes } from '../util/bytes.js';

/** Throws `INVALID_ENCODING` with a message prefixed by `what`. */
export function protoError(what: string, msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', `${what}: ${msg}`);
}

/** Varint bytes of a non-negative safe integer. */
export function protoVarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new SessionSdkError('INVALID_INPUT', 'protobuf varint must be a non-negative safe integer');
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** A length-delimited field. */
export const protoBytesField = (no: number, bytes: Uint8Array): Uint8Array => concatBytes(protoVarint(no * 8 + 2), protoVarint(bytes.length), bytes);
/** A varint field. */
export const protoIntField = (no: number, v: number): Uint8Array => concatBytes(protoVarint(no * 8), protoVarint(v));

/** Iterates `[fieldNumber, wireType, value]`: varints as numbers, length-delimited fields as views. */
export function* protoFields(buf: Uint8Array, what: string): Generator<[number, number, number | Uint8Array]> {
  let p = 0;
  const readVarint = (): number => {
    let v = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= buf.length) protoError(what, 'truncated varint');
      const b = buf[p++]!;
      v += (b & 0x7f) * 2 ** (7 * i);
      if (!(b & 0x80)) {
        if (!Number.isSafeInteger(v)) protoError(what, 'varint too large');
        return v;
      }
    }
    return protoError(what, 'varint too long');
  };
  while (p < buf.length) {
    const tag = readVarint();
    const no = Math.floor(tag / 8);
    const wt = tag % 8;
    if (no === 0) protoError(what, 'field number 0');
    if (wt === 0) yield [no, wt, readVarint()];
    else if (wt === 2) {
      const len = readVarint();
      if (len > buf.length - p) protoError(what, 'length runs past the end');
      yield [no, wt, buf.subarray(p, p + len)];
      p += len;
    } else if (wt === 1) {
      if (p + 8 > buf.length) protoError(what, 'truncated fixed64');
      p += 8;
    } else if (wt === 5) {
      if (p + 4 > buf.length) protoError(what, 'truncated fixed32');
      p += 4;
    } else protoError(what, `unsupported wire type ${wt}`);
  }
}

/** The value of a length-delimited field (copied); throws if the field has another wire type. */
export function protoBytes(what: string, no: number, wt: number, v: number | Uint8Array): Uint8Array {
  if (wt !== 2 || typeof v === 'number') protoError(what, `field ${no} must be length-delimited`);
  return v.slice();
}

/** The value of a varint field; throws if the field has another wire type. */
export function protoInt(what: string, no: number, wt: number, v: number | Uint8Array): number {
  if (wt !== 0 || typeof v !== 'number') protoError(what, `field ${no} must be a varint`);
  return v;
}
