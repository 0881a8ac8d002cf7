/**
 * Onion path selection, repair and persistent guards (spec/onion.md §6, the "best-of-both" rules
 * of §6.4).
 *
 * Rules, all enforced together and stricter than both official clients:
 * - a path is `pathLength` distinct nodes, `nodes[0]` being the guard;
 * - no two nodes of a path, guard included, share an IPv4 /24 (or /16 in the optional strict mode,
 *   which falls back to /24 — never below — when the pool has too few distinct /16s);
 * - by default no two nodes of *different* paths share a subnet either (libsession's newest rule);
 * - nodes the caller asks to avoid (a destination) are excluded along with their whole subnet;
 * - selection is uniform among eligible nodes, driven by an injectable {@link RandomSource}.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { randomBytes } from '../util/bytes.js';
import { randomIndex, shuffled, type RandomSource, type ServiceNode } from './snode-pool.js';

/**
 * Subnet prefix length used for diversity: /24 (Session default) or /16 (Tor-like, optional).
 *
 * @example
 * ```ts
 * const bits: SubnetBits = 16; // stricter, Tor-like; falls back to 24 on a small pool
 * const { paths, fellBack } = buildOnionPaths(pool.nodes(), guards, { subnetBits: bits });
 * ```
 */
export type SubnetBits = 16 | 24;

/**
 * An onion path: `nodes[0]` is the guard (the node we connect to), then the relays in order.
 *
 * @example
 * ```ts
 * const path: OnionPath = paths[0]!;
 * const req = await buildOnionRequest({ encType: 'xchacha20', path: [...path.nodes], destination, payload });
 * ```
 */
export interface OnionPath {
  /** The path, guard first; at least one node. */
  readonly nodes: readonly ServiceNode[];
}

/**
 * The IPv4 subnet of `ip` as a string key (`"203.0.113"` for /24, `"203.0"` for /16).
 * Throws `INVALID_INPUT` for anything that is not a dotted-quad IPv4 address.
 *
 * @example
 * ```ts
 * ipv4Subnet('203.0.113.7');      // '203.0.113'
 * ipv4Subnet('203.0.113.7', 16);  // '203.0'
 * ```
 */
export function ipv4Subnet(ip: string, bits: SubnetBits = 24): string {
  const parts = typeof ip === 'string' ? ip.split('.') : [];
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    throw new SessionSdkError('INVALID_INPUT', 'not an IPv4 address');
  }
  if (bits !== 24 && bits !== 16) throw new SessionSdkError('INVALID_INPUT', 'subnet bits must be 16 or 24');
  return parts.slice(0, bits / 8).join('.');
}

/**
 * Options shared by path building and repair.
 *
 * @example
 * ```ts
 * const opts: PathSelectionOptions = { pathLength: 3, avoid: [swarmNode] };
 * const { paths } = buildOnionPaths(pool.nodes(), guards, opts);
 * ```
 */
export interface PathSelectionOptions {
  /** Nodes per path, guard included. Default 3. */
  pathLength?: number;
  /** Requested subnet rule. Default 24. 16 falls back to 24 when the pool cannot satisfy it. */
  subnetBits?: SubnetBits;
  /** Nodes (e.g. a destination) that must not appear in a path, nor any node of their subnet. */
  avoid?: readonly ServiceNode[];
  /** Nodes excluded by key only (e.g. relays of paths kept from an earlier build). */
  exclude?: readonly ServiceNode[];
  /** Also keep subnets distinct across paths. Default true. */
  crossPathDiversity?: boolean;
  /** Optional "family" hook (same operator, same ASN…): true excludes `b` from a path holding `a`. */
  sameFamily?: (a: ServiceNode, b: ServiceNode) => boolean;
  /** Default `crypto.getRandomValues`; inject only in tests. */
  random?: RandomSource;
}

