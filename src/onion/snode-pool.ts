/**
 * The service-node pool (the client's directory): bootstrap from seed nodes, refresh by
 * intersecting several nodes' answers, expiry, and strike counting (spec/onion.md §5).
 *
 * Everything that touches the network is injected ({@link DirectoryFetcher}), as are the clock and
 * the random source, so the pool's decisions are reproducible in tests. The random source
 * defaults to `crypto.getRandomValues` (via `randomBytes`); inject one only in tests.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { fromHex, randomBytes, toHex } from '../util/bytes.js';
import { ed25519PkToX25519Sync } from '../crypto/noble.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * A source of uniformly random bytes. Default: `crypto.getRandomValues`. Inject only in tests.
 *
 * @example
 * ```ts
 * const fixed: RandomSource = (n) => new Uint8Array(n); // tests only: deterministic
 * const pool = new SnodePool({ fetcher, random: fixed });
 * ```
 */
export type RandomSource = (n: number) => Uint8Array;

/**
 * `swarm_id` of a node that is in no swarm (spec/onion.md §7.2).
 *
 * @example
 * ```ts
 * const inSwarm = node.swarmId !== undefined && node.swarmId !== INVALID_SWARM_ID;
 * ```
 */
export const INVALID_SWARM_ID = 2n ** 64n - 1n;

/**
 * One service node as the client knows it from the directory.
 * Assignable to `SnodeKeys` (API.md), so it can be used directly as an onion path element.
 *
 * @example
 * ```ts
 * const node: ServiceNode | undefined = pool.get(ed25519Hex);
 * if (node) console.log(`${node.ip}:${node.port}`);
 * ```
 */
export interface ServiceNode {
  /** 32-byte Ed25519 identity key (the node's name in routing JSON). */
  readonly ed25519PublicKey: Uint8Array;
  /** 32-byte X25519 key onion layers are encrypted to. */
  readonly x25519PublicKey: Uint8Array;
  /** Lower-case hex of {@link ed25519PublicKey}; the pool's key. */
  readonly ed25519Hex: string;
  /** Public IPv4 address, dotted quad. */
  readonly ip: string;
  /** HTTPS storage port (`storage_port`). */
  readonly port: number;
  /** Swarm the node belongs to, when the directory said so. */
  readonly swarmId?: bigint;
}

/**
 * A seed node: a directory server reached directly over pinned TLS (spec/onion.md §5.1).
 *
 * @example
 * ```ts
 * const seed: SeedNode = { url: 'https://seed1.getsession.org:4443/' };
 * const pool = new SnodePool({ seeds: [seed], fetcher });
 * ```
 */
export interface SeedNode {
  /** Base URL, e.g. `https://seed1.getsession.org:4443/`. */
  readonly url: string;
}

/**
 * The mainnet seed nodes session-desktop uses (spec/onion.md §5.1). Their self-signed certificates
 * are pinned by the Node transport (`session-sdk/node`); other runtimes need a relay.
 *
 * @example
 * ```ts
 * const nodes = await fetcher.fromSeed(MAINNET_SEED_NODES[0]!);
 * ```
 */
export const MAINNET_SEED_NODES: readonly SeedNode[] = /* @__PURE__ */ deepFreeze([
  { url: 'https://seed1.getsession.org:4443/' },
  { url: 'https://seed2.getsession.org:4443/' },
  { url: 'https://seed3.getsession.org:4443/' },
]);

/**
 * The JSON-RPC body a seed node's `/json_rpc` expects (spec/onion.md §5.1).
 *
 * @example
 * ```ts
 * const body = new TextEncoder().encode(JSON.stringify(SEED_NODE_LIST_REQUEST));
 * const res = await transport.seedRequest(seed, body);
 * const nodes = parseServiceNodeListJson(new TextDecoder().decode(res.body));
 * ```
 */
export const SEED_NODE_LIST_REQUEST = /* @__PURE__ */ deepFreeze({
  jsonrpc: '2.0',
  method: 'get_n_service_nodes',
  params: {
    active_only: true,
    fields: { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true, swarm_id: true },
  },
});

