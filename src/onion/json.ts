/**
 * JSON as the onion formats need it (spec/onion.md §2.1): libsession serialises with nlohmann's
 * defaults — compact, object keys in bytewise (UTF-8) order, non-ASCII written raw — and byte-exact
 * vectors depend on that. Parsing is ordinary JSON, restricted to what a hostile peer cannot use
 * to crash us. Internal to the onion module.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { fromUtf8, utf8 } from '../util/bytes.js';

/** Values {@link sortedJson} can write. `undefined` object members are skipped. */
export type JsonInput = null | boolean | number | bigint | string | JsonInput[] | { [key: string]: JsonInput | undefined };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Bytewise UTF-8 order, which is code-point order (UTF-16 unit order differs above U+D7FF). */
function compareKeys(a: string, b: string): number {
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

function str(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new SessionSdkError('INVALID_INPUT', 'JSON string contains a lone UTF-16 surrogate (not representable in UTF-8)');
  // JSON.stringify escapes exactly what nlohmann escapes for well-formed strings: " \ and
  // control characters (\b \f \n \r \t, else \u00xx in lower-case hex); everything else is raw.
  return JSON.stringify(s);
}

function write(v: JsonInput, depth: number): string {
  if (depth > 64) throw new SessionSdkError('INVALID_INPUT', 'JSON nesting too deep');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      // nlohmann writes doubles differently from JS; the onion formats only carry integers.
      if (!Number.isSafeInteger(v)) throw new SessionSdkError('INVALID_INPUT', 'JSON numbers must be safe integers');
      return String(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return str(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x) => write(x, depth + 1)).join(',')}]`;
      if (v instanceof Uint8Array) throw new SessionSdkError('INVALID_INPUT', 'JSON cannot hold raw bytes; encode them (hex/base64) first');
      const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort(compareKeys);
      return `{${keys.map((k) => `${str(k)}:${write(v[k]!, depth + 1)}`).join(',')}}`;
    }
    default:
      throw new SessionSdkError('INVALID_INPUT', `cannot write ${typeof v} as JSON`);
  }
}

/** Compact JSON with sorted keys, as nlohmann's `dump()` writes it (spec/onion.md §2.1). */
export function sortedJson(v: JsonInput): string {
  return write(v, 0);
}

/** {@link sortedJson} as UTF-8 bytes. */
export function sortedJsonBytes(v: JsonInput): Uint8Array {
  return utf8(write(v, 0));
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Strict UTF-8 + JSON parse; throws `INVALID_ENCODING` (with `what` in the message) on failure. */
export function parseJson(bytes: Uint8Array | string, what: string): unknown {
  const text = typeof bytes === 'string' ? bytes : fromUtf8(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SessionSdkError('INVALID_ENCODING', `${what} is not valid JSON`);
  }
}

/** Like {@link parseJson} but the value must be a JSON object. */
export function parseJsonObject(bytes: Uint8Array | string, what: string): JsonObject {
  const v = parseJson(bytes, what);
  if (!isJsonObject(v)) throw new SessionSdkError('INVALID_ENCODING', `${what} must be a JSON object`);
  return v;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
