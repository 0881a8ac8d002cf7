// Config message layer against upstream vectors (spec/config.md §1; test-vectors/config/config-message.json).
import { describe, expect, it } from 'vitest';
import { ed25519SignSync } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { bencode } from '../../src/util/bencode.js';
import {
  ConfigSet,
  configMessageHash,
  createConfigMessage,
  emptyConfigMessage,
  incrementConfigMessage,
  parseConfigMessage,
  resolveConfigMessages,
  serializeConfigMessage,
  mutableFromResolved,
  type ConfigMessage,
} from '../../src/config/index.js';
import { dictToBencode } from '../../src/config/value.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

interface V {
  name: string;
  serialized?: string;
  hash?: string;
  [k: string]: unknown;
}
const file = loadVectors<{ vectors: V[] }>('config/config-message.json');
const vec = (name: string): V => file.vectors.find((v) => v.name === name)!;
const bytesOf = (name: string): Uint8Array => hex(vec(name).serialized!);
const enc = new TextEncoder();
const s = (x: string): Uint8Array => enc.encode(x);

/** Replays "increment, then edit to the next version's data" and compares bytes. */
function stepTo(prev: ConfigMessage, name: string): ConfigMessage {
  const next = incrementConfigMessage(prev);
  next.data = parseConfigMessage(bytesOf(name)).data;
  expect(toHex(serializeConfigMessage(next))).toBe(vec(name).serialized);
  return next;
}