/**
 * Params for the storage server's `oxend_request` asking a node for the list (spec/onion.md §5.2).
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ method: 'oxend_request', params: NODE_LIST_RPC_PARAMS });
 * ```
 */
export const NODE_LIST_RPC_PARAMS = /* @__PURE__ */ deepFreeze({
  endpoint: 'get_service_nodes',
  params: {
    active_only: true,
    fields: { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true, swarm_id: true },
  },
});

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * True for a canonical dotted-quad IPv4 address (no leading zeros) other than `0.0.0.0`, the IP
 * the network reports for a node without an uptime proof (spec/onion.md §5.1). Like the upstream
 * clients it does not filter private, loopback or other reserved ranges: callers that must never
 * reach such addresses set {@link SnodePoolOptions.acceptNodeIp} to {@link isPublicIpv4}.
 *
 * @example
 * ```ts
 * isUsableNodeIp('203.0.113.5'); // true
 * isUsableNodeIp('0.0.0.0');     // false: a node that never submitted an uptime proof
 * ```
 */
export function isUsableNodeIp(ip: unknown): ip is string {
  return typeof ip === 'string' && IPV4_RE.test(ip) && ip !== '0.0.0.0';
}

// Special-purpose blocks of the IANA IPv4 registry (RFC 6890 and its updates) plus multicast and
// the reserved 240/4, as [first address, prefix length]. 192.0.0.0/24 is rejected whole although
// two of its addresses (RFC 7723, RFC 8155 anycast) are global: no service node lives there.
const NON_PUBLIC_IPV4_BLOCKS: readonly (readonly [number, number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10.0.0.0/8 private
  [0x64400000, 10], // 100.64.0.0/10 carrier-grade NAT
  [0x7f000000, 8], // 127.0.0.0/8 loopback
  [0xa9fe0000, 16], // 169.254.0.0/16 link-local
  [0xac100000, 12], // 172.16.0.0/12 private
  [0xc0000000, 24], // 192.0.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2.0/24 TEST-NET-1
  [0xc0586300, 24], // 192.88.99.0/24 deprecated 6to4 relay anycast
  [0xc0a80000, 16], // 192.168.0.0/16 private
  [0xc6120000, 15], // 198.18.0.0/15 benchmarking
  [0xc6336400, 24], // 198.51.100.0/24 TEST-NET-2
  [0xcb007100, 24], // 203.0.113.0/24 TEST-NET-3
  [0xe0000000, 4], // 224.0.0.0/4 multicast
  [0xf0000000, 4], // 240.0.0.0/4 reserved, and 255.255.255.255 limited broadcast
];

/**
 * True for a canonical dotted-quad IPv4 address outside every special-purpose block of the IANA
 * IPv4 registry: not private, loopback, link-local, carrier-grade NAT, documentation,
 * benchmarking, multicast, reserved or broadcast. Meant as {@link SnodePoolOptions.acceptNodeIp},
 * so a hostile directory answer cannot point the client at its own LAN or localhost
 * (spec/onion.md §5.1). False for anything that is not a canonical dotted quad.
 *
 * @example
 * ```ts
 * isPublicIpv4('1.1.1.1');     // true
 * isPublicIpv4('192.168.1.1'); // false: private (RFC 1918)
 * isPublicIpv4('127.0.0.1');   // false: loopback
 * const pool = new SnodePool({ fetcher, acceptNodeIp: isPublicIpv4 });
 * ```
 */
export function isPublicIpv4(ip: unknown): boolean {
  if (typeof ip !== 'string' || !IPV4_RE.test(ip)) return false;
  const v = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return NON_PUBLIC_IPV4_BLOCKS.every(([base, bits]) => Math.floor(v / 2 ** (32 - bits)) !== Math.floor(base / 2 ** (32 - bits)));
}

/**
 * A uniformly random integer in `[0, max)` by rejection sampling (no modulo bias).
 *
 * @example
 * ```ts
 * const node = nodes[randomIndex(nodes.length)]!;
 * ```
 */
export function randomIndex(max: number, random: RandomSource = randomBytes): number {
  if (!Number.isSafeInteger(max) || max <= 0 || max > 2 ** 32) {
    throw new SessionSdkError('INVALID_INPUT', 'randomIndex: max must be an integer in 1..2^32');
  }
  const limit = 2 ** 32 - (2 ** 32 % max);
  for (;;) {
    const b = random(4);
    const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (v < limit) return v % max;
  }
}

/**
 * Fisher–Yates shuffle into a new array, using {@link randomIndex}.
 *
 * @example
 * ```ts
 * const order = shuffled(pool.nodes());
 * ```
 */
export function shuffled<T>(items: readonly T[], random: RandomSource = randomBytes): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1, random);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function parseSwarmId(v: unknown): bigint | undefined {
  // swarm ids are full-range u64: only a decimal string (see parseServiceNodeListJson) or a safe
  // integer is exact; a JSON number above 2^53 has already lost bits, so it is treated as unknown.
  if (typeof v === 'bigint') return v >= 0n && v <= INVALID_SWARM_ID ? v : undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) {
    const b = BigInt(v);
    return b <= INVALID_SWARM_ID ? b : undefined;
  }
  return undefined;
}

