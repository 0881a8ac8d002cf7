// The opt-in node IP filter (spec/onion.md §5): isPublicIpv4 against the IANA special-purpose
// IPv4 blocks, and SnodePool / OnionClient dropping filtered nodes wherever a list enters the pool.
import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPublicIpv4, SnodePool, type DirectoryFetcher, type ServiceNode } from '../../src/onion/snode-pool.js';
import { OnionClient } from '../../src/onion/onion-client.js';
import type { OnionTransport } from '../../src/onion/transport.js';
import { SessionSdkError } from '../../src/errors.js';
import { distinctNodes, fakeNode } from '../loopback/fake-nodes.js';

// [first, last, just below, just above] of every block; `undefined` where the neighbour is itself
// in a block (0.0.0.0 has none below, 224/4 and 240/4 touch, 255.255.255.255 is the end).
const BLOCKS: readonly [string, string, string, string | undefined, string | undefined][] = [
  ['0.0.0.0/8', '0.0.0.0', '0.255.255.255', undefined, '1.0.0.0'],
  ['10.0.0.0/8', '10.0.0.0', '10.255.255.255', '9.255.255.255', '11.0.0.0'],
  ['100.64.0.0/10', '100.64.0.0', '100.127.255.255', '100.63.255.255', '100.128.0.0'],
  ['127.0.0.0/8', '127.0.0.0', '127.255.255.255', '126.255.255.255', '128.0.0.0'],
  ['169.254.0.0/16', '169.254.0.0', '169.254.255.255', '169.253.255.255', '169.255.0.0'],
  ['172.16.0.0/12', '172.16.0.0', '172.31.255.255', '172.15.255.255', '172.32.0.0'],
  ['192.0.0.0/24', '192.0.0.0', '192.0.0.255', '191.255.255.255', '192.0.1.0'],
  ['192.0.2.0/24', '192.0.2.0', '192.0.2.255', '192.0.1.255', '192.0.3.0'],
  ['192.88.99.0/24', '192.88.99.0', '192.88.99.255', '192.88.98.255', '192.88.100.0'],
  ['192.168.0.0/16', '192.168.0.0', '192.168.255.255', '192.167.255.255', '192.169.0.0'],
  ['198.18.0.0/15', '198.18.0.0', '198.19.255.255', '198.17.255.255', '198.20.0.0'],
  ['198.51.100.0/24', '198.51.100.0', '198.51.100.255', '198.51.99.255', '198.51.101.0'],
  ['203.0.113.0/24', '203.0.113.0', '203.0.113.255', '203.0.112.255', '203.0.114.0'],
  ['224.0.0.0/4', '224.0.0.0', '239.255.255.255', '223.255.255.255', undefined],
  ['240.0.0.0/4', '240.0.0.0', '255.255.255.255', undefined, undefined],
];

describe('isPublicIpv4', () => {
  it.each(BLOCKS)('%s: first and last address inside are rejected, the neighbours outside accepted', (_, first, last, below, above) => {
    expect(isPublicIpv4(first), first).toBe(false);
    expect(isPublicIpv4(last), last).toBe(false);
    if (below !== undefined) expect(isPublicIpv4(below), below).toBe(true);
    if (above !== undefined) expect(isPublicIpv4(above), above).toBe(true);
  });

  it('limited broadcast and the edges of 224/4 + 240/4 are rejected', () => {
    for (const ip of ['255.255.255.255', '255.255.255.254', '239.255.255.255', '240.0.0.0']) expect(isPublicIpv4(ip), ip).toBe(false);
  });

  it('accepts ordinary public addresses', () => {
    for (const ip of ['1.1.1.1', '8.8.8.8', '11.0.0.1', '100.63.0.1', '172.32.0.1', '192.0.1.1', '193.0.0.1', '223.255.255.255']) {
      expect(isPublicIpv4(ip), ip).toBe(true);
    }
  });

  it('rejects anything that is not a canonical dotted quad', () => {
    for (const v of ['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', ' 1.1.1.1', '1.1.1.1 ', '::1', '::ffff:1.1.1.1', '0x1.1.1.1', 16843009, null, undefined, {}, ['1.1.1.1']]) {
      expect(isPublicIpv4(v), JSON.stringify(v)).toBe(false);
    }
  });

  it('agrees with node:net BlockList over the same registry blocks (random addresses)', () => {
    const list = new BlockList();
    for (const [cidr] of BLOCKS) {
      const [net, bits] = cidr.split('/');
      list.addSubnet(net!, Number(bits), 'ipv4');
    }
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    fc.assert(fc.property(ip, (a) => isPublicIpv4(a) === !list.check(a, 'ipv4')), { seed: 42, numRuns: 2000 });
  });
});

// 12 public nodes (11.x.x.x…) and one node in each kind of non-public range.
const PUBLIC = distinctNodes(12);
const NON_PUBLIC = ['127.0.0.1', '10.1.2.3', '192.168.1.10', '172.20.0.5', '100.64.0.1', '169.254.169.254', '224.0.0.251', '255.255.255.255', '0.1.2.3'].map((ip, i) => fakeNode(1000 + i, ip));
const MIXED = [...NON_PUBLIC.slice(0, 4), ...PUBLIC, ...NON_PUBLIC.slice(4)];
const seedFetcher = (answer: readonly ServiceNode[]): DirectoryFetcher => ({ fromSeed: async () => [...answer], fromNode: async () => [...answer] });
const ips = (nodes: readonly ServiceNode[]) => nodes.map((n) => n.ip).sort();

