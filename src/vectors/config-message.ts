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
  parseConfigMessage,
  serializeConfigMessage,
  verifyEd25519,
  type ConfigValue,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, toHex, type FileRecorder, type FileVerifier } from './check.js';
import { REBUILD, dict, s, type Bytes } from './config-message-steps.js';
import { hexOf } from './config-push.js';

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
  const otherSig = await getCryptoProvider().ed25519Sign(new Uint8Array(32).fill(7), portion);
  const wrongKey = serializeConfigMessage(m10, { signer: () => otherSig });
  await expectSdkError('signed by another key', 'BAD_SIGNATURE', () => parseConfigMessage(wrongKey, { verifier }));
  // A user config (no verifier) tolerates `~` but does not keep it.
  expectEqual('signature dropped without a verifier', toHex(serializeConfigMessage(parseConfigMessage(signed))), toHex(b('m10')));
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
    // Bounded by the length, so that malformed output ends the walk instead of looping.
    while (i < b.length && b[i] !== 0x65) i = Math.max(i + 1, bencodedEnd(b, i));
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
