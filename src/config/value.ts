/**
 * The config data tree (spec/config.md §1.1): scalars (signed 64-bit integers or byte strings),
 * sorted sets of scalars, and dicts keyed by byte strings. Integers are `bigint` so every int64 a
 * newer client writes round-trips exactly; dict keys are binary strings (one char per byte, as in
 * `src/util/bencode.ts`) so bytewise order is plain string order.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { isBBytes, isBDict, isBInt, type BDict, type BInput, type BValue } from '../util/bencode.js';

/**
 * A leaf value: a signed 64-bit integer or a byte string.
 *
 * @example
 * ```ts
 * const scalars: ConfigScalar[] = [42n, new TextEncoder().encode('abc')];
 * const set = new ConfigSet(scalars); // integers sort before byte strings
 * ```
 */
export type ConfigScalar = bigint | Uint8Array;
/**
 * A dict of the config tree; keys are binary strings (one char per byte).
 *
 * @example
 * ```ts
 * const dict: ConfigDict = new Map([['n', new TextEncoder().encode('Alice')]]);
 * ```
 */
export type ConfigDict = Map<string, ConfigValue>;
/**
 * Any node of the config tree.
 *
 * @example
 * ```ts
 * const v: ConfigValue | undefined = m.data.get('m');
 * if (isConfigSet(v)) console.log(v.size, 'entries');
 * ```
 */
export type ConfigValue = ConfigScalar | ConfigSet | ConfigDict;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function invalid(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `config: ${msg}`);
}

/**
 * Scalar order used by sets and set diffs (spec/config.md §1.1): every integer (numeric order)
 * before every string (unsigned bytewise order).
 */