describe('SnodePool acceptNodeIp', () => {
  it('drops nodes the filter rejects from a seed answer', async () => {
    const pool = new SnodePool({ fetcher: seedFetcher(MIXED), seeds: [{ url: 'https://seed/' }], acceptNodeIp: isPublicIpv4 });
    expect(await pool.refresh()).toEqual({ source: 'seed', size: PUBLIC.length });
    expect(ips(pool.nodes())).toEqual(ips(PUBLIC));
    for (const n of NON_PUBLIC) expect(pool.has(n), n.ip).toBe(false);
  });

  it('counts only accepted nodes towards minPoolSize', async () => {
    const pool = new SnodePool({ fetcher: seedFetcher([...PUBLIC.slice(0, 11), ...NON_PUBLIC]), seeds: [{ url: 'https://seed/' }], acceptNodeIp: isPublicIpv4 });
    await expect(pool.refresh()).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    expect(pool.size).toBe(0);
  });

  it('filters a refresh from pool members before the agreement threshold', async () => {
    const members = distinctNodes(30, 100);
    // Every member agrees on 20 public and 9 non-public nodes: 20 < requiredAgreement 24, so the
    // agreement is refused after filtering and the pool falls back to its seed.
    const agreed = [...distinctNodes(20, 200), ...NON_PUBLIC];
    const fetcher: DirectoryFetcher = { fromSeed: async () => PUBLIC, fromNode: async () => agreed };
    const pool = new SnodePool({ fetcher, seeds: [{ url: 'https://seed/' }], acceptNodeIp: isPublicIpv4 });
    pool.load(members, Number.NEGATIVE_INFINITY);
    expect(await pool.refresh()).toEqual({ source: 'seed', size: PUBLIC.length });
    // Without the filter the same answers are agreement enough (29 ≥ 24).
    const open = new SnodePool({ fetcher, seeds: [{ url: 'https://seed/' }] });
    open.load(members, Number.NEGATIVE_INFINITY);
    expect(await open.refresh()).toEqual({ source: 'nodes', size: agreed.length });
  });

  it('drops rejected nodes from load() too (a cache cannot bring them back)', () => {
    const pool = new SnodePool({ acceptNodeIp: isPublicIpv4 });
    pool.load(MIXED);
    expect(ips(pool.nodes())).toEqual(ips(PUBLIC));
    expect(pool.get(NON_PUBLIC[0]!.ed25519Hex)).toBeUndefined();
  });

  it('fails closed: a filter that throws or returns a non-boolean rejects the node', () => {
    const pool = new SnodePool({
      acceptNodeIp: (ip) => {
        if (ip.startsWith('11.')) throw new Error('cannot decide');
        return (ip.startsWith('12.') ? 1 : true) as boolean;
      },
    });
    pool.load([fakeNode(1, '11.0.0.1'), fakeNode(2, '12.0.0.1'), fakeNode(3, '13.0.0.1')]);
    expect(ips(pool.nodes())).toEqual(['13.0.0.1']);
  });

  it('default: no filter beyond isUsableNodeIp (loopback and private nodes stay, as upstream)', async () => {
    const pool = new SnodePool({ fetcher: seedFetcher(MIXED), seeds: [{ url: 'https://seed/' }] });
    expect(await pool.refresh()).toEqual({ source: 'seed', size: MIXED.length });
    expect(pool.has(NON_PUBLIC[0]!)).toBe(true); // 127.0.0.1: the loopback test network relies on it
    pool.load([fakeNode(1, '0.0.0.0'), ...PUBLIC]);
    expect(pool.size).toBe(PUBLIC.length); // 0.0.0.0 is still refused
  });

  it('rejects a non-function acceptNodeIp with INVALID_INPUT', () => {
    for (const bad of [true, 'isPublicIpv4', 42, {}, null]) {
      const make = () => new SnodePool({ acceptNodeIp: bad as never });
      expect(make, String(bad)).toThrow(SessionSdkError);
      expect(make, String(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('OnionClient acceptNodeIp', () => {
  const transport = { sendOnionRequest: async () => ({ status: 500, body: new Uint8Array() }) } as unknown as OnionTransport;

  it('passes the filter to the pool it creates', () => {
    const client = new OnionClient({ transport, acceptNodeIp: isPublicIpv4 });
    client.pool.load(MIXED);
    expect(ips(client.pool.nodes())).toEqual(ips(PUBLIC));
    const open = new OnionClient({ transport });
    open.pool.load(MIXED);
    expect(open.pool.size).toBe(MIXED.length);
  });

  it('rejects a bad filter, and a filter next to an existing pool, with INVALID_INPUT', () => {
    expect(() => new OnionClient({ transport, acceptNodeIp: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new OnionClient({ transport, pool: new SnodePool(), acceptNodeIp: isPublicIpv4 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
