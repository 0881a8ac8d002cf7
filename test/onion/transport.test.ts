import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import * as https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { backoffDelay, createFetchTransport, withRetries, type FetchLike } from '../../src/onion/transport.js';
import { createNodeHttpTransport, MAINNET_SEED_PINS } from '../../src/node/http-transport.js';
import { SessionSdkError, isSessionSdkError } from '../../src/errors.js';
import { seededRandom } from '../loopback/rng.js';
import { fakeNode } from '../loopback/fake-nodes.js';

describe('backoffDelay / withRetries', () => {
  it('stays within [0, min(max, base*2^n)]', () => {
    const r = seededRandom(1);
    for (let a = 0; a < 12; a++) {
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(a, { baseMs: 100, maxMs: 3000, random: r });
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(3000, 100 * 2 ** a));
      }
    }
    expect(backoffDelay(1000, { random: r })).toBeLessThanOrEqual(5000);
  });

  it('retries only failures without any HTTP answer, with growing delays', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const v = await withRetries(
      async () => {
        if (++calls < 3) throw new SessionSdkError('TRANSPORT_ERROR', 'refused');
        return 'ok';
      },
      { retries: 2, sleep: async (ms) => void sleeps.push(ms), random: seededRandom(2) },
    );
    expect(v).toBe('ok');
    expect(calls).toBe(3);
    expect(sleeps.length).toBe(2);
    calls = 0;
    await expect(withRetries(async () => { calls++; throw new SessionSdkError('TIMEOUT', 't'); }, { sleep: async () => {} })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(calls).toBe(1); // a timeout may have been processed: never replayed
    calls = 0;
    await expect(withRetries(async () => { calls++; throw new SessionSdkError('TRANSPORT_ERROR', 'x'); }, { retries: 3, sleep: async () => {} })).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    expect(calls).toBe(4);
  });
});

