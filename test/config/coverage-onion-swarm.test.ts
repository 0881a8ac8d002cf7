// onionConfigSwarm (spec/onion.md §8) against a scripted fake OnionClient: retrieve pagination
// (lastHash, `more`, the page bound), store hash checking, JSON errors, and the deleteObsolete option.
import { describe, expect, it } from 'vitest';
import { onionConfigSwarm } from '../../src/config/index.js';
import type { OnionClient } from '../../src/onion/onion-client.js';
import { ServerClock, storageMessageHash } from '../../src/onion/storage.js';
import { generateIdentity } from '../../src/identity/keys.js';

const code = (c: string) => expect.objectContaining({ code: c });
const id = generateIdentity();
const auth = { pubkey: id.sessionId, ed25519SecretKey: id.ed25519SecretKey };

interface Call { target: string; method: string; params: Record<string, unknown> }
function fakeClient(bodies: string[]): { client: OnionClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    async swarmRequest(target: string, method: string, params: Record<string, unknown>) {
      calls.push({ target, method, params });
      return { body: bodies.shift() ?? '{}' };
    },
  } as unknown as OnionClient;
  return { client, calls };
}
const msg = (hash: string, bytes: number[]) => ({ hash, timestamp: 1_700_000_000_000, expiry: 1_800_000_000_000, data: btoa(String.fromCharCode(...bytes)) });

describe('onionConfigSwarm', () => {
  it('retrieve follows `more` with lastHash and stops on the last page', async () => {
    const { client, calls } = fakeClient([
      JSON.stringify({ messages: [msg('h1', [1]), msg('h2', [2, 2])], more: true }),
      JSON.stringify({ messages: [msg('h3', [3])], more: false }),
    ]);
    const got = await onionConfigSwarm(client, auth).retrieve(2);
    expect(got).toEqual([{ hash: 'h1', data: new Uint8Array([1]) }, { hash: 'h2', data: new Uint8Array([2, 2]) }, { hash: 'h3', data: new Uint8Array([3]) }]);
    expect(calls.map((c) => [c.target, c.method, c.params.namespace, c.params.last_hash])).toEqual([
      [id.sessionId, 'retrieve', 2, undefined],
      [id.sessionId, 'retrieve', 2, 'h2'],
    ]);
  });

  it('retrieve stops on an empty page even if `more` is set, and obeys maxPages', async () => {
    const empty = fakeClient([JSON.stringify({ messages: [], more: true }), JSON.stringify({ messages: [msg('x', [1])] })]);
    expect(await onionConfigSwarm(empty.client, auth).retrieve(5)).toEqual([]);
    expect(empty.calls.length).toBe(1);
    const page = JSON.stringify({ messages: [msg('p', [9])], more: true });
    const bounded = fakeClient([page, page, page, page]);
    expect((await onionConfigSwarm(bounded.client, auth, { maxPages: 2 }).retrieve(5)).length).toBe(2);
    expect(bounded.calls.length).toBe(2);
  });

  it('a malformed retrieve reply is INVALID_ENCODING', async () => {
    await expect(onionConfigSwarm(fakeClient(['not json']).client, auth).retrieve(2)).rejects.toThrow(code('INVALID_ENCODING'));
    await expect(onionConfigSwarm(fakeClient(['{"messages":1}']).client, auth).retrieve(2)).rejects.toThrow(code('INVALID_ENCODING'));
  });

  it('store returns the deterministic storage hash, with or without the node echoing it', async () => {
    const data = new Uint8Array([1, 2, 3]);
    const expected = storageMessageHash(id.sessionId, 2, data);
    const echo = fakeClient([JSON.stringify({ hash: expected })]);
    expect(await onionConfigSwarm(echo.client, auth, { ttlMs: 60_000 }).store(2, data)).toBe(expected);
    expect(echo.calls[0]!.method).toBe('store');
    expect(echo.calls[0]!.params.ttl).toBe(60_000);
    const silent = fakeClient(['{}']);
    expect(await onionConfigSwarm(silent.client, auth).store(2, data)).toBe(expected);
  });

  it('store rejects a different reported hash (TRANSPORT_ERROR) and a non-object reply (INVALID_ENCODING)', async () => {
    const data = new Uint8Array([4]);
    await expect(onionConfigSwarm(fakeClient(['{"hash":"other"}']).client, auth).store(2, data)).rejects.toThrow(code('TRANSPORT_ERROR'));
    await expect(onionConfigSwarm(fakeClient(['[not json']).client, auth).store(2, data)).rejects.toThrow(code('INVALID_ENCODING'));
    await expect(onionConfigSwarm(fakeClient(['null']).client, auth).store(2, data)).rejects.toThrow(code('INVALID_ENCODING'));
  });

  it('signed timestamps come from the server-corrected clock when one is given (spec/onion.md §8)', async () => {
    const server = 1_900_000_000_000; // far from this machine's clock
    const clock = new ServerClock({ now: () => 1_000 });
    clock.observe(server, 1_000);
    const { client, calls } = fakeClient([JSON.stringify({ messages: [] }), '{}']);
    const swarm = onionConfigSwarm(client, auth, { clock });
    await swarm.retrieve(2);
    await swarm.store(2, new Uint8Array([1]));
    expect(calls.map((c) => c.params.timestamp)).toEqual([server, server]);
  });

  it('delete is offered by default and sends the hashes; deleteObsolete: false omits it', async () => {
    const { client, calls } = fakeClient(['{}']);
    const swarm = onionConfigSwarm(client, auth);
    expect(swarm.delete).toBeTypeOf('function');
    await swarm.delete!(['h1', 'h2']);
    expect(calls[0]!.method).toBe('delete');
    expect(calls[0]!.params.messages).toEqual(['h1', 'h2']);
    expect(onionConfigSwarm(client, auth, { deleteObsolete: false }).delete).toBeUndefined();
  });
});
