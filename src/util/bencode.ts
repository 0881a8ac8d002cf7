/**
 * Canonical bencoding as written by oxenc's `bt_serialize` / `bt_dict_producer`
 * (spec/config.md §1.2): integers `i…e` without leading zeros or `-0`, byte strings `len:bytes`,
 * lists `l…e`, dicts `d…e` with byte-string keys in strictly ascending unsigned bytewise order.
 *
 * Byte strings decode to `Uint8Array`; dict keys are "binary strings" (one char per byte, code
 * 0–255), so ordinary string comparison is bytewise order and binary keys (e.g. 33-byte IDs)
 * round-trip. Hashes and signatures cover these exact bytes, so the decoder is strict: anything a
 * canonical encoder would not have produced is rejected with `INVALID_ENCODING`.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { ByteWriter } from './byte-writer.js';

/** A decoded bencode value. Integers are `number` when safe, otherwise `bigint`. */
export type BValue = Uint8Array | number | bigint | BValue[] | BDict;
/** A dict: binary-string keys (one char per byte) to values. */
export type BDict = Map<string, BValue>;
/** What {@link bencode} accepts: decoded values, plus plain objects and text strings (UTF-8). */
export type BInput = BValue | string | BInput[] | Map<string, BInput> | { [key: string]: BInput };

/** Limits that stop hostile input from exhausting the stack or memory. */
const MAX_DEPTH = 64;
const MAX_INT_DIGITS = 20;

function bad(msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', `bencode: ${msg}`);
}

/** A dict key (binary string) as bytes; throws on chars above 0xff. */
export function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c > 0xff) throw new SessionSdkError('INVALID_INPUT', 'bencode dict keys must be binary strings (chars 0–255)');
    out[i] = c;
  }
  return out;
}

/** Bytes as a binary-string dict key. */
export function bytesKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

const textEncoder = new TextEncoder();

function write(w: ByteWriter, v: BInput, depth: number): void {
  if (depth > MAX_DEPTH) throw new SessionSdkError('INVALID_INPUT', 'bencode: nesting too deep');
  if (v instanceof Uint8Array) {
    w.ascii(`${v.length}:`);
    w.bytes(v);
  } else if (typeof v === 'string') {
    const b = textEncoder.encode(v);
    w.ascii(`${b.length}:`);
    w.bytes(b);
  } else if (typeof v === 'number' || typeof v === 'bigint') {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      throw new SessionSdkError('INVALID_INPUT', 'bencode integers must be safe integers or bigints');
    }
    w.ascii(`i${v.toString()}e`);
  } else if (Array.isArray(v)) {
    w.byte(0x6c);
    for (const x of v) write(w, x, depth + 1);
    w.byte(0x65);
  } else if (v instanceof Map || (typeof v === 'object' && v !== null)) {
    const entries: [string, BInput][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    w.byte(0x64);
    for (let i = 0; i < entries.length; i++) {
      const [k, x] = entries[i]!;
      if (i > 0 && entries[i - 1]![0] === k) throw new SessionSdkError('INVALID_INPUT', 'bencode: duplicate dict key');
      const kb = keyBytes(k);
      w.ascii(`${kb.length}:`);
      w.bytes(kb);
      write(w, x, depth + 1);
    }
    w.byte(0x65);
  } else {
    throw new SessionSdkError('INVALID_INPUT', `bencode: cannot encode ${typeof v}`);
  }
}

/**
 * Canonical bencoding of `value`. Dict keys are sorted bytewise; text strings are UTF-8.
 *
 * @example
 * ```ts
 * bencode({ '#': 1, '&': {} }); // bytes of "d1:#i1e1:&dee"
 * ```
 */
export function bencode(value: BInput): Uint8Array {
  const w = new ByteWriter();
  write(w, value, 0);
  return w.result();
}

