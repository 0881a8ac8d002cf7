/**
 * A small, dependency-free zstd *compressor* (RFC 8878) for group message bodies
 * (spec/groups.md §2.8: libsession compresses and keeps the result only if it is smaller).
 *
 * Deliberately simple: one single-segment frame, greedy LZ77 with a 4-byte hash table, raw
 * literals, and sequences coded with the predefined FSE distributions (no tables to transmit).
 * Any conforming decoder reads it (tested against fzstd). It does not try to match the bytes of
 * the reference `zstd` library — no reader depends on those — only to be valid and useful.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes } from './bytes.js';
import { ByteWriter } from './byte-writer.js';

const MAX_BLOCK = 128 * 1024;
const MIN_MATCH = 4;
const HASH_LOG = 16;

// RFC 8878 §3.1.1.3.2.2: predefined normalised distributions (-1 = "less than one").
const LL_DIST = [4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1];
const ML_DIST = [
  1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
];
const OF_DIST = [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1];

// RFC 8878 §3.1.1.3.2.1.1: extra bits per literal-length / match-length code.
const LL_BITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const ML_BITS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
const baselines = (bits: number[], start: number): number[] => {
  const out: number[] = [];
  let b = start;
  for (const n of bits) {
    out.push(b);
    b += 2 ** n;
  }
  return out;
};
const LL_BASE = baselines(LL_BITS, 0);
const ML_BASE = baselines(ML_BITS, 3);

const highBit = (v: number): number => 31 - Math.clz32(v);

/** FSE compression table (the tANS encoder of a normalised distribution). */
interface FseTable {
  log: number;
  next: Uint16Array;
  deltaNbBits: Int32Array;
  deltaFindState: Int32Array;
}

function buildFse(dist: number[], log: number): FseTable {
  const size = 1 << log;
  const spread = new Int16Array(size);
  let high = size - 1;
  for (let s = 0; s < dist.length; s++) if (dist[s] === -1) spread[high--] = s;
  const step = (size >> 1) + (size >> 3) + 3;
  let pos = 0;
  for (let s = 0; s < dist.length; s++) {
    for (let i = 0; i < dist[s]!; i++) {
      spread[pos] = s;
      do pos = (pos + step) & (size - 1);
      while (pos > high);
    }
  }
  const cumul: number[] = [];
  let total = 0;
  for (const c of dist) {
    cumul.push(total);
    total += c === -1 ? 1 : c;
  }
  const fill = cumul.slice();
  const next = new Uint16Array(size);
  for (let u = 0; u < size; u++) next[fill[spread[u]!]!++] = size + u;
  const deltaNbBits = new Int32Array(dist.length);
  const deltaFindState = new Int32Array(dist.length);
  for (let s = 0; s < dist.length; s++) {
    const c = dist[s]!;
    if (c === -1 || c === 1) {
      deltaNbBits[s] = (log << 16) - size;
      deltaFindState[s] = cumul[s]! - 1;
    } else if (c > 1) {
      const maxBitsOut = log - highBit(c - 1);
      deltaNbBits[s] = (maxBitsOut << 16) - (c << maxBitsOut);
      deltaFindState[s] = cumul[s]! - c;
    }
  }
  return { log, next, deltaNbBits, deltaFindState };
}

let tables: { ll: FseTable; ml: FseTable; of: FseTable } | undefined;
const fse = () => (tables ??= { ll: buildFse(LL_DIST, 6), ml: buildFse(ML_DIST, 6), of: buildFse(OF_DIST, 5) });

