/**
 * Verifier for test-vectors/onion/path-constants.json: the pool, path and storage parameters of
 * four upstream implementations (spec/onion.md §5–§6, §8.3). The implementations disagree with
 * each other, and the SDK's builder is deliberately stricter than all of them (§6.4), so each
 * value is either compared with what the SDK measurably does through its public API (defaults
 * of SnodePool, GuardSet, buildOnionPaths, backoffDelay, the transport, exported constants — as
 * test/onion/snode-pool.test.ts does), or listed below with the reason it is not the SDK's. A
 * value this file does not account for fails its vector, so new upstream data cannot pass unread.
 * @module
 */
import {
  backoffDelay,
  buildOnionPaths,
  createFetchTransport,
  GuardSet,
  INVALID_SWARM_ID,
  ipv4Subnet,
  MAINNET_SEED_NODES,
  MAX_ONION_PATH_LENGTH,
  MAX_ONION_REQUEST_SIZE,
  ONION_CLIENT_DEFAULTS,
  parseEncType,
  SEED_NODE_LIST_REQUEST,
  SnodePool,
  STORAGE_CLOCK_TOLERANCE_MS,
  STORAGE_MAX_DATA_BYTES,
  STORAGE_MAX_TTL_PRIVATE_MS,
  STORAGE_MAX_TTL_PUBLIC_MS,
  STORAGE_MIN_TTL_MS,
  type ServiceNode,
} from '../index.js';
import { canonicalJson, expectEqual, expectSdkError, list, toHex, VectorMismatch, type FileVerifier } from './check.js';

/** A synthetic node; `subnet` picks its /24 (nodes are never contacted). */
function node(k: number, subnet: number): ServiceNode {
  const ed = new Uint8Array(32).fill(0xed);
  const x = new Uint8Array(32).fill(0x25);
  ed[0] = x[0] = k >> 8;
  ed[1] = x[1] = k & 255;
  return { ed25519PublicKey: ed, x25519PublicKey: x, ed25519Hex: toHex(ed), ip: `10.${subnet >> 8}.${subnet & 255}.${1 + (k % 250)}`, port: 22021 };
}
/** 80 nodes, each in its own /24. */
const SPREAD = Array.from({ length: 80 }, (_, k) => node(k, k));
/** 80 nodes, four per /24: subnet diversity is then a real constraint. */
const CLUSTERED = Array.from({ length: 80 }, (_, k) => node(k, k % 20));
/** The largest random draw: `backoffDelay` then returns its cap for the attempt. */
const TOP = (n: number): Uint8Array => new Uint8Array(n).fill(0xff);

/** Names of back-off schedules by the growth of the cap over attempts 1–3 (relative to attempt 0). */
const BACKOFF_KIND: Readonly<Record<string, string>> = { '2,4,8': 'exponential', '2,3,4': 'linear', '1,1,1': 'constant' };

/** Guard selection and path building with default options. */
async function measurePaths() {
  const guards = await new GuardSet().ensure(SPREAD, async () => true);
  // With every probe failing, GuardSet probes batches of the missing guards until its budget ends.
  let probes = 0;
  const refuse = async (): Promise<boolean> => {
    probes++;
    return false;
  };
  await expectSdkError('guard search with no reachable node', 'PATH_BUILD_FAILED', () => new GuardSet().ensure(SPREAD, refuse));
  const built = buildOnionPaths(SPREAD, guards);
  const lengths = built.paths.map((p) => p.nodes.length);
  expectEqual('every path has the same length', new Set(lengths).size, 1);
  // The fewest guards paths are built from: none is refused, one is enough (for one path).
  await expectSdkError('paths from no guard', 'PATH_BUILD_FAILED', () => buildOnionPaths(SPREAD, []));
  const fromOneGuard = buildOnionPaths(SPREAD, SPREAD.slice(0, 1));
  const clustered = buildOnionPaths(CLUSTERED, await new GuardSet().ensure(CLUSTERED, async () => true));
  const subnets = clustered.paths.flatMap((p) => p.nodes.map((n) => ipv4Subnet(n.ip)));
  return {
    guardCount: guards.length,
    guardRounds: probes / guards.length,
    minGuards: fromOneGuard.paths.length,
    pathLength: lengths[0],
    pathCount: built.paths.length,
    subnetBits: built.subnetBits,
    subnetDiverse: new Set(subnets).size === subnets.length,
  };
}

