/**
 * The replaceable network seam of the onion module: how onion request bytes reach a guard, and
 * how a seed node is asked for the directory. Portable: the core never touches sockets. Node apps
 * use `createNodeHttpTransport` from `session-sdk/node`; any runtime with a `fetch` that can reach
 * the nodes (or an app-run relay, which browsers need) can use {@link createFetchTransport}.
 * @module
 */
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { randomBytes } from '../util/bytes.js';
import type { RandomSource, SeedNode, ServiceNode } from './snode-pool.js';

/**
 * A raw HTTP answer: status and body bytes (relay errors are plaintext, spec/onion.md §3.1).
 *
 * @example
 * ```ts
 * const res: TransportResponse = await transport.sendOnionRequest(guard, req.wire);
 * const reply = await readSnodeResponse(req, res.status, res.body);
 * ```
 */
export interface TransportResponse {
  /** HTTP status code; any status is returned, errors included. */
  readonly status: number;
  /** The whole response body. */
  readonly body: Uint8Array;
}

/**
 * Per-call options.
 *
 * @example
 * ```ts
 * const ctl = new AbortController();
 * const res = await transport.sendOnionRequest(guard, wire, { timeoutMs: 5000, signal: ctl.signal });
 * ```
 */
export interface TransportRequestOptions {
  /** Overall deadline for this call in milliseconds. */
  timeoutMs?: number;
  /** Aborts the call; the transport then throws `TIMEOUT`. */
  signal?: AbortSignal;
}

/**
 * What the onion client needs from the network. Implementations throw `SessionSdkError` with
 * code `TRANSPORT_ERROR` (no HTTP answer at all: refused, reset, TLS failure) or `TIMEOUT`; any
 * HTTP answer, whatever its status, is returned, because relay errors travel as HTTP statuses.
 *
 * @example
 * ```ts
 * const transport: OnionTransport = {
 *   sendOnionRequest: (guard, wire) => myHttpPost(`https://${guard.ip}:${guard.port}/onion_req/v2`, wire),
 *   seedRequest: (seed, body) => myHttpPost(new URL('json_rpc', seed.url).href, body),
 * };
 * ```
 */
export interface OnionTransport {
  /** POSTs `wire` to the guard's `/onion_req/v2` (spec/onion.md §2.6). */
  sendOnionRequest(guard: ServiceNode, wire: Uint8Array, opts?: TransportRequestOptions): Promise<TransportResponse>;
  /** POSTs a JSON-RPC body to a seed node's `/json_rpc` (spec/onion.md §5.1). */
  seedRequest(seed: SeedNode, body: Uint8Array, opts?: TransportRequestOptions): Promise<TransportResponse>;
  /** Releases sockets/agents, if any. */
  close?(): void | Promise<void>;
}

/**
 * Exponential back-off with full jitter: a uniform delay in `[0, min(max, base·2^attempt)]`
 * (libsession: base 200 ms, cap 5 s; spec/onion.md §5.3).
 *
 * @example
 * ```ts
 * await sleepMs(backoffDelay(attempt));
 * ```
 */
