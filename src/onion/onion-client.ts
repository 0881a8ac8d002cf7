/**
 * The high-level onion client: keeps a service-node pool, persistent guards and a small set of
 * 3-hop paths, and sends requests to service nodes (storage RPC) or HTTP servers (v4) through
 * them, with retries, strike counting and path repair (spec/onion.md §5–§6, §7.4).
 *
 * Failure policy (spec §5.3, §6.4):
 * - No answer from the guard at all (refused, reset, timeout) is our own observation: a direct
 *   strike on the guard in the pool and in the guard set, and a strike on the path.
 * - A relay's plaintext error naming a node of the path (`502 Next node not found: X`,
 *   `503 Snode not ready: X`) replaces X in that path under the same rules, reports X to the pool
 *   with the guard as reporter (bounded, so a lying relay cannot empty the pool) and strikes the
 *   path too, so a relay that keeps blaming others ends up costing its own path.
 * - Other path failures (504, 500, `400 Invalid ciphertext`, an answer that does not decrypt)
 *   strike the path. At `pathStrikeThreshold` the path is dropped and rebuilt, and its guard gets a
 *   failure in the guard set (retired after repeated failures).
 * - Errors from the destination itself (421 wrong swarm, 406/425 clock skew, 4xx) are not path
 *   problems and go straight back to the caller (421 is handled by {@link OnionClient.swarmRequest}).
 * @module
 */
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { equalBytes, fromUtf8, randomBytes, toHex, utf8, wipe } from '../util/bytes.js';
import { ed25519PkToX25519Sync } from '../crypto/noble.js';
import { encodeOnionFrame } from './frame.js';
import { hopEncrypt, onionEphemeralKeyPair, type OnionEncType } from './hop.js';
import { sortedJsonBytes, type JsonInput } from './json.js';
import { buildOnionRequest, encodeSnodeRequest, type OnionRequest, type ServerDestination } from './onion-request.js';
import { OnionRelayError, readServerResponse, readSnodeResponse, type SnodeResponse } from './onion-response.js';
import {
  buildOnionPaths,
  GuardSet,
  pathAllowsDestination,
  repairOnionPath,
  type GuardSetOptions,
  type OnionPath,
  type SubnetBits,
} from './path.js';
import {
  INVALID_SWARM_ID,
  isUsableNodeIp,
  NODE_LIST_RPC_PARAMS,
  parseServiceNodeListJson,
  randomIndex,
  SEED_NODE_LIST_REQUEST,
  shuffled,
  SnodePool,
  type RandomSource,
  type SeedNode,
  type ServiceNode,
} from './snode-pool.js';
import { swarmForPubkey } from './swarm.js';
import { backoffDelay, sleepMs, type OnionTransport } from './transport.js';
import { encodeV4Request, type V4Request, type V4Response } from './v4.js';

/**
 * Something the client did, for logs and transcripts. Never contains payloads or user IDs.
 *
 * @example
 * ```ts
 * const onEvent = (e: OnionClientEvent) => { if (e.type === 'path-dropped') log.info('path dropped:', e.reason); };
 * const client = new OnionClient({ transport, onEvent });
 * ```
 */
export type OnionClientEvent =
  | { type: 'pool-refreshed'; source: 'seed' | 'nodes'; size: number }
  | { type: 'path-built'; path: OnionPath; subnetBits: SubnetBits; fellBack: boolean }
  | { type: 'path-repaired'; before: OnionPath; after: OnionPath; index: number; reason: string }
  | { type: 'path-dropped'; path: OnionPath; reason: string }
  | { type: 'attempt-failed'; attempt: number; path: OnionPath; error: SessionSdkError };

/**
 * Options of {@link OnionClient}.
 *
 * @example
 * ```ts
 * const options: OnionClientOptions = { transport: createNodeHttpTransport(), guards: { store }, pathCount: 2 };
 * const client = new OnionClient(options);
 * ```
 */