/**
 * Result of {@link buildOnionPaths}.
 *
 * @example
 * ```ts
 * const result: PathBuildResult = buildOnionPaths(pool.nodes(), guards);
 * if (result.fellBack) console.warn(`only /${result.subnetBits} diversity was possible`);
 * ```
 */
export interface PathBuildResult {
  /** The paths built, each meeting the selection rules. */
  readonly paths: OnionPath[];
  /** The subnet rule actually applied. */
  readonly subnetBits: SubnetBits;
  /** True when /16 was requested but the pool only allowed /24. */
  readonly fellBack: boolean;
  /** Distinct eligible subnets (at the requested size) measured before building. */
  readonly eligibleSubnets: number;
}

class Exclusions {
  readonly keys = new Set<string>();
  readonly subnets = new Set<string>();
  readonly members: ServiceNode[] = [];
  constructor(readonly bits: SubnetBits) {}
  add(n: ServiceNode, asMember = true): void {
    this.keys.add(n.ed25519Hex);
    this.subnets.add(ipv4Subnet(n.ip, this.bits));
    if (asMember) this.members.push(n);
  }
  allows(n: ServiceNode, family?: (a: ServiceNode, b: ServiceNode) => boolean): boolean {
    if (this.keys.has(n.ed25519Hex) || this.subnets.has(ipv4Subnet(n.ip, this.bits))) return false;
    return !family || !this.members.some((m) => family(m, n) || family(n, m));
  }
}

function pathLengthOf(opts: PathSelectionOptions): number {
  const len = opts.pathLength ?? 3;
  if (!Number.isInteger(len) || len < 1 || len > 15) {
    throw new SessionSdkError('INVALID_INPUT', 'pathLength must be an integer in 1..15');
  }
  return len;
}

function distinctSubnets(nodes: readonly ServiceNode[], bits: SubnetBits, ex: Exclusions): number {
  const s = new Set<string>();
  for (const n of nodes) if (ex.allows(n)) s.add(ipv4Subnet(n.ip, bits));
  return s.size;
}

function pick(candidates: readonly ServiceNode[], ex: Exclusions, opts: PathSelectionOptions): ServiceNode | undefined {
  const eligible = candidates.filter((n) => ex.allows(n, opts.sameFamily));
  if (eligible.length === 0) return undefined;
  return eligible[randomIndex(eligible.length, opts.random ?? randomBytes)];
}

function tryBuild(
  pool: readonly ServiceNode[],
  guards: readonly ServiceNode[],
  bits: SubnetBits,
  opts: PathSelectionOptions,
): OnionPath[] | undefined {
  const len = pathLengthOf(opts);
  const cross = opts.crossPathDiversity ?? true;
  const avoid = new Exclusions(bits);
  for (const a of opts.avoid ?? []) avoid.add(a, false);
  for (const x of opts.exclude ?? []) avoid.keys.add(x.ed25519Hex);
  // Nodes already committed to some path; guards are committed up front so that an earlier
  // path's relays cannot take a later guard's subnet, and no guard is ever another path's relay.
  const taken = new Exclusions(bits);
  for (const g of guards) {
    if (!avoid.allows(g)) return undefined;
    if (cross) {
      if (!taken.allows(g, opts.sameFamily)) return undefined;
      taken.add(g);
    } else taken.keys.add(g.ed25519Hex);
  }
  const paths: OnionPath[] = [];
  for (const guard of guards) {
    const local = new Exclusions(bits);
    for (const k of [...avoid.keys, ...taken.keys]) local.keys.add(k);
    for (const s of [...avoid.subnets, ...taken.subnets]) local.subnets.add(s);
    local.members.push(...taken.members.filter((m) => m !== guard));
    local.add(guard);
    const nodes: ServiceNode[] = [guard];
    while (nodes.length < len) {
      const n = pick(pool, local, opts);
      if (!n) return undefined;
      local.add(n);
      if (cross) taken.add(n);
      else taken.keys.add(n.ed25519Hex);
      nodes.push(n);
    }
    paths.push(Object.freeze({ nodes: Object.freeze(nodes) }));
  }
  return paths;
}

