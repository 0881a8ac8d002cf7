// Merge properties (fast-check, fixed seeds): devices pushing concurrently converge to one state
// whatever the interleaving; resolve is order-independent; seqnos only grow; accepted edits are
// never lost. Plus robustness of every decoder: only SessionSdkError may escape, never partial state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_TYPES,
  ConfigSet,
  ConfigState,
  UserProfileConfig,
  parseConfigMessage,
  resolveConfigMessages,
  serializeConfigMessage,
  type ConfigDict,
  type ConfigPush,
  configDecrypt,
  decodeConfigPayload,
  unwrapUserConfig,
} from '../../src/config/index.js';
import { isSessionSdkError } from '../../src/errors.js';
import { bencode } from '../../src/util/bencode.js';
import { dictToBencode } from '../../src/config/value.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

const KEY = new Uint8Array(32).fill(7);

/** A config with raw data access (UserProfile namespace, no protobuf wrapping: faster). */
class RawConfig extends ConfigState {
  constructor(dump?: Uint8Array) {
    super(CONFIG_TYPES.UserProfile, { keys: [KEY], dump });
  }
  setInt(k: string, v: number): void {
    this.edit((d) => d.set(k, BigInt(v)));
  }
  del(k: string): void {
    this.edit((d) => d.delete(k));
  }
  toggleSet(k: string, v: number): void {
    this.edit((d) => {
      let s = d.get('S');
      if (!(s instanceof Map)) {
        s = new Map();
        d.set('S', s);
      }
      let set = (s as ConfigDict).get(k);
      if (!(set instanceof ConfigSet)) {
        set = new ConfigSet();
        (s as ConfigDict).set(k, set);
      }
      if (!set.delete(BigInt(v))) set.add(BigInt(v));
    });
  }
  snapshot(): string {
    return toHex(bencode(dictToBencode(this.data())));
  }
  keysPresent(): string[] {
    return [...this.data().keys()];
  }
}

/** An in-memory namespace: storage hash → bytes, with deletes. */
class Store {
  private n = 0;
  readonly msgs = new Map<string, Uint8Array>();
  put(p: ConfigPush): string {
    const h = `h${++this.n}`;
    this.msgs.set(h, p.data);
    for (const o of p.obsoleteHashes) this.msgs.delete(o);
    return h;
  }
  all() {
    return [...this.msgs].map(([hash, data]) => ({ hash, data }));
  }
}

type Op = { kind: 'edit'; dev: number; key: number; val: number; mode: number } | { kind: 'push' | 'sync'; dev: number };
const opArb = (devices: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ kind: fc.constant('edit' as const), dev: fc.nat(devices - 1), key: fc.nat(3), val: fc.nat(5), mode: fc.nat(2) }),
    fc.record({ kind: fc.constantFrom('push' as const, 'sync' as const), dev: fc.nat(devices - 1) }),
  );

async function pushTo(store: Store, d: RawConfig): Promise<void> {
  const p = await d.push();
  d.confirmPushed(p.seqno, store.put(p));
}

/** Round-robin sync + push until nobody needs a push; returns the rounds used. */
async function settle(store: Store, devs: RawConfig[]): Promise<number> {
  for (let round = 0; round < 20; round++) {
    for (const d of devs) {
      await d.merge(store.all());
      if (d.needsPush()) await pushTo(store, d);
    }
    for (const d of devs) await d.merge(store.all());
    if (devs.every((d) => !d.needsPush())) return round;
  }
  throw new Error('did not settle');
}

