// Service-node pool and path-rule edges (spec/onion.md §5.1–§5.2, §6): rejection sampling without
// modulo bias, directory field precedence, de-duplication of lists and votes, refresh fallback,
// relay repair with and without cross-path subnet diversity or in /16 mode, guard candidates that
// the subnet rules rule out before any probe.
import { describe, expect, it } from 'vitest';
import {
  intersectNodeLists,
  randomIndex,
  serviceNodeFromEntry,
  SnodePool,
  type DirectoryFetcher,
  type ServiceNode,
} from '../../src/onion/snode-pool.js';
import { GuardSet, ipv4Subnet, repairOnionPath, type OnionPath } from '../../src/onion/path.js';
import { distinctNodes, entryOf, fakeNode } from '../loopback/fake-nodes.js';

describe('randomIndex', () => {
  it('redraws values at or above the largest multiple of max (no modulo bias)', () => {
    const draws = [
      [0xff, 0xff, 0xff, 0xff], // 2^32 - 1 >= limit for max 3: rejected
      [0x00, 0x00, 0x00, 0x05],
    ];
    let used = 0;
    const random = (n: number) => {
      expect(n).toBe(4);
      return Uint8Array.from(draws[used++]!);
    };
    expect(randomIndex(3, random)).toBe(5 % 3);
    expect(used).toBe(2);
    // For a power of two every value is accepted on the first draw.
    used = 0;
    expect(randomIndex(4, random)).toBe(3);
    expect(used).toBe(1);
  });
});

describe('directory entries', () => {
  const [n] = distinctNodes(1);
  const { storage_port: _omit, ...noPort } = entryOf(n!);

  it('takes the port from storage_port, then port_https, then port', () => {
    expect(serviceNodeFromEntry({ ...noPort, port: 1111 })?.port).toBe(1111);
    expect(serviceNodeFromEntry({ ...noPort, port_https: 2222, port: 1111 })?.port).toBe(2222);
    expect(serviceNodeFromEntry({ ...noPort, storage_port: 3333, port_https: 2222, port: 1111 })?.port).toBe(3333);
    expect(serviceNodeFromEntry(noPort)).toBeUndefined();
  });
});

describe('SnodePool lists', () => {
  const nodes = distinctNodes(14);

  it('load() keeps one entry per key and drops unusable addresses', () => {
    const pool = new SnodePool({ minPoolSize: 1 });
    pool.load([nodes[0]!, { ...nodes[0]!, port: 9 }, { ...nodes[1]!, ip: '0.0.0.0' }, nodes[2]!]);
    expect(pool.size).toBe(2);
    expect(pool.get(nodes[0]!.ed25519Hex)!.port).toBe(nodes[0]!.port); // the first entry wins
    expect(pool.has(nodes[1]!)).toBe(false);
  });

  it('strikes() accepts a node or its hex key in any case', () => {
    const pool = new SnodePool({ minPoolSize: 1 });
    pool.load(nodes);
    pool.recordDirectFailure(nodes[3]!);
    expect(pool.strikes(nodes[3]!.ed25519Hex.toUpperCase())).toEqual({ direct: 1, reporters: 0 });
    expect(pool.strikes(nodes[3]!)).toEqual({ direct: 1, reporters: 0 });
  });

  it('a node listed twice in one answer is one vote, not two', () => {
    const [a, b] = nodes;
    expect(intersectNodeLists([[a!, a!], [b!]])).toEqual([]);
    expect(intersectNodeLists([[a!, a!, b!], [a!]])).toEqual([a]);
  });

  it('falls back to a seed at once when fewer members than refreshNodeCount answer', async () => {
    const asked: string[] = [];
    const fetcher: DirectoryFetcher = {
      fromSeed: async () => nodes,
      fromNode: async (node) => {
        asked.push(node.ed25519Hex);
        if (asked.length > 1) throw new Error('down');
        return nodes;
      },
    };
    const pool = new SnodePool({ fetcher, minPoolSize: 12, requiredAgreement: 1, seeds: [{ url: 'http://seed.test/' }] });
    pool.load(nodes);
    expect(await pool.refresh()).toEqual({ source: 'seed', size: 14 });
    // One round only: 3 asked, then replacements up to 3 × 3 members; no second round.
    expect(asked.length).toBe(9);
  });
});

describe('repairOnionPath rules', () => {
  // Path g(1.1.1.1) r1(2.2.2.2) r2(3.3.3.3); another path uses 4.4.4.4 and 5.5.5.5 / 6.6.6.6.
  const g = fakeNode(1, '1.1.1.1');
  const r1 = fakeNode(2, '2.2.2.2');
  const r2 = fakeNode(3, '3.3.3.3');
  const path: OnionPath = { nodes: [g, r1, r2] };
  const other: OnionPath = { nodes: [fakeNode(4, '4.4.4.4'), fakeNode(5, '5.5.5.5'), fakeNode(6, '6.6.6.6')] };

  it('without cross-path diversity a replacement may share another path\'s subnet, never its nodes', () => {
    const twin = fakeNode(7, '4.4.4.9'); // same /24 as the other path's guard
    const pool = [g, r1, r2, ...other.nodes, twin];
    expect(() => repairOnionPath(path, 1, pool, { otherPaths: [other] })).toThrow(expect.objectContaining({ code: 'PATH_BUILD_FAILED' }));
    const repaired = repairOnionPath(path, 1, pool, { otherPaths: [other], crossPathDiversity: false });
    expect(repaired.nodes.map((n) => n.ed25519Hex)).toEqual([g, twin, r2].map((n) => n.ed25519Hex));
  });

  it('in /16 mode prefers a node in a fresh /16 and falls back to a fresh /24', () => {
    const same16 = fakeNode(8, '3.3.9.9'); // r2's /16, its own /24
    const fresh16 = fakeNode(9, '9.9.9.9');
    const fb = repairOnionPath(path, 1, [g, r1, r2, same16], { subnetBits: 16 });
    expect(fb.nodes[1]).toBe(same16);
    for (let s = 0; s < 8; s++) {
      const pref = repairOnionPath(path, 1, [g, r1, r2, same16, fresh16], { subnetBits: 16 });
      expect(pref.nodes[1]).toBe(fresh16);
    }
    // /24 itself is never given up
    expect(() => repairOnionPath(path, 1, [g, r1, r2, fakeNode(10, '3.3.3.200')], { subnetBits: 16 })).toThrow(
      expect.objectContaining({ code: 'PATH_BUILD_FAILED' }),
    );
  });
});

describe('GuardSet candidates', () => {
  it('never probes a candidate in an avoided subnet, and fails with PATH_BUILD_FAILED when none is left', async () => {
    const dest = fakeNode(20, '8.8.8.8');
    const pool = [1, 2, 3].map((i) => fakeNode(20 + i, `8.8.8.${10 + i}`));
    const probed: string[] = [];
    const set = new GuardSet({ count: 2 });
    await expect(set.ensure(pool, async (n) => (probed.push(n.ed25519Hex), true), [dest])).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(probed).toEqual([]);
    expect(pool.every((n) => ipv4Subnet(n.ip) === ipv4Subnet(dest.ip))).toBe(true);
  });
});