/**
 * Builds one path per guard from `pool` under the module's rules. With `subnetBits: 16` the
 * distinct /16s are measured first and the builder falls back to /24 (reported in the result)
 * when /16 cannot work. Throws `PATH_BUILD_FAILED` when even /24 cannot.
 *
 * Because every subnet can hold at most one path node, uniform picking among still-eligible
 * nodes succeeds exactly when enough distinct eligible subnets exist; no backtracking is needed.
 *
 * @example
 * ```ts
 * const { paths } = buildOnionPaths(pool.nodes(), guards, { pathLength: 3 });
 * ```
 */
export function buildOnionPaths(
  pool: readonly ServiceNode[],
  guards: readonly ServiceNode[],
  opts: PathSelectionOptions = {},
): PathBuildResult {
  const len = pathLengthOf(opts);
  if (guards.length === 0) throw new SessionSdkError('PATH_BUILD_FAILED', 'no guard nodes to build paths from');
  const requested = opts.subnetBits ?? 24;
  const probe = new Exclusions(requested);
  for (const a of opts.avoid ?? []) probe.add(a, false);
  const eligibleSubnets = distinctSubnets([...pool, ...guards], requested, probe);
  const needed = (opts.crossPathDiversity ?? true) ? guards.length * len : len;
  if (requested === 16) {
    const paths = eligibleSubnets >= needed ? tryBuild(pool, guards, 16, opts) : undefined;
    if (paths) return { paths, subnetBits: 16, fellBack: false, eligibleSubnets };
  }
  const paths = tryBuild(pool, guards, 24, opts);
  if (!paths) {
    throw new SessionSdkError(
      'PATH_BUILD_FAILED',
      `cannot build ${guards.length} path(s) of ${len} nodes with distinct /24 subnets from ${pool.length} nodes`,
    );
  }
  return { paths, subnetBits: 24, fellBack: requested === 16, eligibleSubnets };
}

/**
 * Replaces `path.nodes[index]` (a relay, not the guard) with a fresh node under the same rules,
 * also avoiding every node and (by default) subnet of `otherPaths` and the failed node itself.
 * Throws `PATH_BUILD_FAILED` when no node qualifies; guards are replaced through {@link GuardSet}.
 *
 * @example
 * ```ts
 * const repaired = repairOnionPath(path, 1, pool.nodes(), { otherPaths });
 * ```
 */
export function repairOnionPath(
  path: OnionPath,
  index: number,
  pool: readonly ServiceNode[],
  opts: PathSelectionOptions & { otherPaths?: readonly OnionPath[] } = {},
): OnionPath {
  if (!Number.isInteger(index) || index < 1 || index >= path.nodes.length) {
    throw new SessionSdkError('INVALID_INPUT', 'repairOnionPath: index must name a relay (1..length-1)');
  }
  const failed = path.nodes[index]!;
  const cross = opts.crossPathDiversity ?? true;
  const attempt = (bits: SubnetBits): ServiceNode | undefined => {
    const ex = new Exclusions(bits);
    for (const a of opts.avoid ?? []) ex.add(a, false);
    for (const x of opts.exclude ?? []) ex.keys.add(x.ed25519Hex);
    for (const p of opts.otherPaths ?? []) for (const n of p.nodes) cross ? ex.add(n) : ex.keys.add(n.ed25519Hex);
    path.nodes.forEach((n, i) => i !== index && ex.add(n));
    ex.keys.add(failed.ed25519Hex);
    return pick(pool, ex, opts);
  };
  const bits = opts.subnetBits ?? 24;
  const replacement = attempt(bits) ?? (bits === 16 ? attempt(24) : undefined);
  if (!replacement) throw new SessionSdkError('PATH_BUILD_FAILED', 'no node satisfies the path rules to replace a failed relay');
  const nodes = path.nodes.slice();
  nodes[index] = replacement;
  return Object.freeze({ nodes: Object.freeze(nodes) });
}

