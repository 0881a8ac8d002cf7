// Edge cases of the onion JSON writer/reader (spec/onion.md §2.1: compact, keys in bytewise UTF-8
// order, integers only) and of directory entry parsing (spec/onion.md §5: swarm ids are u64).
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, parseJsonObject, sortedJson, sortedJsonBytes, type JsonInput } from '../../src/onion/json.js';
import { INVALID_SWARM_ID, parseServiceNodeList, parseServiceNodeListJson, serviceNodeFromEntry } from '../../src/onion/snode-pool.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { fakeNode } from '../loopback/fake-nodes.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('sortedJson', () => {
  it('orders non-ASCII keys by UTF-8 bytes (code point), not UTF-16 units', () => {
    // U+FFFF (EF BF BF) sorts before U+10000 (F0 90 80 80) in UTF-8, but after it in UTF-16
    // (0xFFFF > 0xD800), so JS's default sort would get this wrong.
    const astral = '\u{10000}';
    expect(sortedJson({ [astral]: 1, '\uffff': 2 })).toBe(`{"\uffff":2,"${astral}":1}`);
    // A key that is a prefix of another sorts first, in both orders of comparison.
    expect(sortedJson({ éa: 1, é: 2 })).toBe('{"é":2,"éa":1}');
    expect(sortedJson({ é: 2, éa: 1 })).toBe('{"é":2,"éa":1}');
    // ASCII against non-ASCII: every ASCII byte is below 0x80.
    expect(sortedJson({ é: 1, z: 2 })).toBe('{"z":2,"é":1}');
  });

  it('writes booleans, null, bigints and nested arrays compactly, skipping undefined members', () => {
    expect(sortedJson({ b: [true, false, null], a: 18446744073709551615n, u: undefined })).toBe('{"a":18446744073709551615,"b":[true,false,null]}');
    expect(fromBytes(sortedJsonBytes({ k: 'ü' }))).toBe('{"k":"ü"}');
    expect(Array.from(sortedJsonBytes('ü'))).toEqual([0x22, 0xc3, 0xbc, 0x22]); // raw UTF-8, not \u00fc
  });

  it('rejects what nlohmann would write differently or JSON cannot hold, with INVALID_INPUT', () => {
    expect(() => sortedJson(1.5)).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson(2 ** 53)).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson(new Uint8Array(2) as unknown as JsonInput)).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson((() => 1) as unknown as JsonInput)).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson(Symbol('x') as unknown as JsonInput)).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson('\ud800')).toThrow(code('INVALID_INPUT'));
    expect(() => sortedJson({ '\udc00': 1 })).toThrow(code('INVALID_INPUT'));
  });

  it('bounds nesting depth at 64', () => {
    let ok: JsonInput = 0;
    for (let i = 0; i < 64; i++) ok = [ok];
    expect(sortedJson(ok)).toBe('['.repeat(64) + '0' + ']'.repeat(64));
    expect(() => sortedJson([ok])).toThrow(code('INVALID_INPUT'));
  });
});

function fromBytes(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

describe('parseJson / parseJsonObject', () => {
  it('parses strings and bytes, and names the input in INVALID_ENCODING errors', () => {
    expect(parseJson('[1]', 'x')).toEqual([1]);
    expect(parseJson(utf8('{"a":"é"}'), 'x')).toEqual({ a: 'é' });
    expect(() => parseJson('{', 'relay answer')).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING', message: expect.stringContaining('relay answer') }));
    expect(() => parseJsonObject('[1]', 'body')).toThrow(code('INVALID_ENCODING'));
    expect(() => parseJsonObject('null', 'body')).toThrow(code('INVALID_ENCODING'));
    expect(parseJsonObject('{"a":1}', 'body')).toEqual({ a: 1 });
    expect([isJsonObject({}), isJsonObject([]), isJsonObject(null), isJsonObject('s')]).toEqual([true, false, false, false]);
  });
});

describe('directory entries', () => {
  const n = fakeNode(1, '203.0.113.5');
  const entry = { public_ip: n.ip, storage_port: n.port, pubkey_ed25519: n.ed25519Hex, pubkey_x25519: toHex(n.x25519PublicKey) };

  it('keeps u64 swarm ids exact and drops unrepresentable ones', () => {
    expect(serviceNodeFromEntry({ ...entry, swarm_id: 7 })?.swarmId).toBe(7n);
    expect(serviceNodeFromEntry({ ...entry, swarm_id: 7n })?.swarmId).toBe(7n);
    expect(serviceNodeFromEntry({ ...entry, swarm_id: INVALID_SWARM_ID + 1n })?.swarmId).toBeUndefined();
    expect(serviceNodeFromEntry({ ...entry, swarm_id: -1n })?.swarmId).toBeUndefined();
    expect(serviceNodeFromEntry({ ...entry, swarm_id: -1 })?.swarmId).toBeUndefined();
    expect(serviceNodeFromEntry({ ...entry, swarm_id: 2 ** 60 })?.swarmId).toBeUndefined(); // already rounded
    expect(serviceNodeFromEntry({ ...entry, swarm_id: '18446744073709551616' })?.swarmId).toBeUndefined();
    // Bare integers in JSON text are quoted before parsing, so a full-range id survives.
    const text = `[${JSON.stringify(entry).slice(0, -1)},"swarm_id":18446744073709551614}]`;
    expect(parseServiceNodeListJson(text)[0]!.swarmId).toBe(INVALID_SWARM_ID - 1n);
  });

  it('accepts the documented alternative field names and wrappers', () => {
    const alt = { ip: n.ip, port_https: 443, pubkey_ed25519: n.ed25519Hex, pubkey_x25519: toHex(n.x25519PublicKey) };
    expect(parseServiceNodeList({ result: { snodes: [alt] } })[0]).toMatchObject({ ip: n.ip, port: 443 });
    expect(parseServiceNodeList({ service_node_states: [entry, entry] })).toHaveLength(1); // duplicate kept once
    expect(() => parseServiceNodeList({ result: 5 })).toThrow(code('ONION_ERROR'));
    expect(() => parseServiceNodeListJson('{')).toThrow(code('ONION_ERROR'));
    expect(() => parseServiceNodeListJson(5 as unknown as string)).toThrow(code('INVALID_INPUT'));
  });

  it('drops entries with a malformed x25519 key or none derivable', () => {
    expect(serviceNodeFromEntry({ ...entry, pubkey_x25519: 'zz' })).toBeUndefined();
    expect(serviceNodeFromEntry(null)).toBeUndefined();
    expect(serviceNodeFromEntry('x')).toBeUndefined();
    const { pubkey_x25519: _omit, ...noX } = entry;
    const derived = serviceNodeFromEntry(noX);
    // fakeNode's Ed25519 key is arbitrary bytes: either it is a valid point (X25519 derived) or the entry is dropped.
    if (derived) expect(derived.x25519PublicKey).toHaveLength(32);
    // The all-zero Ed25519 key is a small-order point: no X25519 key is derived for it.
    expect(serviceNodeFromEntry({ ...noX, pubkey_ed25519: '00'.repeat(32) })).toBeUndefined();
  });
});