function parsePort(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d{1,5}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function parseKey(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || v.length !== 64) return undefined;
  try {
    return fromHex(v);
  } catch {
    return undefined;
  }
}

/**
 * Builds a {@link ServiceNode} from one directory entry (`get_n_service_nodes`,
 * `get_service_nodes` or a `get_swarm` snode). Returns `undefined` for entries a client must not
 * use: missing or `0.0.0.0` IP, bad port, malformed keys (spec/onion.md §5.1). When the entry has
 * no `pubkey_x25519` it is derived from the Ed25519 key, as libsession does (spec §1.1).
 *
 * @example
 * ```ts
 * const node = serviceNodeFromEntry({ public_ip: '203.0.113.5', storage_port: 22021, pubkey_ed25519: ed, pubkey_x25519: x });
 * ```
 */
export function serviceNodeFromEntry(entry: unknown): ServiceNode | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const ip = e.public_ip ?? e.ip;
  if (!isUsableNodeIp(ip)) return undefined;
  const port = parsePort(e.storage_port ?? e.port_https ?? e.port);
  if (port === undefined) return undefined;
  const ed = parseKey(e.pubkey_ed25519);
  if (!ed) return undefined;
  let x: Uint8Array | undefined;
  if (e.pubkey_x25519 !== undefined) {
    x = parseKey(e.pubkey_x25519);
    if (!x) return undefined;
  } else {
    try {
      x = ed25519PkToX25519Sync(ed);
    } catch {
      return undefined;
    }
  }
  const swarmId = parseSwarmId(e.swarm_id);
  return Object.freeze({
    ed25519PublicKey: ed,
    x25519PublicKey: x,
    ed25519Hex: toHex(ed),
    ip,
    port,
    ...(swarmId !== undefined ? { swarmId } : {}),
  });
}

/**
 * Parses a directory answer: an array of entries, `{service_node_states: […]}`, `{snodes: […]}`,
 * or either wrapped in `{result: …}`. Invalid entries are dropped; duplicate keys keep the first.
 * Throws `ONION_ERROR` when the shape is not a node list at all.
 *
 * @example
 * ```ts
 * const nodes = parseServiceNodeList(JSON.parse(text));
 * ```
 */
export function parseServiceNodeList(answer: unknown): ServiceNode[] {
  let v = answer;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'result' in v) v = (v as { result: unknown }).result;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    v = o.service_node_states ?? o.snodes;
  }
  if (!Array.isArray(v)) throw new SessionSdkError('ONION_ERROR', 'directory answer is not a service-node list');
  const seen = new Set<string>();
  const out: ServiceNode[] = [];
  for (const entry of v) {
    const n = serviceNodeFromEntry(entry);
    if (!n || seen.has(n.ed25519Hex)) continue;
    seen.add(n.ed25519Hex);
    out.push(n);
  }
  return out;
}

