// OnionClient policies on the loopback network: the guard probe is content-free, a lying relay
// cannot empty the pool, an unreachable guard is struck directly and eventually replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnionClient, type OnionClientEvent } from '../../src/onion/onion-client.js';
import { SnodePool } from '../../src/onion/snode-pool.js';
import { pathAllowsDestination } from '../../src/onion/path.js';
import { openOnionLayer, classifyOnionLayer } from '../../src/onion/relay.js';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import { fromUtf8 } from '../../src/util/bytes.js';
import type { OnionTransport } from '../../src/onion/transport.js';
import { LoopbackNetwork } from '../loopback/network.js';
import { seededRandom } from '../loopback/rng.js';
import { generateIdentity } from '../../src/identity/keys.js';
import { buildRetrieveRequest } from '../../src/onion/storage.js';

let net: LoopbackNetwork;
let base: OnionTransport;
const sent: { guard: string; wire: Uint8Array }[] = [];
const recording: OnionTransport = {
  sendOnionRequest: (guard, wire, o) => {
    sent.push({ guard: guard.ed25519Hex, wire });
    return base.sendOnionRequest(guard, wire, o);
  },
  seedRequest: (s, b, o) => base.seedRequest(s, b, o),
};

function client(events: OnionClientEvent[] = [], extra: Partial<ConstructorParameters<typeof OnionClient>[0]> = {}) {
  return new OnionClient({ transport: recording, pool: new SnodePool({ seeds: [net.seed] }), retryBaseMs: 1, retryMaxMs: 2, onEvent: (e) => events.push(e), ...extra });
}

beforeAll(async () => {
  net = await LoopbackNetwork.start({ nodes: 16, swarms: 2 });
  base = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 2000, retries: 0 });
});
afterAll(async () => {
  base.close?.();
  await net.close();
});

