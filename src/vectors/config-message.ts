/**
 * Verifier for test-vectors/config/config-message.json (spec/config.md §1): every serialized
 * message is hashed, round-tripped and, where the file's steps say how it was made, rebuilt
 * (new versions, diffs, the lag window, merges, signing) as test/config/message.test.ts does;
 * the bencoding cases and the must-reject cases are replayed through the public API.
 * @module
 */
import {
  ConfigSet,
  configMessageHash,
  createConfigMessage,
  getCryptoProvider,
  identityFromSeed,
  incrementConfigMessage,
  mutableFromResolved,
  parseConfigMessage,
  resolveConfigMessages,
  serializeConfigMessage,
  verifyEd25519,
  type ConfigDict,
  type ConfigMessage,
  type ConfigValue,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, toHex, type FileRecorder, type FileVerifier } from './check.js';
import { hexOf } from './config-push.js';

const enc = new TextEncoder();
const s = (x: string): Uint8Array => enc.encode(x);
type Bytes = (name: string) => Uint8Array;
/** One rebuilt message: what was done and the bytes it gave. */
type Rebuilt = { what: string; bytes: Uint8Array; hash?: Uint8Array };

const dict = (entries: [string, ConfigValue][]): ConfigDict => new Map(entries);

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
const REBUILD: Record<string, (b: Bytes, v: any) => Rebuilt[]> = {
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
  m125a: (b) => edited(b, 'm124', (d) => sub(d, 'dictB').delete('foo')),
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

/** Upstream states no hash for the too-old message: it only feeds the merges. */
const HASHLESS = new Set(['m120b_too_old']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function signedMessage(v: any, b: Bytes): Promise<void> {
  const sk = hex(v.ed25519_sk);
  const pk = sk.slice(32);
  expectEqual('ed25519_sk public half', toHex(identityFromSeed(sk.subarray(0, 32)).ed25519PublicKey), toHex(pk));
  const m10 = parseConfigMessage(b('m10'));
  // The signer sees the signed portion (spec/config.md §1.3.1); it is signed asynchronously.
  let portion = new Uint8Array(0);
  serializeConfigMessage(m10, { signer: (p) => ((portion = p.slice()), new Uint8Array(64)) });
  expectEqual('signed_portion', toHex(portion), v.signed_portion);
  const sig = await getCryptoProvider().ed25519Sign(sk.subarray(0, 32), portion);
  expectEqual('signature', toHex(sig), v.signature);
  const signed = serializeConfigMessage(m10, { signer: () => sig });
  expectEqual('signed serialization', toHex(signed), v.serialized);
  const verifier = (m: Uint8Array, x: Uint8Array): boolean => verifyEd25519(x, m, pk);
  const parsed = parseConfigMessage(hex(v.serialized), { verifier });
  expectEqual('parsed signature', hexOf(parsed.signature), v.signature);
  expectEqual('re-serialized with kept signature', toHex(serializeConfigMessage(parsed)), v.serialized);
  const bad = hex(v.serialized);
  bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x10; // signature byte 63, as the vector's notes say
  await expectSdkError('tampered signature', 'BAD_SIGNATURE', () => parseConfigMessage(bad, { verifier }));
  await expectSdkError('unsigned message where a signature is required', 'CONFIG_INVALID', () => parseConfigMessage(b('m10'), { verifier }));
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Length of the bencoded value at `at` (the vectors' own canonical encodings). */
function bencodedEnd(b: Uint8Array, at: number): number {
  const c = b[at];
  if (c === 0x69) return b.indexOf(0x65, at) + 1; // i…e
  if (c === 0x6c || c === 0x64) {
    let i = at + 1;
    while (b[i] !== 0x65) i = bencodedEnd(b, i);
    return i + 1;
  }
  const colon = b.indexOf(0x3a, at);
  return colon + 1 + Number(new TextDecoder().decode(b.subarray(at, colon)));
}

/** The values of the bencoding cases, by their description in the vector. */
const BT_VALUES: Record<string, () => ConfigValue> = {
  'scalar 3': () => 3n,
  "scalar 'hi'": () => s('hi'),
  'scalar -42': () => -42n,
  "set{'foo',23,'Foo','~','!','foo',-123}": () => new ConfigSet([s('foo'), 23n, s('Foo'), s('~'), s('!'), s('foo'), -123n]),
  "dict{a:23, B:'x', c:set{'2','1',4,-3}, D:{x:1,y:2}, d:{e:{f:{g:''}}}}": () =>
    dict([
      ['a', 23n],
      ['B', s('x')],
      ['c', new ConfigSet([s('2'), s('1'), 4n, -3n])],
      ['D', dict([['x', 1n], ['y', 2n]])],
      ['d', dict([['e', dict([['f', dict([['g', s('')]])]])]])],
    ]),
};

/** The encoding of `value` as the SDK writes it into a message's `&` (spec/config.md §1.2). */
function encodeValue(value: ConfigValue): string {
  const m = createConfigMessage({ seqno: 0 });
  const top = value instanceof Map;
  if (top) m.data = value;
  else m.data.set('v', value);
  const bytes = serializeConfigMessage(m);
  const start = 'd1:#i0e1:&'.length + (top ? 0 : 'd1:v'.length);
  return new TextDecoder().decode(bytes.subarray(start, bencodedEnd(bytes, start)));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function messageVector(v: any, b: Bytes, rec: FileRecorder): Promise<void> {
  const name = String(v.name);
  await rec.vector(`${name} message`, async () => {
    const bytes = hex(v.serialized);
    if (!HASHLESS.has(name) || v.hash !== undefined) expectEqual('hash', toHex(configMessageHash(bytes)), v.hash);
    const m = parseConfigMessage(bytes, { trustSignature: true });
    expectEqual('parse/serialize round trip', toHex(serializeConfigMessage(m)), v.serialized);
    if (v.ed25519_sk !== undefined) return signedMessage(v, b);
    const rebuild = REBUILD[name];
    if (!rebuild) throw new Error(`no known construction for message ${name}`);
    for (const r of rebuild(b, v)) {
      expectEqual(`${r.what}: bytes`, toHex(r.bytes), v.serialized);
      if (r.hash) expectEqual(`${r.what}: hash`, toHex(r.hash), v.hash);
    }
  });
}

/** Verifies config-message.json. */
export const configMessageFile: FileVerifier = async (doc, rec) => {
  const vectors = list(doc, 'vectors');
  const b: Bytes = (name) => hex(vectors.find((x) => x?.name === name)?.serialized);
  for (const v of vectors) {
    if (v?.serialized !== undefined) {
      await messageVector(v, b, rec);
    } else if (v?.name === 'bt-encoding-of-config-values') {
      for (const [i, c] of list(v, 'cases').entries()) {
        await rec.vector(`${v.name} #${i} ${String(c?.value)}`, () => {
          const value = BT_VALUES[c?.value];
          if (!value) throw new Error(`unknown value ${String(c?.value)}`);
          expectEqual('encoded', encodeValue(value()), c.encoded);
        });
      }
    } else if (Array.isArray(v?.cases)) {
      // Any other list of cases is of messages the parser must refuse.
      for (const [i, c] of v.cases.entries()) {
        await rec.vector(`${String(v.name)} #${i}`, async () => {
          if (typeof c?.error !== 'string') throw new Error('case states no expected error');
          const e = thrown(() => parseConfigMessage(s(c.serialized_utf8)));
          await expectSdkError('parse', 'CONFIG_INVALID', () => {
            if (e !== undefined) throw e;
          });
          // Refused for the stated reason (the SDK words it as libsession does).
          expectEqual('reason', (e as Error).message.toLowerCase().includes(c.error.toLowerCase()), true);
        });
      }
    } else {
      await rec.vector(String(v?.name), () => {
        throw new Error('neither a serialized message nor a list of cases');
      });
    }
  }
};