/** Little-endian bit writer (bits enter at the low end, as zstd's BIT_addBits). */
class BitWriter {
  readonly out = new ByteWriter();
  private acc = 0;
  private n = 0;
  add(value: number, bits: number): void {
    if (bits > 16) {
      // keep acc within 32 bits: low 16 first, then the rest
      this.add(value & 0xffff, 16);
      this.add(Math.floor(value / 65536), bits - 16);
      return;
    }
    if (bits === 0) return;
    this.acc |= (value & ((1 << bits) - 1)) << this.n;
    this.n += bits;
    while (this.n >= 8) {
      this.out.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  finish(): Uint8Array {
    this.add(1, 1); // end mark
    if (this.n > 0) this.out.byte(this.acc & 0xff);
    return this.out.view();
  }
}

class FseState {
  value: number;
  constructor(
    private t: FseTable,
    first: number,
  ) {
    const nb = (t.deltaNbBits[first]! + (1 << 15)) >> 16;
    const v = (nb << 16) - t.deltaNbBits[first]!;
    this.value = t.next[(v >> nb) + t.deltaFindState[first]!]!;
  }
  encode(w: BitWriter, s: number): void {
    const nb = (this.value + this.t.deltaNbBits[s]!) >> 16;
    w.add(this.value, nb);
    this.value = this.t.next[(this.value >> nb) + this.t.deltaFindState[s]!]!;
  }
  flush(w: BitWriter): void {
    w.add(this.value, this.t.log);
  }
}

interface Seq {
  ll: number;
  ml: number;
  off: number;
}

/** Code of a value for a baseline table: the last code whose baseline is ≤ v (tables are small). */
function codeTable(base: number[], size: number): Uint8Array {
  const t = new Uint8Array(size);
  let c = 0;
  for (let v = 0; v < size; v++) {
    while (c + 1 < base.length && base[c + 1]! <= v) c++;
    t[v] = c;
  }
  return t;
}
const LL_LOOKUP = /* @__PURE__ */ codeTable(LL_BASE, 64);
const ML_LOOKUP = /* @__PURE__ */ codeTable(ML_BASE.map((b) => b - 3), 128);
// Above the lookup range the codes follow the baselines' powers of two (zstd's ZSTD_LLcode/MLcode).
const llCode = (ll: number): number => (ll < 64 ? LL_LOOKUP[ll]! : highBit(ll) + 19);
const mlCode = (ml: number): number => (ml - 3 < 128 ? ML_LOOKUP[ml - 3]! : highBit(ml - 3) + 36);

function encodeSequences(seqs: Seq[]): Uint8Array {
  const { ll, ml, of } = fse();
  const codes = seqs.map((q) => ({ q, llc: llCode(q.ll), mlc: mlCode(q.ml), ofv: q.off + 3, ofc: highBit(q.off + 3) }));
  const w = new BitWriter();
  const last = codes[codes.length - 1]!;
  const sML = new FseState(ml, last.mlc);
  const sOF = new FseState(of, last.ofc);
  const sLL = new FseState(ll, last.llc);
  const extras = (c: (typeof codes)[number]) => {
    w.add(c.q.ll - LL_BASE[c.llc]!, LL_BITS[c.llc]!);
    w.add(c.q.ml - ML_BASE[c.mlc]!, ML_BITS[c.mlc]!);
    w.add(c.ofv, c.ofc);
  };
  extras(last);
  for (let i = codes.length - 2; i >= 0; i--) {
    const c = codes[i]!;
    sOF.encode(w, c.ofc);
    sML.encode(w, c.mlc);
    sLL.encode(w, c.llc);
    extras(c);
  }
  sML.flush(w);
  sOF.flush(w);
  sLL.flush(w);
  return w.finish();
}

/** Greedy LZ77 over `src[start, end)`, matching anywhere earlier in `src`. */
function findSequences(src: Uint8Array, start: number, end: number, table: Int32Array): { seqs: Seq[]; literals: Uint8Array } {
  const seqs: Seq[] = [];
  const literals = new Uint8Array(end - start);
  let nLit = 0;
  const hash = (p: number) =>
    (Math.imul(src[p]! | (src[p + 1]! << 8) | (src[p + 2]! << 16) | (src[p + 3]! << 24), 0x9e3779b1) >>> (32 - HASH_LOG)) >>> 0;
  let anchor = start;
  let p = start;
  while (p + MIN_MATCH <= end) {
    const h = hash(p);
    const cand = table[h]!;
    table[h] = p;
    if (cand >= 0 && p - cand < 1 << 24 && src[cand] === src[p] && src[cand + 1] === src[p + 1] && src[cand + 2] === src[p + 2] && src[cand + 3] === src[p + 3]) {
      let len = MIN_MATCH;
      while (p + len < end && src[cand + len] === src[p + len]) len++;
      literals.set(src.subarray(anchor, p), nLit);
      nLit += p - anchor;
      seqs.push({ ll: p - anchor, ml: len, off: p - cand });
      p += len;
      anchor = p;
    } else {
      // Skip faster through data that does not match (zstd's search acceleration), so
      // incompressible input costs little.
      p += 1 + ((p - anchor) >> 6);
    }
  }
  literals.set(src.subarray(anchor, end), nLit);
  nLit += end - anchor;
  return { seqs, literals: literals.subarray(0, nLit) };
}

function literalsHeader(n: number): number[] {
  if (n < 32) return [n << 3];
  if (n < 4096) return [(1 << 2) | ((n & 15) << 4), n >> 4];
  return [(3 << 2) | ((n & 15) << 4), (n >> 4) & 0xff, n >> 12];
}

function seqCountHeader(n: number): number[] {
  if (n < 128) return [n];
  if (n < 0x7f00) return [(n >> 8) + 128, n & 0xff];
  return [0xff, (n - 0x7f00) & 0xff, (n - 0x7f00) >> 8];
}

/**
 * Compresses `data` into one zstd frame (single segment, content size declared, no checksum).
 *
 * @example
 * ```ts
 * const z = zstdCompress(body); // fzstd.decompress(z) equals body
 * ```
 */
export function zstdCompress(data: Uint8Array): Uint8Array {
  assertBytes(data, 'data');
  if (data.length > 0x7fffffff) throw new SessionSdkError('TOO_LARGE', 'input too large to compress');
  const out = new ByteWriter();
  out.bytes([0x28, 0xb5, 0x2f, 0xfd]);
  const n = data.length;
  if (n < 256) out.bytes([0x20, n]);
  else if (n < 65536 + 256) out.bytes([0x60, (n - 256) & 0xff, (n - 256) >> 8]);
  else out.bytes([0xa0, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]);
  const table = new Int32Array(1 << HASH_LOG).fill(-1);
  let pos = 0;
  do {
    const end = Math.min(n, pos + MAX_BLOCK);
    const isLast = end === n ? 1 : 0;
    const { seqs, literals } = findSequences(data, pos, end, table);
    const body = new ByteWriter();
    body.bytes(literalsHeader(literals.length));
    body.bytes(literals);
    body.bytes(seqCountHeader(seqs.length));
    if (seqs.length) {
      body.byte(0x00); // all three symbol types use the predefined distributions
      body.bytes(encodeSequences(seqs));
    }
    const raw = end - pos;
    if (body.len < raw) {
      const h = isLast | (2 << 1) | (body.len << 3);
      out.bytes([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]);
      out.bytes(body.view());
    } else {
      const h = isLast | (raw << 3);
      out.bytes([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]);
      out.bytes(data.subarray(pos, end));
    }
    pos = end;
  } while (pos < n);
  return out.view().slice();
}
