// The Node HTTP transport's documented contract (src/node/http-transport.ts): connection failures
// are TRANSPORT_ERROR and retried with the configured back-off, an AbortSignal ends the request
// as TIMEOUT, and HTTP statuses are returned, not thrown. Local servers on 127.0.0.1 only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import type { ServiceNode } from '../../src/onion/snode-pool.js';
import { fakeNode } from '../loopback/fake-nodes.js';

let hang: http.Server;
let hangPort: number;
let closedPort: number;
const pending: http.ServerResponse[] = [];

beforeAll(async () => {
  hang = http.createServer((_req, res) => void pending.push(res)); // never answers
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  hangPort = (hang.address() as AddressInfo).port;
  // A port that was just free: connecting to it is refused.
  const tmp = http.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});
afterAll(async () => {
  for (const res of pending) res.destroy();
  hang.closeAllConnections?.();
  await new Promise<void>((r) => hang.close(() => r()));
});

const at = (port: number): ServiceNode => fakeNode(1, '127.0.0.1', port);
const viaHttp = (n: ServiceNode) => ({ protocol: 'http' as const, host: n.ip, port: n.port });

describe('createNodeHttpTransport', () => {
  it('retries a refused connection with the configured back-off, then throws TRANSPORT_ERROR', async () => {
    const sleeps: number[] = [];
    const t = createNodeHttpTransport({ resolve: viaHttp, retries: 2, backoffBaseMs: 10, backoffMaxMs: 15, random: (n) => new Uint8Array(n).fill(255), sleep: async (ms) => void sleeps.push(ms) });
    await expect(t.sendOnionRequest(at(closedPort), new Uint8Array([1]))).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    expect(sleeps).toHaveLength(2); // two retries after the first attempt
    for (const s of sleeps) expect(s).toBeLessThanOrEqual(15);
    t.close?.();
  });

  it('speaks TLS to nodes by default (resolve defaults to https://ip:port)', async () => {
    // Against a plain-HTTP listener that never answers: plain HTTP would wait for the timeout,
    // while a TLS ClientHello is rejected by the HTTP parser at once (a transport failure).
    const t = createNodeHttpTransport({ retries: 0, timeoutMs: 3000 });
    await expect(t.sendOnionRequest(at(hangPort), new Uint8Array([1]))).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    t.close?.();
  });

  it('an abort during the request ends it as TIMEOUT, well before the transport timeout', async () => {
    const t = createNodeHttpTransport({ resolve: viaHttp, retries: 0, timeoutMs: 10_000 });
    const ctl = new AbortController();
    const started = Date.now();
    const p = t.sendOnionRequest(at(hangPort), new Uint8Array([1]), { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    t.close?.();
  });

  it('a per-request timeoutMs overrides the transport default', async () => {
    const t = createNodeHttpTransport({ resolve: viaHttp, retries: 0, timeoutMs: 10_000 });
    const started = Date.now();
    await expect(t.sendOnionRequest(at(hangPort), new Uint8Array([1]), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    t.close?.();
  });

  // The abort listener never fires for a signal that is already aborted: the request is destroyed
  // up front, and the promise must still settle promptly (through the request's error event)
  // rather than hang until the 10 s timer.
  it('an already-aborted signal fails the request promptly', async () => {
    const t = createNodeHttpTransport({ resolve: viaHttp, retries: 0, timeoutMs: 10_000 });
    const ctl = new AbortController();
    ctl.abort();
    const started = Date.now();
    const outcome = await Promise.race([
      t.sendOnionRequest(at(hangPort), new Uint8Array([1]), { signal: ctl.signal }).then(
        () => 'resolved',
        (e: { code?: string }) => e.code,
      ),
      new Promise((r) => setTimeout(() => r('pending'), 1500)),
    ]);
    expect(outcome).toBe('TRANSPORT_ERROR');
    expect(Date.now() - started).toBeLessThan(1500);
    t.close?.();
  });
});