/** A cursor over bencoded bytes; `pos` is the offset of the next unread byte. */
export class BencodeReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    if (!(bytes instanceof Uint8Array)) throw new SessionSdkError('INVALID_INPUT', 'bencode input must be a Uint8Array');
    this.pos = start;
  }

  /** The next byte without consuming it (-1 at the end). */
  peek(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : -1;
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  private digits(end: number, what: string): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && this.bytes[this.pos] !== end) {
      if (this.pos - start > MAX_INT_DIGITS) bad(`${what} too long`);
      this.pos++;
    }
    if (this.pos >= this.bytes.length) bad(`unterminated ${what}`);
    let s = '';
    for (let i = start; i < this.pos; i++) s += String.fromCharCode(this.bytes[i]!);
    this.pos++; // terminator
    return s;
  }

  /** Reads an integer `i…e`. */
  readInt(): number | bigint {
    if (this.peek() !== 0x69) bad(`expected integer at offset ${this.pos}`);
    this.pos++;
    const s = this.digits(0x65, 'integer');
    if (!/^(0|-?[1-9][0-9]*)$/.test(s)) bad('non-canonical integer');
    const n = BigInt(s);
    if (n < -(2n ** 63n) || n >= 2n ** 64n) bad('integer out of 64-bit range');
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }

  /** Reads a byte string `len:bytes` (a view into the input). */
  readBytes(): Uint8Array {
    const c = this.peek();
    if (c < 0x30 || c > 0x39) bad(`expected byte string at offset ${this.pos}`);
    const s = this.digits(0x3a, 'string length');
    if (!/^(0|[1-9][0-9]*)$/.test(s)) bad('non-canonical string length');
    const len = Number(s);
    if (len > this.bytes.length - this.pos) bad('string runs past the end of input');
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Reads any value. Dict keys must be strictly ascending. */
  readValue(depth = 0): BValue {
    if (depth > MAX_DEPTH) bad('nesting too deep');
    const c = this.peek();
    if (c === 0x69) return this.readInt();
    if (c >= 0x30 && c <= 0x39) return this.readBytes().slice();
    if (c === 0x6c) {
      this.pos++;
      const out: BValue[] = [];
      while (this.peek() !== 0x65) {
        if (this.done) bad('unterminated list');
        out.push(this.readValue(depth + 1));
      }
      this.pos++;
      return out;
    }
    if (c === 0x64) {
      this.pos++;
      const out: BDict = new Map();
      let prev: string | undefined;
      while (this.peek() !== 0x65) {
        if (this.done) bad('unterminated dict');
        const k = bytesKey(this.readBytes());
        if (prev !== undefined && k <= prev) bad('dict keys not in strictly ascending order');
        prev = k;
        out.set(k, this.readValue(depth + 1));
      }
      this.pos++;
      return out;
    }
    return bad(c < 0 ? 'unexpected end of input' : `unexpected byte 0x${c.toString(16)} at offset ${this.pos}`);
  }
}

/**
 * Decodes exactly one canonical bencoded value; trailing bytes are an error.
 *
 * @example
 * ```ts
 * const d = bdecode(bytes) as BDict; d.get('#'); // seqno
 * ```
 */
export function bdecode(bytes: Uint8Array): BValue {
  const r = new BencodeReader(bytes);
  const v = r.readValue();
  if (!r.done) bad('trailing bytes after value');
  return v;
}

/** One dict entry with its byte span: `start` is the offset of the key, `end` just past the value. */
export interface BDictEntry {
  key: string;
  value: BValue;
  start: number;
  end: number;
}

/**
 * Decodes a top-level dict keeping each entry's byte span, for formats that sign or hash a prefix
 * of the dict (spec/config.md §1.3.1, spec/groups.md §2.2).
 *
 * @example
 * ```ts
 * const { entries } = bdecodeDictEntries(msg);
 * const sig = entries.find((e) => e.key === '~'); // signed bytes: msg.subarray(0, sig.start)
 * ```
 */
export function bdecodeDictEntries(bytes: Uint8Array): { entries: BDictEntry[]; end: number } {
  const r = new BencodeReader(bytes);
  if (r.peek() !== 0x64) bad('expected a dict');
  r.pos++;
  const entries: BDictEntry[] = [];
  while (r.peek() !== 0x65) {
    if (r.done) bad('unterminated dict');
    const start = r.pos;
    const key = bytesKey(r.readBytes());
    const prev = entries[entries.length - 1];
    if (prev && key <= prev.key) bad('dict keys not in strictly ascending order');
    const value = r.readValue(1);
    entries.push({ key, value, start, end: r.pos });
  }
  r.pos++;
  if (!r.done) bad('trailing bytes after dict');
  return { entries, end: r.pos };
}

/** Type guards for decoded values. */
export const isBDict = (v: BValue | undefined): v is BDict => v instanceof Map;
export const isBList = (v: BValue | undefined): v is BValue[] => Array.isArray(v);
export const isBBytes = (v: BValue | undefined): v is Uint8Array => v instanceof Uint8Array;
export const isBInt = (v: BValue | undefined): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';