/**
 * Parses the JSON text of a directory answer without losing `swarm_id` precision: swarm ids are
 * 64-bit and `JSON.parse` would round them, so bare integer `swarm_id` values are quoted first.
 *
 * @example
 * ```ts
 * const nodes = parseServiceNodeListJson(await response.text());
 * ```
 */
export function parseServiceNodeListJson(text: string): ServiceNode[] {
  if (typeof text !== 'string') throw new SessionSdkError('INVALID_INPUT', 'directory answer must be a string');
  // Inside a JSON string a quote is escaped (\"), so this pattern only matches real keys.
  const quoted = text.replace(/"swarm_id"(\s*):(\s*)(\d+)/g, '"swarm_id"$1:$2"$3"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoted);
  } catch {
    throw new SessionSdkError('ONION_ERROR', 'directory answer is not valid JSON');
  }
  return parseServiceNodeList(parsed);
}

/**
 * Where the pool gets node lists from. The onion client provides the usual implementation.
 *
 * @example
 * ```ts
 * const fetcher: DirectoryFetcher = {
 *   fromSeed: async (seed) => parseServiceNodeListJson(await askSeed(seed.url)),
 *   fromNode: async (node) => parseServiceNodeListJson(await askThroughPath(node)),
 * };
 * ```
 */
export interface DirectoryFetcher {
  /** Asks a seed node directly (pinned TLS) for the full active list. */
  fromSeed(seed: SeedNode): Promise<ServiceNode[]>;
  /** Asks a pool member (through an onion path) for its view of the active list. */
  fromNode(node: ServiceNode): Promise<ServiceNode[]>;
}

/**
 * Tunables of {@link SnodePool}; defaults follow spec/onion.md §5 and path-constants.json.
 *
 * @example
 * ```ts
 * const options: SnodePoolOptions = { fetcher, expiryMs: 3600_000, minPoolSize: 12 };
 * const pool = new SnodePool(options);
 * ```
 */
export interface SnodePoolOptions {
  /** Seed nodes for bootstrapping. Default {@link MAINNET_SEED_NODES}. */
  seeds?: readonly SeedNode[];
  /** Network access. Can also be set later with {@link SnodePool.setFetcher}. */
  fetcher?: DirectoryFetcher;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Default `crypto.getRandomValues`; inject only in tests. */
  random?: RandomSource;
  /** Age after which the pool must be refreshed. Default 2 h (libsession). */
  expiryMs?: number;
  /** Below this many usable nodes, bootstrap from a seed again. Default 12. */
  minPoolSize?: number;
  /** How many pool members a refresh asks. Default 3. */
  refreshNodeCount?: number;
  /** A refresh is accepted only if at least this many nodes are in every answer. Default 24. */
  requiredAgreement?: number;
  /** Refresh rounds from pool members before falling back to a seed. Default 3. */
  refreshAttempts?: number;
  /** Strikes (direct observations, or distinct reporters) that remove a node. Default 3. */
  strikeThreshold?: number;
  /** Distinct nodes one reporter (path) may blame between two refreshes. Default 3. */
  reportBudget?: number;
  /**
   * Extra filter on node IPs, e.g. {@link isPublicIpv4}. Default: none, like the upstream clients
   * (every IP {@link isUsableNodeIp} accepts is kept, so a local test network on 127.0.0.1 works).
   * Nodes it does not return `true` for (a throw counts as `false`) are dropped wherever a list
   * enters the pool (seed answers, refresh agreement, {@link SnodePool.load}) before the
   * `minPoolSize` and `requiredAgreement` checks, so they never become guards or relays
   * (spec/onion.md §5). Apps that must not reach LAN or localhost addresses set it.
   *
   * @example
   * ```ts
   * const pool = new SnodePool({ fetcher, acceptNodeIp: isPublicIpv4 });
   * ```
   */
  acceptNodeIp?: (ip: string) => boolean;
}

/**
 * What a strike did.
 *
 * @example
 * ```ts
 * const outcome: StrikeOutcome = pool.recordDirectFailure(guard);
 * if (outcome.removed) rebuildPathsWithout(guard);
 * ```
 */