describe('config message vectors (upstream)', () => {
  it('hashes every serialized vector', () => {
    let n = 0;
    for (const v of file.vectors) {
      if (!v.serialized || !v.hash) continue;
      expect(toHex(configMessageHash(hex(v.serialized))), v.name).toBe(v.hash);
      n++;
    }
    expect(n).toBe(22);
  });

  it('round-trips every serialized vector through parse/serialize', () => {
    for (const v of file.vectors) {
      if (!v.serialized) continue;
      const m = parseConfigMessage(hex(v.serialized), { trustSignature: true });
      expect(toHex(serializeConfigMessage(m)), v.name).toBe(v.serialized);
    }
  });

  it('m10..m15: new message, edits, increments and the lag window', () => {
    const m10 = createConfigMessage({ seqno: 10 });
    m10.data.set('foo', 123n);
    m10.data.set(
      'bar',
      new Map<string, never>([
        ['asdf', 123n as never],
        ['xyz', s('abc') as never],
        ['', new ConfigSet([42n, s('a'), s('b')]) as never],
      ]),
    );
    expect(toHex(serializeConfigMessage(m10))).toBe(vec('m10').serialized);
    // m11: erase foo
    const m11 = incrementConfigMessage(m10);
    m11.data.delete('foo');
    expect(toHex(serializeConfigMessage(m11))).toBe(vec('m11').serialized);
    // m12: explicit edits, including re-adding an element already present
    const m12 = incrementConfigMessage(m11);
    m12.data.set('foo', 123n);
    const bar = m12.data.get('bar') as Map<string, unknown>;
    bar.set('xyz', 42n);
    bar.set('a', 42n);
    const set = bar.get('') as ConfigSet;
    set.add(s('c'));
    set.add(99n);
    set.delete(s('b'));
    set.add(42n);
    expect(toHex(serializeConfigMessage(m12))).toBe(vec('m12').serialized);
    const m13 = incrementConfigMessage(m12);
    expect(toHex(serializeConfigMessage(m13))).toBe(vec('m13').serialized);
    const m14 = incrementConfigMessage(m13);
    expect(toHex(serializeConfigMessage(m14))).toBe(vec('m14').serialized);
    const m15 = incrementConfigMessage(m14);
    expect(toHex(serializeConfigMessage(m15))).toBe(vec('m15').serialized);
    expect(parseConfigMessage(bytesOf('m15')).lagged.map((l) => l.seqno)).toEqual([11, 12, 13, 14]);
  });

  it('m118..m125: diffs of arbitrary edits and reloading as mutable', () => {
    const m118 = createConfigMessage({ seqno: 118 });
    m118.data = parseConfigMessage(bytesOf('m118')).data;
    expect(toHex(serializeConfigMessage(m118))).toBe(vec('m118').serialized);
    let m = m118;
    for (const name of ['m119', 'm120', 'm121', 'm122', 'm123']) m = stepTo(m, name);
    // "MutableConfigMessage(m123 bytes)" = adopt the single message, then increment.
    const loaded = mutableFromResolved(resolveConfigMessages([bytesOf('m123')]));
    expect(toHex(serializeConfigMessage(loaded))).toBe(vec('m124_loaded_mutable_unchanged').serialized);
    const m124 = mutableFromResolved(resolveConfigMessages([bytesOf('m123')]));
    m124.data = parseConfigMessage(bytesOf('m124')).data;
    expect(toHex(serializeConfigMessage(m124))).toBe(vec('m124').serialized);
    stepTo(m124, 'm125a');
    stepTo(m124, 'm125b');
    const m123 = parseConfigMessage(bytesOf('m123'));
    stepTo(m123, 'm124a');
    const old = incrementConfigMessage(incrementConfigMessage(createConfigMessage({ seqno: 118 })));
    old.data.set('too old', s("won't see"));
    expect(toHex(serializeConfigMessage(old))).toBe(vec('m120b_too_old').serialized);
  });

  it('m126: merge is order-independent and ignores included and too-old messages', () => {
    const a = bytesOf('m125a');
    const b = bytesOf('m125b');
    const want = vec('m126_merged').serialized;
    for (const inputs of [
      [a, b],
      [b, a],
      [a, b, bytesOf('m124')],
      [bytesOf('m120b_too_old'), b, bytesOf('m124'), a],
    ]) {
      const r = resolveConfigMessages(inputs);
      expect(r.unmergedIndex).toBeUndefined();
      expect(toHex(serializeConfigMessage(r.message))).toBe(want);
      expect(toHex(r.message.hash)).toBe(vec('m126_merged').hash);
    }
    const r = resolveConfigMessages(['m125b', 'm124a', 'm125a', 'm123', 'm120b_too_old'].map(bytesOf));
    expect(toHex(serializeConfigMessage(r.message))).toBe(vec('m126b').serialized);
    expect(toHex(r.message.hash)).toBe(vec('m126b').hash);
  });

  it('m127: a mutable merge keeps `=` for later edits only', () => {
    const m = mutableFromResolved(resolveConfigMessages([bytesOf('m126a'), bytesOf('m126b')]));
    expect(m.seqno).toBe(127);
    const dictA = m.data.get('dictA') as Map<string, unknown>;
    (dictA.get('goodbye') as ConfigSet).add(789n);
    expect(toHex(serializeConfigMessage(m))).toBe(vec('m127').serialized);
    expect(toHex(configMessageHash(serializeConfigMessage(m)))).toBe(vec('m127').hash);
  });

  it('adopts a single message unchanged, and duplicates count once', () => {
    const r = resolveConfigMessages([bytesOf('m124'), bytesOf('m125a'), bytesOf('m125a')]);
    expect(r.unmergedIndex).toBe(1);
    expect(toHex(serializeConfigMessage(r.message))).toBe(vec('m125a').serialized);
  });

  it('signed_m10: signature over the prefix; verification; tampering rejected', () => {
    const v = vec('signed_m10') as V & { ed25519_sk: string; signature: string; signed_portion: string };
    const sk = hex(v.ed25519_sk);
    const pk = sk.subarray(32);
    const signer = (m: Uint8Array) => ed25519SignSync(sk.subarray(0, 32), m);
    const verifier = (m: Uint8Array, sig: Uint8Array) => verifyEd25519(sig, m, pk);
    const m10 = parseConfigMessage(bytesOf('m10'));
    const signed = serializeConfigMessage(m10, { signer });
    expect(toHex(signed)).toBe(v.serialized);
    expect(toHex(configMessageHash(signed))).toBe(v.hash);
    expect(toHex(signed.subarray(0, bytesOf('m10').length - 1))).toBe(v.signed_portion);
    const parsed = parseConfigMessage(signed, { verifier });
    expect(toHex(parsed.signature!)).toBe(v.signature);
    // re-serializing the unmodified message without the key keeps the signature
    expect(toHex(serializeConfigMessage(parsed))).toBe(v.serialized);
    const bad = signed.slice();
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x10;
    expect(() => parseConfigMessage(bad, { verifier })).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    // unsigned message where a signature is required
    expect(() => parseConfigMessage(bytesOf('m10'), { verifier })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    // wrong key
    const other = new Uint8Array(32).fill(7);
    const wrongSigner = (m: Uint8Array) => ed25519SignSync(other, m);
    expect(() => parseConfigMessage(serializeConfigMessage(m10, { signer: wrongSigner }), { verifier })).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    // a user config (no verifier) tolerates `~` but does not keep it
    const tolerated = parseConfigMessage(signed);
    expect(tolerated.signature).toBeUndefined();
    expect(toHex(serializeConfigMessage(tolerated))).toBe(vec('m10').serialized);
  });

  it('bt encoding of config values', () => {
    const cases = vec('bt-encoding-of-config-values').cases as { encoded: string }[];
    const set = new ConfigSet([s('foo'), 23n, s('Foo'), s('~'), s('!'), s('foo'), -123n]);
    expect(new TextDecoder().decode(bencode(set.values()))).toBe(cases[3]!.encoded);
    const d = new Map<string, never>([
      ['a', 23n as never],
      ['B', s('x') as never],
      ['c', new ConfigSet([s('2'), s('1'), 4n, -3n]) as never],
      ['D', new Map([['x', 1n], ['y', 2n]]) as never],
      ['d', new Map([['e', new Map([['f', new Map([['g', s('')]])]])]]) as never],
    ]);
    expect(new TextDecoder().decode(bencode(dictToBencode(d)))).toBe(cases[4]!.encoded);
    expect(new TextDecoder().decode(bencode(3n))).toBe(cases[0]!.encoded);
    expect(new TextDecoder().decode(bencode(s('hi')))).toBe(cases[1]!.encoded);
    expect(new TextDecoder().decode(bencode(-42n))).toBe(cases[2]!.encoded);
  });

  it('rejects unpruned empty sets and dicts', () => {
    for (const c of vec('reject-empty-set-or-dict').cases as { serialized_utf8: string }[]) {
      expect(() => parseConfigMessage(s(c.serialized_utf8))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });

  it('the empty message and its hash', () => {
    const up = loadVectors('config/user-profile.json').vectors.find((x: { name: string }) => x.name === 'empty-seqno0-hash');
    const m = emptyConfigMessage();
    expect(new TextDecoder().decode(serializeConfigMessage(m))).toBe(up.config_message_utf8);
    expect(toHex(serializeConfigMessage(m))).toBe(up.config_message);
    expect(toHex(m.hash)).toBe(up.blake2b_256);
  });
});

describe('config message parser: negative cases', () => {
  const bad: [string, string][] = [
    ['not a dict', 'li1ee'],
    ['first key not #', 'd1:!i1e1:#i0e1:&dee'],
    ['seqno not int', 'd1:#1:x1:&dee'],
    ['missing &', 'd1:#i0e1:<le1:=dee'],
    ['& not a dict', 'd1:#i0e1:&i1ee'],
    ['key after ~', 'd1:#i0e1:&de1:~64:' + 'x'.repeat(64) + '2:~~i1ee'],
    ['short signature', 'd1:#i0e1:&de1:~3:abce'],
    ['lagged seqno >= seqno', 'd1:#i3e1:&de1:<lli3e32:' + 'h'.repeat(32) + 'deee1:=dee'],
    ['lagged hash size', 'd1:#i3e1:&de1:<lli2e3:abcdeee1:=dee'],
    ['lagged row size', 'd1:#i3e1:&de1:<lli2e32:' + 'h'.repeat(32) + 'dei1eee1:=dee'],
    ['lagged unsorted', 'd1:#i3e1:&de1:<lli2e32:' + 'h'.repeat(32) + 'deeli1e32:' + 'h'.repeat(32) + 'deee1:=dee'],
    ['diff bad string', 'd1:#i0e1:&de1:<le1:=d1:a1:xee'],
    ['diff int', 'd1:#i0e1:&de1:<le1:=d1:ai1eee'],
    ['diff set arity', 'd1:#i0e1:&de1:<le1:=d1:alleeee'],
    ['diff set unsorted', 'd1:#i0e1:&de1:<le1:=d1:alli2ei1eeleeee'],
    ['set unsorted', 'd1:#i0e1:&d1:ali2ei1eee1:<le1:=dee'],
    ['set duplicate', 'd1:#i0e1:&d1:ali1ei1eee1:<le1:=dee'],
    ['set string before int', 'd1:#i0e1:&d1:al1:xi1eee1:<le1:=dee'],
    ['set nested', 'd1:#i0e1:&d1:alleee1:<le1:=dee'],
    ['int out of int64', 'd1:#i0e1:&d1:ai9223372036854775808ee1:<le1:=dee'],
  ];
  for (const [what, text] of bad) {
    it(`rejects ${what}`, () => {
      try {
        parseConfigMessage(s(text));
        expect.unreachable();
      } catch (e) {
        expect(isSessionSdkError(e, 'CONFIG_INVALID', 'INVALID_ENCODING')).toBe(true);
      }
    });
  }
  it('drops too-old lagged rows silently and accepts unknown keys in the gaps', () => {
    const m = parseConfigMessage(s('d1:#i9e1:$i7e1:&de1:*i1e1:<lli1e1:xee2:<a0:1:=de1:>0:1:}0:e'));
    expect(m.lagged).toEqual([]);
    expect([...m.unknown.keys()]).toEqual(['$', '*', '<a', '>', '}']);
    expect(new TextDecoder().decode(serializeConfigMessage(m))).toBe('d1:#i9e1:$i7e1:&de1:*i1e1:<le2:<a0:1:=de1:>0:1:}0:e');
  });
});
