// End to end over a local network of service nodes (test/loopback): two identities, a 1:1
// message stored in Bob's swarm through a 3-hop path and retrieved by Bob through another, a relay
// killed mid-test (path repaired, retry succeeds), and tampered layers rejected by the relays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, type Identity } from '../../src/identity/keys.js';
import { encryptForRecipient, decryptIncoming } from '../../src/envelope/session-protocol.js';
import { buildRetrieveRequest, buildStoreRequest, ServerClock, storageMessageHash } from '../../src/onion/storage.js';
import { utf8, fromUtf8 } from '../../src/util/bytes.js';
import { toBase64, fromBase64 } from '../../src/onion/base64.js';
import { OnionClient, type OnionClientEvent } from '../../src/onion/onion-client.js';
import { SnodePool, type ServiceNode } from '../../src/onion/snode-pool.js';
import { buildOnionPaths, ipv4Subnet, pathAllowsDestination, type OnionPath } from '../../src/onion/path.js';
import { buildOnionRequest, encodeSnodeRequest } from '../../src/onion/onion-request.js';
import { OnionRelayError, readSnodeResponse } from '../../src/onion/onion-response.js';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import type { OnionTransport } from '../../src/onion/transport.js';
import { LoopbackNetwork } from '../loopback/network.js';
import { startOnionRelay } from '../loopback/relay.js';
import { createFetchTransport } from '../../src/onion/transport.js';
import { encodeOnionFrame } from '../../src/onion/frame.js';

let net: LoopbackNetwork;
let transport: OnionTransport;
const clients: OnionClient[] = [];

function client(events: OnionClientEvent[] = []): OnionClient {
  const c = new OnionClient({
    transport,
    pool: new SnodePool({ seeds: [net.seed], requiredAgreement: 8 }),
    timeoutMs: 3000,
    retryBaseMs: 5,
    retryMaxMs: 20,
    onEvent: (e) => events.push(e),
  });
  clients.push(c);
  return c;
}

async function retrieveParams(id: Identity, clock?: ServerClock) {
  const req = await buildRetrieveRequest({ auth: { pubkey: id.sessionId, ed25519SecretKey: id.ed25519SecretKey }, namespace: 0, ...(clock ? { clock } : {}) });
  return req.params;
}

function assertRules(path: OnionPath, destination?: ServiceNode) {
  expect(path.nodes.length).toBe(3);
  expect(new Set(path.nodes.map((n) => n.ed25519Hex)).size).toBe(3);
  expect(new Set(path.nodes.map((n) => ipv4Subnet(n.ip))).size).toBe(3);
  if (destination) expect(pathAllowsDestination(path, destination)).toBe(true);
}

beforeAll(async () => {
  net = await LoopbackNetwork.start({ nodes: 14, swarms: 3 });
  transport = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 3000, retries: 1, backoffBaseMs: 5 });
});

afterAll(async () => {
  for (const c of clients) await c.close();
  await net.close();
});

