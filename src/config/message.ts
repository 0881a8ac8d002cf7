/**
 * The config message (spec/config.md §1.3–§1.7): a bencoded dict `{#: seqno, &: data, <: lagged
 * diffs, =: diff, ~: signature}` plus unknown keys kept verbatim, its hash, new versions with the
 * lag window, and the strict parser. Merging lives in `merge.ts`.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import {
  bdecodeDictEntries,
  bencode,
  isBBytes,
  isBDict,
  isBList,
  type BInput,
  type BValue,
} from '../util/bencode.js';
import { assertBytes, concatBytes, utf8 } from '../util/bytes.js';
import { computeDiff, diffFromBencode, diffToBencode, type ConfigDiff } from './diff.js';
import {
  cloneDict,
  compareScalars,
  dictFromBencode,
  dictToBencode,
  int64FromBencode,
  pruneDict,
  type ConfigDict,
} from './value.js';

/**
 * Number of versions a diff stays in `<` (`DEFAULT_DIFF_LAGS`, spec/config.md §1.6).
 *
 * @example
 * ```ts
 * const m = createConfigMessage({ seqno: 1, lag: DEFAULT_CONFIG_LAG });
 * ```
 */
export const DEFAULT_CONFIG_LAG = 5;

/**
 * Signs the signed portion of a message (spec/config.md §1.3.1); returns 64 bytes.
 *
 * @example
 * ```ts
 * const signer: ConfigSigner = (p) => ed25519.sign(p, groupSeed); // noble-curves' ed25519
 * const bytes = serializeConfigMessage(m, { signer });
 * ```
 */
export type ConfigSigner = (signedPortion: Uint8Array) => Uint8Array;
/**
 * Verifies a 64-byte signature over the signed portion.
 *
 * @example
 * ```ts
 * const verifier: ConfigVerifier = (p, sig) => verifyEd25519(sig, p, groupEd25519PublicKey);
 * const m = parseConfigMessage(bytes, { verifier });
 * ```
 */
export type ConfigVerifier = (signedPortion: Uint8Array, signature: Uint8Array) => boolean;

/**
 * One lagged diff `[seqno, hash, diff]` carried in `<`.
 *
 * @example
 * ```ts
 * for (const l of parseConfigMessage(bytes).lagged) console.log(l.seqno, l.diff.size, 'changes');
 * ```
 */
export interface LaggedDiff {
  /** Seqno of the version the diff produced. */
  readonly seqno: number;
  /** The 32-byte hash of that version. */
  readonly hash: Uint8Array;
  /** What that version changed. */
  readonly diff: ConfigDiff;
}

/**
 * One version of a config. A *received* (or merged) message keeps the diff and hash it arrived
 * with; a *mutable* one (`original` set) is being edited and its `=` is `diff(original, data)`.
 *
 * @example
 * ```ts
 * const m: ConfigMessage = parseConfigMessage(bytes);
 * console.log(m.seqno, m.data.get('n'));
 * ```
 */
export interface ConfigMessage {
  /** `#`: the version number; each push increments it. */
  seqno: number;
  /** The application data `&`. */
  data: ConfigDict;
  /** Lagged diffs, ascending by (seqno, hash). Only the lag window is serialized. */
  lagged: LaggedDiff[];
  /** Unknown top-level keys (between `#` and `~`), re-emitted verbatim. */
  unknown: Map<string, BValue>;
  /** How many versions a diff is kept in `<` (default {@link DEFAULT_CONFIG_LAG}). */
  lag: number;
  /** Received `=` (unused while mutable). */
  diff: ConfigDiff;
  /** BLAKE2b-256 of the received bytes (unused while mutable). */
  hash: Uint8Array;
  /** A verified (or trusted) signature, re-emitted while the message is unmodified. */
  signature?: Uint8Array;
  /** Present while mutable: the data the current diff is computed against. */
  original?: ConfigDict;
  /** True when produced by a conflict merge (spec/config.md §1.8). */
  merged?: boolean;
}

/**
 * Options for serializing.
 *
 * @example
 * ```ts
 * const opts: ConfigSerializeOptions = { signer, sign: true };
 * const bytes = serializeConfigMessage(m, opts);
 * ```
 */
export interface ConfigSerializeOptions {
  /** Signs when the message has no kept signature (group admins). */
  signer?: ConfigSigner;
  /** Default true; dumps pass false (spec/config.md §2.8). */
  sign?: boolean;
}

/**
 * Options for parsing.
 *
 * @example
 * ```ts
 * const opts: ConfigParseOptions = { verifier, lag: DEFAULT_CONFIG_LAG };
 * const m = parseConfigMessage(bytes, opts);
 * ```
 */
export interface ConfigParseOptions {
  /** When set, `~` is required and must verify (group configs, spec/config.md §2.8). */
  verifier?: ConfigVerifier;
  /** Lag window of the parsed message. Default {@link DEFAULT_CONFIG_LAG}. */
  lag?: number;
  /** Keep an unverified `~` for re-serialization (reloading a clean dump). */
  trustSignature?: boolean;
}