/**
 * True when `path` may carry a request to `destination`: the destination is not in the path and
 * no path node shares its subnet (spec/onion.md §6.4 item 1).
 *
 * @example
 * ```ts
 * const usable = paths.filter((p) => pathAllowsDestination(p, swarmNode));
 * ```
 */
export function pathAllowsDestination(path: OnionPath, destination: ServiceNode, bits: SubnetBits = 24): boolean {
  const s = ipv4Subnet(destination.ip, bits);
  return path.nodes.every((n) => n.ed25519Hex !== destination.ed25519Hex && ipv4Subnet(n.ip, bits) !== s);
}

/**
 * A persisted guard: which node, since when, and its consecutive direct failures.
 *
 * @example
 * ```ts
 * const stale = guardSet.snapshot().filter((r: GuardRecord) => r.failures > 0).map((r) => r.ed25519Hex);
 * ```
 */
export interface GuardRecord {
  /** The guard's Ed25519 key, lower-case hex. */
  readonly ed25519Hex: string;
  /** When the guard was chosen (epoch ms); it is rotated `lifetimeMs` later. */
  readonly selectedAtMs: number;
  /** Consecutive failures we observed directly; reset by a success. */
  readonly failures: number;
}

/**
 * Where guards persist between runs. Apps pass their own (file, IndexedDB, …).
 *
 * @example
 * ```ts
 * const store: GuardStore = { load: () => savedGuards, save: (records) => { savedGuards = [...records]; } };
 * const guardSet = new GuardSet({ store });
 * ```
 */
export interface GuardStore {
  /**
   * The saved records (sync or async). Called once, on the {@link GuardSet}'s first use; a
   * non-array counts as none and malformed records are dropped. Errors reach the GuardSet's caller.
   *
   * @example
   * ```ts
   * const store: GuardStore = {
   *   load: async () => JSON.parse(await readFile(file, 'utf8').catch(() => '[]')),
   *   save: (records) => writeFile(file, JSON.stringify(records)),
   * };
   * ```
   */
  load(): Promise<readonly GuardRecord[]> | readonly GuardRecord[];
  /**
   * Persists `records`, replacing what was saved before; called after every change. Copy the
   * array if you keep it (the GuardSet may modify it later). Errors reach the GuardSet's caller.
   */
  save(records: readonly GuardRecord[]): Promise<void> | void;
}

/**
 * The default {@link GuardStore}: keeps guards for the life of the process only.
 *
 * @example
 * ```ts
 * const guards = new GuardSet({ store: new MemoryGuardStore() });
 * ```
 */
export class MemoryGuardStore implements GuardStore {
  private records: readonly GuardRecord[] = [];
  /**
   * The records last saved (none at first).
   *
   * @example
   * ```ts
   * const records = new MemoryGuardStore().load(); // []
   * ```
   */
  load(): readonly GuardRecord[] {
    return this.records;
  }
  /**
   * Keeps frozen copies of `records`, in memory only.
   *
   * @example
   * ```ts
   * store.save(guardSet.snapshot());
   * ```
   */
  save(records: readonly GuardRecord[]): void {
    this.records = records.map((r) => Object.freeze({ ...r }));
  }
}

/**
 * A content-free reachability test of a candidate guard. It must not carry anything that
 * identifies the user (desktop's `get_swarm(own id)` test does; spec/onion.md §6.4 item 4, §11.5).
 *
 * @example
 * ```ts
 * const probe: GuardProbe = (node) => pingWithInfoRequest(node); // an `info` RPC: nothing about the user
 * await guardSet.ensure(pool.nodes(), probe);
 * ```
 */
export type GuardProbe = (node: ServiceNode) => Promise<boolean>;