describe('merge properties', () => {
  it('any interleaving converges to one state on every device; seqnos only grow', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb(3), { minLength: 1, maxLength: 25 }), async (ops) => {
        const store = new Store();
        const devs = [new RawConfig(), new RawConfig(), new RawConfig()];
        const seq = devs.map((d) => d.seqno);
        for (const op of ops) {
          const d = devs[op.dev]!;
          if (op.kind === 'edit') {
            if (op.mode === 0) d.setInt(`k${op.key}`, op.val);
            else if (op.mode === 1) d.del(`k${op.key}`);
            else d.toggleSet(`s${op.key}`, op.val);
          } else if (op.kind === 'push') {
            if (d.needsPush()) await pushTo(store, d);
          } else await d.merge(store.all());
          devs.forEach((x, i) => {
            expect(x.seqno).toBeGreaterThanOrEqual(seq[i]!);
            seq[i] = x.seqno;
          });
        }
        await settle(store, devs);
        const snaps = devs.map((d) => d.snapshot());
        expect(new Set(snaps).size).toBe(1);
        expect(new Set(devs.map((d) => d.seqno)).size).toBe(1);
        // a brand-new device restoring from the store reaches the same state
        const fresh = new RawConfig();
        await fresh.merge(store.all());
        expect(fresh.snapshot()).toBe(snaps[0]);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('resolve is independent of input order (same set of pushes, any order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb(3), { minLength: 3, maxLength: 20 }), fc.nat(1000), async (ops, shuffleSeed) => {
        const devs = [new RawConfig(), new RawConfig(), new RawConfig()];
        const pushed: Uint8Array[] = [];
        const store = new Store();
        for (const op of ops) {
          const d = devs[op.dev]!;
          if (op.kind === 'edit') d.setInt(`k${op.key}`, op.val);
          else if (op.kind === 'push' && d.needsPush()) {
            const p = await d.push();
            d.confirmPushed(p.seqno, store.put(p));
            pushed.push(await plaintextOf(p.data));
          } else if (op.kind === 'sync') await d.merge(store.all());
        }
        fc.pre(pushed.length >= 2);
        const want = toHex(serializeConfigMessage(resolveConfigMessages(pushed).message));
        const rnd = fc.sample(fc.shuffledSubarray(pushed, { minLength: pushed.length }), { seed: shuffleSeed, numRuns: 3 });
        for (const order of rnd) expect(toHex(serializeConfigMessage(resolveConfigMessages(order).message))).toBe(want);
      }),
      { seed: 7, numRuns: 40 },
    );
  });

  it('no accepted edit is lost when clients sync at least every 3 foreign pushes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb(3), { minLength: 1, maxLength: 30 }), async (ops) => {
        const store = new Store();
        const devs = [new RawConfig(), new RawConfig(), new RawConfig()];
        const foreign = [0, 0, 0];
        const written: string[] = [];
        let unique = 0;
        for (const op of ops) {
          const d = devs[op.dev]!;
          if (op.kind === 'edit') {
            const k = `u${unique++}`; // unique, append-only keys: every edit must survive
            d.setInt(k, op.val);
            written.push(k);
          } else if (op.kind === 'push') {
            if (d.needsPush()) {
              await pushTo(store, d);
              for (let i = 0; i < 3; i++) if (i !== op.dev) foreign[i]!++;
            }
          } else {
            await d.merge(store.all());
            foreign[op.dev] = 0;
          }
          for (let i = 0; i < 3; i++) {
            if (foreign[i]! >= 3) {
              await devs[i]!.merge(store.all());
              foreign[i] = 0;
            }
          }
        }
        await settle(store, devs);
        for (const d of devs) expect(d.keysPresent().sort()).toEqual([...written].sort());
      }),
      { seed: 1234, numRuns: 60 },
    );
  });
});

async function plaintextOf(data: Uint8Array): Promise<Uint8Array> {
  return decodeConfigPayload(configDecrypt(data, KEY, 'UserProfile'));
}

/** Arbitrary well-formed but inconsistent messages: random data, random diffs and lagged diffs. */
const keyArb = fc.constantFrom('a', 'b', 'c');
const scalarArb = fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.constantFrom('x', 'y').map((t) => new TextEncoder().encode(t)));
const dataArb: fc.Arbitrary<Map<string, unknown>> = fc.letrec((tie) => ({
  dict: fc
    .uniqueArray(fc.tuple(keyArb, fc.oneof({ depthSize: 'small' }, scalarArb, fc.uniqueArray(fc.bigInt({ min: 0n, max: 4n }), { minLength: 1, maxLength: 3 }).map((v) => [...v].sort((x, y) => (x < y ? -1 : 1))), tie('dict'))), { selector: (t) => t[0], minLength: 1, maxLength: 3 })
    .map((e) => new Map(e)),
})).dict as fc.Arbitrary<Map<string, unknown>>;
const diffArb: fc.Arbitrary<Map<string, unknown>> = fc.letrec((tie) => ({
  dict: fc
    .uniqueArray(fc.tuple(keyArb, fc.oneof({ depthSize: 'small' }, fc.constantFrom('', '-'), fc.constant([[1n], [2n]]), tie('dict'))), { selector: (t) => t[0], maxLength: 3 })
    .map((e) => new Map(e)),
})).dict as fc.Arbitrary<Map<string, unknown>>;
const messageArb = fc
  .tuple(fc.integer({ min: 1, max: 12 }), dataArb, diffArb, fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), diffArb), { maxLength: 3 }))
  .map(([seqno, data, diff, lagged]) => {
    const rows = lagged
      .map(([back, h, d]) => [seqno - back, h, d] as const)
      .sort((x, y) => x[0] - y[0] || compareBytes(x[1], y[1]))
      .filter((r, i, a) => i === 0 || r[0] !== a[i - 1]![0] || compareBytes(r[1], a[i - 1]![1]) !== 0);
    return bencode(new Map<string, never>([['#', seqno as never], ['&', data as never], ['<', rows as never], ['=', diff as never]]));
  });
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