function invalid(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `config message: ${msg}`);
}

/**
 * The lag window to use: {@link DEFAULT_CONFIG_LAG} unless given; `INVALID_INPUT` unless a
 * positive integer (spec/config.md §1.6).
 *
 * @example
 * ```ts
 * configLag(undefined); // 5
 * ```
 */
export function configLag(lag: number | undefined): number {
  const l = lag ?? DEFAULT_CONFIG_LAG;
  if (!Number.isSafeInteger(l) || l < 1) throw new SessionSdkError('INVALID_INPUT', 'lag must be a positive integer');
  return l;
}

/**
 * BLAKE2b-256 (unkeyed) of a serialized config message, signature included (spec/config.md §1.4).
 *
 * @example
 * ```ts
 * toHex(configMessageHash(new TextEncoder().encode('d1:#i0e1:&de1:<le1:=dee'))); // 'ea173b57…c965'
 * ```
 */
export function configMessageHash(serialized: Uint8Array): Uint8Array {
  assertBytes(serialized, 'serialized config message');
  return blake2b(serialized, { dkLen: 32 });
}

/** Orders (seqno, hash) pairs: seqno, then hash as unsigned bytes. */
export function compareSeqnoHash(aSeqno: number, aHash: Uint8Array, bSeqno: number, bHash: Uint8Array): number {
  if (aSeqno !== bSeqno) return aSeqno < bSeqno ? -1 : 1;
  return compareScalars(aHash, bHash);
}

/**
 * A new mutable message (libsession `MutableConfigMessage(seqno, lag)`): empty data, and a diff
 * computed against empty data, so every leaf set later shows as assigned.
 *
 * @example
 * ```ts
 * const m = createConfigMessage({ seqno: 10 });
 * m.data.set('foo', 123n);
 * serializeConfigMessage(m); // d1:#i10e1:&d3:fooi123ee1:<le1:=d3:foo0:ee
 * ```
 */
export function createConfigMessage(opts: { seqno?: number; lag?: number } = {}): ConfigMessage {
  const seqno = opts.seqno ?? 0;
  if (!Number.isSafeInteger(seqno)) throw new SessionSdkError('INVALID_INPUT', 'seqno must be a safe integer');
  return {
    seqno,
    data: new Map(),
    lagged: [],
    unknown: new Map(),
    lag: configLag(opts.lag),
    diff: new Map(),
    hash: new Uint8Array(32),
    original: new Map(),
  };
}

/**
 * The empty seqno-0 message every config starts from (libsession `ConfigMessage()`).
 *
 * @example
 * ```ts
 * toHex(emptyConfigMessage().hash); // 'ea173b57…c965'
 * ```
 */
export function emptyConfigMessage(lag = DEFAULT_CONFIG_LAG): ConfigMessage {
  const m = createConfigMessage({ lag });
  delete m.original;
  m.hash = configMessageHash(serializeConfigMessage(m));
  return m;
}

/** The `=` the message serializes with (prunes a mutable message's data first). */
export function currentDiff(m: ConfigMessage): ConfigDiff {
  if (!m.original) return m.diff;
  pruneDict(m.data);
  return computeDiff(m.original, m.data) ?? new Map();
}

/**
 * Canonical bytes of `m` (spec/config.md §1.3). A kept signature is re-emitted; otherwise a
 * `signer` signs everything before the `~` key (§1.3.1).
 *
 * @example
 * ```ts
 * const bytes = serializeConfigMessage(m, { signer: (p) => ed25519SignSync(groupSeed, p) });
 * ```
 */
export function serializeConfigMessage(m: ConfigMessage, opts: ConfigSerializeOptions = {}): Uint8Array {
  const diff = currentDiff(m);
  if (m.original) delete m.signature; // any modification invalidates a received signature
  const outer = new Map<string, BInput>(m.unknown);
  outer.set('#', m.seqno);
  outer.set('&', dictToBencode(m.data));
  outer.set(
    '<',
    m.lagged
      .filter((l) => l.seqno > m.seqno - m.lag && l.seqno < m.seqno)
      .map((l) => [l.seqno, l.hash, diffToBencode(l.diff)]),
  );
  outer.set('=', diffToBencode(diff));
  if (m.signature) {
    outer.set('~', m.signature);
    return bencode(outer);
  }
  const unsigned = bencode(outer);
  if (!opts.signer || opts.sign === false) return unsigned;
  const prefix = unsigned.subarray(0, unsigned.length - 1);
  const sig = opts.signer(prefix);
  if (!(sig instanceof Uint8Array) || sig.length !== 64) {
    throw new SessionSdkError('INVALID_INPUT', 'config signer must return 64 bytes');
  }
  return concatBytes(prefix, utf8('1:~64:'), sig, utf8('e'));
}

