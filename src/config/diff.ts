/**
 * Config diffs (spec/config.md §1.5): a tree naming what changed between two versions, with
 * placeholders instead of values. Merging replays diffs, taking values from the message that
 * carried each diff (§1.8).
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { isBBytes, isBDict, isBList, type BDict, type BInput, type BValue } from '../util/bencode.js';
import {
  ConfigSet,
  cloneValue,
  compareScalars,
  isConfigDict,
  isConfigScalar,
  isConfigSet,
  scalarFromBencode,
  sortedKeys,
  valueKind,
  type ConfigDict,
  type ConfigScalar,
  type ConfigValue,
} from './value.js';

/**
 * Changes to a set: elements added and removed, each in set order.
 *
 * @example
 * ```ts
 * const node = parseConfigMessage(bytes).diff.get('m');
 * const setDiff: ConfigSetDiff | undefined = typeof node === 'object' && !(node instanceof Map) ? node : undefined;
 * console.log(setDiff?.added, setDiff?.removed);
 * ```
 */
export interface ConfigSetDiff {
  /** Elements added, in set order. */
  added: ConfigScalar[];
  /** Elements removed, in set order. */
  removed: ConfigScalar[];
}
/**
 * `''` assigned, `'-'` removed, a nested diff, or a set diff.
 *
 * @example
 * ```ts
 * for (const [key, node] of parseConfigMessage(bytes).diff as Map<string, ConfigDiffNode>) {
 *   if (node === '-') console.log(key, 'removed');
 * }
 * ```
 */
export type ConfigDiffNode = '' | '-' | ConfigDiff | ConfigSetDiff;
/**
 * A diff dict: binary-string keys to changes.
 *
 * @example
 * ```ts
 * const diff: ConfigDiff = parseConfigMessage(bytes).diff;
 * console.log([...diff.keys()]); // top-level keys this version changed
 * ```
 */
export type ConfigDiff = Map<string, ConfigDiffNode>;

const isDiffDict = (n: ConfigDiffNode): n is ConfigDiff => n instanceof Map;
const isSetDiff = (n: ConfigDiffNode): n is ConfigSetDiff => typeof n === 'object' && !(n instanceof Map);

function invalid(msg: string): never {
  throw new SessionSdkError('CONFIG_INVALID', `config diff: ${msg}`);
}

function diffSets(oldSet: ConfigSet, newSet: ConfigSet): ConfigSetDiff | undefined {
  const added = newSet.values().filter((v) => !oldSet.has(v));
  const removed = oldSet.values().filter((v) => !newSet.has(v));
  return added.length || removed.length ? { added, removed } : undefined;
}

/**
 * The change naming every leaf of `v`: all assigned (`added`: a new or re-typed value, spec §1.5
 * `new_entry`) or all removed (a key only the old data has).
 */
function everyLeaf(v: ConfigValue, added: boolean): ConfigDiffNode {
  if (isConfigSet(v)) return added ? { added: v.values(), removed: [] } : { added: [], removed: v.values() };
  if (!isConfigDict(v)) return added ? '' : '-';
  const out: ConfigDiff = new Map();
  for (const k of sortedKeys(v)) out.set(k, everyLeaf(v.get(k)!, added));
  return out;
}

/**
 * `diff(old, new)` exactly as spec/config.md §1.5: a type change at a key is emitted as a new
 * entry only; equal values emit nothing. Returns `undefined` when nothing changed.
 *
 * @example
 * ```ts
 * computeDiff(new Map([['a', 1n]]), new Map([['b', 2n]])); // Map { a: '-', b: '' }
 * ```
 */
