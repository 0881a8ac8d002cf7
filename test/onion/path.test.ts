import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildOnionPaths,
  GuardSet,
  ipv4Subnet,
  MemoryGuardStore,
  pathAllowsDestination,
  repairOnionPath,
  type OnionPath,
  type SubnetBits,
} from '../../src/onion/path.js';
import type { ServiceNode } from '../../src/onion/snode-pool.js';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';
import { seededRandom } from '../loopback/rng.js';
import { distinctNodes, fakeNode } from '../loopback/fake-nodes.js';

const sub = (n: ServiceNode, bits: SubnetBits = 24) => ipv4Subnet(n.ip, bits);

/** Checks every rule of src/onion/path.ts for a set of paths. */
function assertPathRules(paths: readonly OnionPath[], len: number, bits: SubnetBits, avoid: readonly ServiceNode[], cross: boolean) {
  const allKeys = new Set<string>();
  const allSubnets = new Set<string>();
  for (const p of paths) {
    expect(p.nodes.length).toBe(len);
    const keys = new Set(p.nodes.map((n) => n.ed25519Hex));
    expect(keys.size).toBe(len);
    const subnets = new Set(p.nodes.map((n) => sub(n, bits)));
    expect(subnets.size).toBe(len); // guard included
    expect(new Set(p.nodes.map((n) => sub(n, 24))).size).toBe(len);
    for (const a of avoid) {
      expect(keys.has(a.ed25519Hex)).toBe(false);
      expect(subnets.has(sub(a, bits))).toBe(false);
      expect(pathAllowsDestination(p, a, bits)).toBe(true);
    }
    for (const n of p.nodes) {
      expect(allKeys.has(n.ed25519Hex)).toBe(false);
      allKeys.add(n.ed25519Hex);
      if (cross) {
        expect(allSubnets.has(sub(n, bits))).toBe(false);
        allSubnets.add(sub(n, bits));
      }
    }
  }
}

// Random pools concentrated in few subnets, so collisions are the norm.
const ipArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 254 }))
  .map(([a, b, c, d]) => `${a}.${b}.${c}.${d}`);
const poolArb = fc.array(ipArb, { minLength: 1, maxLength: 40 }).map((ips) => ips.map((ip, i) => fakeNode(i, ip)));

describe('ipv4Subnet', () => {
  it('truncates to /24 and /16', () => {
    expect(ipv4Subnet('203.0.113.7')).toBe('203.0.113');
    expect(ipv4Subnet('203.0.113.7', 16)).toBe('203.0');
  });
  it('rejects non-IPv4 input with INVALID_INPUT', () => {
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '::1', 'a.b.c.d', '1.2.3.-4']) {
      expect(() => ipv4Subnet(bad)).toThrow(SessionSdkError);
      try { ipv4Subnet(bad); } catch (e) { expect(isSessionSdkError(e, 'INVALID_INPUT')).toBe(true); }
    }
    expect(() => ipv4Subnet('1.2.3.4', 8 as SubnetBits)).toThrow(/subnet bits/);
  });
});