/**
 * Tunables of {@link GuardSet}.
 *
 * @example
 * ```ts
 * const options: GuardSetOptions = { store, count: 2, lifetimeMs: 30 * 86_400_000 };
 * const guardSet = new GuardSet(options);
 * ```
 */
export interface GuardSetOptions {
  /** Where guards persist. Default: a {@link MemoryGuardStore} (this process only). */
  store?: GuardStore;
  /** Guards to keep. Default 2 (desktop `desiredGuardCount`). */
  count?: number;
  /** How long a guard is kept before rotation. Default 30 days (Tor-like long-lived guards). */
  lifetimeMs?: number;
  /** Consecutive direct failures that retire a guard. Default 3. */
  failureThreshold?: number;
  /** Candidates probed per {@link GuardSet.ensure} call at most. Default 12. */
  maxProbes?: number;
  /** Subnet rule between guards. Default 24. */
  subnetBits?: SubnetBits;
  /** Clock in milliseconds since the Unix epoch; `selectedAtMs` and `lifetimeMs` use it. Default `Date.now`. */
  now?: () => number;
  /** Default `crypto.getRandomValues`; inject only in tests. */
  random?: RandomSource;
}

/**
 * Persistent guards (spec/onion.md §6.4 item 4): a small set reused for every path, chosen after
 * a content-free probe, kept for `lifetimeMs`, and replaced only after `failureThreshold`
 * consecutive failures that we observed ourselves — never because a relay said so.
 *
 * @example
 * ```ts
 * const guardSet = new GuardSet({ store: new MemoryGuardStore(), count: 2 });
 * const guards = await guardSet.ensure(pool.nodes(), probe);
 * ```
 */
export class GuardSet {
  private readonly store: GuardStore;
  private readonly count: number;
  private readonly lifetimeMs: number;
  private readonly failureThreshold: number;
  private readonly maxProbes: number;
  private readonly bits: SubnetBits;
  private readonly now: () => number;
  private readonly random: RandomSource;
  private records: GuardRecord[] | undefined;

  constructor(opts: GuardSetOptions = {}) {
    this.store = opts.store ?? new MemoryGuardStore();
    this.count = opts.count ?? 2;
    this.lifetimeMs = opts.lifetimeMs ?? 30 * 86_400_000;
    this.failureThreshold = opts.failureThreshold ?? 3;
    this.maxProbes = opts.maxProbes ?? 12;
    this.bits = opts.subnetBits ?? 24;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? randomBytes;
    if (!Number.isInteger(this.count) || this.count < 1) throw new SessionSdkError('INVALID_INPUT', 'guard count must be at least 1');
  }

  private async loaded(): Promise<GuardRecord[]> {
    if (!this.records) {
      const raw = await this.store.load();
      this.records = (Array.isArray(raw) ? raw : []).filter(
        (r): r is GuardRecord =>
          typeof r?.ed25519Hex === 'string' && /^[0-9a-f]{64}$/.test(r.ed25519Hex) &&
          Number.isFinite(r.selectedAtMs) && Number.isInteger(r.failures) && r.failures >= 0,
      );
    }
    return this.records;
  }

  /**
   * The persisted records (after the last {@link ensure}).
   *
   * @example
   * ```ts
   * for (const r of guardSet.snapshot()) console.log(r.ed25519Hex, new Date(r.selectedAtMs));
   * ```
   */
  snapshot(): readonly GuardRecord[] {
    return this.records ?? [];
  }

