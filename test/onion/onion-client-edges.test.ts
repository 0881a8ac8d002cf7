// OnionClient decisions at the edges (spec/onion.md §5–§7): too few guards or subnets, one-off
// paths for a destination every kept path touches, relay errors that do or do not name a node,
// directory entries with inconsistent keys, a stale pool at start, and swarm requests that run out
// of members or are pointed at nodes the pool does not know. Loopback network (127.0.0.1) with a
// transport wrapper that can refuse chosen guards or answer in place of the path.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ONION_CLIENT_DEFAULTS, OnionClient, type OnionClientEvent, type OnionClientOptions } from '../../src/onion/onion-client.js';
import { OnionRelayError } from '../../src/onion/onion-response.js';
import { GuardSet, ipv4Subnet, pathAllowsDestination, type OnionPath } from '../../src/onion/path.js';
import { SnodePool, type ServiceNode, type SnodePoolOptions } from '../../src/onion/snode-pool.js';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import { SessionSdkError } from '../../src/errors.js';
import { generateIdentity, identityFromSeed } from '../../src/identity/keys.js';
import { buildRetrieveRequest } from '../../src/onion/storage.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import type { OnionTransport, TransportResponse } from '../../src/onion/transport.js';
import { LoopbackNetwork } from '../loopback/network.js';
import { seededRandom } from '../loopback/rng.js';

let net: LoopbackNetwork;
let base: OnionTransport;

beforeAll(async () => {
  net = await LoopbackNetwork.start({ nodes: 16, swarms: 2, keySeed: 'onion-client-edges' });
  base = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 2000, retries: 0 });
});
afterAll(async () => {
  await base.close?.();
  await net.close();
});

type Answer = (guard: ServiceNode, wire: Uint8Array) => Promise<TransportResponse>;

/**
 * A transport over the loopback network that reaches a guard by its key (so tests may list nodes
 * under other IPs), refuses guards outside `allowed` (when set), and lets a test answer the next
 * requests itself.
 */
function controlled() {
  const state = { allowed: undefined as Set<string> | undefined, script: [] as Answer[], sent: [] as string[] };
  const t: OnionTransport = {
    sendOnionRequest: async (guard, wire, o) => {
      state.sent.push(guard.ed25519Hex);
      if (state.allowed && !state.allowed.has(guard.ed25519Hex)) throw new SessionSdkError('TRANSPORT_ERROR', 'connection refused');
      const next = state.script.shift();
      return next ? next(guard, wire) : base.sendOnionRequest(net.node(guard).info, wire, o);
    },
    seedRequest: (s, b, o) => base.seedRequest(s, b, o),
  };
  return { t, state };
}