describe('createFetchTransport', () => {
  const guard = fakeNode(1, '203.0.113.9', 22021);
  it('posts to the guard URL (or a relay URL) and returns any HTTP status with its body', async () => {
    const seen: string[] = [];
    const f: FetchLike = async (url, init) => {
      seen.push(url);
      expect(init.method).toBe('POST');
      return { status: 502, arrayBuffer: async () => new TextEncoder().encode('Next node not found: ab').buffer as ArrayBuffer };
    };
    const t = createFetchTransport({ fetch: f });
    const res = await t.sendOnionRequest(guard, new Uint8Array([1, 2]));
    expect(res.status).toBe(502);
    expect(new TextDecoder().decode(res.body)).toBe('Next node not found: ab');
    await t.seedRequest({ url: 'https://seed.example:4443' }, new Uint8Array());
    const relayed = createFetchTransport({ fetch: f, onionUrl: (g) => `https://relay.example/onion/${g.ip}/${g.port}` });
    await relayed.sendOnionRequest(guard, new Uint8Array());
    expect(seen).toEqual(['https://203.0.113.9:22021/onion_req/v2', 'https://seed.example:4443/json_rpc', 'https://relay.example/onion/203.0.113.9/22021']);
  });

  it('maps network failures to TRANSPORT_ERROR and deadlines to TIMEOUT', async () => {
    const failing = createFetchTransport({ fetch: async () => { throw new TypeError('fetch failed'); } });
    await expect(failing.sendOnionRequest(guard, new Uint8Array())).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    const hanging = createFetchTransport({
      timeoutMs: 20,
      fetch: (_u, init) => new Promise((_, rej) => init.signal?.addEventListener('abort', () => rej(new Error('aborted')))),
    });
    await expect(hanging.sendOnionRequest(guard, new Uint8Array())).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(() => createFetchTransport({ fetch: 5 as unknown as FetchLike })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('createNodeHttpTransport', () => {
  let dir: string;
  let key: string;
  let cert: string;
  let httpsServer: https.Server;
  let httpServer: http.Server;
  let httpsPort = 0;
  let httpPort = 0;
  const hits: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sdk-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    key = readFileSync(join(dir, 'k.pem'), 'utf8');
    cert = readFileSync(join(dir, 'c.pem'), 'utf8');
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      hits.push(`${req.method} ${req.url}`);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url?.startsWith('/big')) return res.end(Buffer.alloc(4096));
        if (req.url?.startsWith('/slow')) return setTimeout(() => res.end('late'), 500);
        res.writeHead(req.url?.endsWith('/json_rpc') ? 200 : 421);
        res.end(Buffer.concat([Buffer.from('echo:'), ...chunks]));
      });
    };
    httpsServer = https.createServer({ key, cert }, handler);
    httpServer = http.createServer(handler);
    await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    httpsPort = (httpsServer.address() as AddressInfo).port;
    httpPort = (httpServer.address() as AddressInfo).port;
  });

  afterAll(async () => {
    httpsServer.closeAllConnections();
    httpServer.closeAllConnections();
    await new Promise((r) => httpsServer.close(r));
    await new Promise((r) => httpServer.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const node = fakeNode(7, '198.18.7.7', 1);

  it('accepts a node\'s self-signed certificate in this transport only, never globally', async () => {
    const t = createNodeHttpTransport({ resolve: () => ({ protocol: 'https', host: '127.0.0.1', port: httpsPort }) });
    const res = await t.sendOnionRequest(node, new TextEncoder().encode('onion'));
    expect(res.status).toBe(421);
    expect(new TextDecoder().decode(res.body)).toBe('echo:onion');
    expect(hits).toContain('POST /onion_req/v2');
    t.close?.();
    // The process-wide default still rejects the same certificate.
    await expect(
      new Promise((resolve, reject) => https.request({ host: '127.0.0.1', port: httpsPort, method: 'POST', path: '/' }, resolve).on('error', reject).end()),
    ).rejects.toThrow();
    expect(https.globalAgent.options.rejectUnauthorized).not.toBe(false);
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it('speaks plain HTTP where resolve says so (loopback networks)', async () => {
    const t = createNodeHttpTransport({ resolve: () => ({ protocol: 'http', host: '127.0.0.1', port: httpPort }) });
    const res = await t.sendOnionRequest(node, new Uint8Array([0x41]));
    expect(new TextDecoder().decode(res.body)).toBe('echo:A');
    t.close?.();
  });

  it('pins seed certificates: exact fingerprint and host name, else TRANSPORT_ERROR', async () => {
    const fp = new X509Certificate(cert).fingerprint256;
    const seed = { url: `https://localhost:${httpsPort}/` };
    const good = createNodeHttpTransport({ seedPins: { localhost: { pem: cert, fingerprint256: fp } }, retries: 0 });
    const res = await good.seedRequest(seed, new TextEncoder().encode('{}'));
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe('echo:{}');
    const wrongFp = createNodeHttpTransport({ seedPins: { localhost: { pem: cert, fingerprint256: fp.replace(/^../, fp.startsWith('00') ? '11' : '00') } }, retries: 0 });
    await expect(wrongFp.seedRequest(seed, new Uint8Array())).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    // No pin for this host: ordinary CA verification applies, and a self-signed seed is refused.
    const unpinned = createNodeHttpTransport({ seedPins: {}, retries: 0 });
    await expect(unpinned.seedRequest(seed, new Uint8Array())).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    // Connecting by IP fails the host-name check even with the right certificate pinned.
    const byIp = createNodeHttpTransport({ seedPins: { '127.0.0.1': { pem: cert, fingerprint256: fp } }, retries: 0 });
    await expect(byIp.seedRequest({ url: `https://127.0.0.1:${httpsPort}/` }, new Uint8Array())).rejects.toMatchObject({ code: 'TRANSPORT_ERROR' });
    await expect(good.seedRequest({ url: 'not a url' }, new Uint8Array())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    for (const t of [good, wrongFp, unpinned, byIp]) t.close?.();
  });

  it('ships the three mainnet seed pins with matching fingerprints', () => {
    expect(Object.keys(MAINNET_SEED_PINS).sort()).toEqual(['seed1.getsession.org', 'seed2.getsession.org', 'seed3.getsession.org']);
    for (const [host, pin] of Object.entries(MAINNET_SEED_PINS)) {
      const x = new X509Certificate(pin.pem);
      expect(x.fingerprint256).toBe(pin.fingerprint256);
      expect(x.checkHost(host)).toBe(host);
    }
  });

  it('times out, caps response size, and retries refused connections with back-off', async () => {
    const slow = createNodeHttpTransport({ resolve: () => ({ protocol: 'http', host: '127.0.0.1', port: httpPort }), timeoutMs: 50, retries: 3 });
    // The request path is fixed (/onion_req/v2), so exercise /slow and /big via the seed call.
    await expect(slow.seedRequest({ url: `http://127.0.0.1:${httpPort}/slow/` }, new Uint8Array())).rejects.toMatchObject({ code: 'TIMEOUT' });
    const capped = createNodeHttpTransport({ maxResponseBytes: 1000, retries: 0 });
    expect((await capped.seedRequest({ url: `http://127.0.0.1:${httpPort}/` }, new Uint8Array())).status).toBe(200);
    await expect(capped.seedRequest({ url: `http://127.0.0.1:${httpPort}/big/` }, new Uint8Array())).rejects.toMatchObject({ code: 'TOO_LARGE' });
    const sleeps: number[] = [];
    const refused = createNodeHttpTransport({ resolve: () => ({ protocol: 'http', host: '127.0.0.1', port: 1 }), retries: 2, sleep: async (ms) => void sleeps.push(ms) });
    const err = await refused.sendOnionRequest(node, new Uint8Array()).catch((e) => e);
    expect(isSessionSdkError(err, 'TRANSPORT_ERROR')).toBe(true);
    expect(sleeps.length).toBe(2);
    for (const t of [slow, capped, refused]) t.close?.();
  });
});