describe('OnionClient', () => {
  it('validates its options', () => {
    expect(() => new OnionClient({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new OnionClient({ transport: recording, maxAttempts: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new OnionClient({ transport: recording, pathCount: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('probes guards with a content-free info request that only the real key holder can answer', async () => {
    sent.length = 0;
    const c = client();
    await c.start();
    const guards = c.paths().map((p) => p.nodes[0]!);
    const probes = sent.filter((s) => guards.some((g) => g.ed25519Hex === s.guard));
    expect(probes.length).toBeGreaterThanOrEqual(2);
    for (const p of probes) {
      const node = net.node(p.guard);
      const opened = await openOnionLayer(node.identity.x25519SecretKey, p.wire);
      const action = classifyOnionLayer(opened.plaintext);
      expect(action.type).toBe('final_destination');
      if (action.type === 'final_destination') expect(JSON.parse(fromUtf8(action.body))).toEqual({ method: 'info', params: {} });
    }
  });

  it('a relay that blames other nodes costs its own path and guard, and cannot empty the pool', async () => {
    const events: OnionClientEvent[] = [];
    const c = client(events, { maxAttempts: 3 });
    await c.start();
    const firstGuards = c.paths().map((p) => p.nodes[0]!.ed25519Hex);
    for (const g of firstGuards) net.node(g).lieNextNotFound = true;
    const before = c.pool.size;
    const dest = net.serviceNodes().find((n) => c.paths().every((p) => pathAllowsDestination(p, n)))!;
    let failures = 0;
    for (let i = 0; i < 6; i++) {
      try {
        await c.snodeRequest(dest, 'info', {});
        break; // a path with an honest guard was eventually built
      } catch (e) {
        expect(e).toMatchObject({ code: 'NODE_NOT_FOUND' });
        failures++;
      }
    }
    for (const g of firstGuards) net.node(g).lieNextNotFound = false;
    // Each reporter (guard) counts once per node and blames at most 3 nodes; removal needs 3
    // distinct reporters, so the pool loses at most one node per guard that ever reported.
    const guardsSeen = new Set(events.filter((e) => e.type === 'path-built').map((e) => (e.type === 'path-built' ? e.path.nodes[0]!.ed25519Hex : '')));
    expect(before - c.pool.size).toBeLessThanOrEqual(Math.floor((guardsSeen.size * 3) / 3));
    expect(events.some((e) => e.type === 'path-repaired')).toBe(true);
    expect(events.some((e) => e.type === 'path-dropped')).toBe(true);
    expect(failures).toBeGreaterThan(0);
    // The lying guards were retired after repeated failures of their paths.
    expect(c.paths().map((p) => p.nodes[0]!.ed25519Hex).filter((g) => firstGuards.includes(g)).length).toBeLessThan(2);
  });

  it('strikes an unreachable guard directly and replaces it after repeated failures', async () => {
    const events: OnionClientEvent[] = [];
    const c = client(events, { maxAttempts: 4 });
    await c.start();
    const dead = c.paths()[0]!.nodes[0]!;
    await net.kill(dead);
    const dest = net.serviceNodes().find((n) => net.node(n).alive && c.paths().every((p) => pathAllowsDestination(p, n)))!;
    // Paths are picked uniformly: 16 requests all missing the dead guard's path has odds 2^-16.
    for (let i = 0; i < 16; i++) {
      const r = await c.snodeRequest(dest, 'info', {});
      expect(r.status).toBe(200);
      expect(r.path.nodes[0]!.ed25519Hex).not.toBe(dead.ed25519Hex);
    }
    const hits = events.filter((e) => e.type === 'attempt-failed' && e.path.nodes[0]!.ed25519Hex === dead.ed25519Hex);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.type === 'attempt-failed' && h.error.code).toBe('TRANSPORT_ERROR');
    expect(c.pool.strikes(dead).direct + (c.pool.has(dead) ? 0 : 3)).toBeGreaterThan(0);
  });
});

describe('OnionClient key consistency and rotation', () => {
  it('refuses a destination whose listed X25519 key is not its Ed25519 key\'s, and drops it from the pool', async () => {
    const c = client();
    await c.start();
    const real = net.serviceNodes().find((n) => net.node(n).alive && c.paths().some((p) => pathAllowsDestination(p, n)))!;
    const forged = { ...real, x25519PublicKey: net.serviceNodes().find((n) => n !== real)!.x25519PublicKey };
    await expect(c.snodeRequest(forged, 'info', {})).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(c.pool.has(real)).toBe(false);
  });

  it('rotates paths after pathRotationMs but keeps the guards', async () => {
    let now = 1_000;
    const events: OnionClientEvent[] = [];
    const c = client(events, { now: () => now, pathRotationMs: 60_000 });
    await c.start();
    const guards = c.paths().map((p) => p.nodes[0]!.ed25519Hex).sort();
    now += 59_999;
    await c.start();
    expect(events.filter((e) => e.type === 'path-dropped').length).toBe(0);
    now += 1;
    await c.start();
    expect(events.filter((e) => e.type === 'path-dropped' && e.reason === 'rotation').length).toBe(2);
    expect(c.paths().map((p) => p.nodes[0]!.ed25519Hex).sort()).toEqual(guards);
  });
});

describe('OnionClient pool refresh through its own paths', () => {
  it('refreshes a stale pool through paths even when those paths must be rebuilt first (no deadlock)', async () => {
    let now = 50_000;
    const events: OnionClientEvent[] = [];
    const c = new OnionClient({
      transport: recording,
      pool: new SnodePool({ seeds: [net.seed], requiredAgreement: 8, now: () => now }),
      now: () => now,
      pathRotationMs: 60_000,
      retryBaseMs: 1,
      retryMaxMs: 2,
      onEvent: (e) => events.push(e),
    });
    await c.start();
    now += 2 * 3600_000; // pool expired and every path due for rotation
    const members = await Promise.race([
      c.swarmFor('05' + 'ab'.repeat(32)),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('deadlock')), 8000)),
    ]);
    expect(members.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'pool-refreshed').map((e) => e.type === 'pool-refreshed' && e.source)).toEqual(['seed', 'nodes']);
    expect(events.filter((e) => e.type === 'path-dropped' && e.reason === 'rotation').length).toBe(2);
  });
});

describe('OnionClient /16 mode', () => {
  it('falls back to /24 on a network with two /16s and says so', async () => {
    const events: OnionClientEvent[] = [];
    const c = client(events, { subnetBits: 16 });
    await c.start();
    const built = events.filter((e) => e.type === 'path-built');
    expect(built.length).toBe(2);
    for (const e of built) expect(e.type === 'path-built' && [e.subnetBits, e.fellBack]).toEqual([24, true]);
    const dest = net.serviceNodes().find((n) => net.node(n).alive && c.paths().some((p) => pathAllowsDestination(p, n)))!;
    expect((await c.snodeRequest(dest, 'info', {})).status).toBe(200);
  });
});

describe('OnionClient swarm requests', () => {
  let net4: LoopbackNetwork;
  let t4: OnionTransport;
  beforeAll(async () => {
    // Fixed node keys and a seeded client RNG: which member is tried first is then reproducible.
    net4 = await LoopbackNetwork.start({ nodes: 15, swarms: 3, keySeed: 'swarm-requests' });
    t4 = createNodeHttpTransport({ resolve: net4.resolve, timeoutMs: 2000, retries: 0 });
  });
  afterAll(async () => {
    t4.close?.();
    await net4.close();
  });
  const mk = (events: OnionClientEvent[] = []) =>
    new OnionClient({ transport: t4, pool: new SnodePool({ seeds: [net4.seed], random: seededRandom('pool') }), random: seededRandom('client'), retryBaseMs: 1, retryMaxMs: 2, onEvent: (e) => events.push(e) });
  const account = '05' + 'cd'.repeat(32);

  it('follows a 421 to the swarm the node names, using only nodes the pool already knows', async () => {
    const c = mk();
    await c.start();
    // Corrupt the pool's swarm ids (as a stale directory would): the computed swarm is wrong.
    const ids = [...new Set(c.pool.nodes().map((n) => n.swarmId!))];
    const rotated = c.pool.nodes().map((n) => ({ ...n, swarmId: ids[(ids.indexOf(n.swarmId!) + 1) % ids.length]! }));
    c.pool.load(rotated);
    const dave = generateIdentity();
    const wrong = await c.swarmFor(dave.sessionId);
    const right = net4.swarmFor(dave.x25519PublicKey);
    expect(wrong.every((n) => net4.node(n).info.swarmId !== right)).toBe(true);
    const req = await buildRetrieveRequest({ auth: { pubkey: dave.sessionId, ed25519SecretKey: dave.ed25519SecretKey } });
    const r = await c.swarmRequest(dave.sessionId, req.method, req.params);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).messages).toEqual([]);
    expect(net4.node(r.destination).info.swarmId).toBe(right);
  });

  it('asks get_swarm through a path when the directory carried no swarm ids', async () => {
    const c = mk();
    await c.start();
    c.pool.load(c.pool.nodes().map(({ swarmId: _drop, ...rest }) => rest));
    const members = await c.swarmFor(account);
    const right = net4.swarmFor(new Uint8Array(32).fill(0xcd));
    expect(members.map((n) => n.ed25519Hex).sort()).toEqual(net4.nodes.filter((n) => n.info.swarmId === right).map((n) => n.info.ed25519Hex).sort());
  });

  it('moves on to another swarm member when the chosen one is down', async () => {
    const events: OnionClientEvent[] = [];
    const c = mk(events);
    await c.start();
    const right = net4.swarmFor(new Uint8Array(32).fill(0xcd));
    const guards = new Set(c.paths().map((p) => p.nodes[0]!.ed25519Hex));
    const members = net4.nodes.filter((n) => n.info.swarmId === right && !guards.has(n.info.ed25519Hex));
    const dead = members.slice(0, -1); // all but one (guards that are members stay up too)
    for (const d of dead) await net4.kill(d);
    for (let i = 0; i < 4; i++) {
      const r = await c.swarmRequest(account, 'get_swarm', { pubkey: account }, { members: 10 });
      expect(dead.map((d) => d.info.ed25519Hex)).not.toContain(r.destination.ed25519Hex);
    }
    const blamedDest = events.filter((e) => e.type === 'attempt-failed' && dead.some((d) => e.error.message.includes(d.info.ed25519Hex)));
    expect(blamedDest.length).toBeGreaterThan(0);
  });
});