export interface StrikeOutcome {
  /** False when the report was a duplicate or the reporter's budget was spent. */
  readonly counted: boolean;
  /** True when this strike removed the node from the pool. */
  readonly removed: boolean;
}

/**
 * Result of {@link SnodePool.refresh}.
 *
 * @example
 * ```ts
 * const { source, size }: PoolRefreshResult = await pool.refresh();
 * console.log(`${size} nodes from ${source}`);
 * ```
 */
export interface PoolRefreshResult {
  /** Where the accepted list came from: a seed node, or the agreement of pool members. */
  readonly source: 'seed' | 'nodes';
  /** Number of nodes in the pool after the refresh. */
  readonly size: number;
}

/**
 * The client's service-node directory, an explicit state object.
 *
 * Trust model: a seed answer (pinned TLS) is accepted alone; a refresh from pool members keeps
 * only the nodes on which `refreshNodeCount` independent members agree exactly (key, X25519 key,
 * IP and port) and is accepted only when at least `requiredAgreement` remain, so one lying member
 * can neither add nor move nodes (spec/onion.md §5.2, §6.4 item 7).
 *
 * Strikes cannot be steered by a relay (spec §5.3, §6.4 item 6): our own direct observations
 * (a guard that does not answer) count fully, while an error string naming a node counts once
 * per distinct reporter, each reporter may blame at most `reportBudget` nodes per refresh epoch,
 * and counters reset only after a verified refresh.
 *
 * @example
 * ```ts
 * const pool = new SnodePool({ fetcher });
 * await pool.ensureFresh();
 * console.log(pool.size, 'nodes');
 * ```
 */
export class SnodePool {
  readonly seeds: readonly SeedNode[];
  private fetcher: DirectoryFetcher | undefined;
  private readonly now: () => number;
  private readonly random: RandomSource;
  private readonly acceptNodeIp: ((ip: string) => boolean) | undefined;
  private readonly opts: Required<Omit<SnodePoolOptions, 'seeds' | 'fetcher' | 'now' | 'random' | 'acceptNodeIp'>>;
  private byKey = new Map<string, ServiceNode>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private directStrikes = new Map<string, number>();
  private reportedBy = new Map<string, Set<string>>();
  private blamedByReporter = new Map<string, Set<string>>();
  private inflight: Promise<PoolRefreshResult> | undefined;

  constructor(opts: SnodePoolOptions = {}) {
    this.seeds = opts.seeds ?? MAINNET_SEED_NODES;
    this.fetcher = opts.fetcher;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    if (opts.acceptNodeIp !== undefined && typeof opts.acceptNodeIp !== 'function') {
      throw new SessionSdkError('INVALID_INPUT', 'SnodePool: acceptNodeIp must be a function (ip: string) => boolean');
    }
    this.acceptNodeIp = opts.acceptNodeIp;
    this.opts = {
      expiryMs: opts.expiryMs ?? 2 * 3600_000,
      minPoolSize: opts.minPoolSize ?? 12,
      refreshNodeCount: opts.refreshNodeCount ?? 3,
      requiredAgreement: opts.requiredAgreement ?? 24,
      refreshAttempts: opts.refreshAttempts ?? 3,
      strikeThreshold: opts.strikeThreshold ?? 3,
      reportBudget: opts.reportBudget ?? 3,
    };
    for (const [k, v] of Object.entries(this.opts)) {
      if (!Number.isFinite(v) || v < 0) throw new SessionSdkError('INVALID_INPUT', `SnodePool: ${k} must be a non-negative number`);
    }
    if (this.opts.refreshNodeCount < 1 || this.opts.strikeThreshold < 1) {
      throw new SessionSdkError('INVALID_INPUT', 'SnodePool: refreshNodeCount and strikeThreshold must be at least 1');
    }
  }

  /**
   * Sets the network access (the onion client does this once its paths exist).
   *
   * @example
   * ```ts
   * pool.setFetcher({ fromSeed, fromNode });
   * ```
   */
  setFetcher(fetcher: DirectoryFetcher): void {
    this.fetcher = fetcher;
  }