describe('buildOnionPaths: properties over random pools', () => {
  it('either satisfies every rule, or fails exactly when too few distinct /24s exist (cross-path mode)', () => {
    fc.assert(
      fc.property(poolArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.integer(), (pool, guardCount, len, withDest, seed) => {
        const guards = pool.slice(0, Math.min(guardCount, pool.length));
        const rest = pool.slice(guards.length);
        const dest = withDest && rest.length > 0 ? rest[rest.length - 1]! : undefined;
        const avoid = dest ? [dest] : [];
        // Feasibility, computed independently: guards pairwise /24-distinct, none the destination
        // or in its /24, and enough further distinct /24s for every relay slot.
        const forbidden = new Set(avoid.map((a) => sub(a)));
        const guardSubs = new Set(guards.map((g) => sub(g)));
        const guardsOk = guardSubs.size === guards.length && guards.every((g) => !forbidden.has(sub(g)));
        const free = new Set(rest.filter((n) => n !== dest && !forbidden.has(sub(n)) && !guardSubs.has(sub(n))).map((n) => sub(n)));
        const feasible = guardsOk && free.size >= guards.length * (len - 1);
        let result;
        try {
          result = buildOnionPaths(pool, guards, { pathLength: len, avoid, random: seededRandom(seed) });
        } catch (e) {
          expect(isSessionSdkError(e, 'PATH_BUILD_FAILED')).toBe(true);
          expect(feasible).toBe(false);
          return;
        }
        expect(feasible).toBe(true);
        expect(result.paths.length).toBe(guards.length);
        result.paths.forEach((p, i) => expect(p.nodes[0]).toBe(guards[i]));
        assertPathRules(result.paths, len, 24, avoid, true);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('per-path mode keeps distinct nodes across paths and the /24 rule within each path', () => {
    fc.assert(
      fc.property(poolArb, fc.integer({ min: 1, max: 3 }), fc.integer(), (pool, guardCount, seed) => {
        const guards = pool.slice(0, Math.min(guardCount, pool.length));
        try {
          const r = buildOnionPaths(pool, guards, { crossPathDiversity: false, random: seededRandom(seed) });
          assertPathRules(r.paths, 3, 24, [], false);
        } catch (e) {
          expect(isSessionSdkError(e, 'PATH_BUILD_FAILED')).toBe(true);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('/16 mode applies /16 when the pool allows it and otherwise falls back to /24, never below', () => {
    fc.assert(
      fc.property(poolArb, fc.integer(), (pool, seed) => {
        const guards = pool.slice(0, Math.min(2, pool.length));
        try {
          const r = buildOnionPaths(pool, guards, { subnetBits: 16, random: seededRandom(seed) });
          assertPathRules(r.paths, 3, r.subnetBits, [], true);
          if (r.subnetBits === 24) expect(r.fellBack).toBe(true);
          if (r.subnetBits === 16) expect(r.fellBack).toBe(false);
        } catch (e) {
          expect(isSessionSdkError(e, 'PATH_BUILD_FAILED')).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('uses /16 on a pool with enough /16s and reports the measured count', () => {
    const pool = distinctNodes(30);
    const r = buildOnionPaths(pool, pool.slice(0, 2), { subnetBits: 16, random: seededRandom(1) });
    expect(r.subnetBits).toBe(16);
    expect(r.fellBack).toBe(false);
    expect(r.eligibleSubnets).toBeGreaterThanOrEqual(6);
    assertPathRules(r.paths, 3, 16, [], true);
  });

  it('falls back to /24 when every node shares one /16', () => {
    const pool = Array.from({ length: 20 }, (_, i) => fakeNode(i, `100.64.${i}.1`));
    const r = buildOnionPaths(pool, pool.slice(0, 2), { subnetBits: 16, random: seededRandom(2) });
    expect(r.subnetBits).toBe(24);
    expect(r.fellBack).toBe(true);
    expect(r.eligibleSubnets).toBe(1);
    assertPathRules(r.paths, 3, 24, [], true);
  });

  it('is deterministic for an injected RNG and varies with it', () => {
    const pool = distinctNodes(40);
    const a = buildOnionPaths(pool, pool.slice(0, 2), { random: seededRandom('x') });
    const b = buildOnionPaths(pool, pool.slice(0, 2), { random: seededRandom('x') });
    const c = buildOnionPaths(pool, pool.slice(0, 2), { random: seededRandom('y') });
    const keys = (r: typeof a) => r.paths.map((p) => p.nodes.map((n) => n.ed25519Hex).join()).join('|');
    expect(keys(a)).toBe(keys(b));
    expect(keys(a)).not.toBe(keys(c));
  });

  it('picks relays uniformly (chi-square)', () => {
    const pool = distinctNodes(20);
    const guard = pool[0]!;
    const counts = new Map<string, number>();
    const rng = seededRandom('uniform');
    const N = 9500;
    for (let i = 0; i < N; i++) {
      const r = buildOnionPaths(pool, [guard], { pathLength: 2, random: rng });
      const k = r.paths[0]!.nodes[1]!.ed25519Hex;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(19);
    const expected = N / 19;
    let chi = 0;
    for (const c of counts.values()) chi += (c - expected) ** 2 / expected;
    expect(chi).toBeLessThan(42.3); // df = 18, p = 0.001
  });

  it('rejects bad arguments', () => {
    const pool = distinctNodes(10);
    expect(() => buildOnionPaths(pool, [])).toThrow(expect.objectContaining({ code: 'PATH_BUILD_FAILED' }));
    expect(() => buildOnionPaths(pool, pool.slice(0, 1), { pathLength: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => buildOnionPaths(pool, pool.slice(0, 1), { pathLength: 16 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const dest = pool[5]!;
    expect(() => buildOnionPaths(pool, [dest], { avoid: [dest] })).toThrow(expect.objectContaining({ code: 'PATH_BUILD_FAILED' }));
  });

  it('excludes nodes by key only with `exclude` (their subnets stay usable)', () => {
    const a = fakeNode(1, '1.1.1.1');
    const b = fakeNode(2, '2.2.2.2');
    const b2 = fakeNode(3, '2.2.2.3');
    const r = buildOnionPaths([a, b, b2], [a], { pathLength: 2, exclude: [b], random: seededRandom(1) });
    expect(r.paths[0]!.nodes[1]).toBe(b2);
    expect(() => buildOnionPaths([a, b, b2], [a], { pathLength: 2, avoid: [b] })).toThrow(expect.objectContaining({ code: 'PATH_BUILD_FAILED' }));
  });

  it('honours the family hook', () => {
    const pool = distinctNodes(30);
    const family = (a: ServiceNode, b: ServiceNode) => (a.ed25519Hex.charCodeAt(0) & 1) === (b.ed25519Hex.charCodeAt(0) & 1);
    const guard = pool[0]!;
    for (let s = 0; s < 20; s++) {
      try {
        const r = buildOnionPaths(pool, [guard], { pathLength: 2, sameFamily: family, random: seededRandom(s) });
        expect(family(r.paths[0]!.nodes[0]!, r.paths[0]!.nodes[1]!)).toBe(false);
      } catch (e) {
        expect(isSessionSdkError(e, 'PATH_BUILD_FAILED')).toBe(true);
      }
    }
  });
});

describe('repairOnionPath', () => {
  it('replaces only the failed relay, under the same rules (property)', () => {
    fc.assert(
      fc.property(poolArb, fc.integer(), fc.integer({ min: 1, max: 2 }), (pool, seed, idx) => {
        let built;
        try {
          built = buildOnionPaths(pool, pool.slice(0, 2).length === 2 ? pool.slice(0, 2) : pool.slice(0, 1), { random: seededRandom(seed) });
        } catch {
          return;
        }
        const [path, ...others] = built.paths;
        try {
          const repaired = repairOnionPath(path!, idx, pool, { otherPaths: others, random: seededRandom(seed + 1) });
          expect(repaired.nodes[idx]!.ed25519Hex).not.toBe(path!.nodes[idx]!.ed25519Hex);
          path!.nodes.forEach((n, i) => i !== idx && expect(repaired.nodes[i]).toBe(n));
          assertPathRules([repaired, ...others], 3, 24, [], true);
        } catch (e) {
          expect(isSessionSdkError(e, 'PATH_BUILD_FAILED')).toBe(true);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps the destination and its /24 out, and refuses to replace the guard', () => {
    const pool = distinctNodes(30);
    const dest = pool[29]!;
    const { paths } = buildOnionPaths(pool, [pool[0]!], { avoid: [dest], random: seededRandom(3) });
    for (let s = 0; s < 30; s++) {
      const r = repairOnionPath(paths[0]!, 2, pool, { avoid: [dest], random: seededRandom(s) });
      expect(pathAllowsDestination(r, dest)).toBe(true);
    }
    expect(() => repairOnionPath(paths[0]!, 0, pool)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => repairOnionPath(paths[0]!, 3, pool)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => repairOnionPath(paths[0]!, 1, paths[0]!.nodes)).toThrow(expect.objectContaining({ code: 'PATH_BUILD_FAILED' }));
  });
});

describe('pathAllowsDestination', () => {
  it('rejects a path holding the destination or a node of its /24', () => {
    const a = fakeNode(1, '1.1.1.1');
    const b = fakeNode(2, '2.2.2.2');
    const c = fakeNode(3, '3.3.3.3');
    const sameNet = fakeNode(4, '3.3.3.99');
    const path = { nodes: [a, b, c] };
    expect(pathAllowsDestination(path, fakeNode(5, '4.4.4.4'))).toBe(true);
    expect(pathAllowsDestination(path, c)).toBe(false);
    expect(pathAllowsDestination(path, sameNet)).toBe(false);
    expect(pathAllowsDestination(path, fakeNode(6, '3.3.9.9'), 16)).toBe(false);
  });
});

describe('GuardSet', () => {
  const pool = distinctNodes(20);
  it('probes, persists, reuses, rotates after its lifetime and retires after direct failures', async () => {
    let now = 1_000_000;
    const store = new MemoryGuardStore();
    const probed: string[] = [];
    const probe = async (n: ServiceNode) => {
      probed.push(n.ed25519Hex);
      return n !== pool[3]; // one candidate is unreachable
    };
    const gs = new GuardSet({ store, now: () => now, random: seededRandom('g'), lifetimeMs: 1000 });
    const g1 = await gs.ensure(pool, probe);
    expect(g1.length).toBe(2);
    expect(new Set(g1.map((g) => ipv4Subnet(g.ip))).size).toBe(2);
    expect(store.load().map((r) => r.ed25519Hex)).toEqual(g1.map((g) => g.ed25519Hex));
    const probes = probed.length;

    // A new GuardSet over the same store (a restart) reuses them without probing.
    const gs2 = new GuardSet({ store, now: () => now, random: seededRandom('other') });
    const g2 = await gs2.ensure(pool, probe);
    expect(g2.map((g) => g.ed25519Hex)).toEqual(g1.map((g) => g.ed25519Hex));
    expect(probed.length).toBe(probes);

    // Three direct failures retire a guard; one success in between resets the count.
    expect(await gs.recordFailure(g1[0]!)).toBe(false);
    await gs.recordSuccess(g1[0]!);
    expect(await gs.recordFailure(g1[0]!)).toBe(false);
    expect(await gs.recordFailure(g1[0]!)).toBe(false);
    expect(await gs.recordFailure(g1[0]!)).toBe(true);
    const g3 = await gs.ensure(pool, probe);
    expect(g3.map((g) => g.ed25519Hex)).not.toContain(g1[0]!.ed25519Hex);
    expect(g3.map((g) => g.ed25519Hex)).toContain(g1[1]!.ed25519Hex);

    // Past the lifetime, all guards are replaced.
    now += 1000;
    const g4 = await gs.ensure(pool, probe);
    expect(g4.map((g) => g.ed25519Hex).some((k) => g3.map((g) => g.ed25519Hex).includes(k))).toBe(false);
    expect(g4.map((g) => g.ed25519Hex)).not.toContain(pool[3]!.ed25519Hex);
  });

  it('drops a persisted guard that left the pool, and never picks an avoided node', async () => {
    const store = new MemoryGuardStore();
    store.save([{ ed25519Hex: 'ab'.repeat(32), selectedAtMs: 0, failures: 0 }, { bogus: 1 } as never]);
    const gs = new GuardSet({ store, now: () => 10, random: seededRandom(9) });
    const g = await gs.ensure(pool, async () => true, [pool[0]!]);
    expect(g.map((n) => n.ed25519Hex)).not.toContain('ab'.repeat(32));
    expect(g).not.toContain(pool[0]);
  });

  it('does not return a persisted guard that is busy as a relay, but keeps it persisted', async () => {
    const store = new MemoryGuardStore();
    const gs = new GuardSet({ store, now: () => 5, random: seededRandom('busy') });
    const first = await gs.ensure(pool, async () => true);
    const again = await gs.ensure(pool, async () => true, [], [first[0]!]);
    expect(again.map((g) => g.ed25519Hex)).not.toContain(first[0]!.ed25519Hex);
    expect(again.map((g) => g.ed25519Hex)).toContain(first[1]!.ed25519Hex);
    expect(store.load().map((r) => r.ed25519Hex)).toContain(first[0]!.ed25519Hex);
    const later = await gs.ensure(pool, async () => true);
    expect(later.map((g) => g.ed25519Hex)).toContain(first[0]!.ed25519Hex);
  });

  it('throws PATH_BUILD_FAILED when no candidate answers, and INVALID_INPUT for a bad count', async () => {
    const gs = new GuardSet({ random: seededRandom(1), maxProbes: 5 });
    let calls = 0;
    await expect(gs.ensure(pool, async () => { calls++; throw new Error('down'); })).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(calls).toBe(5);
    expect(() => new GuardSet({ count: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