export interface OnionClientOptions {
  /** How requests reach guards and seed nodes, e.g. `createNodeHttpTransport()` from `session-sdk/node`. */
  transport: OnionTransport;
  /** An existing pool; default a new {@link SnodePool} over `seeds`. */
  pool?: SnodePool;
  /** Seed nodes for the pool this client creates. Default `MAINNET_SEED_NODES`. */
  seeds?: readonly SeedNode[];
  /**
   * IP filter for the pool this client creates ({@link SnodePoolOptions.acceptNodeIp}), e.g.
   * {@link isPublicIpv4} so a hostile directory cannot point the client at LAN or localhost
   * addresses. Default none (upstream behaviour). With `pool` given, set it on that pool instead:
   * passing both is `INVALID_INPUT`.
   */
  acceptNodeIp?: (ip: string) => boolean;
  /** Guard persistence: a {@link GuardSet} or its options (e.g. `{ store }`). */
  guards?: GuardSet | GuardSetOptions;
  /** Per-hop cipher. Default `'xchacha20'` (libsession). */
  encType?: OnionEncType;
  /** Nodes per path, guard included. Default 3. */
  pathLength?: number;
  /** Paths kept ready. Default 2. */
  pathCount?: number;
  /** Subnet rule: 24 (default) or 16 (strict, with fallback). */
  subnetBits?: SubnetBits;
  /** Attempts per request. Default 4. */
  maxAttempts?: number;
  /** Strikes that drop a path. Default 3. */
  pathStrikeThreshold?: number;
  /**
   * Paths older than this are rebuilt (relays rotate, guards stay), as libsession rotates paths
   * and Tor rotates circuits. Default 10 minutes; `Infinity` disables rotation.
   */
  pathRotationMs?: number;
  /** Per-attempt transport timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Back-off between attempts (ms). Defaults 200 / 5000. */
  retryBaseMs?: number;
  /** Cap of the back-off between attempts (ms). Default 5000. */
  retryMaxMs?: number;
  /**
   * Clock in milliseconds since the Unix epoch: path ages, and the pool and guard set this client
   * creates. Default `Date.now`; inject only in tests.
   */
  now?: () => number;
  /** Default `crypto.getRandomValues`; inject only in tests. */
  random?: RandomSource;
  /**
   * Waits `ms` milliseconds: the randomised back-off between attempts. Default a `setTimeout`
   * sleep ({@link sleepMs}); inject in tests to skip the waiting.
   *
   * @example
   * ```ts
   * const client = new OnionClient({ transport, now: () => clock, sleep: async () => {} });
   * ```
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Called synchronously with each {@link OnionClientEvent}. Default: events are dropped. It
   * should not throw: an exception propagates out of the request or refresh that emitted it.
   */
  onEvent?: (e: OnionClientEvent) => void;
}

interface ManagedPath {
  path: OnionPath;
  strikes: number;
  builtAt: number;
}

/**
 * The defaults of {@link OnionClientOptions}: libsession's path shape and strike rule
 * (spec/onion.md §6–§7), exposed so apps and `vectors verify` can compare them with the official
 * clients' constants instead of reading them off a network.
 *
 * @example
 * ```ts
 * ONION_CLIENT_DEFAULTS.pathStrikeThreshold; // 3: strikes that drop a path
 * ```
 */
export const ONION_CLIENT_DEFAULTS = Object.freeze({
  encType: 'xchacha20' as OnionEncType,
  pathLength: 3,
  pathCount: 2,
  subnetBits: 24 as SubnetBits,
  maxAttempts: 4,
  pathStrikeThreshold: 3,
  pathRotationMs: 10 * 60_000,
  timeoutMs: 10_000,
  retryBaseMs: 200,
  retryMaxMs: 5000,
});

/**
 * A service node's answer, with the path that carried it.
 *
 * @example
 * ```ts
 * const res: OnionSnodeResult = await client.swarmRequest(me.sessionId, 'retrieve', params);
 * console.log(res.status, 'from', res.destination.ed25519Hex, 'after', res.attempts, 'attempts');
 * ```
 */