/** The hash identifying `m` now: of its bytes if received, of its serialization if mutable. */
export function messageHash(m: ConfigMessage, signer?: ConfigSigner): Uint8Array {
  return m.original ? configMessageHash(serializeConfigMessage(m, { signer })) : m.hash;
}

/**
 * Next version (spec/config.md §1.6): the current diff joins the lagged diffs under the current
 * (seqno, hash), diffs older than the lag window are dropped, and the new diff starts empty.
 *
 * @example
 * ```ts
 * const m11 = incrementConfigMessage(m10);
 * m11.data.delete('foo'); // serializes with `=` = {foo: "-"}
 * ```
 */
export function incrementConfigMessage(m: ConfigMessage, signer?: ConfigSigner): ConfigMessage {
  const hash = messageHash(m, signer);
  const diff = currentDiff(m);
  const n = m.seqno;
  const lagged = m.lagged.filter((l) => l.seqno > n - m.lag && l.seqno < n);
  lagged.push({ seqno: n, hash, diff });
  return {
    seqno: n + 1,
    data: cloneDict(m.data),
    lagged,
    unknown: new Map(m.unknown),
    lag: m.lag,
    diff: new Map(),
    hash: new Uint8Array(32),
    original: cloneDict(m.data),
  };
}

function parseLagged(v: BValue, seqno: number, lag: number): LaggedDiff[] {
  if (!isBList(v)) invalid('"<" must be a list');
  const out: LaggedDiff[] = [];
  for (const row of v) {
    if (!isBList(row) || row.length === 0) invalid('lagged diff rows must be lists');
    const s = int64FromBencode(row[0]!, 'lagged seqno');
    if (s >= BigInt(seqno)) invalid('lagged seqno >= current seqno');
    if (s <= BigInt(seqno - lag)) continue; // too old: dropped, as libsession does
    if (row.length !== 3) invalid('lagged diff rows must have 3 elements');
    const hash = row[1]!;
    if (!isBBytes(hash) || hash.length !== 32) invalid('lagged diff hash must be 32 bytes');
    const prev = out[out.length - 1];
    if (prev && compareSeqnoHash(prev.seqno, prev.hash, Number(s), hash) >= 0) {
      invalid('lagged diffs unsorted or duplicated');
    }
    out.push({ seqno: Number(s), hash: hash.slice(), diff: diffFromBencode(row[2]!) });
  }
  return out;
}

/**
 * Parses and validates one serialized config message (spec/config.md §1.7). Throws
 * `INVALID_ENCODING` for malformed bencode, `CONFIG_INVALID` for a structural error or a missing
 * signature, `BAD_SIGNATURE` when `verifier` rejects `~`. Never returns partial state.
 *
 * @example
 * ```ts
 * const m = parseConfigMessage(bytes, { verifier: groupVerifier(groupPk) });
 * m.seqno; m.data.get('n');
 * ```
 */
export function parseConfigMessage(bytes: Uint8Array, opts: ConfigParseOptions = {}): ConfigMessage {
  assertBytes(bytes, 'config message');
  const lag = configLag(opts.lag);
  const { entries } = bdecodeDictEntries(bytes);
  const first = entries[0];
  if (!first || first.key !== '#') invalid('first key must be "#"');
  const seqnoBig = int64FromBencode(first.value, 'seqno');
  if (seqnoBig < BigInt(Number.MIN_SAFE_INTEGER) || seqnoBig > BigInt(Number.MAX_SAFE_INTEGER)) {
    invalid('seqno out of range');
  }
  const seqno = Number(seqnoBig);
  const unknown = new Map<string, BValue>();
  let data: ConfigDict | undefined;
  let lagged: LaggedDiff[] = [];
  let diff: ConfigDiff = new Map();
  let signature: Uint8Array | undefined;
  for (let i = 1; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.key > '~') invalid('keys after "~" are not allowed');
    if (e.key === '&') {
      if (!isBDict(e.value)) invalid('"&" must be a dict');
      data = dictFromBencode(e.value, true);
    } else if (e.key === '<') lagged = parseLagged(e.value, seqno, lag);
    else if (e.key === '=') diff = diffFromBencode(e.value);
    else if (e.key === '~') {
      const sig = e.value;
      if (!isBBytes(sig) || sig.length !== 64) invalid('signature must be 64 bytes');
      if (opts.verifier && !opts.verifier(bytes.subarray(0, e.start), sig)) {
        throw new SessionSdkError('BAD_SIGNATURE', 'config message signature failed verification');
      }
      if (opts.verifier || opts.trustSignature) signature = sig.slice();
    } else {
      if (data === undefined && e.key > '&') invalid('"&" data dict not found');
      unknown.set(e.key, e.value);
    }
  }
  if (data === undefined) invalid('"&" data dict not found');
  if (opts.verifier && !signature) invalid('signature is missing');
  const m: ConfigMessage = { seqno, data, lagged, unknown, lag, diff, hash: configMessageHash(bytes) };
  if (signature) m.signature = signature;
  return m;
}