  /** Number of usable nodes. */
  get size(): number {
    return this.byKey.size;
  }

  /**
   * The usable nodes, in no meaningful order.
   *
   * @example
   * ```ts
   * const guard = shuffled(pool.nodes())[0];
   * ```
   */
  nodes(): ServiceNode[] {
    return [...this.byKey.values()];
  }

  /**
   * The node with this Ed25519 key (hex, any case), if it is in the pool.
   *
   * @example
   * ```ts
   * const node = pool.get('ab12…'); // hex Ed25519 key, any case
   * ```
   */
  get(ed25519Hex: string): ServiceNode | undefined {
    return this.byKey.get(ed25519Hex.toLowerCase());
  }

  /**
   * True when the node is in the pool (not removed by strikes).
   *
   * @example
   * ```ts
   * if (!pool.has(guard)) rebuildPath();
   * ```
   */
  has(node: ServiceNode | string): boolean {
    return this.byKey.has(typeof node === 'string' ? node.toLowerCase() : node.ed25519Hex);
  }

  /** True when the pool has fewer than `minPoolSize` nodes (a refresh must go to a seed). */
  get tooSmall(): boolean {
    return this.byKey.size < this.opts.minPoolSize;
  }

  /** True while a {@link refresh} is in progress. */
  get refreshing(): boolean {
    return this.inflight !== undefined;
  }

  /** Time of the last accepted refresh (ms), or `-Infinity`. */
  get lastRefreshMs(): number {
    return this.refreshedAt;
  }

  /**
   * True when the pool is older than `expiryMs` or smaller than `minPoolSize`.
   *
   * @example
   * ```ts
   * if (pool.isStale()) await pool.refresh();
   * ```
   */
  isStale(): boolean {
    return this.now() - this.refreshedAt >= this.opts.expiryMs || this.byKey.size < this.opts.minPoolSize;
  }

  /**
   * Replaces the pool with a list the caller vouches for (a persisted cache, or a list bundled at
   * build time). Resets strikes. `loadedAtMs` lets a cache keep its original age.
   *
   * @example
   * ```ts
   * pool.load(cached.nodes, cached.savedAtMs); // keeps the cache's age for expiry
   * ```
   */
  load(nodes: readonly ServiceNode[], loadedAtMs: number = this.now()): void {
    this.accept(nodes, loadedAtMs);
  }

  /**
   * Refreshes if {@link isStale}; returns whether a refresh happened.
   *
   * @example
   * ```ts
   * await pool.ensureFresh(); // no-op while the pool is fresh
   * ```
   */
  async ensureFresh(): Promise<boolean> {
    if (!this.isStale()) return false;
    await this.refresh();
    return true;
  }

  /**
   * Refreshes now: from `refreshNodeCount` pool members (intersection, ≥ `requiredAgreement`),
   * or from a seed when the pool is too small or every round failed. Concurrent calls share one
   * refresh. Throws `INSUFFICIENT_NODES` when no source gives an acceptable list.
   *
   * @example
   * ```ts
   * const { source, size } = await pool.refresh();
   * ```
   */
  refresh(): Promise<PoolRefreshResult> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async doRefresh(): Promise<PoolRefreshResult> {
    const fetcher = this.fetcher;
    if (!fetcher) throw new SessionSdkError('INVALID_INPUT', 'SnodePool has no DirectoryFetcher');
    const k = this.opts.refreshNodeCount;
    if (this.byKey.size >= Math.max(this.opts.minPoolSize, k)) {
      for (let attempt = 0; attempt < this.opts.refreshAttempts; attempt++) {
        const lists = await this.askDiverse(fetcher, k);
        if (lists.length < k) break;
        const agreed = this.usable(intersectNodeLists(lists));
        if (agreed.length >= this.opts.requiredAgreement && agreed.length >= this.opts.minPoolSize) {
          this.accept(agreed, this.now());
          return { source: 'nodes', size: agreed.length };
        }
      }
    }
    return this.refreshFromSeed(fetcher);
  }