function mk(t: OnionTransport, extra: Partial<OnionClientOptions> = {}, poolOpts: SnodePoolOptions = {}) {
  const events: OnionClientEvent[] = [];
  const c = new OnionClient({
    transport: t,
    pool: new SnodePool({ seeds: [net.seed], random: seededRandom('pool'), ...poolOpts }),
    random: seededRandom('client'),
    retryBaseMs: 1,
    retryMaxMs: 2,
    sleep: async () => undefined,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { c, events };
}

const info = (i: number): ServiceNode => net.nodes[i]!.info;
const hexes = (p: OnionPath) => p.nodes.map((n) => n.ed25519Hex);
const ofType = <T extends OnionClientEvent['type']>(events: OnionClientEvent[], type: T) =>
  events.filter((e): e is Extract<OnionClientEvent, { type: T }> => e.type === type);
/** A node of the network that no path of `c` contains or touches. */
const outside = (c: OnionClient) => net.serviceNodes().find((n) => c.paths().every((p) => pathAllowsDestination(p, n)))!;

describe('OnionClient options', () => {
  it('validates pathCount even when a GuardSet instance is supplied', () => {
    for (const pathCount of [0, 1.5, -1]) {
      expect(() => new OnionClient({ transport: base, guards: new GuardSet(), pathCount })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('OnionClient path building', () => {
  it('start() refreshes an expired pool through the paths it already has', async () => {
    let now = 10_000_000;
    const { c, events } = mk(base, { now: () => now, pathRotationMs: Infinity }, { now: () => now, requiredAgreement: 8 });
    await c.start();
    const before = c.paths().map(hexes);
    expect(ofType(events, 'pool-refreshed').map((e) => e.source)).toEqual(['seed']);
    now += 2 * 3600_000; // the pool's default expiry
    await c.start();
    expect(ofType(events, 'pool-refreshed').map((e) => e.source)).toEqual(['seed', 'nodes']);
    expect(c.paths().map(hexes)).toEqual(before); // the paths were used, not rebuilt
    expect(ofType(events, 'path-built')).toHaveLength(2);
  });

  it('keeps running on the paths it has when there are fewer guards than pathCount', async () => {
    const { c, events } = mk(base, { guards: new GuardSet({ count: 1 }), pathCount: 2 });
    await c.start();
    expect(c.paths()).toHaveLength(1);
    await c.start(); // looks for a second guard, finds none unused, and does not fail
    expect(c.paths()).toHaveLength(1);
    expect(ofType(events, 'path-built')).toHaveLength(1);
    expect((await c.snodeRequest(outside(c), 'info', {})).status).toBe(200);
  });

  it('fails start() with PATH_BUILD_FAILED when the pool has too few subnets for pathCount paths', async () => {
    // 5 nodes in 5 distinct /24s cannot give two 3-node paths in 6 distinct /24s.
    const { c } = mk(base, { pathCount: 2 }, { minPoolSize: 1 });
    c.pool.load([2, 3, 4, 5, 6].map(info));
    await expect(c.start()).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(c.paths()).toEqual([]);
  });

  it('a new guard may share a /24 with a relay of a kept path: only that cross-path preference is waived', async () => {
    // Pool: nodes 0 and 1 share 198.18.0.0/24; nodes 2..6 each have their own /24. Guards 2 and 3
    // answer first, so the 4 relay slots need 4 subnets out of {0|1, 4, 5, 6}: exactly one of the
    // twins 0/1 becomes a relay.
    const { t, state } = controlled();
    const pool = [0, 1, 2, 3, 4, 5, 6].map(info);
    const { c, events } = mk(t, { pathCount: 2, guards: { failureThreshold: 1 } }, { minPoolSize: 1 });
    c.pool.load(pool);
    state.allowed = new Set([info(2).ed25519Hex, info(3).ed25519Hex]);
    await c.start();
    const twinHexes = [info(0).ed25519Hex, info(1).ed25519Hex];
    const kept = c.paths().find((p) => p.nodes.some((n) => twinHexes.includes(n.ed25519Hex)))!;
    const other = c.paths().find((p) => p !== kept)!;
    const relayTwin = kept.nodes.find((n) => twinHexes.includes(n.ed25519Hex))!;
    const newGuard = pool.find((n) => twinHexes.includes(n.ed25519Hex) && n !== relayTwin)!;
    // The other path's guard goes down; only the relay's subnet twin answers as a new guard.
    state.allowed = new Set([kept.nodes[0]!.ed25519Hex, newGuard.ed25519Hex]);
    const dest = info(12);
    for (let i = 0; i < 12 && !ofType(events, 'path-dropped').length; i++) expect((await c.snodeRequest(dest, 'info', {})).status).toBe(200);
    expect(ofType(events, 'path-dropped').map((e) => hexes(e.path))).toEqual([hexes(other)]);
    const rebuilt = c.paths().find((p) => p.nodes[0]!.ed25519Hex === newGuard.ed25519Hex)!;
    expect(rebuilt).toBeDefined();
    expect(ipv4Subnet(rebuilt.nodes[0]!.ip)).toBe(ipv4Subnet(relayTwin.ip)); // preference given up…
    expect(hexes(rebuilt).filter((h) => hexes(kept).includes(h))).toEqual([]); // …but never node sharing
    expect(new Set(rebuilt.nodes.map((n) => ipv4Subnet(n.ip))).size).toBe(3); // per-path rule kept
    expect(c.paths().map(hexes)).toContainEqual(hexes(kept));
  });
});

describe('OnionClient one-off paths', () => {
  it('reaches a destination that is a relay of the only path through a one-off path with the same guard', async () => {
    const { c, events } = mk(base, { pathCount: 1 });
    await c.start();
    const [kept] = c.paths();
    const dest = kept!.nodes[1]!;
    const r = await c.snodeRequest(dest, 'info', {});
    expect(r.status).toBe(200);
    expect(r.path.nodes[0]!.ed25519Hex).toBe(kept!.nodes[0]!.ed25519Hex);
    expect(pathAllowsDestination(r.path, dest)).toBe(true);
    expect(c.paths()).toEqual([kept]); // the one-off path is not kept
    expect(ofType(events, 'path-built')).toHaveLength(1);
  });

  it('refuses with PATH_BUILD_FAILED a destination that is the only guard, without sending anything', async () => {
    const { t, state } = controlled();
    const { c } = mk(t, { pathCount: 1 });
    await c.start();
    const sent = state.sent.length;
    await expect(c.snodeRequest(c.paths()[0]!.nodes[0]!, 'info', {})).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(state.sent.length).toBe(sent);
  });

  it('a failure on a one-off path strikes it, not the kept path', async () => {
    const { t, state } = controlled();
    const { c, events } = mk(t, { pathCount: 1, pathStrikeThreshold: 1 });
    await c.start();
    const [kept] = c.paths();
    state.script.push(async () => {
      throw new SessionSdkError('TIMEOUT', 'no answer');
    });
    const r = await c.snodeRequest(kept!.nodes[2]!, 'info', {});
    expect(r.attempts).toBe(2);
    expect(ofType(events, 'attempt-failed').map((e) => e.error.code)).toEqual(['TIMEOUT']);
    expect(ofType(events, 'path-dropped')).toEqual([]);
    expect(c.paths()).toEqual([kept]);
  });
});

describe('OnionClient relay errors', () => {
  /** An answer as if the path's relay at `index` said `status text <node>`. */
  const blame = (c: OnionClient, status: number, text: string, index: number): Answer => async (guard) => {
    const p = c.paths().find((x) => x.nodes[0]!.ed25519Hex === guard.ed25519Hex)!;
    return { status, body: utf8(`${text}${p.nodes[index]!.ed25519Hex}`) };
  };

  it('503 "Snode not ready" naming a relay replaces that relay and retries', async () => {
    const { t, state } = controlled();
    const { c, events } = mk(t, { pathCount: 1 });
    await c.start();
    const blamed = c.paths()[0]!.nodes[2]!;
    state.script.push(blame(c, 503, 'Snode not ready: ', 2));
    const r = await c.snodeRequest(outside(c), 'info', {});
    expect(r.attempts).toBe(2);
    const [rep] = ofType(events, 'path-repaired');
    expect(rep).toMatchObject({ index: 2 });
    expect(rep!.reason).toContain('SERVICE_UNAVAILABLE');
    expect(hexes(c.paths()[0]!)).not.toContain(blamed.ed25519Hex);
    expect(c.pool.strikes(blamed).reporters).toBe(1);
  });

  it('a path timeout (504) that names no node strikes the path without repairing it', async () => {
    const { t, state } = controlled();
    const { c, events } = mk(t, { pathCount: 1 });
    await c.start();
    const before = hexes(c.paths()[0]!);
    state.script.push(async () => ({ status: 504, body: utf8('Request time out') }));
    const r = await c.snodeRequest(outside(c), 'info', {});
    expect(r.attempts).toBe(2);
    expect(ofType(events, 'attempt-failed').map((e) => [e.error.code, e.error instanceof OnionRelayError && e.error.node])).toEqual([['TIMEOUT', undefined]]);
    expect(ofType(events, 'path-repaired')).toEqual([]);
    expect(hexes(c.paths()[0]!)).toEqual(before);
  });

  it('repairs a path for a server request too (no service node to keep clear of)', async () => {
    const srv = await net.startServer('edges.test');
    const { t, state } = controlled();
    const { c, events } = mk(t, { pathCount: 1 });
    await c.start();
    state.script.push(blame(c, 502, 'Next node not found: ', 1));
    const r = await c.serverRequest(
      { type: 'server', host: 'edges.test', target: '/oxen/v4/lsrpc', protocol: 'http', port: srv.port, x25519PublicKey: srv.x25519PublicKey },
      { method: 'GET', endpoint: '/ping' },
    );
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(2);
    expect(ofType(events, 'path-repaired').map((e) => e.index)).toEqual([1]);
  });

  it('keeps paths out of the /24 of a server given by IPv4 literal even without a port', async () => {
    const { c, events } = mk(base, { pathCount: 1 });
    await c.start();
    const host = c.paths()[0]!.nodes[1]!.ip.replace(/\.\d+$/, '.250');
    // Nothing listens there on the default port: the last hop refuses to proxy, which is the
    // caller's error; what matters is the path that carried it.
    await expect(
      c.serverRequest({ type: 'server', host, target: '/oxen/v4/lsrpc', protocol: 'http', x25519PublicKey: new Uint8Array(32).fill(5) }, { method: 'GET', endpoint: '/x' }),
    ).rejects.toBeInstanceOf(OnionRelayError);
    const [failed] = ofType(events, 'attempt-failed');
    expect(failed!.path.nodes.every((n) => ipv4Subnet(n.ip) !== ipv4Subnet(host))).toBe(true);
  });
});

describe('OnionClient directory entries with inconsistent keys', () => {
  it('drops a relay whose X25519 key is not its Ed25519 key\'s before sealing any layer to it', async () => {
    const { t, state } = controlled();
    const forged: ServiceNode = { ...info(4), x25519PublicKey: info(5).x25519PublicKey };
    // Three nodes in three /24s: the only possible path holds the forged node (it cannot be the
    // guard: it fails the probe, which is sealed to the key it lists).
    const { c, events } = mk(t, { pathCount: 1 }, { minPoolSize: 1 });
    c.pool.load([info(2), info(3), forged]);
    await c.start();
    expect(hexes(c.paths()[0]!)).toContain(forged.ed25519Hex);
    expect(c.paths()[0]!.nodes[0]!.ed25519Hex).not.toBe(forged.ed25519Hex);
    const sent = state.sent.length;
    await expect(c.snodeRequest(info(12), 'info', {})).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(ofType(events, 'attempt-failed').map((e) => e.error.code)).toEqual(['INVALID_KEY']);
    expect(ofType(events, 'path-dropped').map((e) => e.reason)).toEqual(['inconsistent node keys']);
    expect(c.pool.has(forged)).toBe(false);
    expect(state.sent.length).toBe(sent); // nothing was sent once the forged relay was seen
  });
});

describe('ONION_CLIENT_DEFAULTS', () => {
  it('is frozen and is what a client without options uses (libsession path shape, spec/onion.md §6–§7)', async () => {
    expect(Object.isFrozen(ONION_CLIENT_DEFAULTS)).toBe(true);
    expect(ONION_CLIENT_DEFAULTS).toMatchObject({ encType: 'xchacha20', pathLength: 3, pathCount: 2, subnetBits: 24, pathStrikeThreshold: 3 });
    const { c } = mk(base, {}, { minPoolSize: 1 });
    await c.start();
    expect(c.paths()).toHaveLength(ONION_CLIENT_DEFAULTS.pathCount);
    for (const p of c.paths()) expect(p.nodes).toHaveLength(ONION_CLIENT_DEFAULTS.pathLength);
  });
});

describe('OnionClient swarm lookups', () => {
  const account = '05' + 'cd'.repeat(32); // swarm space 0: the swarm with id 0x1234
  const rightSwarm = () => net.swarmFor(new Uint8Array(32).fill(0xcd));

  it('refuses a get_swarm answer that names only nodes the pool does not know', async () => {
    const { c } = mk(base, {}, { minPoolSize: 1 });
    await c.start();
    const outsiders = net.serviceNodes().filter((n) => n.swarmId !== rightSwarm());
    c.pool.load(outsiders.map(({ swarmId: _drop, ...rest }) => rest));
    await expect(c.swarmFor(account)).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
  });

  it('an empty pool (paths already built) is INSUFFICIENT_NODES, not a random-index error', async () => {
    const { c } = mk(base, {}, { minPoolSize: 1 });
    await c.start();
    // The pool emptied under the client (every node dropped after failures) while paths remain.
    vi.spyOn(c.pool, 'nodes').mockReturnValue([]);
    await expect(c.swarmFor(account)).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES', message: expect.stringContaining('pool is empty') });
  });

  it('does not follow a 421 to nodes the pool does not know', async () => {
    const { c, events } = mk(base, {}, { minPoolSize: 1 });
    await c.start();
    const dave = identityFromSeed(new Uint8Array(32).fill(0x44));
    const daves = net.swarmFor(dave.x25519PublicKey);
    // The pool only knows the other swarm, and believes it is Dave's.
    const wrong = net.serviceNodes().filter((n) => n.swarmId !== daves);
    c.pool.load(wrong.map((n) => ({ ...n, swarmId: daves })));
    const req = await buildRetrieveRequest({ auth: { pubkey: dave.sessionId, ed25519SecretKey: dave.ed25519SecretKey } });
    const err = await c.swarmRequest(dave.sessionId, req.method, req.params, { members: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnionRelayError);
    expect(err).toMatchObject({ code: 'WRONG_SWARM', source: 'destination' });
    const named = (err as OnionRelayError).swarm!.map((n) => n.ed25519Hex);
    expect(named.length).toBeGreaterThan(0);
    expect(named.some((h) => c.pool.has(h))).toBe(false);
    // Two members asked (the first 421 is followed once, to nobody new), and both were the pool's.
    const asked = ofType(events, 'attempt-failed').map((e) => e.error.code);
    expect(asked).toEqual(['WRONG_SWARM', 'WRONG_SWARM']);
  });

  it('tries each member once when every one is down, then throws the last error', async () => {
    const { c, events } = mk(base, {}, { minPoolSize: 1 });
    await c.start();
    // Two well-formed members the network does not have: the last hop answers 502 naming each.
    const ghosts: ServiceNode[] = ['198.18.200.1', '198.19.201.1'].map((ip) => {
      const id = generateIdentity();
      return { ed25519PublicKey: id.ed25519PublicKey, x25519PublicKey: id.x25519PublicKey, ed25519Hex: toHex(id.ed25519PublicKey), ip, port: 1, swarmId: 0n };
    });
    c.pool.load([...c.pool.nodes(), ...ghosts]);
    await expect(c.swarmRequest(account, 'info', {}, { members: 5 })).rejects.toMatchObject({ code: 'NODE_NOT_FOUND', source: 'path' });
    const blamed = ofType(events, 'attempt-failed').map((e) => (e.error as OnionRelayError).node);
    expect(blamed.sort()).toEqual(ghosts.map((g) => g.ed25519Hex).sort());
  });

  it('asks nobody and throws INSUFFICIENT_NODES when told to try zero members', async () => {
    const { t, state } = controlled();
    const { c } = mk(t);
    await c.start();
    const sent = state.sent.length;
    await expect(c.swarmRequest(account, 'info', {}, { members: 0 })).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    expect(state.sent.length).toBe(sent);
  });
});
