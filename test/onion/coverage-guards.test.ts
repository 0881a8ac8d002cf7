// Guard persistence and subnet keys (spec/onion.md §6.4): malformed stored records are dropped,
// a throwing probe counts as a failed probe, and only observed failures of known guards count.
import { describe, expect, it } from 'vitest';
import { GuardSet, ipv4Subnet } from '../../src/onion/path.js';
import { distinctNodes } from '../loopback/fake-nodes.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('ipv4Subnet', () => {
  it('defaults to /24 and rejects non-strings with INVALID_INPUT', () => {
    expect(ipv4Subnet('203.0.113.7')).toBe('203.0.113');
    expect(ipv4Subnet('203.0.113.7', 16)).toBe('203.0');
    expect(() => ipv4Subnet(42 as unknown as string)).toThrow(code('INVALID_INPUT'));
    expect(() => ipv4Subnet('203.0.113.07')).toThrow(code('INVALID_INPUT'));
  });
});

describe('GuardSet', () => {
  const pool = distinctNodes(6);

  it('has no records before first use, and ignores failures of nodes that are not guards', async () => {
    const g = new GuardSet({ random: (n) => new Uint8Array(n) });
    expect(g.snapshot()).toEqual([]);
    expect(await g.recordFailure(pool[0]!)).toBe(false);
  });

  it('treats a non-array store as empty and drops malformed records, keeping valid ones', async () => {
    const keep = { ed25519Hex: pool[1]!.ed25519Hex, selectedAtMs: 1000, failures: 0 };
    const saved: unknown[] = [];
    const g = new GuardSet({
      count: 1,
      now: () => 2000,
      store: {
        load: () => [keep, null as never, { ed25519Hex: 'XYZ', selectedAtMs: 1, failures: 0 }, { ed25519Hex: pool[2]!.ed25519Hex, selectedAtMs: 1, failures: -1 }],
        save: (r) => void saved.push(r),
      },
    });
    const guards = await g.ensure(pool, async () => true);
    expect(guards.map((n) => n.ed25519Hex)).toEqual([pool[1]!.ed25519Hex]); // the stored guard is reused
    expect(g.snapshot()).toEqual([keep]);

    const empty = new GuardSet({ count: 1, store: { load: () => 'garbage' as never, save: () => undefined } });
    const fresh = await empty.ensure(pool, async () => true);
    expect(fresh).toHaveLength(1);
  });

  it('a probe that throws counts as unreachable; none reachable is PATH_BUILD_FAILED', async () => {
    const g = new GuardSet({ count: 2 });
    await expect(
      g.ensure(pool, async () => {
        throw new Error('probe crashed');
      }),
    ).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(g.snapshot()).toEqual([]);
  });
});