export function backoffDelay(attempt: number, opts: { baseMs?: number; maxMs?: number; random?: RandomSource } = {}): number {
  const base = opts.baseMs ?? 200;
  const max = opts.maxMs ?? 5000;
  const cap = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  const b = (opts.random ?? randomBytes)(4);
  const u = (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** 32;
  return Math.floor(u * (cap + 1));
}

/**
 * Options of {@link withRetries}.
 *
 * @example
 * ```ts
 * const opts: RetryOptions = { retries: 3, baseMs: 100, retryOn: (e) => isSessionSdkError(e, 'TRANSPORT_ERROR') };
 * const res = await withRetries(() => transport.seedRequest(seed, body), opts);
 * ```
 */
export interface RetryOptions {
  /** Extra attempts after the first. Default 2. */
  retries?: number;
  /** Back-off base in ms (see {@link backoffDelay}). Default 200. */
  baseMs?: number;
  /** Back-off cap in ms. Default 5000. */
  maxMs?: number;
  /** Jitter source. Default `crypto.getRandomValues`; inject only in tests. */
  random?: RandomSource;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Which errors are worth retrying. Default: `TRANSPORT_ERROR` only. */
  retryOn?: (e: unknown) => boolean;
}

/**
 * A sleep that resolves after `ms` milliseconds.
 *
 * @example
 * ```ts
 * await sleepMs(250);
 * ```
 */
export const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` and retries it with {@link backoffDelay} while it throws a retryable error.
 * Only failures where no HTTP answer arrived are retried by default: retrying after a timeout
 * would replay a request the network may already have processed.
 *
 * @example
 * ```ts
 * const res = await withRetries(() => transport.sendOnionRequest(guard, wire), { retries: 2 });
 * ```
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const retries = opts.retries ?? 2;
  const sleep = opts.sleep ?? sleepMs;
  const retryOn = opts.retryOn ?? ((e: unknown) => isSessionSdkError(e, 'TRANSPORT_ERROR'));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= retries || !retryOn(e)) throw e;
      await sleep(backoffDelay(attempt, opts));
    }
  }
}

/**
 * A `fetch`-compatible function (the subset the transport uses).
 *
 * @example
 * ```ts
 * const fetchWithLog: FetchLike = (url, init) => { log.debug('POST', url); return fetch(url, init); };
 * const transport = createFetchTransport({ fetch: fetchWithLog });
 * ```
 */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; body: Uint8Array; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{
  /** HTTP status code. */
  status: number;
  /** Reads the whole response body. */
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

/**
 * Options of {@link createFetchTransport}.
 *
 * @example
 * ```ts
 * const opts: FetchTransportOptions = { onionUrl: (g) => `https://relay.example.com/onion/${g.ip}/${g.port}`, timeoutMs: 15_000 };
 * const transport = createFetchTransport(opts);
 * ```
 */
export interface FetchTransportOptions {
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /**
   * The URL to POST an onion request for `guard` to. Default
   * `https://<ip>:<port>/onion_req/v2`, which only works where the runtime accepts the nodes'
   * self-signed certificates; browsers must point this at a relay the app runs.
   */
  onionUrl?: (guard: ServiceNode) => string;
  /** The URL for a seed's JSON-RPC. Default `<seed.url>json_rpc`. */
  seedUrl?: (seed: SeedNode) => string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Extra headers (e.g. a relay's auth token). */
  headers?: Record<string, string>;
}

/**
 * A transport over any `fetch`. In browsers, point `onionUrl` at a relay: browsers cannot reach
 * service nodes directly (self-signed TLS, no CORS), and the relay only sees onion-encrypted
 * bytes and the guard's address.
 *
 * @example
 * ```ts
 * const transport = createFetchTransport({
 *   onionUrl: (g) => `https://relay.example.com/onion/${g.ip}/${g.port}`,
 * });
 * ```
 */
export function createFetchTransport(opts: FetchTransportOptions = {}): OnionTransport {
  const f = opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  if (typeof f !== 'function') throw new SessionSdkError('INVALID_INPUT', 'no fetch implementation available');
  const onionUrl = opts.onionUrl ?? ((g: ServiceNode) => `https://${g.ip}:${g.port}/onion_req/v2`);
  const seedUrl = opts.seedUrl ?? ((s: SeedNode) => `${s.url.endsWith('/') ? s.url : s.url + '/'}json_rpc`);
  const post = async (url: string, body: Uint8Array, ro: TransportRequestOptions = {}): Promise<TransportResponse> => {
    const timeoutMs = ro.timeoutMs ?? opts.timeoutMs ?? 10_000;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    const onAbort = (): void => ctl.abort();
    ro.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await f(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/octet-stream', ...opts.headers },
        signal: ctl.signal,
      });
      return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
    } catch (e) {
      if (ctl.signal.aborted) throw new SessionSdkError('TIMEOUT', `request timed out after ${timeoutMs} ms`);
      throw new SessionSdkError('TRANSPORT_ERROR', 'request failed before any HTTP answer', { cause: e });
    } finally {
      clearTimeout(timer);
      ro.signal?.removeEventListener('abort', onAbort);
    }
  };
  return {
    sendOnionRequest: (guard, wire, ro) => post(onionUrl(guard), wire, ro),
    seedRequest: (seed, body, ro) => post(seedUrl(seed), body, ro),
  };
}
