// Config message edge contract (spec/config.md §1.3–§1.8): each structural rule of the parser is
// rejected by the rule itself (asserted through its message, not just "some error"), the signer
// contract, and read-only resolution being independent of input order.
import { describe, expect, it } from 'vitest';
import {
  createConfigMessage,
  parseConfigMessage,
  resolveConfigMessages,
  serializeConfigMessage,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed, ed25519SignSync } from '../../src/crypto/noble.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { utf8 } from '../../src/util/bytes.js';
import { toHex } from '../helpers/vectors.js';

const h = 'h'.repeat(32);
const row = (seqno: number, diff = 'de') => `li${seqno}e32:${h}${diff}e`;

describe('parser: each structural rule (spec §1.7)', () => {
  const cases: [string, string, RegExp][] = [
    ['seqno above 2^53', 'd1:#i9007199254740992e1:&dee', /seqno out of range/],
    ['seqno below -2^53', 'd1:#i-9007199254740992e1:&dee', /seqno out of range/],
    ['a key after "~" even without a signature', 'd1:#i0e1:&de2:~~i1ee', /after "~"/],
    ['an unknown key past "&" while "&" is missing', 'd1:#i0e1:ai1ee', /"&" data dict not found/],
    ['"<" not a list', 'd1:#i3e1:&de1:<i1ee', /"<" must be a list/],
    ['a lagged row that is not a list', 'd1:#i3e1:&de1:<li1eee', /rows must be lists/],
    ['an empty lagged row', 'd1:#i3e1:&de1:<lleee', /rows must be lists/],
    ['lagged rows out of order', `d1:#i3e1:&de1:<l${row(2)}${row(1)}ee`, /unsorted or duplicated/],
    ['a duplicated lagged row', `d1:#i3e1:&de1:<l${row(2)}${row(2)}ee`, /unsorted or duplicated/],
    ['a lagged diff that is not a dict', `d1:#i3e1:&de1:<l${row(2, 'i5e')}ee`, /diff: must be a dict/],
    ['"=" not a dict', 'd1:#i0e1:&de1:=i1ee', /diff: must be a dict/],
    ['a set diff whose "added" is not a list', 'd1:#i0e1:&de1:=d1:ali1eleeee', /added must be a list/],
    ['a set diff whose "removed" is not a list', 'd1:#i0e1:&de1:=d1:allei1eeee', /removed must be a list/],
  ];
  for (const [what, text, why] of cases) {
    it(`rejects ${what} (CONFIG_INVALID)`, () => {
      expect(() => parseConfigMessage(utf8(text))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(why) }));
    });
  }

  it('the boundaries themselves are accepted: seqno ±(2^53 − 1), lagged rows in (seqno, hash) order', () => {
    expect(parseConfigMessage(utf8('d1:#i9007199254740991e1:&dee')).seqno).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseConfigMessage(utf8('d1:#i-9007199254740991e1:&dee')).seqno).toBe(-Number.MAX_SAFE_INTEGER);
    const g = 'g'.repeat(32);
    const m = parseConfigMessage(utf8(`d1:#i3e1:&de1:<l${row(1)}li2e32:${g}deeli2e32:${h}deee1:=dee`));
    expect(m.lagged.map((l) => l.seqno)).toEqual([1, 2, 2]);
  });
});

describe('signing (spec §1.3.1, §2.8)', () => {
  it('a signer that does not return 64 bytes is INVALID_INPUT, never a malformed message', () => {
    const m = createConfigMessage({ seqno: 1 });
    m.data.set('n', utf8('x'));
    for (const bad of [new Uint8Array(63), new Uint8Array(65), 'sig' as never, undefined as never]) {
      expect(() => serializeConfigMessage(m, { signer: () => bad })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(serializeConfigMessage(m, { signer: () => new Uint8Array(64) }).length).toBe(serializeConfigMessage(m).length + 70);
  });
});

describe('read-only resolution (spec §1.8, §2.8)', () => {
  const seed = new Uint8Array(32).fill(0x44);
  const pk = ed25519KeyPairFromSeed(seed).publicKey;
  const signer = (b: Uint8Array) => ed25519SignSync(seed, b);
  const verifier = (b: Uint8Array, sig: Uint8Array) => verifyEd25519(sig, b, pk);
  const version = (name: string) => {
    const m = createConfigMessage({ seqno: 2 });
    m.data.set('n', utf8(name));
    return serializeConfigMessage(m, { signer });
  };

  it('a member adopts the same highest (seqno, hash) message whatever the input order', () => {
    const inputs = ['A', 'B', 'C'].map(version);
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [1, 0, 2]];
    const picks = orders.map((o) => {
      const r = resolveConfigMessages(o.map((i) => inputs[i]!), { verifier });
      return { bytes: toHex(serializeConfigMessage(r.message)), adopted: o[r.unmergedIndex!] };
    });
    for (const p of picks) expect(p).toEqual(picks[0]);
    // The adopted one is the largest hash among the three (no merge without the signer).
    const r = resolveConfigMessages(inputs, { verifier });
    const hashes = inputs.map((b) => toHex(parseConfigMessage(b).hash));
    expect(hashes[picks[0]!.adopted!]).toBe([...hashes].sort().at(-1));
    expect(r.message.seqno).toBe(2);
  });
});
