// OnionClient option defaults and the retry/strike policy of a failed attempt (spec/onion.md §5,
// §7): which errors are retried on another attempt, which are the caller's, and what reaches the
// seed and guard probes. Uses the loopback network (127.0.0.1) and thin fake transports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnionClient, type OnionClientEvent } from '../../src/onion/onion-client.js';
import { SnodePool } from '../../src/onion/snode-pool.js';
import { GuardSet, pathAllowsDestination } from '../../src/onion/path.js';
import { parseOnionFrame } from '../../src/onion/frame.js';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import { SessionSdkError } from '../../src/errors.js';
import { utf8 } from '../../src/util/bytes.js';
import type { OnionTransport, TransportRequestOptions, TransportResponse } from '../../src/onion/transport.js';
import type { SeedNode, ServiceNode } from '../../src/onion/snode-pool.js';
import { LoopbackNetwork } from '../loopback/network.js';
import { distinctNodes, entryOf } from '../loopback/fake-nodes.js';

let net: LoopbackNetwork;
let base: OnionTransport;

beforeAll(async () => {
  net = await LoopbackNetwork.start({ nodes: 16, swarms: 2 });
  base = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 2000, retries: 0 });
});
afterAll(async () => {
  await base.close?.();
  await net.close();
});

/** A transport that lets the test replace the next request-phase answers (after paths exist). */
function scripted() {
  const script: ((guard: ServiceNode, wire: Uint8Array) => Promise<TransportResponse>)[] = [];
  const calls: { guard: string; timeoutMs?: number }[] = [];
  let armed = false;
  const t: OnionTransport = {
    sendOnionRequest: (guard, wire, o?: TransportRequestOptions) => {
      calls.push({ guard: guard.ed25519Hex, timeoutMs: o?.timeoutMs });
      const next = armed ? script.shift() : undefined;
      return next ? next(guard, wire) : base.sendOnionRequest(guard, wire, o);
    },
    seedRequest: (s, b, o) => base.seedRequest(s, b, o),
  };
  return { t, script, calls, arm: () => (armed = true) };
}