describe('onion end to end on a loopback network', () => {
  const alice = generateIdentity();
  const bob = generateIdentity();
  const text = 'Hi Bob, this went through three onion hops.';

  it('Alice stores an encrypted 1:1 message in Bob\'s swarm; Bob retrieves it through other paths after a relay dies', async () => {
    const aliceEvents: OnionClientEvent[] = [];
    const a = client(aliceEvents);
    await a.start();
    expect(a.paths().length).toBe(2);
    for (const p of a.paths()) assertRules(p);
    // Cross-path diversity: six distinct /24s over both paths.
    expect(new Set(a.paths().flatMap((p) => p.nodes.map((n) => ipv4Subnet(n.ip)))).size).toBe(6);
    expect(aliceEvents.some((e) => e.type === 'pool-refreshed' && e.source === 'seed')).toBe(true);

    const ciphertext = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8(text));
    const store = await buildStoreRequest({ pubkey: bob.sessionId, namespace: 0, data: ciphertext, ttlMs: 86_400_000 });
    const stored = await a.swarmRequest(bob.sessionId, store.method, store.params);
    expect(stored.status).toBe(200);
    // The loopback node's own hash (independent code) equals the SDK's storageMessageHash.
    expect(JSON.parse(stored.body).hash).toBe(storageMessageHash(bob.sessionId, 0, ciphertext));
    assertRules(stored.path, stored.destination);
    expect(stored.destination.swarmId).toBe(net.swarmFor(bob.x25519PublicKey));
    expect(net.storedCount(bob.sessionId)).toBe(1);

    // Bob has his own pool, guards and paths.
    const bobEvents: OnionClientEvent[] = [];
    const b = client(bobEvents);
    await b.start();
    for (const p of b.paths()) assertRules(p);
    // Kill one relay of every path Bob has (one outside his swarm, so the failure is a path
    // failure, not a dead destination): whichever path he uses fails once and is repaired.
    // Bob will ask this member of his swarm; kill a relay of every ready path that may carry the
    // request (paths are /24-disjoint, so every member is reachable by at least one of them).
    const dest = (await b.swarmFor(bob.sessionId)).find((n) => b.paths().some((p) => pathAllowsDestination(p, n)))!;
    const victims = b.paths().filter((p) => pathAllowsDestination(p, dest)).map((p) => p.nodes[1]!);
    for (const v of victims) await net.kill(v);

    const clock = new ServerClock();
    clock.observeResponse(JSON.parse(stored.body));
    const r = await b.snodeRequest(dest, 'retrieve', await retrieveParams(bob, clock));
    expect(r.status).toBe(200);
    expect(r.attempts).toBeGreaterThanOrEqual(2);
    assertRules(r.path, r.destination);
    for (const v of victims) expect(r.path.nodes.map((n) => n.ed25519Hex)).not.toContain(v.ed25519Hex);
    const repaired = bobEvents.filter((e) => e.type === 'path-repaired');
    expect(repaired.length).toBeGreaterThanOrEqual(1);
    const failed = bobEvents.find((e) => e.type === 'attempt-failed');
    expect(failed && failed.type === 'attempt-failed' && failed.error).toBeInstanceOf(OnionRelayError);
    expect(failed && failed.type === 'attempt-failed' && failed.error.code).toBe('NODE_NOT_FOUND');

    const messages = JSON.parse(r.body).messages as { data: string; hash: string }[];
    expect(messages.length).toBe(1);
    expect(messages[0]!.hash).toBe(JSON.parse(stored.body).hash);
    const opened = await decryptIncoming(bob.ed25519SecretKey, fromBase64(messages[0]!.data));
    expect(fromUtf8(opened.plaintext)).toBe(text);
    expect(opened.senderSessionId).toBe(alice.sessionId);
  });

  it('refreshes the pool through onion paths by intersecting 3 nodes\' answers', async () => {
    const events: OnionClientEvent[] = [];
    const c = client(events);
    await c.start();
    const res = await c.pool.refresh();
    expect(res.source).toBe('nodes');
    expect(res.size).toBe(net.nodes.filter((n) => n.alive).length + net.nodes.filter((n) => !n.alive).length);
  });

  it('a relay rejects a tampered layer, and a tampering relay is caught by the next one', async () => {
    // Killed nodes from the first test are still listed; build a path over live nodes only.
    const live = net.serviceNodes().filter((n) => net.node(n).alive);
    const path = buildOnionPaths(live, [live[0]!]).paths[0]!;
    const dest = net.serviceNodes().find((n) => pathAllowsDestination(path, n) && net.node(n).alive)!;
    const req = await buildOnionRequest({ encType: 'xchacha20', path: path.nodes.slice(), destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });

    // 1. Flip one byte of the guard's layer: the guard answers a plaintext 400.
    const wire = req.wire.slice();
    wire[20] = wire[20]! ^ 0x80;
    const bad = await transport.sendOnionRequest(path.nodes[0]!, wire);
    expect(bad.status).toBe(400);
    expect(fromUtf8(bad.body)).toBe('Invalid ciphertext');
    await expect(readSnodeResponse(req, bad.status, bad.body)).rejects.toMatchObject({ code: 'ONION_ERROR', source: 'path', status: 400 });

    // 2. A malicious middle relay alters what it forwards: the next hop refuses it and the
    //    destination never sees the request.
    const evil = net.node(path.nodes[1]!);
    const destBefore = net.node(dest).received;
    evil.tamperForwarded = true;
    try {
      const req2 = await buildOnionRequest({ encType: 'xchacha20', path: path.nodes.slice(), destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
      const res = await transport.sendOnionRequest(path.nodes[0]!, req2.wire);
      expect(res.status).toBe(400);
      expect(fromUtf8(res.body)).toBe('Invalid ciphertext');
      expect(net.node(dest).received).toBe(destBefore);
    } finally {
      evil.tamperForwarded = false;
    }

    // 3. The same request untouched succeeds, proving the path itself is fine.
    const ok = await transport.sendOnionRequest(path.nodes[0]!, req.wire);
    expect((await readSnodeResponse(req, ok.status, ok.body)).status).toBe(200);
  });

  it('proxies a v4 request to a local HTTP server through the last hop', async () => {
    const srv = await net.startServer('sogs.test');
    const c = client();
    const res = await c.serverRequest(
      { type: 'server', host: 'sogs.test', target: '/oxen/v4/lsrpc', protocol: 'http', port: srv.port, x25519PublicKey: srv.x25519PublicKey },
      { method: 'POST', endpoint: '/room/lobby/message', body: '{"hello":1}' },
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(fromUtf8(res.body!))).toEqual({ echo: '{"hello":1}', endpoint: '/room/lobby/message', method: 'POST' });
    expect(srv.requests.length).toBe(1);
    assertRules(res.path);
  });

  it('reports destination errors to the caller without blaming the path (wrong swarm, bad signature)', async () => {
    const c = client();
    await c.start();
    const bobSwarm = net.swarmFor(bob.x25519PublicKey);
    const outsider = net.serviceNodes().find((n) => n.swarmId !== bobSwarm && net.node(n).alive && c.paths().some((p) => pathAllowsDestination(p, n)))!;
    await expect(c.snodeRequest(outsider, 'retrieve', await retrieveParams(bob))).rejects.toMatchObject({ code: 'WRONG_SWARM', source: 'destination' });
    // swarmRequest follows the 421 is not needed here: a forged signature is refused by the swarm.
    const forged = { ...(await retrieveParams(bob)), signature: toBase64(new Uint8Array(64)) };
    await expect(c.swarmRequest(bob.sessionId, 'retrieve', forged)).rejects.toMatchObject({ status: 401, source: 'destination' });
    expect(c.paths().length).toBe(2);
  });
});

describe('loopback storage honours TTLs and server time', () => {
  let net2: LoopbackNetwork;
  let offset = 0;
  beforeAll(async () => {
    net2 = await LoopbackNetwork.start({ nodes: 12, swarms: 2, now: () => Date.now() + offset });
  });
  afterAll(async () => {
    await net2.close();
  });

  it('expires messages after their TTL, refuses skewed signatures (406 → CLOCK_SKEW) and works again with ServerClock', async () => {
    const t2 = createNodeHttpTransport({ resolve: net2.resolve, timeoutMs: 3000, retries: 0 });
    const c = new OnionClient({ transport: t2, pool: new SnodePool({ seeds: [net2.seed] }), retryBaseMs: 1, retryMaxMs: 2 });
    clients.push(c);
    const carol = generateIdentity();
    const store = await buildStoreRequest({ pubkey: carol.sessionId, data: utf8('short-lived'), ttlMs: 10_000 });
    await c.swarmRequest(carol.sessionId, store.method, store.params);
    const count = async (clock?: ServerClock) => {
      const r = await c.swarmRequest(carol.sessionId, 'retrieve', await retrieveParams(carol, clock));
      return (JSON.parse(r.body).messages as unknown[]).length;
    };
    expect(await count()).toBe(1);
    offset = 10_001; // the network's clock moves past the message's expiry
    expect(await count()).toBe(0);

    offset = 120_000; // now the servers are two minutes ahead of us
    await expect(count()).rejects.toMatchObject({ code: 'CLOCK_SKEW', source: 'destination' });
    const clock = new ServerClock();
    const info = await c.snodeRequest((await c.swarmFor(carol.sessionId))[0]!, 'info', {});
    expect(clock.observeResponse(JSON.parse(info.body))).toBe(true);
    expect(await count(clock)).toBe(0);
    expect(c.paths().length).toBe(2); // destination errors never cost a path
  });
});

describe('loopback relay errors', () => {
  let net3: LoopbackNetwork;
  let t3: OnionTransport;
  beforeAll(async () => {
    net3 = await LoopbackNetwork.start({ nodes: 12, swarms: 2 });
    t3 = createNodeHttpTransport({ resolve: net3.resolve, retries: 0 });
  });
  afterAll(async () => {
    t3.close?.();
    await net3.close();
  });

  it('answers 502 Next node not found for a node it does not know, naming it', async () => {
    const nodes = net3.serviceNodes();
    const { paths } = buildOnionPaths(nodes, [nodes[2]!], { pathLength: 2 });
    const ghost = { ...nodes[3]!, ed25519PublicKey: new Uint8Array(32).fill(7), ed25519Hex: '07'.repeat(32) };
    const dest = nodes.find((n) => pathAllowsDestination(paths[0]!, n))!;
    const req = await buildOnionRequest({ encType: 'aes-gcm', path: [...paths[0]!.nodes, ghost], destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
    const res = await t3.sendOnionRequest(paths[0]!.nodes[0]!, req.wire);
    expect(res.status).toBe(502);
    await expect(readSnodeResponse(req, res.status, res.body)).rejects.toMatchObject({ code: 'NODE_NOT_FOUND', node: '07'.repeat(32), source: 'path' });
  });

  it('refuses more than 15 hops', async () => {
    const nodes = net3.serviceNodes();
    const dest = nodes[5]!;
    const req = await buildOnionRequest({ encType: 'xchacha20', path: [nodes[0]!], destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
    const wire = req.wire;
    const n = new DataView(wire.buffer, wire.byteOffset).getUint32(0, true);
    const json = JSON.parse(fromUtf8(wire.subarray(4 + n)));
    const forged = encodeOnionFrame(wire.subarray(4, 4 + n), utf8(JSON.stringify({ ...json, hop_no: 16 })));
    const res = await t3.sendOnionRequest(nodes[0]!, forged);
    expect([res.status, fromUtf8(res.body)]).toEqual([400, 'Too many hops']);
  });

  it('a proxy target the relay will not reach comes back encrypted with that hop\'s key; the client throws without retrying', async () => {
    const c = new OnionClient({ transport: t3, pool: new SnodePool({ seeds: [net3.seed] }), retryBaseMs: 1, retryMaxMs: 2 });
    clients.push(c);
    await c.start();
    const sent0 = net3.nodes.reduce((a, n) => a + n.received, 0);
    const err = await c
      .serverRequest({ type: 'server', host: 'nowhere.test', target: '/oxen/v4/lsrpc', protocol: 'http', port: 8080, x25519PublicKey: new Uint8Array(32).fill(9) }, { method: 'GET', endpoint: '/x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnionRelayError);
    expect(err).toMatchObject({ status: 400, source: 'path', body: 'Invalid url' });
    expect((err as OnionRelayError).layer).toBe(1); // the last path hop, which holds layerKeys[1]
    // Exactly one request crossed the three hops: no retry happened.
    expect(net3.nodes.reduce((a, n) => a + n.received, 0) - sent0).toBe(3);
  });
});

describe('server destinations given by IP', () => {
  it('keep every path node out of the server\'s /24', async () => {
    const c = client();
    await c.start();
    const near = c.paths()[0]!.nodes[1]!;
    const host = near.ip.replace(/\.\d+$/, '.250');
    const srv = await net.startServer(host);
    for (let i = 0; i < 6; i++) {
      const res = await c.serverRequest({ type: 'server', host, target: '/oxen/v4/lsrpc', protocol: 'http', port: srv.port, x25519PublicKey: srv.x25519PublicKey }, { method: 'GET', endpoint: '/ping' });
      expect(res.status).toBe(200);
      expect(res.path.nodes.every((n) => ipv4Subnet(n.ip) !== ipv4Subnet(host))).toBe(true);
    }
  });
});

describe('browser-style access through an app relay', () => {
  it('stores and retrieves with the fetch transport via a relay that only forwards to listed nodes', async () => {
    const netR = await LoopbackNetwork.start({ nodes: 12, swarms: 2 });
    const direct = createNodeHttpTransport({ resolve: netR.resolve, retries: 0 });
    const relay = await startOnionRelay({
      isKnownNode: (ip, port) => netR.serviceNodes().some((n) => n.ip === ip && n.port === port),
      forward: (ip, port, body) => {
        const node = netR.serviceNodes().find((n) => n.ip === ip && n.port === port)!;
        return direct.sendOnionRequest(node, body);
      },
      seeds: [netR.seed.url],
    });
    try {
      const transport = createFetchTransport({
        onionUrl: (g) => `${relay.url}/onion/${g.ip}/${g.port}`,
        seedUrl: () => `${relay.url}/seed/0`,
      });
      const c = new OnionClient({ transport, pool: new SnodePool({ seeds: [{ url: 'relay:seed/0' }] }), retryBaseMs: 1, retryMaxMs: 2 });
      const erin = generateIdentity();
      const store = await buildStoreRequest({ pubkey: erin.sessionId, data: utf8('via relay'), ttlMs: 60_000 });
      await c.swarmRequest(erin.sessionId, store.method, store.params);
      const r = await c.swarmRequest(erin.sessionId, 'retrieve', await retrieveParams(erin));
      expect(fromUtf8(fromBase64(JSON.parse(r.body).messages[0].data))).toBe('via relay');
      // Not an open proxy: anything but a listed node is refused.
      const refused = await fetch(`${relay.url}/onion/8.8.8.8/443`, { method: 'POST', body: new Uint8Array(1) });
      expect(refused.status).toBe(403);
    } finally {
      direct.close?.();
      await relay.close();
      await netR.close();
    }
  });
});

describe('demo', () => {
  it('scripts/demo-onion.ts tells the whole story and ends with Alice\'s verified message', async () => {
    const { onionDemo } = await import('../../scripts/demo-onion.js');
    const lines = await onionDemo({ print: false });
    const text = lines.join('\n');
    expect(text).toMatch(/Bob reads: "Hi Bob!/);
    expect(text).toMatch(/\(= Alice ✓\)/);
    expect(text).toMatch(/path repaired: hop \d/);
    expect(text).toMatch(/\/24 198\.1[89]\.\d+\)/);
  });
});