  /**
   * Returns the guards to use: still-valid persisted ones first, topped up with new candidates
   * from `pool` that pass `probe`, all in distinct subnets and never one of `avoid` (nor in its
   * subnets). `busy` nodes (relays of paths in use) are not returned, but stay persisted.
   * Throws `PATH_BUILD_FAILED` if not even one guard can be found.
   *
   * @example
   * ```ts
   * const guards = await guardSet.ensure(pool.nodes(), probe, [swarmNode], busyRelays);
   * ```
   */
  async ensure(
    pool: readonly ServiceNode[],
    probe: GuardProbe,
    avoid: readonly ServiceNode[] = [],
    busy: readonly ServiceNode[] = [],
  ): Promise<ServiceNode[]> {
    const now = this.now();
    const byKey = new Map(pool.map((n) => [n.ed25519Hex, n] as const));
    const busyKeys = new Set(busy.map((n) => n.ed25519Hex));
    const ex = new Exclusions(this.bits);
    for (const a of avoid) ex.add(a, false);
    for (const k of busyKeys) ex.keys.add(k);
    const kept: GuardRecord[] = [];
    const guards: ServiceNode[] = [];
    for (const r of [...(await this.loaded())].sort((a, b) => a.selectedAtMs - b.selectedAtMs)) {
      const node = byKey.get(r.ed25519Hex);
      if (!node || r.failures >= this.failureThreshold || now - r.selectedAtMs >= this.lifetimeMs) continue;
      // A persisted guard currently serving as a relay elsewhere stays persisted, just unused now.
      if (busyKeys.has(r.ed25519Hex)) {
        kept.push(r);
        continue;
      }
      if (!ex.allows(node) || guards.length >= this.count) continue;
      ex.add(node);
      kept.push(r);
      guards.push(node);
    }
    // Candidates are probed in parallel batches of however many guards are still missing; the
    // subnet rule between guards is applied when a batch is formed and again on acceptance.
    let probes = 0;
    const queue = shuffled(pool, this.random);
    while (guards.length < this.count && probes < this.maxProbes && queue.length > 0) {
      const batch: ServiceNode[] = [];
      const batchEx = new Exclusions(this.bits);
      while (batch.length < this.count - guards.length && probes + batch.length < this.maxProbes && queue.length > 0) {
        const cand = queue.shift()!;
        if (!ex.allows(cand) || !batchEx.allows(cand)) continue;
        batchEx.add(cand);
        batch.push(cand);
      }
      if (batch.length === 0) break;
      probes += batch.length;
      const results = await Promise.all(batch.map((c) => probe(c).catch(() => false)));
      batch.forEach((cand, i) => {
        if (results[i] !== true || !ex.allows(cand) || guards.length >= this.count) return;
        ex.add(cand);
        guards.push(cand);
        kept.push({ ed25519Hex: cand.ed25519Hex, selectedAtMs: now, failures: 0 });
      });
    }
    this.records = kept;
    await this.store.save(kept);
    if (guards.length === 0) throw new SessionSdkError('PATH_BUILD_FAILED', 'no reachable guard node found');
    return guards;
  }

  /**
   * Records a failure we observed directly; returns true when the guard is retired.
   *
   * @example
   * ```ts
   * if (await guardSet.recordFailure(guard)) paths = rebuildWithoutGuard(guard);
   * ```
   */
  async recordFailure(node: ServiceNode): Promise<boolean> {
    const recs = await this.loaded();
    const i = recs.findIndex((r) => r.ed25519Hex === node.ed25519Hex);
    if (i < 0) return false;
    const r = { ...recs[i]!, failures: recs[i]!.failures + 1 };
    const retired = r.failures >= this.failureThreshold;
    if (retired) recs.splice(i, 1);
    else recs[i] = r;
    await this.store.save(recs);
    return retired;
  }

  /**
   * Records a direct success: the guard's consecutive-failure count goes back to 0.
   *
   * @example
   * ```ts
   * await guardSet.recordSuccess(guard);
   * ```
   */
  async recordSuccess(node: ServiceNode): Promise<void> {
    const recs = await this.loaded();
    const i = recs.findIndex((r) => r.ed25519Hex === node.ed25519Hex);
    if (i < 0 || recs[i]!.failures === 0) return;
    recs[i] = { ...recs[i]!, failures: 0 };
    await this.store.save(recs);
  }
}
