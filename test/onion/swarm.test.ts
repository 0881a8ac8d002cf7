// Swarm mapping (spec/onion.md §7): upstream storage-server / libsession vectors, a brute-force
// reference for closestSwarm, negative and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSessionSdkError } from '../../src/errors.js';
import { INVALID_SWARM_ID } from '../../src/onion/snode-pool.js';
import { closestSwarm, groupSwarms, swarmForPubkey, swarmSpace } from '../../src/onion/swarm.js';
import { hex, loadVectors } from '../helpers/vectors.js';

const V = loadVectors('onion/swarm.json');
const M = 1n << 64n;

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    expect(isSessionSdkError(e, code as never), String(e)).toBe(true);
    return;
  }
  throw new Error(`expected ${code}`);
}

// Reference: minimise ring distance, preferring the lower side on ties exactly as spec §7.2 says.
function bruteClosest(ids: bigint[], x: bigint): bigint {
  const s = [...new Set(ids)].sort((a, b) => (a < b ? -1 : 1));
  let ri = s.findIndex((id) => id >= x);
  if (ri < 0) ri = 0;
  const r = s[ri]!;
  const l = s[(ri - 1 + s.length) % s.length]!;
  return (((r - x) % M) + M) % M < (((x - l) % M) + M) % M ? r : l;
}

describe('swarmSpace (upstream)', () => {
  const cases = V.vectors.find((v: { id: string }) => v.id === 'pubkey-to-swarm-space').cases;
  it(`matches all ${cases.length} upstream cases, as hex, bare hex and bytes`, () => {
    for (const c of cases) {
      const want = BigInt(c.expected_swarm_space_u64_decimal);
      expect(swarmSpace(c.pubkey_hex)).toBe(want);
      expect(swarmSpace(c.pubkey_hex.toUpperCase())).toBe(want);
      expect(swarmSpace(c.pubkey_hex.slice(2))).toBe(want);
      expect(swarmSpace(hex(c.pubkey_hex))).toBe(want);
      expect(swarmSpace(hex(c.pubkey_hex).subarray(1))).toBe(want);
      expect(want.toString(16).padStart(16, '0')).toBe(c.expected_hex);
    }
  });

  it('rejects malformed keys', () => {
    expectCode(() => swarmSpace('05abc'), 'INVALID_INPUT');
    expectCode(() => swarmSpace('zz' + '00'.repeat(32)), 'INVALID_HEX');
    expectCode(() => swarmSpace(new Uint8Array(31)), 'INVALID_LENGTH');
    expectCode(() => swarmSpace(7 as unknown as string), 'INVALID_INPUT');
  });
});

describe('closestSwarm (upstream)', () => {
  const sets = V.vectors.find((v: { id: string }) => v.id === 'pubkey-to-swarm-id').sets;
  it('matches every upstream case over the three swarm sets', () => {
    let n = 0;
    for (const s of sets) {
      const ids = s.swarm_ids_decimal.map(BigInt);
      for (const c of s.cases) {
        const space = swarmSpace(c.pubkey_hex);
        expect(space.toString(16).padStart(16, '0')).toBe(c.swarm_space_hex);
        expect(closestSwarm(ids, space)).toBe(BigInt(c.expected_swarm_id_decimal));
        expect(closestSwarm([...ids].reverse(), space)).toBe(BigInt(c.expected_swarm_id_decimal));
        n++;
      }
    }
    expect(n).toBe(32);
  });

  it('edge cases: single swarm, exact midpoint, wrap-around', () => {
    expect(closestSwarm([5n], M - 1n)).toBe(5n);
    expect(closestSwarm([100n, 200n], 150n)).toBe(100n);
    expect(closestSwarm([0n, 100n], M - 1n)).toBe(0n);
    expect(closestSwarm([100n, M - 100n], 0n)).toBe(M - 100n); // tie across the wrap → the lower side is the largest id
    expect(closestSwarm([100n, 200n, INVALID_SWARM_ID], M - 2n)).toBe(100n);
  });

  it('rejects bad input', () => {
    expectCode(() => closestSwarm([], 1n), 'INSUFFICIENT_NODES');
    expectCode(() => closestSwarm([INVALID_SWARM_ID], 1n), 'INSUFFICIENT_NODES');
    expectCode(() => closestSwarm([1n], -1n), 'INVALID_INPUT');
    expectCode(() => closestSwarm([M], 1n), 'INVALID_INPUT');
    expectCode(() => closestSwarm([1 as unknown as bigint], 1n), 'INVALID_INPUT');
    expectCode(() => closestSwarm('1' as unknown as bigint[], 1n), 'INVALID_INPUT');
  });

  it('property: agrees with a brute-force reference', () => {
    const u64 = fc.bigInt({ min: 0n, max: M - 2n });
    fc.assert(
      fc.property(fc.array(u64, { minLength: 1, maxLength: 12 }), fc.oneof(u64, fc.constant(0n), fc.constant(M - 1n)), (ids, x) => closestSwarm(ids, x) === bruteClosest(ids, x)),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('groupSwarms / swarmForPubkey', () => {
  const node = (name: string, swarmId?: bigint) => ({ name, swarmId });
  it('groups by swarm and drops nodes without a valid swarm id', () => {
    const g = groupSwarms([node('a', 100n), node('b', 200n), node('c', 100n), node('d', INVALID_SWARM_ID), node('e')]);
    expect([...g.keys()].sort()).toEqual([100n, 200n]);
    expect(g.get(100n)!.map((n) => n.name)).toEqual(['a', 'c']);
    expectCode(() => groupSwarms('x' as unknown as []), 'INVALID_INPUT');
  });

  it('picks the swarm of the upstream mapping', () => {
    const nodes = [node('a', 100n), node('b', 200n), node('c', 300n), node('d', INVALID_SWARM_ID)];
    const r = swarmForPubkey('0500000000000000000000000000000000000000000000000000000000000000c8', nodes);
    expect(r.swarmId).toBe(200n);
    expect(r.members.map((n) => n.name)).toEqual(['b']);
    expectCode(() => swarmForPubkey('05' + '00'.repeat(32), [node('d', INVALID_SWARM_ID)]), 'INSUFFICIENT_NODES');
  });
});
