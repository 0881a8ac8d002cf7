// ReplayGuard persistence edges (spec/security.md §2.2 "Replay"): a malformed saved state is
// refused as a whole, a restore never lowers the eviction floor, and restoring more than
// maxEntries evicts at once without letting the floor fall below the saved one.
import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../src/envelope/replay-guard.js';

const T0 = 1_750_000_000_000;
const now = () => T0;

describe('ReplayGuard.restore', () => {
  it('refuses a state with a malformed entry and merges none of it', () => {
    const g = new ReplayGuard({ now });
    g.accept('kept', T0);
    const before = g.entries();
    for (const bad of [['x'], ['x', T0, 1], [5, T0], 'x', ['x', -1], ['x', 1.5]]) {
      const state = { ids: [['fine', T0], bad], floor: 0 } as never;
      expect(() => g.restore(state)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(g.entries()).toEqual(before);
    expect(before.ids).toEqual([['kept', T0]]);
    expect(g.has('fine')).toBe(false);
  });

  it('never lowers the eviction floor', () => {
    const g = new ReplayGuard({ now });
    g.restore({ ids: [], floor: T0 - 1000 });
    g.restore({ ids: [['a', T0 - 10]], floor: T0 - 5000 });
    expect(g.entries().floor).toBe(T0 - 1000);
    // anything at or below the floor stays refused as expired
    expect(g.check('new', T0 - 1000)).toBe('expired');
    expect(g.check('new', T0 - 999)).toBe('fresh');
  });

  it('restoring more than maxEntries evicts the oldest at once; the floor only rises', () => {
    const g = new ReplayGuard({ now, maxEntries: 10 });
    const floor = T0 - 100;
    // five entries already below the saved floor, twelve above it
    const ids: [string, number][] = [
      ...Array.from({ length: 5 }, (_, i): [string, number] => [`old${i}`, floor - 50 + i]),
      ...Array.from({ length: 12 }, (_, i): [string, number] => [`new${i}`, floor + 1 + i]),
    ];
    g.restore({ ids, floor });
    expect(g.size).toBeLessThanOrEqual(10);
    const st = g.entries();
    expect(st.floor).toBeGreaterThanOrEqual(floor);
    // everything dropped is now refused, everything kept is a duplicate
    for (const [id, ts] of ids) expect(g.check(id, ts)).toBe(st.ids.some(([k]) => k === id) ? 'duplicate' : 'expired');
    expect(st.ids.every(([, ts]) => ts > st.floor)).toBe(true);
  });
});