export function computeDiff(oldD: ConfigDict, newD: ConfigDict): ConfigDiff | undefined {
  const out: ConfigDiff = new Map();
  const union = new Map<string, true>();
  for (const k of oldD.keys()) union.set(k, true);
  for (const k of newD.keys()) union.set(k, true);
  for (const k of sortedKeys(union)) {
    const o = oldD.get(k);
    const n = newD.get(k);
    if (n === undefined) {
      out.set(k, everyLeaf(o!, false)); // only in the old data (`k` is from the union)
    } else if (o === undefined || valueKind(o) !== valueKind(n)) {
      out.set(k, everyLeaf(n, true));
    } else if (isConfigDict(o)) {
      const sub = computeDiff(o, n as ConfigDict);
      if (sub) out.set(k, sub);
    } else if (isConfigSet(o)) {
      const sub = diffSets(o, n as ConfigSet);
      if (sub) out.set(k, sub);
    } else if (typeof o !== typeof n || compareScalars(o, n as ConfigScalar) !== 0) {
      out.set(k, '');
    }
  }
  return out.size ? out : undefined;
}

/**
 * Applies one diff to `data`, taking values from `source` (the data of the message that carried
 * the diff), per spec/config.md §1.8. Leaves empty sets/dicts for the caller to prune.
 */
export function applyDiff(data: ConfigDict, diff: ConfigDiff, source: ConfigDict): void {
  for (const [k, d] of diff) {
    const src = source.get(k);
    const kindMatches =
      src !== undefined &&
      (isDiffDict(d) ? isConfigDict(src) : isSetDiff(d) ? isConfigSet(src) : isConfigScalar(src));
    // A value missing from (or re-typed in) the source is deleted now: a later diff removes it
    // or sets its new type, and deleting first stops old and new dict contents from mixing.
    if (!kindMatches) {
      data.delete(k);
      continue;
    }
    if (d === '-') data.delete(k);
    else if (d === '') data.set(k, cloneValue(src));
    else if (isDiffDict(d)) {
      let sub = data.get(k);
      if (!isConfigDict(sub)) {
        sub = new Map();
        data.set(k, sub);
      }
      applyDiff(sub, d, src as ConfigDict);
    } else {
      let set = data.get(k);
      if (!isConfigSet(set)) {
        set = new ConfigSet();
        data.set(k, set);
      }
      for (const v of d.added) set.add(v);
      for (const v of d.removed) set.delete(v);
    }
  }
}

/** The diff as a bencode input (placeholders as the strings `""` / `"-"`). */
export function diffToBencode(diff: ConfigDiff): Map<string, BInput> {
  const out = new Map<string, BInput>();
  for (const [k, d] of diff) {
    if (typeof d === 'string') out.set(k, d);
    else if (isDiffDict(d)) out.set(k, diffToBencode(d));
    else out.set(k, [d.added, d.removed]);
  }
  return out;
}

function scalarList(v: BValue, what: string): ConfigScalar[] {
  if (!isBList(v)) invalid(`${what} must be a list`);
  const out: ConfigScalar[] = [];
  for (const x of v) {
    const s = scalarFromBencode(x, `${what} element`);
    const prev = out[out.length - 1];
    if (prev !== undefined && compareScalars(prev, s) >= 0) invalid(`${what} is unsorted or has duplicates`);
    out.push(s);
  }
  return out;
}

/**
 * Validates a decoded diff dict (spec/config.md §1.5): string values only `""`/`"-"`, set diffs
 * exactly two sorted scalar lists, nested dicts recursively. Key order is enforced by the decoder.
 */
export function diffFromBencode(d: BValue): ConfigDiff {
  if (!isBDict(d)) invalid('must be a dict');
  const out: ConfigDiff = new Map();
  for (const [k, v] of d as BDict) {
    if (isBBytes(v)) {
      if (v.length === 0) out.set(k, '');
      else if (v.length === 1 && v[0] === 0x2d) out.set(k, '-');
      else invalid('string values must be "" or "-"');
    } else if (isBDict(v)) out.set(k, diffFromBencode(v));
    else if (isBList(v)) {
      if (v.length !== 2) invalid('a set change must have exactly two lists');
      out.set(k, { added: scalarList(v[0]!, 'added'), removed: scalarList(v[1]!, 'removed') });
    } else invalid('integer values are not allowed');
  }
  return out;
}
