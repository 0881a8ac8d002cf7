/**
 * How each message of config-message.json was made, replayed through the public config API:
 * new messages, edits and increments (diffs and the lag window), reloading as mutable, and
 * merges (spec/config.md §1.5–§1.9; upstream tests/test_configdata.cpp).
 * @module
 */
import {
  ConfigSet,
  createConfigMessage,
  incrementConfigMessage,
  mutableFromResolved,
  parseConfigMessage,
  resolveConfigMessages,
  serializeConfigMessage,
  type ConfigDict,
  type ConfigMessage,
  type ConfigValue,
} from '../index.js';
import { list } from './check.js';

const enc = new TextEncoder();
/** UTF-8 bytes of `x`. */
export const s = (x: string): Uint8Array => enc.encode(x);
/** The serialized bytes of another vector of the file, by name. */
export type Bytes = (name: string) => Uint8Array;
/** One rebuilt message: what was done and the bytes it gave. */
export type Rebuilt = { what: string; bytes: Uint8Array; hash?: Uint8Array };

/** A config dict from its entries. */
export const dict = (entries: [string, ConfigValue][]): ConfigDict => new Map(entries);

/** `prev` → next version whose data is the vector's own (the test's `stepTo`, for bulk edits). */
function stepTo(prev: ConfigMessage, target: Uint8Array): ConfigMessage {
  const next = incrementConfigMessage(prev);
  next.data = parseConfigMessage(target).data;
  return next;
}

/** A next version of `b(prev)` with `edit` applied to its data. */
function edited(b: Bytes, prev: string, edit: (d: ConfigDict) => void): Rebuilt[] {
  const m = incrementConfigMessage(parseConfigMessage(b(prev)));
  edit(m.data);
  return [{ what: `${prev} + edits`, bytes: serializeConfigMessage(m) }];
}

function merged(b: Bytes, inputs: string[]): Rebuilt {
  const what = `merge [${inputs.join(', ')}]`;
  // Adopting one input instead of merging would give that input's bytes: the comparison catches it.
  const r = resolveConfigMessages(inputs.map(b));
  return { what, bytes: serializeConfigMessage(r.message), hash: r.message.hash };
}

const sub = (d: ConfigDict, k: string): ConfigDict => d.get(k) as ConfigDict;

/** How each message of the upstream test was made (test_configdata.cpp, spec/config.md §1.9). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const REBUILD: Record<string, (b: Bytes, v: any) => Rebuilt[]> = {
  m10: () => {
    const m = createConfigMessage({ seqno: 10 });
    m.data.set('foo', 123n);
    m.data.set('bar', dict([['asdf', 123n], ['xyz', s('abc')], ['', new ConfigSet([42n, s('a'), s('b')])]]));
    return [{ what: 'new message', bytes: serializeConfigMessage(m) }];
  },
  m11: (b) => edited(b, 'm10', (d) => d.delete('foo')),
  m12: (b) =>
    edited(b, 'm11', (d) => {
      d.set('foo', 123n);
      const bar = sub(d, 'bar');
      bar.set('xyz', 42n);
      bar.set('a', 42n);
      const set = bar.get('') as ConfigSet;
      set.add(s('c'));
      set.add(99n);
      set.delete(s('b'));
      set.add(42n);
    }),
  m13: (b) => edited(b, 'm12', () => undefined),
  m14: (b) => edited(b, 'm13', () => undefined),
  m15: (b) => edited(b, 'm14', () => undefined),
  m118: (b) => {
    const m = createConfigMessage({ seqno: 118 });
    m.data = parseConfigMessage(b('m118')).data;
    return [{ what: 'new message', bytes: serializeConfigMessage(m) }];
  },
  m119: (b) => [{ what: 'increment', bytes: serializeConfigMessage(incrementConfigMessage(parseConfigMessage(b('m118')))) }],
  m120: (b) => [{ what: 'increment', bytes: serializeConfigMessage(incrementConfigMessage(parseConfigMessage(b('m119')))) }],
  m121: (b) => [{ what: 'increment', bytes: serializeConfigMessage(incrementConfigMessage(parseConfigMessage(b('m120')))) }],
  m122: (b) => [{ what: 'increment', bytes: serializeConfigMessage(incrementConfigMessage(parseConfigMessage(b('m121')))) }],
  m123: (b) =>
    edited(b, 'm122', (d) => {
      d.set('int1', 1n);
      d.set('int2', 2n);
      d.delete('int0');
      d.set('string1', s('hello'));
    }),
  m124_loaded_mutable_unchanged: (b) => [{ what: 'loaded as mutable', bytes: serializeConfigMessage(mutableFromResolved(resolveConfigMessages([b('m123')]))) }],
  m124: (b) => [{ what: 'loaded m123 + updates', bytes: serializeConfigMessage(stepTo(parseConfigMessage(b('m123')), b('m124'))) }],
  m125a: (b) => [
    ...edited(b, 'm124', (d) => sub(d, 'dictB').delete('foo')),
    // A newer message that includes the others is adopted as is; duplicates count once.
    { what: 'adopted from [m124, m125a, m125a]', bytes: serializeConfigMessage(resolveConfigMessages([b('m124'), b('m125a'), b('m125a')]).message) },
  ],
  m125b: (b) => edited(b, 'm124', (d) => d.set('int1', 5n)),
  m124a: (b) =>
    edited(b, 'm123', (d) => {
      sub(d, 'dictB').set('foo', 66n);
      sub(d, 'dictB').set('answer', 42n);
    }),
  m120b_too_old: () => {
    const m = incrementConfigMessage(incrementConfigMessage(createConfigMessage({ seqno: 118 })));
    m.data.set('too old', s("won't see"));
    return [{ what: 'new message, 2 increments', bytes: serializeConfigMessage(m) }];
  },
  // The merge must not depend on input order, nor on redundant or too-old extra inputs.
  m126_merged: (b, v) => {
    const inputs = list(v, 'inputs');
    return [
      merged(b, inputs),
      merged(b, [...inputs].reverse()),
      merged(b, [...inputs, 'm124']),
      merged(b, ['m120b_too_old', ...inputs, 'm124'].reverse()),
    ];
  },
  m126a: (b, v) => [merged(b, list(v, 'inputs'))],
  m126b: (b, v) => [merged(b, list(v, 'inputs'))],
  m127: (b, v) => {
    const m = mutableFromResolved(resolveConfigMessages(list(v, 'inputs').map(b)));
    (sub(m.data, 'dictA').get('goodbye') as ConfigSet).add(789n);
    return [{ what: 'mutable merge + edit', bytes: serializeConfigMessage(m) }];
  },
};
