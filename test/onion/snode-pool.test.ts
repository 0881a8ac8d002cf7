import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  INVALID_SWARM_ID,
  intersectNodeLists,
  MAINNET_SEED_NODES,
  parseServiceNodeList,
  parseServiceNodeListJson,
  randomIndex,
  serviceNodeFromEntry,
  shuffled,
  SnodePool,
  type DirectoryFetcher,
  type ServiceNode,
} from '../../src/onion/snode-pool.js';
import { isSessionSdkError } from '../../src/errors.js';
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync } from '../../src/crypto/noble.js';
import { toHex } from '../../src/util/bytes.js';
import { seededRandom } from '../loopback/rng.js';
import { distinctNodes, entryOf, fakeNode } from '../loopback/fake-nodes.js';
import { loadVectors } from '../helpers/vectors.js';

describe('directory parsing', () => {
  const good = distinctNodes(3);
  it('accepts every answer shape and keeps valid entries only', () => {
    const entries = good.map(entryOf);
    const bad = [
      { ...entries[0], public_ip: '0.0.0.0', pubkey_ed25519: 'aa'.repeat(32) },
      { ...entries[0], public_ip: '', pubkey_ed25519: 'bb'.repeat(32) },
      { ...entries[0], public_ip: '1.2.3', pubkey_ed25519: 'cc'.repeat(32) },
      { ...entries[0], storage_port: 0, pubkey_ed25519: 'dd'.repeat(32) },
      { ...entries[0], storage_port: 70000, pubkey_ed25519: 'ee'.repeat(32) },
      { ...entries[0], pubkey_ed25519: 'zz'.repeat(32) },
      { ...entries[0], pubkey_ed25519: 'ab'.repeat(31) },
      { ...entries[0], pubkey_ed25519: 'ac'.repeat(32), pubkey_x25519: 'short' },
      null,
      42,
      entries[0], // duplicate
    ];
    for (const shape of [
      [...entries, ...bad],
      { service_node_states: [...entries, ...bad] },
      { result: { service_node_states: [...entries, ...bad] } },
      { snodes: [...entries, ...bad] },
    ]) {
      const nodes = parseServiceNodeList(shape);
      expect(nodes.map((n) => n.ed25519Hex)).toEqual(good.map((n) => n.ed25519Hex));
      expect(nodes.map((n) => n.ip)).toEqual(good.map((n) => n.ip));
    }
  });

  it('derives the X25519 key from the Ed25519 key when the entry has none (libsession)', () => {
    const { publicKey } = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
    const n = serviceNodeFromEntry({ public_ip: '5.6.7.8', storage_port: '22021', pubkey_ed25519: toHex(publicKey) });
    expect(n?.port).toBe(22021);
    expect(toHex(n!.x25519PublicKey)).toBe(toHex(ed25519PkToX25519Sync(publicKey)));
    // An Ed25519 key that is not a curve point cannot be converted: dropped.
    expect(serviceNodeFromEntry({ public_ip: '5.6.7.8', storage_port: 1, pubkey_ed25519: 'ff'.repeat(32) })).toBeUndefined();
  });

  it('keeps 64-bit swarm ids exact from JSON text', () => {
    const text = JSON.stringify({ result: { service_node_states: [entryOf(good[0]!), entryOf(good[1]!)] } })
      .replace(`"swarm_id":"x"`, '')
      .replace(/"storage_port":22021/, `"storage_port":22021,"swarm_id": 18446744073709551615`)
      .replace(/("pubkey_ed25519":"[0-9a-f]+","pubkey_x25519":"[0-9a-f]+")\}\]/, `$1,"swarm_id":12345678901234567891}]`);
    const nodes = parseServiceNodeListJson(text);
    expect(nodes[0]!.swarmId).toBe(INVALID_SWARM_ID);
    expect(nodes[1]!.swarmId).toBe(12345678901234567891n);
    // A swarm_id inside a string value is not touched.
    const inString = parseServiceNodeListJson(JSON.stringify([{ ...entryOf(good[2]!), note: '"swarm_id":5' }]));
    expect(inString[0]!.swarmId).toBeUndefined();
    // Unsafe JSON numbers (already rounded) are treated as unknown rather than trusted.
    expect(parseServiceNodeList([{ ...entryOf(good[0]!), swarm_id: 2 ** 60 }])[0]!.swarmId).toBeUndefined();
  });

  it('throws ONION_ERROR for answers that are not node lists', () => {
    for (const bad of [null, 1, 'x', {}, { result: 5 }, { service_node_states: {} }]) {
      expect(() => parseServiceNodeList(bad)).toThrow(expect.objectContaining({ code: 'ONION_ERROR' }));
    }
    expect(() => parseServiceNodeListJson('{nope')).toThrow(expect.objectContaining({ code: 'ONION_ERROR' }));
    expect(() => parseServiceNodeListJson(5 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('only SessionSdkError escapes on random and mutated input (property)', () => {
    const valid = JSON.stringify({ result: { service_node_states: distinctNodes(4).map(entryOf) } });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.tuple(fc.nat(valid.length), fc.nat(valid.length), fc.string()).map(([a, b, s]) => valid.slice(0, Math.min(a, b)) + s + valid.slice(Math.max(a, b)))), (text) => {
        try {
          const nodes = parseServiceNodeListJson(text);
          for (const n of nodes) {
            expect(n.ed25519PublicKey.length).toBe(32);
            expect(n.x25519PublicKey.length).toBe(32);
            expect(n.ip).not.toBe('0.0.0.0');
          }
        } catch (e) {
          expect(isSessionSdkError(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (v) => {
        try {
          parseServiceNodeList(v);
        } catch (e) {
          expect(isSessionSdkError(e, 'ONION_ERROR')).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('randomIndex / shuffled', () => {
  it('stays in range, is deterministic with an injected source, and validates max', () => {
    const r = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = randomIndex(7, r);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(7);
    }
    expect(randomIndex(1)).toBe(0);
    for (const bad of [0, -1, 1.5, 2 ** 33, NaN]) expect(() => randomIndex(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = shuffled(items, seededRandom(2));
    expect([...s].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, seededRandom(2))).toEqual(s);
  });
});

describe('intersectNodeLists', () => {
  it('keeps only nodes all answers agree on exactly; a liar can only shrink the result', () => {
    const nodes = distinctNodes(30);
    const liar = nodes.map((n, i) => (i === 3 ? { ...n, ip: '6.6.6.6' } : i === 4 ? { ...n, x25519PublicKey: new Uint8Array(32) } : n));
    liar.push(fakeNode(999, '7.7.7.7')); // an invented node
    const agreed = intersectNodeLists([nodes, liar, [...nodes].reverse()]);
    expect(agreed.length).toBe(28);
    expect(agreed.map((n) => n.ed25519Hex)).not.toContain(nodes[3]!.ed25519Hex);
    expect(agreed.map((n) => n.ed25519Hex)).not.toContain(nodes[4]!.ed25519Hex);
    expect(agreed.map((n) => n.ip)).not.toContain('7.7.7.7');
    expect(intersectNodeLists([])).toEqual([]);
  });
});

/** A fake network: a seed list, per-node answers, and a log of who was asked. */
function fakeDirectory(all: ServiceNode[], overrides: Map<string, ServiceNode[] | Error> = new Map()) {
  const log: string[] = [];
  const fetcher: DirectoryFetcher = {
    async fromSeed(seed) {
      log.push(`seed:${seed.url}`);
      const o = overrides.get(seed.url);
      if (o instanceof Error) throw o;
      return o ?? all;
    },
    async fromNode(node) {
      log.push(`node:${node.ed25519Hex}`);
      const o = overrides.get(node.ed25519Hex);
      if (o instanceof Error) throw o;
      return o ?? all;
    },
  };
  return { fetcher, log };
}

describe('SnodePool', () => {
  const all = distinctNodes(60);

  it('bootstraps from a seed, then refreshes from 3 distinct-/24 members, and expires after 2 h', async () => {
    let now = 0;
    const { fetcher, log } = fakeDirectory(all);
    const pool = new SnodePool({ fetcher, now: () => now, random: seededRandom(1) });
    expect(pool.seeds).toBe(MAINNET_SEED_NODES);
    expect(pool.isStale()).toBe(true);
    expect(await pool.refresh()).toEqual({ source: 'seed', size: 60 });
    expect(log.every((l) => l.startsWith('seed:'))).toBe(true);
    expect(await pool.ensureFresh()).toBe(false);
    now += 2 * 3600_000 - 1;
    expect(pool.isStale()).toBe(false);
    now += 1;
    expect(pool.isStale()).toBe(true);
    log.length = 0;
    expect(await pool.ensureFresh()).toBe(true);
    expect(pool.lastRefreshMs).toBe(now);
    const asked = log.filter((l) => l.startsWith('node:'));
    expect(asked.length).toBe(3);
    const askedNodes = asked.map((l) => pool.get(l.slice(5))!);
    expect(new Set(askedNodes.map((n) => n.ip.split('.').slice(0, 3).join('.'))).size).toBe(3);
  });

  it('accepts a refresh only with >= 24 agreeing nodes, else falls back to a seed', async () => {
    const small = all.slice(0, 23);
    const overrides = new Map<string, ServiceNode[] | Error>();
    for (const n of all) overrides.set(n.ed25519Hex, n.ed25519Hex < all[30]!.ed25519Hex ? small : all);
    const { fetcher, log } = fakeDirectory(all, overrides);
    const pool = new SnodePool({ fetcher, random: seededRandom(5), seeds: [{ url: 'http://seed.test/' }] });
    pool.load(all.slice(0, 40));
    // Force some rounds to include a node answering only 23 nodes.
    const r = await pool.refresh();
    if (r.source === 'seed') expect(log).toContain('seed:http://seed.test/');
    expect(r.size).toBeGreaterThanOrEqual(24);
    // A network where every member answers too few nodes always ends at the seed.
    const everyoneSmall = new Map<string, ServiceNode[] | Error>(all.map((n) => [n.ed25519Hex, small]));
    const d2 = fakeDirectory(all, everyoneSmall);
    const p2 = new SnodePool({ fetcher: d2.fetcher, random: seededRandom(6), seeds: [{ url: 'http://seed.test/' }] });
    p2.load(all);
    expect(await p2.refresh()).toEqual({ source: 'seed', size: 60 });
    expect(d2.log.filter((l) => l.startsWith('node:')).length).toBe(9); // 3 rounds of 3
  });

  it('replaces a member that does not answer instead of giving up the round', async () => {
    const overrides = new Map<string, ServiceNode[] | Error>(all.slice(0, 30).map((n) => [n.ed25519Hex, new Error('down')]));
    const { fetcher, log } = fakeDirectory(all, overrides);
    const pool = new SnodePool({ fetcher, random: seededRandom(11), seeds: [{ url: 'http://seed.test/' }] });
    pool.load(all);
    const r = await pool.refresh();
    expect(r.source).toBe('nodes');
    expect(log.filter((l) => l.startsWith('node:')).length).toBeLessThanOrEqual(9);
  });

  it('rejects bad seeds and reports INSUFFICIENT_NODES when no source works', async () => {
    const overrides = new Map<string, ServiceNode[] | Error>([
      ['http://a/', new Error('down')],
      ['http://b/', all.slice(0, 5)],
    ]);
    const { fetcher } = fakeDirectory(all, overrides);
    const pool = new SnodePool({ fetcher, seeds: [{ url: 'http://a/' }, { url: 'http://b/' }] });
    await expect(pool.refresh()).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    await expect(new SnodePool({ fetcher, seeds: [] }).refresh()).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    await expect(new SnodePool().refresh()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => new SnodePool({ strikeThreshold: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new SnodePool({ expiryMs: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('shares one in-flight refresh between concurrent callers', async () => {
    const { fetcher, log } = fakeDirectory(all);
    const pool = new SnodePool({ fetcher, seeds: [{ url: 'http://s/' }] });
    await Promise.all([pool.refresh(), pool.refresh(), pool.ensureFresh()]);
    expect(log.length).toBe(1);
  });

  it('removes a node after 3 direct failures; a success resets the count', () => {
    const pool = new SnodePool();
    pool.load(all);
    const n = all[0]!;
    pool.recordDirectFailure(n);
    pool.recordDirectFailure(n);
    pool.recordDirectSuccess(n);
    expect(pool.strikes(n)).toEqual({ direct: 0, reporters: 0 });
    pool.recordDirectFailure(n);
    pool.recordDirectFailure(n);
    expect(pool.recordDirectFailure(n)).toEqual({ counted: true, removed: true });
    expect(pool.has(n)).toBe(false);
    expect(pool.recordDirectFailure(n)).toEqual({ counted: false, removed: false });
  });

  it('cannot be steered by one relay: reports count once per reporter, within a budget', () => {
    const pool = new SnodePool({ reportBudget: 3 });
    pool.load(all);
    const [victim, other] = all;
    const evil = 'ee'.repeat(32);
    // The same reporter repeating itself adds nothing.
    for (let i = 0; i < 10; i++) pool.reportByRelay(victim!.ed25519Hex, evil);
    expect(pool.strikes(victim!)).toEqual({ direct: 0, reporters: 1 });
    expect(pool.has(victim!)).toBe(true);
    // A reporter can blame at most 3 distinct nodes per epoch.
    const blamed = all.slice(2, 10).map((n) => pool.reportByRelay(n.ed25519Hex, evil).counted);
    expect(blamed.filter(Boolean).length).toBe(2);
    expect(pool.size).toBe(60);
    // Three independent reporters are needed to remove a node.
    pool.reportByRelay(other!.ed25519Hex.toUpperCase(), 'a1'.repeat(32));
    pool.reportByRelay(other!.ed25519Hex, 'a2'.repeat(32));
    expect(pool.reportByRelay(other!.ed25519Hex, 'a3'.repeat(32))).toEqual({ counted: true, removed: true });
    // Counters reset only after a verified refresh (here: load).
    pool.load(all);
    expect(pool.strikes(victim!)).toEqual({ direct: 0, reporters: 0 });
    expect(pool.reportByRelay(all[5]!.ed25519Hex, evil).counted).toBe(true);
    expect(pool.reportByRelay('00'.repeat(32), evil).counted).toBe(false);
  });

  it('removes a node on request (our own consistency check)', () => {
    const pool = new SnodePool();
    pool.load(all);
    expect(pool.remove(all[1]!.ed25519Hex.toUpperCase())).toBe(true);
    expect(pool.remove(all[1]!)).toBe(false);
    expect(pool.size).toBe(59);
  });

  it('groups swarms, leaving out nodes without a valid swarm id', () => {
    const nodes = [fakeNode(1, '1.1.1.1', 1, 5n), fakeNode(2, '2.2.2.2', 1, 5n), fakeNode(3, '3.3.3.3', 1, 9n), fakeNode(4, '4.4.4.4', 1, INVALID_SWARM_ID), fakeNode(5, '5.5.5.5', 1)];
    const pool = new SnodePool();
    pool.load(nodes);
    const swarms = pool.swarmMembers();
    expect([...swarms.keys()].sort()).toEqual([5n, 9n]);
    expect(swarms.get(5n)!.length).toBe(2);
  });

  it('uses the mainnet seeds of path-constants.json by default', () => {
    const pc = loadVectors('onion/path-constants.json');
    const desk = pc.implementations.find((i: { id: string }) => i.id === 'session-desktop');
    expect(MAINNET_SEED_NODES.map((s) => s.url)).toEqual(desk.values.seed_nodes);
  });
});

describe('defaults follow path-constants.json', () => {
  const pc = loadVectors('onion/path-constants.json');
  const desk = pc.implementations.find((i: { id: string }) => i.id === 'session-desktop').values;
  const lsu = pc.implementations.find((i: { id: string }) => i.id.startsWith('libsession newest')).values;
  const all = distinctNodes(80);

  it('expiry, minimum size, agreement and strike threshold', async () => {
    let now = 0;
    const seedAnswer: ServiceNode[][] = [all.slice(0, desk.minSnodePoolCount - 1)];
    const fetcher: DirectoryFetcher = {
      fromSeed: async () => seedAnswer[0]!,
      fromNode: async () => all.slice(0, desk.requiredSnodesForAgreement - 1),
    };
    const pool = new SnodePool({ fetcher, now: () => now, seeds: [{ url: 'http://s/' }] });
    // A seed answer one short of the minimum is refused; exactly the minimum is accepted.
    await expect(pool.refresh()).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    seedAnswer[0] = all.slice(0, lsu.cache_min_size);
    expect(await pool.refresh()).toEqual({ source: 'seed', size: 12 });
    // Expiry.
    now = lsu.cache_expiration_s * 1000 - 1;
    expect(pool.isStale()).toBe(false);
    now += 1;
    expect(pool.isStale()).toBe(true);
    // One node short of the agreement rule: the refresh from members is refused, seed used.
    seedAnswer[0] = all;
    pool.load(all.slice(0, 40), now);
    expect((await pool.refresh()).source).toBe('seed');
    // Strike threshold.
    const n = pool.nodes()[0]!;
    for (let i = 1; i < lsu.cache_node_strike_threshold; i++) expect(pool.recordDirectFailure(n).removed).toBe(false);
    expect(pool.recordDirectFailure(n).removed).toBe(true);
  });

  it('refresh asks as many members as upstream, path length and guard count match', async () => {
    const asked: string[] = [];
    const pool = new SnodePool({ fetcher: { fromSeed: async () => all, fromNode: async (x) => (asked.push(x.ed25519Hex), all) } });
    pool.load(all, -Infinity);
    await pool.refresh();
    expect(asked.length).toBe(lsu.cache_num_nodes_to_use_for_refresh);
    expect(desk.snodes_queried_for_refresh).toBe(asked.length);
    const { buildOnionPaths } = await import('../../src/onion/path.js');
    const { GuardSet } = await import('../../src/onion/path.js');
    const guards = await new GuardSet({ random: seededRandom(1) }).ensure(all, async () => true);
    expect(guards.length).toBe(desk.desiredGuardCount);
    const { paths } = buildOnionPaths(all, guards, { random: seededRandom(2) });
    expect(paths.length).toBe(lsu.min_path_counts.standard);
    for (const p of paths) expect(p.nodes.length).toBe(desk.ONION_REQUEST_HOPS);
  });
});

describe('retry back-off follows path-constants.json', () => {
  it('uses libsession\'s base and cap', async () => {
    const { backoffDelay } = await import('../../src/onion/transport.js');
    const lsu = loadVectors('onion/path-constants.json').implementations.find((i: { id: string }) => i.id.startsWith('libsession newest')).values;
    const top = () => new Uint8Array(4).fill(0xff);
    // The largest random draw gives the cap of the attempt: base for the first retry.
    expect(backoffDelay(0, { random: top })).toBe(lsu.retry_delay.base_ms);
    expect(backoffDelay(1, { random: top })).toBe(2 * lsu.retry_delay.base_ms);
    expect(backoffDelay(20, { random: top })).toBe(lsu.retry_delay.max_ms);
  });
});
