// The replay guard (spec/security.md §2.2 "Replay"): window, duplicates, eviction floor,
// persistence, and a model-based property check against a naive reference.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REPLAY_GUARD_DEFAULT_FUTURE_MS,
  REPLAY_GUARD_DEFAULT_WINDOW_MS,
  ReplayGuard,
  isSessionSdkError,
  replayMessageId,
} from '../../src/index.js';

const T0 = 1_750_000_000_000;
const clock = (start = T0) => {
  const c = { t: start, now: () => c.t };
  return c;
};
const code = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    expect(isSessionSdkError(e)).toBe(true);
    return (e as { code: string }).code;
  }
};

describe('ReplayGuard', () => {
  it('delivers a message once; the second copy is a duplicate; accept() throws REPLAY', () => {
    const c = clock();
    const g = new ReplayGuard({ now: c.now });
    expect(g.check('a', T0)).toBe('fresh');
    expect(g.check('a', T0)).toBe('duplicate');
    expect(g.check('b', T0)).toBe('fresh');
    expect(code(() => g.accept('a', T0))).toBe('REPLAY');
    expect(code(() => g.accept('c', T0))).toBe('ok');
    expect(g.size).toBe(3);
    expect(g.has('a')).toBe(true);
    expect(g.has('zz')).toBe(false);
  });

  it('byte IDs and their hex are the same ID', () => {
    const g = new ReplayGuard({ now: clock().now });
    expect(g.check(Uint8Array.of(0xab, 0xcd), T0)).toBe('fresh');
    expect(g.check('abcd', T0)).toBe('duplicate');
  });

  it('window: expired behind, future ahead (CLOCK_SKEW), edges inclusive', () => {
    const c = clock();
    const g = new ReplayGuard({ now: c.now, windowMs: 1000, futureMs: 100 });
    expect(g.check('edge-old', T0 - 1000)).toBe('fresh');
    expect(g.check('too-old', T0 - 1001)).toBe('expired');
    expect(g.check('edge-new', T0 + 100)).toBe('fresh');
    expect(g.check('too-new', T0 + 101)).toBe('future');
    expect(code(() => g.accept('too-new', T0 + 101))).toBe('CLOCK_SKEW');
    expect(code(() => g.accept('too-old', T0 - 5000))).toBe('REPLAY');
    // rejected messages are not recorded
    expect(g.has('too-old') || g.has('too-new')).toBe(false);
  });

  it('entries are forgotten exactly when their timestamp leaves the window, and copies then stay rejected', () => {
    const c = clock();
    const g = new ReplayGuard({ now: c.now, windowMs: 1000 });
    g.check('m', T0);
    c.t = T0 + 1000;
    expect(g.check('m', T0)).toBe('duplicate');
    c.t = T0 + 1001;
    expect(g.check('m', T0)).toBe('expired');
    g.prune();
    expect(g.size).toBe(0);
  });

  it('over capacity: evicts the oldest and raises a floor so evicted messages are never fresh again', () => {
    const c = clock();
    const g = new ReplayGuard({ now: c.now, maxEntries: 10 });
    for (let i = 0; i < 11; i++) expect(g.check(`m${i}`, T0 - 1000 + i)).toBe('fresh');
    expect(g.size).toBeLessThanOrEqual(10);
    expect(g.check('m0', T0 - 1000)).toBe('expired');
    expect(g.check('new-but-older-than-floor', T0 - 1000)).toBe('expired');
    expect(g.check('m10', T0 - 990)).toBe('duplicate');
    expect(g.check('m11', T0)).toBe('fresh');
  });

  it('entries()/restore() carry the state to a new guard (app restart)', () => {
    const c = clock();
    const a = new ReplayGuard({ now: c.now, maxEntries: 5 });
    for (let i = 0; i < 8; i++) a.check(`m${i}`, T0 + i);
    const saved = JSON.parse(JSON.stringify(a.entries()));
    const b = new ReplayGuard({ now: c.now, maxEntries: 5 });
    b.restore(saved);
    for (let i = 0; i < 8; i++) expect(b.check(`m${i}`, T0 + i)).not.toBe('fresh');
    expect(code(() => b.restore({ ids: [['x', -1]], floor: 0 }))).toBe('INVALID_INPUT');
    expect(code(() => b.restore({ ids: 'no' as never, floor: 0 }))).toBe('INVALID_INPUT');
    b.clear();
    expect(b.size).toBe(0);
    expect(b.check('m0', T0)).toBe('fresh');
  });

  it('stays fast under steady traffic with a sliding window (pruning is amortised)', () => {
    const c = clock();
    const g = new ReplayGuard({ now: c.now, windowMs: 50_000, maxEntries: 1_000_000 });
    const start = performance.now();
    let fresh = 0;
    for (let i = 0; i < 200_000; i++) {
      c.t += 1;
      if (g.check(`m${i}`, c.t) === 'fresh') fresh++;
    }
    // a scan per check would be 200k × 50k steps (minutes); amortised it is well under a second
    expect(performance.now() - start).toBeLessThan(10_000);
    expect(fresh).toBe(200_000);
    g.prune();
    expect(g.size).toBe(50_001);
    expect(g.check('m0', T0 + 1)).toBe('expired');
    expect(g.check('m199999', c.t)).toBe('duplicate');
  });

  it('bad input is a typed error', () => {
    const g = new ReplayGuard({ now: clock().now });
    expect(code(() => g.check('', T0))).toBe('INVALID_INPUT');
    expect(code(() => g.check(new Uint8Array(0), T0))).toBe('INVALID_LENGTH');
    expect(code(() => g.check(new Uint8Array(129), T0))).toBe('INVALID_LENGTH');
    expect(code(() => g.check('x', -1))).toBe('INVALID_INPUT');
    expect(code(() => g.check('x', 1.5))).toBe('INVALID_INPUT');
    expect(code(() => g.check(5 as never, T0))).toBe('INVALID_INPUT');
    expect(code(() => new ReplayGuard({ windowMs: -1 }))).toBe('INVALID_INPUT');
    expect(code(() => new ReplayGuard({ maxEntries: 0 }))).toBe('INVALID_INPUT');
    expect(code(() => new ReplayGuard({ now: 3 as never }))).toBe('INVALID_INPUT');
    expect(code(() => new ReplayGuard(null as never))).toBe('INVALID_INPUT');
    expect(code(() => new ReplayGuard({ now: () => NaN }).check('x', T0))).toBe('INVALID_INPUT');
  });

  it('defaults: 14-day window, 10-minute future tolerance, Date.now clock', () => {
    const g = new ReplayGuard();
    expect(g.windowMs).toBe(REPLAY_GUARD_DEFAULT_WINDOW_MS);
    expect(g.futureMs).toBe(REPLAY_GUARD_DEFAULT_FUTURE_MS);
    expect(g.check('x', Date.now())).toBe('fresh');
    expect(g.check('y', Date.now() - 15 * 86_400_000)).toBe('expired');
  });

  it('property: agrees with a naive model (set of (id, ts) + window) when capacity is not reached', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 15 }), dt: fc.integer({ min: -1500, max: 300 }), advance: fc.integer({ min: 0, max: 400 }) }), { maxLength: 120 }),
        (ops) => {
          const c = clock();
          const g = new ReplayGuard({ now: c.now, windowMs: 1000, futureMs: 200 });
          const model = new Map<string, number>();
          for (const op of ops) {
            c.t += op.advance;
            const ts = c.t + op.dt;
            for (const [k, t] of model) if (t < c.t - 1000) model.delete(k);
            let want: string;
            if (ts > c.t + 200) want = 'future';
            else if (ts < c.t - 1000) want = 'expired';
            else if (model.has(`i${op.id}`)) want = 'duplicate';
            else {
              want = 'fresh';
              model.set(`i${op.id}`, ts);
            }
            expect(g.check(`i${op.id}`, ts)).toBe(want);
          }
          g.prune();
          expect(g.size).toBe(model.size);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('property: never reports fresh twice for one ID (whose timestamp it covers), whatever the capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1000 }), (ops, cap, mix) => {
        const c = clock();
        const g = new ReplayGuard({ now: c.now, maxEntries: cap });
        const fresh = new Set<number>();
        for (const id of ops) {
          // an ID derived from signed content fixes its timestamp: same ID, same timestamp
          if (g.check(`i${id}`, T0 - ((id * 7919 + mix) % 50)) === 'fresh') {
            expect(fresh.has(id)).toBe(false);
            fresh.add(id);
          }
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('replayMessageId', () => {
  const p = Uint8Array.of(1, 2, 3);
  const a = '05' + 'aa'.repeat(32);
  it('is deterministic, case-insensitive in IDs, and separates sender, context and payload', () => {
    const id = replayMessageId({ sender: a, payload: p });
    expect(id.length).toBe(32);
    expect(replayMessageId({ sender: a.toUpperCase(), payload: p })).toEqual(id);
    expect(replayMessageId({ sender: '05' + 'ab'.repeat(32), payload: p })).not.toEqual(id);
    expect(replayMessageId({ sender: a, payload: Uint8Array.of(1, 2) })).not.toEqual(id);
    expect(replayMessageId({ sender: a, payload: p, context: '03' + '00'.repeat(32) })).not.toEqual(id);
    // the length prefixes keep sender/context boundaries unambiguous
    expect(replayMessageId({ sender: 'ab', payload: p, context: 'c' })).not.toEqual(replayMessageId({ sender: 'b', payload: p, context: 'ca' }));
  });
  it('rejects bad input with typed errors', () => {
    expect(code(() => replayMessageId({ sender: '', payload: p }))).toBe('INVALID_INPUT');
    expect(code(() => replayMessageId({ sender: a, payload: 'x' as never }))).toBe('INVALID_INPUT');
    expect(code(() => replayMessageId({ sender: a, payload: p, context: 3 as never }))).toBe('INVALID_INPUT');
    expect(code(() => replayMessageId(null as never))).toBe('INVALID_INPUT');
  });
});