async function ready(t: OnionTransport, extra: Partial<ConstructorParameters<typeof OnionClient>[0]> = {}) {
  const events: OnionClientEvent[] = [];
  const sleeps: number[] = [];
  const c = new OnionClient({
    transport: t,
    pool: new SnodePool({ seeds: [net.seed] }),
    retryBaseMs: 1,
    retryMaxMs: 2,
    sleep: async (ms) => void sleeps.push(ms),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  await c.start();
  const dest = net.serviceNodes().find((n) => c.paths().every((p) => pathAllowsDestination(p, n)))!;
  return { c, events, sleeps, dest };
}

const failedCodes = (events: OnionClientEvent[]) => events.flatMap((e) => (e.type === 'attempt-failed' ? [e.error.code] : []));

describe('OnionClient retry policy', () => {
  it('retries a timed-out attempt on a path and reports the attempt count', async () => {
    const s = scripted();
    const { c, events, sleeps, dest } = await ready(s.t);
    s.arm();
    s.script.push(async () => {
      throw new SessionSdkError('TIMEOUT', 'no answer');
    });
    const r = await c.snodeRequest(dest, 'info', {});
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(2);
    expect(failedCodes(events)).toEqual(['TIMEOUT']);
    expect(sleeps).toHaveLength(1); // one back-off, bounded by retryMaxMs
    expect(sleeps[0]).toBeLessThanOrEqual(2);
  });

  it('treats an altered reply (not from the destination key) as a path fault and retries', async () => {
    const s = scripted();
    const { c, events, dest } = await ready(s.t);
    s.arm();
    s.script.push(async (guard, wire) => {
      const res = await base.sendOnionRequest(guard, wire);
      const body = res.body.slice();
      body[body.length - 1]! ^= 1;
      return { ...res, body };
    });
    const r = await c.snodeRequest(dest, 'info', {});
    expect(r.attempts).toBe(2);
    const codes = failedCodes(events);
    expect(codes).toHaveLength(1);
    expect(['DECRYPT_FAILED', 'INVALID_ENCODING']).toContain(codes[0]);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    const s = scripted();
    const { c, events, dest } = await ready(s.t, { maxAttempts: 2, pathStrikeThreshold: 10 });
    s.arm();
    const fail = async (): Promise<TransportResponse> => {
      throw new SessionSdkError('TIMEOUT', 'no answer');
    };
    s.script.push(fail, fail);
    const before = s.calls.length;
    await expect(c.snodeRequest(dest, 'info', {})).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(s.calls.length - before).toBe(2);
    expect(failedCodes(events)).toEqual(['TIMEOUT', 'TIMEOUT']);
  });

  it('does not retry an error that is not a SessionSdkError, nor a non-path SessionSdkError', async () => {
    const s = scripted();
    const { c, events, dest } = await ready(s.t);
    s.arm();
    const boom = new TypeError('transport bug');
    s.script.push(async () => {
      throw boom;
    });
    let before = s.calls.length;
    await expect(c.snodeRequest(dest, 'info', {})).rejects.toBe(boom);
    expect(s.calls.length - before).toBe(1);
    expect(failedCodes(events)).toEqual([]); // only SDK errors are reported as failed attempts

    s.script.push(async () => {
      throw new SessionSdkError('INVALID_INPUT', 'caller problem');
    });
    before = s.calls.length;
    await expect(c.snodeRequest(dest, 'info', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(s.calls.length - before).toBe(1);
  });

  it('uses the default 10 s per-attempt timeout, and caps guard probes at 3 s', async () => {
    const s = scripted();
    const { c, dest } = await ready(s.t);
    // Guard probes (during start) are capped at 3 s.
    expect(s.calls.length).toBeGreaterThan(0);
    expect(s.calls.every((x) => x.timeoutMs === 3000)).toBe(true);
    s.calls.length = 0;
    await c.snodeRequest(dest, 'info', {});
    expect(s.calls.map((x) => x.timeoutMs)).toEqual([10_000]);
  });

  it('uses a GuardSet instance as given, and builds its own pool from `seeds`', async () => {
    const guards = new GuardSet({ count: 1 });
    const c = new OnionClient({ transport: base, seeds: [net.seed], guards, pathCount: 1 });
    expect(c.guards).toBe(guards);
    await c.start();
    expect(c.paths()).toHaveLength(1);
    expect(c.paths()[0]!.nodes).toHaveLength(3); // default path length
    expect(c.pool.size).toBe(16);
  });
});

describe('OnionClient without a usable network', () => {
  const nodes = distinctNodes(16);
  const list = utf8(JSON.stringify({ result: { service_node_states: nodes.map(entryOf) } }));
  const seed: SeedNode = { url: 'https://seed.invalid/' }; // never contacted: the fake transport answers

  it('fails with PATH_BUILD_FAILED when no guard answers its probe; probes carry the default cipher', async () => {
    const probes: { timeoutMs?: number; encType: unknown }[] = [];
    const seedTimeouts: (number | undefined)[] = [];
    const t: OnionTransport = {
      sendOnionRequest: async (_g, wire, o) => {
        probes.push({ timeoutMs: o?.timeoutMs, encType: parseOnionFrame(wire).metadata.enc_type });
        throw new SessionSdkError('TRANSPORT_ERROR', 'unreachable');
      },
      seedRequest: async (_s, _b, o) => {
        seedTimeouts.push(o?.timeoutMs);
        return { status: 200, body: list };
      },
    };
    const c = new OnionClient({ transport: t, seeds: [seed], timeoutMs: 1500 });
    await expect(c.start()).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(seedTimeouts).toEqual([1500]);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((p) => p.encType === 'xchacha20' && p.timeoutMs === 1500)).toBe(true);
    expect(c.paths()).toEqual([]);
  });

  it('probes with the configured cipher', async () => {
    const encTypes: unknown[] = [];
    const t: OnionTransport = {
      sendOnionRequest: async (_g, wire) => {
        encTypes.push(parseOnionFrame(wire).metadata.enc_type);
        throw new SessionSdkError('TIMEOUT', 'slow');
      },
      seedRequest: async () => ({ status: 200, body: list }),
    };
    const c = new OnionClient({ transport: t, seeds: [seed], encType: 'aes-gcm' });
    await expect(c.start()).rejects.toMatchObject({ code: 'PATH_BUILD_FAILED' });
    expect(encTypes.length).toBeGreaterThan(0);
    expect(new Set(encTypes)).toEqual(new Set(['aes-gcm']));
  });

  it('does not accept a seed answer with a non-200 status', async () => {
    let asked = 0;
    const t: OnionTransport = {
      sendOnionRequest: async () => {
        throw new Error('no path should be attempted');
      },
      seedRequest: async () => {
        asked++;
        return { status: 503, body: list };
      },
    };
    const c = new OnionClient({ transport: t, seeds: [seed] });
    // The seed's HTTP error (even with a valid node list in the body) means no seed answered.
    await expect(c.start()).rejects.toMatchObject({ code: 'INSUFFICIENT_NODES' });
    expect(asked).toBe(1);
    expect(c.pool.size).toBe(0);
  });

  it('close() releases the transport when it has a close method, and is harmless otherwise', async () => {
    let closed = 0;
    const mk = (close?: () => void): OnionTransport => ({
      sendOnionRequest: async () => ({ status: 500, body: new Uint8Array() }),
      seedRequest: async () => ({ status: 500, body: new Uint8Array() }),
      ...(close ? { close } : {}),
    });
    await new OnionClient({ transport: mk(() => void closed++) }).close();
    expect(closed).toBe(1);
    await expect(new OnionClient({ transport: mk() }).close()).resolves.toBeUndefined();
  });
});