export interface OnionSnodeResult extends SnodeResponse {
  /** The path that carried the successful attempt. */
  readonly path: OnionPath;
  /** The node that answered (for swarm requests, the swarm member chosen). */
  readonly destination: ServiceNode;
  /** Attempts made, the successful one included. */
  readonly attempts: number;
}

/**
 * A server's v4 answer, with the path that carried it.
 *
 * @example
 * ```ts
 * const res: OnionServerResult = await client.serverRequest(destination, { method: 'GET', endpoint: '/capabilities' });
 * if (res.status === 200) console.log(JSON.parse(new TextDecoder().decode(res.body!)));
 * ```
 */
export interface OnionServerResult extends V4Response {
  /** The path that carried the successful attempt. */
  readonly path: OnionPath;
  /** Attempts made, the successful one included. */
  readonly attempts: number;
}

/**
 * Builds a content-free, zero-relay onion request to `node` itself asking `info`: the node must
 * hold the X25519 secret for its listed key to answer, and nothing about the user is revealed
 * (spec/onion.md §6.4 item 4). Internal helper: `buildOnionRequest` needs at least one relay.
 */
async function buildDirectInfoProbe(node: ServiceNode, encType: OnionEncType): Promise<{ wire: Uint8Array; keys: Parameters<typeof readSnodeResponse>[0] }> {
  const eph = await onionEphemeralKeyPair();
  const inner = encodeOnionFrame(encodeSnodeRequest('info', {}), utf8('{"headers":""}'));
  const blob = await hopEncrypt(encType, eph.secretKey, node.x25519PublicKey, inner, { localPublicKey: eph.publicKey });
  const wire = encodeOnionFrame(blob, sortedJsonBytes({ enc_type: encType, ephemeral_key: toHex(eph.publicKey) }));
  return { wire, keys: { encType, finalEphemeral: eph, destinationX25519PublicKey: node.x25519PublicKey } };
}

/**
 * A server given by IPv4 literal, as a pseudo node, so paths keep clear of its /24 too (a host
 * name cannot be checked without a DNS lookup that would itself leak the destination).
 */
function serverAsNode(d: ServerDestination): ServiceNode | undefined {
  if (typeof d?.host !== 'string' || !isUsableNodeIp(d.host)) return undefined;
  const none = new Uint8Array(32);
  return { ed25519PublicKey: none, x25519PublicKey: none, ed25519Hex: `server:${d.host}`, ip: d.host, port: d.port ?? 0 };
}

/**
 * Sends requests through onion paths. Create one per app; call {@link start} (or just send:
 * everything is set up lazily).
 *
 * @example
 * ```ts
 * import { createNodeHttpTransport } from 'session-sdk/node';
 * const client = new OnionClient({ transport: createNodeHttpTransport() });
 * const { body } = await client.swarmRequest(bob.sessionId, 'retrieve', params);
 * ```
 */
export class OnionClient {
  readonly pool: SnodePool;
  readonly guards: GuardSet;
  private readonly transport: OnionTransport;
  private readonly encType: OnionEncType;
  private readonly pathLength: number;
  private readonly pathCount: number;
  private readonly subnetBits: SubnetBits;
  private readonly maxAttempts: number;
  private readonly pathStrikeThreshold: number;
  private readonly pathRotationMs: number;
  private readonly now: () => number;
  /** Nodes whose listed X25519 key was checked against their Ed25519 identity. */
  private readonly keysChecked = new Set<string>();
  private readonly timeoutMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: RandomSource;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly emit: (e: OnionClientEvent) => void;
  private managed: ManagedPath[] = [];
  private building: Promise<void> | undefined;