describe('merging hostile but well-formed messages', () => {
  it('resolve never throws anything but SessionSdkError and always yields a parseable message', () => {
    let merges = 0;
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 4 }), (msgs) => {
        try {
          const r = resolveConfigMessages(msgs);
          if (r.unmergedIndex === undefined) merges++;
          const bytes = serializeConfigMessage(r.message);
          expect(parseConfigMessage(bytes).seqno).toBe(r.message.seqno);
          // and the same set in reverse order gives the same bytes
          expect(toHex(serializeConfigMessage(resolveConfigMessages([...msgs].reverse()).message))).toBe(toHex(bytes));
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
    expect(merges).toBeGreaterThan(50); // the generator really exercises conflict merges
  });
});

describe('decoders never crash and never leave partial state', () => {
  const msgs = loadVectors('config/config-message.json').vectors.filter((v: { serialized?: string }) => v.serialized);
  const only = (e: unknown) => {
    if (!isSessionSdkError(e)) throw e;
  };

  it('parseConfigMessage on random bytes and mutated vectors: message or SessionSdkError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          parseConfigMessage(b);
        } catch (e) {
          only(e);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(msgs.length - 1), fc.nat(10_000), fc.integer({ min: 1, max: 255 }), fc.boolean(), (vi, pos, x, truncate) => {
        const b = hex(msgs[vi].serialized);
        const i = pos % b.length;
        const m = truncate ? b.subarray(0, i) : b.slice();
        if (!truncate) m[i] = m[i]! ^ x;
        try {
          const p = parseConfigMessage(m);
          // whatever parses must re-serialize canonically and parse again identically
          const again = parseConfigMessage(serializeConfigMessage(p));
          expect(again.seqno).toBe(p.seqno);
        } catch (e) {
          only(e);
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('resolve over a mix of valid and garbage inputs ignores the garbage', () => {
    const a = hex(msgs.find((v: { name: string }) => v.name === 'm125a').serialized);
    const b = hex(msgs.find((v: { name: string }) => v.name === 'm125b').serialized);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 4 }), (junk) => {
        const r = resolveConfigMessages([...junk, a, b]);
        expect(r.message.seqno).toBe(126);
        expect(r.invalidIndices.length).toBe(junk.filter((j) => {
          try {
            parseConfigMessage(j);
            return false;
          } catch {
            return true;
          }
        }).length);
      }),
      { seed: 42, numRuns: 100 },
    );
    expect(() => resolveConfigMessages([new Uint8Array(3)])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('ConfigState.merge: garbage and mutated pushes leave the state untouched', async () => {
    const v = loadVectors('config/derived-user-profile.json');
    const sk = hex(v.account.ed25519_sk);
    const good = hex(v.scenarios.set_fields.result.push);
    const p = new UserProfileConfig({ ed25519SecretKey: sk });
    await p.merge([{ hash: 'ok', data: good }]);
    const before = toHex(p.dump());
    await fc.assert(
      fc.asyncProperty(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const m = good.slice();
        m[i] = m[i]! ^ x;
        const q = new UserProfileConfig({ ed25519SecretKey: sk, dump: hex(before) });
        const accepted = await q.merge([{ hash: 'bad', data: m }]);
        // Unauthenticated wrapper fields (e.g. the envelope type) may change without affecting
        // the config; anything that alters the ciphertext is rejected and changes nothing.
        if (accepted.length === 0) expect(toHex(q.dump())).toBe(before);
        expect([q.seqno, q.getName(), q.needsPush()]).toEqual([1, 'Kallie', false]);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('unwrapUserConfig on random and mutated input: ciphertext or a SessionSdkError', async () => {
    const v = loadVectors('config/derived-user-profile.json');
    const seed = hex(v.account.seed32);
    const wrapped = hex(v.scenarios.set_fields.result.push);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (junk) => {
        await unwrapUserConfig(seed, junk, 2).catch(only);
      }),
      { seed: 42, numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(wrapped.length - 1), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const m = wrapped.slice();
        m[i] = m[i]! ^ x;
        await unwrapUserConfig(seed, m, 2).catch(only);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('dump loading: random/mutated dumps give a state or a SessionSdkError', () => {
    const v = loadVectors('config/derived-contacts.json');
    const dump = hex(v.scenarios.set_fields.result.dump_after_confirm);
    const seed = hex(v.account.seed32);
    fc.assert(
      fc.property(fc.nat(dump.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const m = dump.slice();
        m[i] = m[i]! ^ x;
        try {
          new UserProfileConfig({ ed25519SecretKey: seed, dump: m });
        } catch (e) {
          only(e);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
    expect(() => new UserProfileConfig({ ed25519SecretKey: seed, dump: new Uint8Array([0x64, 0x65]) })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