  private async refreshFromSeed(fetcher: DirectoryFetcher): Promise<PoolRefreshResult> {
    if (this.seeds.length === 0) throw new SessionSdkError('INSUFFICIENT_NODES', 'no seed nodes configured');
    const min = this.opts.minPoolSize;
    // All seeds in parallel, first acceptable answer wins (desktop queries them the same way).
    const attempts = shuffled(this.seeds, this.random).map(async (seed) => {
      const list = this.usable(await fetcher.fromSeed(seed));
      if (list.length < min) throw new SessionSdkError('INSUFFICIENT_NODES', `seed ${seed.url} returned ${list.length} usable nodes`);
      return list;
    });
    let list: ServiceNode[];
    try {
      list = await Promise.any(attempts);
    } catch {
      throw new SessionSdkError('INSUFFICIENT_NODES', `no seed node returned at least ${min} usable service nodes`);
    }
    this.accept(list, this.now());
    return { source: 'seed', size: list.length };
  }

  /**
   * Answers from `n` random pool members in distinct /24s (independent operators, as far as the
   * address tells). A member that fails is replaced by another, up to `3n` members asked.
   */
  private async askDiverse(fetcher: DirectoryFetcher, n: number): Promise<ServiceNode[][]> {
    const subnets = new Set<string>();
    const candidates = shuffled(this.nodes(), this.random).filter((node) => {
      const s = node.ip.slice(0, node.ip.lastIndexOf('.'));
      if (subnets.has(s)) return false;
      subnets.add(s);
      return true;
    });
    const lists: ServiceNode[][] = [];
    let next = 0;
    while (lists.length < n && next < candidates.length && next < 3 * n) {
      const batch = candidates.slice(next, next + (n - lists.length));
      next += batch.length;
      for (const r of await Promise.allSettled(batch.map((c) => fetcher.fromNode(c)))) {
        if (r.status === 'fulfilled') lists.push(r.value);
      }
    }
    return lists;
  }

  /** The nodes whose IP passes {@link isUsableNodeIp} and the `acceptNodeIp` option. */
  private usable(nodes: readonly ServiceNode[]): ServiceNode[] {
    const accept = this.acceptNodeIp;
    return nodes.filter((n) => {
      if (!isUsableNodeIp(n.ip)) return false;
      if (!accept) return true;
      try {
        return accept(n.ip) === true;
      } catch {
        return false; // fail closed: a filter that cannot decide keeps the node out
      }
    });
  }

  private accept(nodes: readonly ServiceNode[], at: number): void {
    const next = new Map<string, ServiceNode>();
    for (const n of this.usable(nodes)) if (!next.has(n.ed25519Hex)) next.set(n.ed25519Hex, n);
    this.byKey = next;
    this.refreshedAt = at;
    // Counters reset only here, after a verified list (spec/onion.md §5.2, §6.4 item 6).
    this.directStrikes.clear();
    this.reportedBy.clear();
    this.blamedByReporter.clear();
  }

  /**
   * Our own observation that `node` failed (e.g. a guard refused the connection or timed out).
   * Removes it at `strikeThreshold`.
   *
   * @example
   * ```ts
   * const { removed } = pool.recordDirectFailure(guard); // guard timed out
   * ```
   */
  recordDirectFailure(node: ServiceNode): StrikeOutcome {
    if (!this.byKey.has(node.ed25519Hex)) return { counted: false, removed: false };
    const n = (this.directStrikes.get(node.ed25519Hex) ?? 0) + 1;
    this.directStrikes.set(node.ed25519Hex, n);
    return { counted: true, removed: this.maybeRemove(node.ed25519Hex) };
  }

  /**
   * Our own observation that `node` answered correctly: clears its direct strikes.
   *
   * @example
   * ```ts
   * pool.recordDirectSuccess(guard);
   * ```
   */
  recordDirectSuccess(node: ServiceNode): void {
    this.directStrikes.delete(node.ed25519Hex);
  }