export function compareScalars(a: ConfigScalar, b: ConfigScalar): number {
  const ai = typeof a === 'bigint';
  const bi = typeof b === 'bigint';
  if (ai && bi) return a < b ? -1 : a > b ? 1 : 0;
  if (ai) return -1;
  if (bi) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * A sorted set of unique scalars (spec/config.md §1.1). Never stored empty: an emptied set is
 * pruned from its parent dict.
 *
 * @example
 * ```ts
 * const s = new ConfigSet([3n, new TextEncoder().encode('a')]);
 * s.add(1n); s.has(3n); // true; order: 1n, 3n, 'a'
 * ```
 */
export class ConfigSet {
  private readonly items: ConfigScalar[] = [];

  constructor(values: Iterable<ConfigScalar> = []) {
    for (const v of values) this.add(v);
  }

  /** Position of `v`, or `-(insertion point) - 1` when absent. */
  private find(v: ConfigScalar): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = compareScalars(this.items[mid]!, v);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * True when `v` is in the set (integers and byte strings compare by value).
   *
   * @example
   * ```ts
   * new ConfigSet([1n, 2n]).has(2n); // true
   * ```
   */
  has(v: ConfigScalar): boolean {
    return this.find(v) >= 0;
  }

  /**
   * Inserts `v`; returns false if it was already present.
   *
   * @example
   * ```ts
   * const s = new ConfigSet();
   * s.add(5n); // true
   * s.add(5n); // false: already present
   * ```
   */
  add(v: ConfigScalar): boolean {
    checkScalar(v);
    const i = this.find(v);
    if (i >= 0) return false;
    this.items.splice(-i - 1, 0, typeof v === 'bigint' ? v : v.slice());
    return true;
  }

  /**
   * Removes `v`; returns false if it was absent.
   *
   * @example
   * ```ts
   * new ConfigSet([1n]).delete(1n); // true
   * ```
   */
  delete(v: ConfigScalar): boolean {
    const i = this.find(v);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  /**
   * The elements in set order (copies).
   *
   * @example
   * ```ts
   * new ConfigSet([2n, 1n]).values(); // [1n, 2n]
   * ```
   */
  values(): ConfigScalar[] {
    return this.items.map(cloneScalar);
  }

  /**
   * Deep copy: byte-string elements are copied too.
   *
   * @example
   * ```ts
   * const copy = set.clone();
   * copy.add(9n); // `set` is unchanged
   * ```
   */
  clone(): ConfigSet {
    const s = new ConfigSet();
    for (const v of this.items) s.items.push(cloneScalar(v));
    return s;
  }
}

function checkScalar(v: ConfigScalar): void {
  if (typeof v === 'bigint') {
    if (v < INT64_MIN || v > INT64_MAX) throw new SessionSdkError('INVALID_INPUT', 'config integers must fit in int64');
  } else if (!(v instanceof Uint8Array)) {
    throw new SessionSdkError('INVALID_INPUT', 'config scalars are bigint or Uint8Array');
  }
}

function cloneScalar(v: ConfigScalar): ConfigScalar {
  return typeof v === 'bigint' ? v : v.slice();
}

/**
 * Type guard: a dict node.
 *
 * @example
 * ```ts
 * const v = m.data.get('m');
 * if (isConfigDict(v)) for (const [key, child] of v) console.log(key, child);
 * ```
 */
export const isConfigDict = (v: ConfigValue | undefined): v is ConfigDict => v instanceof Map;
/**
 * Type guard: a set node.
 *
 * @example
 * ```ts
 * isConfigSet(new ConfigSet([1n])); // true
 * ```
 */
export const isConfigSet = (v: ConfigValue | undefined): v is ConfigSet => v instanceof ConfigSet;
/**
 * Type guard: an integer or byte-string leaf.
 *
 * @example
 * ```ts
 * isConfigScalar(42n); // true
 * isConfigScalar(new Map()); // false
 * ```
 */
export const isConfigScalar = (v: ConfigValue | undefined): v is ConfigScalar =>
  typeof v === 'bigint' || v instanceof Uint8Array;

/** 0 scalar, 1 set, 2 dict: the "fundamental type" whose change a diff treats as a new value. */
export function valueKind(v: ConfigValue): 0 | 1 | 2 {
  return isConfigDict(v) ? 2 : isConfigSet(v) ? 1 : 0;
}

/** Deep copy. */
export function cloneValue<T extends ConfigValue>(v: T): T {
  if (isConfigDict(v)) return cloneDict(v) as T;
  if (isConfigSet(v)) return v.clone() as T;
  return cloneScalar(v) as T;
}

/** Deep copy of a dict. */
export function cloneDict(d: ConfigDict): ConfigDict {
  const out: ConfigDict = new Map();
  for (const [k, v] of d) out.set(k, cloneValue(v));
  return out;
}

/** Keys of `d` in bytewise order. */
export function sortedKeys(d: ReadonlyMap<string, unknown>): string[] {
  // Keys are binary strings (one char per byte): UTF-16 code-unit order is bytewise order.
  return [...d.keys()].sort();
}

/** Deep equality of two config values. */
export function valuesEqual(a: ConfigValue, b: ConfigValue): boolean {
  if (isConfigDict(a)) {
    if (!isConfigDict(b) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const w = b.get(k);
      if (w === undefined || !valuesEqual(v, w)) return false;
    }
    return true;
  }
  if (isConfigSet(a)) {
    if (!isConfigSet(b) || a.size !== b.size) return false;
    const x = a.values();
    const y = b.values();
    return x.every((v, i) => compareScalars(v, y[i]!) === 0);
  }
  if (!isConfigScalar(b)) return false;
  return typeof a === typeof b && compareScalars(a, b) === 0;
}

/**
 * Removes empty sets and dicts, recursively (spec/config.md §1.1). The top-level dict itself may
 * stay empty. Mutates `d`.
 */
export function pruneDict(d: ConfigDict): void {
  for (const [k, v] of d) {
    if (isConfigDict(v)) {
      pruneDict(v);
      if (v.size === 0) d.delete(k);
    } else if (isConfigSet(v) && v.size === 0) d.delete(k);
  }
}

/** The tree as a bencode input (sets become lists in set order). */
export function dictToBencode(d: ConfigDict): Map<string, BInput> {
  const out = new Map<string, BInput>();
  for (const [k, v] of d) out.set(k, valueToBencode(v));
  return out;
}

function valueToBencode(v: ConfigValue): BInput {
  if (isConfigDict(v)) return dictToBencode(v);
  if (isConfigSet(v)) return v.values();
  return v;
}

/** A decoded bencode integer as a range-checked int64. */
export function int64FromBencode(v: BValue, what: string): bigint {
  if (!isBInt(v)) invalid(`${what} must be an integer`);
  const n = BigInt(v);
  if (n < INT64_MIN || n > INT64_MAX) invalid(`${what} does not fit in int64`);
  return n;
}

/**
 * Validates and converts the decoded `&` dict (spec/config.md §1.7): no nested empty dict or set,
 * sets of unique sorted scalars, int64 integers. Key order is already enforced by the decoder.
 */
export function dictFromBencode(d: BDict, topLevel: boolean, depth = 0): ConfigDict {
  if (!topLevel && d.size === 0) invalid('data contains an unpruned, empty dict');
  const out: ConfigDict = new Map();
  for (const [k, v] of d) out.set(k, valueFromBencode(v, depth + 1));
  return out;
}

function valueFromBencode(v: BValue, depth: number): ConfigValue {
  if (isBBytes(v)) return v.slice();
  if (isBInt(v)) return int64FromBencode(v, 'data integer');
  if (isBDict(v)) return dictFromBencode(v, false, depth);
  // Only a list is left (bencode has four kinds): a set.
  if (v.length === 0) invalid('data contains an unpruned, empty set');
  const s = new ConfigSet();
  let prev: ConfigScalar | undefined;
  for (const x of v) {
    const sc = scalarFromBencode(x, 'set element');
    if (prev !== undefined && compareScalars(prev, sc) >= 0) invalid('data contains an unsorted set or duplicates');
    s.add(sc);
    prev = sc;
  }
  return s;
}

/** A decoded scalar (int64 or byte string); anything else is `CONFIG_INVALID`. */
export function scalarFromBencode(v: BValue, what: string): ConfigScalar {
  if (isBBytes(v)) return v.slice();
  if (isBInt(v)) return int64FromBencode(v, what);
  return invalid(`${what} must be an integer or a string`);
}