  constructor(opts: OnionClientOptions) {
    if (!opts?.transport || typeof opts.transport.sendOnionRequest !== 'function') {
      throw new SessionSdkError('INVALID_INPUT', 'OnionClient needs a transport');
    }
    this.transport = opts.transport;
    this.random = opts.random ?? randomBytes;
    const now = opts.now ?? Date.now;
    // A filter given next to an existing pool would silently not apply: refuse it.
    if (opts.pool && opts.acceptNodeIp !== undefined) {
      throw new SessionSdkError('INVALID_INPUT', 'OnionClient: acceptNodeIp applies to the pool the client creates; set it on the SnodePool passed as pool');
    }
    this.pool =
      opts.pool ??
      new SnodePool({ ...(opts.seeds ? { seeds: opts.seeds } : {}), ...(opts.acceptNodeIp !== undefined ? { acceptNodeIp: opts.acceptNodeIp } : {}), now, random: this.random });
    this.guards = opts.guards instanceof GuardSet ? opts.guards : new GuardSet({ now, random: this.random, count: opts.pathCount ?? ONION_CLIENT_DEFAULTS.pathCount, ...opts.guards });
    this.encType = opts.encType ?? ONION_CLIENT_DEFAULTS.encType;
    this.pathLength = opts.pathLength ?? ONION_CLIENT_DEFAULTS.pathLength;
    this.pathCount = opts.pathCount ?? ONION_CLIENT_DEFAULTS.pathCount;
    this.subnetBits = opts.subnetBits ?? ONION_CLIENT_DEFAULTS.subnetBits;
    this.maxAttempts = opts.maxAttempts ?? ONION_CLIENT_DEFAULTS.maxAttempts;
    this.pathStrikeThreshold = opts.pathStrikeThreshold ?? ONION_CLIENT_DEFAULTS.pathStrikeThreshold;
    this.pathRotationMs = opts.pathRotationMs ?? ONION_CLIENT_DEFAULTS.pathRotationMs;
    this.now = now;
    this.timeoutMs = opts.timeoutMs ?? ONION_CLIENT_DEFAULTS.timeoutMs;
    this.retryBaseMs = opts.retryBaseMs ?? ONION_CLIENT_DEFAULTS.retryBaseMs;
    this.retryMaxMs = opts.retryMaxMs ?? ONION_CLIENT_DEFAULTS.retryMaxMs;
    this.sleep = opts.sleep ?? sleepMs;
    this.emit = opts.onEvent ?? (() => undefined);
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new SessionSdkError('INVALID_INPUT', 'maxAttempts must be at least 1');
    if (!Number.isInteger(this.pathCount) || this.pathCount < 1) throw new SessionSdkError('INVALID_INPUT', 'pathCount must be at least 1');
    this.pool.setFetcher({
      fromSeed: (seed) => this.fetchFromSeed(seed),
      fromNode: async (node) => parseServiceNodeListJson((await this.snodeRequest(node, 'oxend_request', NODE_LIST_RPC_PARAMS as unknown as Record<string, JsonInput>)).body),
    });
  }

  /**
   * The current paths (`nodes[0]` is the guard).
   *
   * @example
   * ```ts
   * const guards = client.paths().map((p) => p.nodes[0]!.ip);
   * ```
   */
  paths(): OnionPath[] {
    return this.managed.map((m) => m.path);
  }

  /**
   * Refreshes the pool if stale and builds paths up to `pathCount`.
   *
   * @example
   * ```ts
   * await client.start(); // optional: the first request would do it lazily
   * ```
   */
  async start(): Promise<void> {
    await this.ensurePaths();
    if (this.pool.isStale() && !this.pool.refreshing) await this.refreshPool();
  }

  /**
   * Releases the transport.
   *
   * @example
   * ```ts
   * await client.close();
   * ```
   */
  async close(): Promise<void> {
    await this.transport.close?.();
  }

  private async fetchFromSeed(seed: SeedNode): Promise<ServiceNode[]> {
    const res = await this.transport.seedRequest(seed, utf8(JSON.stringify(SEED_NODE_LIST_REQUEST)), { timeoutMs: this.timeoutMs });
    if (res.status !== 200) throw new SessionSdkError('TRANSPORT_ERROR', `seed ${seed.url} answered HTTP ${res.status}`);
    return parseServiceNodeListJson(fromUtf8(res.body));
  }