/** The smallest integer in [lo, hi] for which the monotone predicate `ok` holds (hi if none). */
async function smallest(lo: number, hi: number, ok: (n: number) => boolean | Promise<boolean>): Promise<number> {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** SnodePool defaults: minimum size, refresh agreement and fan-out, expiry, strikes. */
async function measurePool() {
  const sizing = new SnodePool();
  const minPoolSize = await smallest(1, SPREAD.length, (n) => {
    sizing.load(SPREAD.slice(0, n));
    return !sizing.tooSmall;
  });
  // A refresh from members is accepted when they agree on at least `requiredAgreement` nodes.
  let asked = 0;
  const acceptsAgreementOf = async (k: number): Promise<boolean> => {
    asked = 0;
    const fromNode = async (): Promise<ServiceNode[]> => {
      asked++;
      return SPREAD.slice(0, k);
    };
    const pool = new SnodePool({ fetcher: { fromSeed: async () => SPREAD, fromNode }, seeds: [{ url: 'https://seed.invalid/' }] });
    pool.load(SPREAD, Number.NEGATIVE_INFINITY);
    return (await pool.refresh()).source === 'nodes';
  };
  const agreement = await smallest(1, SPREAD.length, acceptsAgreementOf);
  expectEqual('a refresh on which every member agrees is accepted', await acceptsAgreementOf(SPREAD.length), true);
  const refreshFrom = asked;
  let clock = 0;
  const aging = new SnodePool({ now: () => clock });
  aging.load(SPREAD, 0);
  const expiryMs = await smallest(0, 2 ** 40, (t) => {
    clock = t;
    return aging.isStale();
  });
  const striking = new SnodePool();
  striking.load(SPREAD);
  let strikes = 1;
  while (strikes < 100 && !striking.recordDirectFailure(SPREAD[0]!).removed) strikes++;
  return { minPoolSize, agreement, refreshFrom, expirySeconds: expiryMs / 1000, strikeThreshold: strikes };
}

/** The default fetch transport's onion endpoint, and the retry back-off schedule. */
async function measureTransport() {
  let endpoint = '';
  const transport = createFetchTransport({
    fetch: async (url, init) => {
      endpoint = `${init.method} ${url}`;
      return { status: 200, arrayBuffer: async () => new ArrayBuffer(0) };
    },
  });
  const guard = SPREAD[0]!;
  await transport.sendOnionRequest(guard, new Uint8Array(0));
  const base = backoffDelay(0, { random: TOP });
  const growth = [1, 2, 3].map((a) => backoffDelay(a, { random: TOP }) / base).join();
  return {
    onionEndpoint: endpoint.replace(`https://${guard.ip}:${guard.port}/`, 'https://<ip>:<storage_port>/'),
    backoff: { base, max: backoffDelay(40, { random: TOP }), kind: BACKOFF_KIND[growth] },
  };
}

/** What the SDK does by default, measured through its public API. */
async function measureSdk() {
  return { ...(await measurePaths()), ...(await measurePool()), ...(await measureTransport()) };
}
type SdkFacts = Awaited<ReturnType<typeof measureSdk>>;

/** How one value is checked: the SDK's counterpart, or why the SDK has none (never compared). */
type Rule = ((sdk: SdkFacts) => unknown) | string;

const QUIC = 'QUIC transport parameter: the SDK speaks HTTPS (/onion_req/v2) only';
const ONE_POOL = 'the SDK keeps one pool of paths for every kind of request';
const SERVER_SIDE = 'enforced by the storage server, not by a client';

const RULES: [string, Record<string, Rule>][] = [
  ['session-desktop', {
    desiredGuardCount: (s) => s.guardCount,
    minimumGuardCount: (s) => s.minGuards,
    ONION_REQUEST_HOPS: (s) => s.pathLength,
    paths_built: 'a formula: the SDK builds one path per guard (2 by default, checked as libsession min_path_counts.standard) and fails rather than build fewer',
    // Same number: the SDK (as libsession, and desktop's documented rule) goes to a seed below 12
    // nodes; desktop's refresh-from-snodes code also refuses at exactly 12.
    minSnodePoolCount: (s) => s.minPoolSize,
    minSnodePoolCountBeforeRefreshFromSnodes: 'not adopted: the SDK asks pool members once it has minSnodePoolCount nodes, and accepts only >= requiredSnodesForAgreement agreeing nodes',
    requiredSnodesForAgreement: (s) => s.agreement,
    snodes_queried_for_refresh: (s) => s.refreshFrom,
    minSwarmSnodeCount: 'not adopted: the SDK computes swarms from the pool (or get_swarm) and tries every member',
    pathFailureThreshold: () => ONION_CLIENT_DEFAULTS.pathStrikeThreshold,
    snodeFailureThreshold: (s) => s.strikeThreshold,
    guard_test: "not adopted: it sends the user's Session ID to candidate guards; the SDK probes with a content-free request (spec/onion.md §6.4 item 4)",
    // Desktop tests candidates two at a time; the SDK's probe budget is the same 6 rounds of 2.
    guard_selection_max_rounds: (s) => s.guardRounds,
    path_build_attempts: 'desktop retry loop with no SDK counterpart: buildOnionPaths is deterministic given the pool and fails with PATH_BUILD_FAILED',
    getOnionPath_max_attempts: 'desktop retry loop with no SDK counterpart (see path_build_attempts)',
    subnet_rule: 'not adopted: the SDK is stricter, one /24 per node across all paths, guards included (spec/onion.md §6.4)',
    seed_nodes: () => MAINNET_SEED_NODES.map((s) => s.url),
    seed_method: () => SEED_NODE_LIST_REQUEST.method,
    seed_retries: 'not adopted: the SDK asks every seed in parallel per refresh and leaves retries to the transport',
    onion_endpoint: (s) => s.onionEndpoint,
    enc_type: "not the SDK default (xchacha20, as libsession); desktop's format is buildOnionRequest style 'desktop', checked by derived-onion-v3-snode-desktop-style",
  }],
  ['libsession-util network.cpp', {
    path_size: (s) => s.pathLength,
    'min_path_count.standard': (s) => s.pathCount,
    'min_path_count.upload': ONE_POOL,
    'min_path_count.download': ONE_POOL,
    'min_path_count.single_path_mode': ONE_POOL,
    path_failure_threshold: () => ONION_CLIENT_DEFAULTS.pathStrikeThreshold,
    snode_failure_threshold: (s) => s.strikeThreshold,
    snode_cache_expiration_s: (s) => s.expirySeconds,
    min_snode_cache_count: (s) => s.minPoolSize,
    num_snodes_to_refresh_cache_from: (s) => s.refreshFrom,
    guard_test: QUIC,
    retry_delay_ms: 'superseded: the SDK uses newest libsession back-off (base 200 ms, cap 5 s), checked there',
    ip_rule: 'not adopted: the SDK is stricter (distinct /24s, not only distinct IPs; spec/onion.md §6.4)',
    alpn: QUIC,
    onion_command: QUIC,
    enc_type: "a description, not a value: buildOnionRequest takes no default; OnionClient's is ONION_CLIENT_DEFAULTS.encType (xchacha20, as libsession's Builder)",
    seed_nodes_mainnet: QUIC,
    seed_nodes_testnet: QUIC,
    'file_server.host': 'the SDK has no built-in file server; apps pass a ServerDestination',
    'file_server.x25519_pubkey': 'the SDK has no built-in file server; apps pass a ServerDestination',
  }],
  ['libsession newest', {
    path_length: (s) => s.pathLength,
    enforce_subnet_diversity: (s) => s.subnetDiverse,
    subnet_prefix_bits: (s) => s.subnetBits,
    'min_path_counts.standard': (s) => s.pathCount,
    'min_path_counts.file': ONE_POOL,
    onionreq_path_strike_threshold: () => ONION_CLIENT_DEFAULTS.pathStrikeThreshold,
    onionreq_path_build_retry_limit: 'libsession retry loop with no SDK counterpart: buildOnionPaths fails with PATH_BUILD_FAILED',
    cache_node_strike_threshold: (s) => s.strikeThreshold,
    cache_min_size: (s) => s.minPoolSize,
    cache_expiration_s: (s) => s.expirySeconds,
    cache_num_nodes_to_use_for_refresh: (s) => s.refreshFrom,
    quic_handshake_timeout_ms: QUIC,
    quic_keep_alive_s: QUIC,
    'retry_delay.base_ms': (s) => s.backoff.base,
    'retry_delay.max_ms': (s) => s.backoff.max,
    'retry_delay.kind': (s) => s.backoff.kind,
    redirect_retry_count: 'OnionClient follows a 421 once internally; observable only over a network',
    edge_node_persistence: 'upstream default unknown (spec/onion.md §11.1); the SDK keeps guards for GuardSet lifetimeMs',
    path_rotation: 'upstream default unknown (spec/onion.md §11.1); the SDK rotates paths after OnionClient pathRotationMs',
  }],
  ['session-storage-server', {
    // The server counts the destination as a hop: path nodes plus the destination.
    MAX_ONION_HOPS: () => MAX_ONION_PATH_LENGTH + 1,
    ONION_URL_TIMEOUT_s: SERVER_SIDE,
    sn_to_sn_onion_timeout_s: SERVER_SIDE,
    onion_parser_max_size_bytes: () => MAX_ONION_REQUEST_SIZE,
    TTL_MINIMUM_ms: () => STORAGE_MIN_TTL_MS,
    TTL_MAXIMUM_public_ms: () => STORAGE_MAX_TTL_PUBLIC_MS,
    TTL_MAXIMUM_PRIVATE_ms: () => STORAGE_MAX_TTL_PRIVATE_MS,
    STORE_TOLERANCE_ms: SERVER_SIDE,
    SIGNATURE_TOLERANCE_ms: () => STORAGE_CLOCK_TOLERANCE_MS,
    SIGNATURE_TOLERANCE_FORWARDED_ms: SERVER_SIDE,
    MAX_MESSAGE_BODY_bytes: () => STORAGE_MAX_DATA_BYTES,
    RETRIEVE_MAX_SIZE_bytes: SERVER_SIDE,
    INVALID_SWARM_ID: () => INVALID_SWARM_ID.toString(),
    default_enc_type_when_absent: () => parseEncType(undefined),
  }],
];

/** The SDK's defaults are fixed for the life of the process: measured once, on first use. */
let facts: Promise<SdkFacts> | undefined;

/** Scalars as they are (readable mismatches), lists as canonical JSON. */
const shown = (v: unknown): unknown => (typeof v === 'object' && v !== null ? canonicalJson(v) : v);

/** `values` with nested objects flattened to dotted keys (arrays are values). */
function flatten(values: unknown, prefix = ''): [string, unknown][] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new Error('"values" is not an object');
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

/** Verifies test-vectors/onion/path-constants.json, one vector per implementation. */
export const pathConstants: FileVerifier = async (doc, rec) => {
  for (const impl of list(doc, 'implementations')) {
    await rec.vector(String(impl?.id), async () => {
      const rules = RULES.find(([prefix]) => String(impl.id).startsWith(prefix))?.[1];
      if (!rules) throw new VectorMismatch(`unknown implementation ${String(impl.id)}`);
      const values = new Map(flatten(impl.values));
      for (const key of values.keys()) {
        if (!Object.prototype.hasOwnProperty.call(rules, key)) throw new VectorMismatch(`${key}: value not accounted for by the verifier`);
      }
      for (const [key, rule] of Object.entries(rules)) {
        if (typeof rule === 'string') continue;
        facts ??= measureSdk();
        expectEqual(key, shown(rule(await facts)), shown(values.get(key)));
      }
    });
  }
};