  /**
   * A relay's claim (e.g. `502 Next node not found: <key>`) that `named` failed, arriving through
   * the path identified by `reporter` (use the path's guard key: every relay error reaches us
   * through it). Counted once per distinct reporter; a reporter that already blamed
   * `reportBudget` other nodes in this epoch is ignored, so no single path can empty the pool.
   *
   * @example
   * ```ts
   * pool.reportByRelay(namedKeyHex, path.guard.ed25519Hex);
   * ```
   */
  reportByRelay(named: string, reporter: string): StrikeOutcome {
    const key = named.toLowerCase();
    const rep = reporter.toLowerCase();
    if (!this.byKey.has(key)) return { counted: false, removed: false };
    const blamed = this.blamedByReporter.get(rep) ?? new Set<string>();
    if (!blamed.has(key) && blamed.size >= this.opts.reportBudget) return { counted: false, removed: false };
    const reporters = this.reportedBy.get(key) ?? new Set<string>();
    if (reporters.has(rep)) return { counted: false, removed: false };
    blamed.add(key);
    this.blamedByReporter.set(rep, blamed);
    reporters.add(rep);
    this.reportedBy.set(key, reporters);
    return { counted: true, removed: this.maybeRemove(key) };
  }

  /**
   * Removes a node we found inconsistent ourselves (e.g. its X25519 key is not its Ed25519 key's
   * conversion). Returns whether it was in the pool.
   *
   * @example
   * ```ts
   * pool.remove(node); // its X25519 key did not match its Ed25519 key
   * ```
   */
  remove(node: ServiceNode | string): boolean {
    return this.byKey.delete(typeof node === 'string' ? node.toLowerCase() : node.ed25519Hex);
  }

  /**
   * Current strikes of a node: direct observations and distinct reporters.
   *
   * @example
   * ```ts
   * const { direct, reporters } = pool.strikes(node);
   * ```
   */
  strikes(node: ServiceNode | string): { direct: number; reporters: number } {
    const key = typeof node === 'string' ? node.toLowerCase() : node.ed25519Hex;
    return { direct: this.directStrikes.get(key) ?? 0, reporters: this.reportedBy.get(key)?.size ?? 0 };
  }

  private maybeRemove(key: string): boolean {
    const t = this.opts.strikeThreshold;
    if ((this.directStrikes.get(key) ?? 0) >= t || (this.reportedBy.get(key)?.size ?? 0) >= t) {
      return this.byKey.delete(key);
    }
    return false;
  }

  /**
   * The pool's nodes grouped by swarm id, leaving out nodes without one or with `INVALID_SWARM_ID`.
   *
   * @example
   * ```ts
   * const members = pool.swarmMembers().get(swarmId) ?? [];
   * ```
   */
  swarmMembers(): Map<bigint, ServiceNode[]> {
    const out = new Map<bigint, ServiceNode[]>();
    for (const n of this.byKey.values()) {
      if (n.swarmId === undefined || n.swarmId === INVALID_SWARM_ID) continue;
      const list = out.get(n.swarmId);
      if (list) list.push(n);
      else out.set(n.swarmId, [n]);
    }
    return out;
  }
}

function nodeFingerprint(n: ServiceNode): string {
  return `${n.ed25519Hex}|${toHex(n.x25519PublicKey)}|${n.ip}|${n.port}|${n.swarmId ?? ''}`;
}

/**
 * Nodes present, with identical keys, IP, port and swarm, in every list (the first list's
 * objects are returned). One dishonest answer can only shrink the result.
 *
 * @example
 * ```ts
 * const agreed = intersectNodeLists([a, b, c]);
 * ```
 */
export function intersectNodeLists(lists: readonly (readonly ServiceNode[])[]): ServiceNode[] {
  if (lists.length === 0) return [];
  const counts = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    for (const n of list) {
      const f = nodeFingerprint(n);
      if (seen.has(f)) continue;
      seen.add(f);
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
  }
  const out: ServiceNode[] = [];
  const taken = new Set<string>();
  for (const n of lists[0]!) {
    const f = nodeFingerprint(n);
    if (counts.get(f) === lists.length && !taken.has(n.ed25519Hex)) {
      taken.add(n.ed25519Hex);
      out.push(n);
    }
  }
  return out;
}