  /** A content-free reachability and key-possession test of a candidate guard. */
  private probeGuard = async (node: ServiceNode): Promise<boolean> => {
    let probe: Awaited<ReturnType<typeof buildDirectInfoProbe>> | undefined;
    try {
      probe = await buildDirectInfoProbe(node, this.encType);
      const res = await this.transport.sendOnionRequest(node, probe.wire, { timeoutMs: Math.min(this.timeoutMs, 3000) });
      const r = await readSnodeResponse(probe.keys, res.status, res.body);
      return r.status === 200;
    } catch {
      return false;
    } finally {
      wipe(probe?.keys.finalEphemeral.secretKey);
    }
  };

  /**
   * Refreshes the pool now (through paths when it has enough nodes, else from a seed).
   *
   * @example
   * ```ts
   * await client.refreshPool();
   * console.log(client.pool.size, 'nodes');
   * ```
   */
  async refreshPool(): Promise<void> {
    const r = await this.pool.refresh();
    this.emit({ type: 'pool-refreshed', ...r });
  }

  private ensurePaths(): Promise<void> {
    const now = this.now();
    for (const m of [...this.managed]) if (now - m.builtAt >= this.pathRotationMs) this.dropPath(m, 'rotation');
    if (this.managed.length >= this.pathCount) return Promise.resolve();
    this.building ??= this.buildMissingPaths().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async buildMissingPaths(): Promise<void> {
    // Only a pool too small to use is refreshed here (that refresh goes to a seed). A stale but
    // usable pool is refreshed through paths, so the paths must come first: waiting for that
    // refresh here would wait for ourselves.
    if (this.pool.tooSmall && !this.pool.refreshing) await this.refreshPool();
    const relays = this.managed.flatMap((m) => m.path.nodes.slice(1));
    const guards = await this.guards.ensure(this.pool.nodes(), this.probeGuard, [], relays);
    const used = new Set(this.managed.map((m) => m.path.nodes[0]!.ed25519Hex));
    const fresh = guards.filter((g) => !used.has(g.ed25519Hex)).slice(0, this.pathCount - this.managed.length);
    if (fresh.length === 0) {
      if (this.managed.length === 0) throw new SessionSdkError('PATH_BUILD_FAILED', 'no guard available for a new path');
      return;
    }
    const existing = this.managed.flatMap((m) => m.path.nodes);
    const base = { pathLength: this.pathLength, subnetBits: this.subnetBits, random: this.random };
    let built;
    try {
      built = buildOnionPaths(this.pool.nodes(), fresh, { ...base, avoid: existing });
    } catch (e) {
      // Guards are long-lived and chosen first, so a new guard may share a /24 with a relay of a
      // path kept from before. Keep every per-path rule and node-distinctness across paths, and
      // give up only the cross-path subnet preference for this build.
      if (!isSessionSdkError(e, 'PATH_BUILD_FAILED') || existing.length === 0) throw e;
      built = buildOnionPaths(this.pool.nodes(), fresh, { ...base, exclude: existing });
    }
    for (const p of built.paths) {
      this.managed.push({ path: p, strikes: 0, builtAt: this.now() });
      this.emit({ type: 'path-built', path: p, subnetBits: built.subnetBits, fellBack: built.fellBack });
    }
  }

  private choosePath(destination: ServiceNode | undefined): ManagedPath {
    // Prefer the configured subnet rule; /24 is the floor that is never given up.
    for (const bits of this.subnetBits === 16 ? ([16, 24] as const) : ([24] as const)) {
      const ok = this.managed.filter((m) => !destination || pathAllowsDestination(m.path, destination, bits));
      if (ok.length > 0) return ok[randomIndex(ok.length, this.random)]!;
    }
    // Every ready path touches the destination's subnet: build a one-off path for it (not kept).
    const guard = this.managed.map((m) => m.path.nodes[0]!).find((g) => !destination || pathAllowsDestination({ nodes: [g] }, destination));
    if (!guard || !destination) throw new SessionSdkError('PATH_BUILD_FAILED', 'no path can reach this destination without sharing its subnet');
    const { paths } = buildOnionPaths(this.pool.nodes(), [guard], {
      pathLength: this.pathLength,
      subnetBits: this.subnetBits,
      random: this.random,
      avoid: [destination],
      crossPathDiversity: false,
    });
    return { path: paths[0]!, strikes: 0, builtAt: this.now() };
  }

  private dropPath(m: ManagedPath, reason: string): void {
    const i = this.managed.indexOf(m);
    if (i < 0) return;
    this.managed.splice(i, 1);
    this.emit({ type: 'path-dropped', path: m.path, reason });
  }

  private async strikePath(m: ManagedPath, reason: string): Promise<void> {
    m.strikes++;
    if (m.strikes >= this.pathStrikeThreshold) {
      this.dropPath(m, reason);
      await this.guards.recordFailure(m.path.nodes[0]!);
    }
  }

  private repair(m: ManagedPath, index: number, reason: string, avoid: ServiceNode | undefined): void {
    const before = m.path;
    try {
      m.path = repairOnionPath(before, index, this.pool.nodes(), {
        otherPaths: this.managed.filter((x) => x !== m).map((x) => x.path),
        subnetBits: this.subnetBits,
        random: this.random,
        ...(avoid ? { avoid: [avoid] } : {}),
      });
      this.emit({ type: 'path-repaired', before, after: m.path, index, reason });
    } catch {
      this.dropPath(m, `${reason}; no replacement node`);
    }
  }

  /**
   * Onion layers are encrypted to the listed X25519 key while relays route by Ed25519 key; the
   * two must be the same identity (spec/onion.md §1.1), so a directory entry whose X25519 key is
   * not the Ed25519 key's conversion is removed from the pool before any layer is sealed to it.
   */
  private checkKeys(nodes: readonly ServiceNode[]): void {
    for (const n of nodes) {
      if (this.keysChecked.has(n.ed25519Hex)) continue;
      let ok = false;
      try {
        ok = equalBytes(ed25519PkToX25519Sync(n.ed25519PublicKey), n.x25519PublicKey);
      } catch {
        ok = false;
      }
      if (!ok) {
        this.pool.remove(n);
        for (const m of this.managed.filter((x) => x.path.nodes.includes(n))) this.dropPath(m, 'inconsistent node keys');
        throw new SessionSdkError('INVALID_KEY', `service node ${n.ed25519Hex.slice(0, 16)}… lists an X25519 key that is not its Ed25519 key's`);
      }
      this.keysChecked.add(n.ed25519Hex);
    }
  }

  /** Handles a failed attempt: strikes, repair. Returns true when the error is the caller's. */
  private async handleFailure(m: ManagedPath, e: unknown, destination: ServiceNode | undefined): Promise<boolean> {
    const guard = m.path.nodes[0]!;
    if (!isSessionSdkError(e)) return true;
    if (e instanceof OnionRelayError) {
      if (e.source === 'destination') return true;
      if (e.layer !== undefined) {
        // A hop answered with its own layer key ("Invalid json" / "Invalid url"): authentic, and
        // about our request, so retrying cannot help. Still strike the path, so a hop that
        // invents such answers cannot stay on it.
        await this.strikePath(m, `hop rejected its layer (${e.status})`);
        return true;
      }
      const named = e.node;
      if (named && destination && named === destination.ed25519Hex) {
        // The destination is down (or a relay says so): the caller picks another swarm member.
        this.pool.reportByRelay(named, guard.ed25519Hex);
        return true;
      }
      const idx = named ? m.path.nodes.findIndex((n) => n.ed25519Hex === named) : -1;
      if ((e.code === 'NODE_NOT_FOUND' || e.code === 'SERVICE_UNAVAILABLE') && idx >= 1) {
        this.pool.reportByRelay(named!, guard.ed25519Hex);
        this.repair(m, idx, `${e.code} for ${named!.slice(0, 8)}…`, destination);
      }
      await this.strikePath(m, e.code);
      return false;
    }
    if (e.code === 'TRANSPORT_ERROR' || e.code === 'TIMEOUT') {
      this.pool.recordDirectFailure(guard);
      const retired = await this.guards.recordFailure(guard);
      if (retired) this.dropPath(m, `guard unreachable (${e.code})`);
      else await this.strikePath(m, e.code);
      return false;
    }
    if (e.code === 'INVALID_KEY') return false; // the node is gone from the pool; retry elsewhere
    if (e.code === 'DECRYPT_FAILED' || e.code === 'INVALID_ENCODING') {
      // The answer was not produced by the destination's key: something on the path altered it.
      await this.strikePath(m, e.code);
      return false;
    }
    return true;
  }

  private async send<T>(
    destination: ServiceNode | undefined,
    build: (path: OnionPath) => Promise<OnionRequest>,
    read: (req: OnionRequest, status: number, body: Uint8Array) => Promise<T>,
    avoid: ServiceNode | undefined = destination,
  ): Promise<{ value: T; path: OnionPath; attempts: number }> {
    if (destination) this.checkKeys([destination]);
    let last: unknown;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) await this.sleep(backoffDelay(attempt - 1, { baseMs: this.retryBaseMs, maxMs: this.retryMaxMs, random: this.random }));
      await this.ensurePaths();
      const m = this.choosePath(avoid);
      const guard = m.path.nodes[0]!;
      let req: OnionRequest | undefined;
      try {
        this.checkKeys(m.path.nodes);
        req = await build(m.path);
        const res = await this.transport.sendOnionRequest(guard, req.wire, { timeoutMs: this.timeoutMs });
        const value = await read(req, res.status, res.body);
        this.pool.recordDirectSuccess(guard);
        await this.guards.recordSuccess(guard);
        return { value, path: m.path, attempts: attempt + 1 };
      } catch (e) {
        last = e;
        if (isSessionSdkError(e)) this.emit({ type: 'attempt-failed', attempt: attempt + 1, path: m.path, error: e });
        if (await this.handleFailure(m, e, destination)) throw e;
      } finally {
        // Every layer key of this request is single-use; nothing needs it once the reply is read.
        if (req) wipe(req.finalEphemeral.secretKey, ...req.layerKeys.map((k) => k.ephemeralSecretKey));
      }
    }
    throw last;
  }

  /**
   * Sends a storage-server RPC (`{"method","params"}`, spec/onion.md §2.4) to `destination`
   * through a path that neither contains it nor shares its subnet. Destination errors (421, 406,
   * 4xx) throw an `OnionRelayError` with `source: 'destination'`.
   *
   * @example
   * ```ts
   * const { body } = await client.snodeRequest(node, 'info', {});
   * ```
   */
  async snodeRequest(destination: ServiceNode, method: string, params: Record<string, JsonInput | undefined>): Promise<OnionSnodeResult> {
    const payload = encodeSnodeRequest(method, params);
    const r = await this.send(
      destination,
      (path) => buildOnionRequest({ encType: this.encType, path: path.nodes.slice(), destination: { type: 'snode', ...destination }, payload }),
      (req, status, body) => readSnodeResponse(req, status, body, { destination: destination.ed25519Hex }),
    );
    return { ...r.value, path: r.path, destination, attempts: r.attempts };
  }

  /**
   * Sends a v4 request to an HTTP server (SOGS, file server) through a path; the last hop
   * proxies it (spec/onion.md §2.5).
   *
   * @example
   * ```ts
   * const res = await client.serverRequest(
   *   { type: 'server', host: 'open.getsession.org', target: '/oxen/v4/lsrpc', protocol: 'https', x25519PublicKey: serverKey },
   *   { method: 'GET', endpoint: '/capabilities' });
   * ```
   */
  async serverRequest(destination: ServerDestination, request: V4Request): Promise<OnionServerResult> {
    const payload = encodeV4Request(request);
    const r = await this.send(
      undefined,
      (path) => buildOnionRequest({ encType: this.encType, path: path.nodes.slice(), destination, payload }),
      (req, status, body) => readServerResponse(req, status, body),
      serverAsNode(destination),
    );
    return { ...r.value, path: r.path, attempts: r.attempts };
  }

  /**
   * The swarm members of an account, computed locally from the pool's swarm ids
   * (spec/onion.md §7.3). Refreshes the pool first if it is stale. When the directory carried no
   * swarm ids (desktop-style seeds), a random pool node is asked `get_swarm` through a path,
   * as desktop does, and only members the pool already knows are returned.
   *
   * @example
   * ```ts
   * const members = await client.swarmFor(bob.sessionId);
   * ```
   */
  async swarmFor(pubkey: string): Promise<ServiceNode[]> {
    await this.ensurePaths();
    if (this.pool.isStale() && !this.pool.refreshing) await this.refreshPool();
    const nodes = this.pool.nodes();
    if (nodes.some((n) => n.swarmId !== undefined && n.swarmId !== INVALID_SWARM_ID)) return swarmForPubkey(pubkey, nodes).members;
    if (nodes.length === 0) throw new SessionSdkError('INSUFFICIENT_NODES', 'the service-node pool is empty');
    const asked = nodes[randomIndex(nodes.length, this.random)]!;
    const r = await this.snodeRequest(asked, 'get_swarm', { pubkey });
    const members = parseServiceNodeListJson(r.body).map((n) => this.pool.get(n.ed25519Hex)).filter((n): n is ServiceNode => !!n);
    if (members.length === 0) throw new SessionSdkError('INSUFFICIENT_NODES', 'get_swarm named no node of the pool');
    return members;
  }

  /**
   * Sends an RPC to a member of `pubkey`'s swarm, trying other members when one is down, and
   * following a 421 (wrong swarm) once to the swarm the node names, restricted to nodes the pool
   * already knows so a destination cannot steer us to arbitrary nodes (spec/onion.md §7.4).
   *
   * @example
   * ```ts
   * const { body } = await client.swarmRequest(alice.sessionId, 'store', storeParams);
   * ```
   */
  async swarmRequest(pubkey: string, method: string, params: Record<string, JsonInput | undefined>, opts: { members?: number } = {}): Promise<OnionSnodeResult> {
    let members = await this.swarmFor(pubkey);
    const tries = opts.members ?? 3;
    let followed421 = false;
    let last: unknown;
    const tried = new Set<string>();
    for (let i = 0; i < tries; i++) {
      const paths = this.paths();
      const fresh = shuffled(members.filter((n) => !tried.has(n.ed25519Hex)), this.random);
      // Prefer members some ready path can reach without sharing a subnet.
      fresh.sort((a, b) => Number(!paths.some((p) => pathAllowsDestination(p, a))) - Number(!paths.some((p) => pathAllowsDestination(p, b))));
      const node = fresh[0];
      if (!node) break;
      tried.add(node.ed25519Hex);
      try {
        return await this.snodeRequest(node, method, params);
      } catch (e) {
        last = e;
        if (e instanceof OnionRelayError && e.code === 'WRONG_SWARM' && !followed421) {
          followed421 = true;
          const known = (e.swarm ?? []).map((n) => this.pool.get(n.ed25519Hex)).filter((n): n is ServiceNode => !!n);
          if (known.length > 0) {
            members = known;
            tried.clear();
          }
          continue;
        }
        const destinationDown =
          (e instanceof OnionRelayError && e.node === node.ed25519Hex && e.source === 'path') ||
          isSessionSdkError(e, 'TIMEOUT', 'SERVICE_UNAVAILABLE', 'INVALID_KEY');
        if (!destinationDown) throw e;
      }
    }
    throw last ?? new SessionSdkError('INSUFFICIENT_NODES', 'no reachable swarm member');
  }
}
