// A local service-node network for tests and the demo (dev-only, never shipped).
//
// Each node is a small HTTP server on 127.0.0.1 that follows the storage server's onion rules
// (spec/onion.md §2.3): open the layer with its X25519 key, then either act as the final
// destination (store / retrieve / info / get_swarm / oxend_request), relay to the next node over
// HTTP, or proxy a v4 request to a registered local test server. Relay errors are plaintext, as on
// the real network (502 "Next node not found: <key>", 400 "Invalid ciphertext", …).
//
// Every node advertises a fake public IPv4 (198.18.0.0/15, the benchmarking range, so distinct
// /24s exist and the path rules are exercised) while really listening on 127.0.0.1:<ephemeral>.
// `network.resolve` maps a listed node to its loopback address and refuses anything else, so a
// test can never reach a real address.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blake2b } from '@noble/hashes/blake2.js';
import { SessionSdkError, isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed, type Identity } from '../../src/identity/keys.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import { ed25519PkToX25519Sync, ed25519SignSync, x25519PublicKeySync } from '../../src/crypto/noble.js';
import { concatBytes, equalBytes, fromHex, randomBytes, toHex, utf8 } from '../../src/util/bytes.js';
import { hopEncrypt, type OnionEncType } from '../../src/onion/hop.js';
import { encodeOnionFrame } from '../../src/onion/frame.js';
import { sortedJson, sortedJsonBytes, type JsonInput } from '../../src/onion/json.js';
import { classifyOnionLayer, openOnionLayer } from '../../src/onion/relay.js';
import { isAllowedRelayTarget } from '../../src/onion/onion-request.js';
import { decodeV4Request, encodeV4Response } from '../../src/onion/v4.js';
import type { ServiceNode, SeedNode } from '../../src/onion/snode-pool.js';

const MAX_HOPS = 15;
const TTL_MIN = 10_000;
const TTL_MAX_PUBLIC = 14 * 86_400_000;
const TTL_MAX_PRIVATE = 30 * 86_400_000;
const SIG_TOLERANCE = 60_000;
const STORE_TOLERANCE = 10_000;
const MAX_DATA = 76_800;

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));

interface StoredMessage {
  hash: string;
  timestamp: number;
  expiry: number;
  data: Uint8Array;
}

/** One swarm's messages; swarm members share it (replication is instantaneous here). */
class MessageStore {
  private readonly byAccount = new Map<string, StoredMessage[]>();
  put(account: string, ns: number, m: StoredMessage): void {
    const k = `${account}/${ns}`;
    const list = this.byAccount.get(k) ?? [];
    if (!list.some((x) => x.hash === m.hash)) list.push(m);
    this.byAccount.set(k, list);
  }
  get(account: string, ns: number, now: number, lastHash?: string): StoredMessage[] {
    const k = `${account}/${ns}`;
    const live = (this.byAccount.get(k) ?? []).filter((m) => m.expiry > now);
    this.byAccount.set(k, live);
    const i = lastHash ? live.findIndex((m) => m.hash === lastHash) : -1;
    return live.slice(i + 1);
  }
  count(): number {
    let n = 0;
    for (const l of this.byAccount.values()) n += l.length;
    return n;
  }
}

/** One fake service node. */
export interface LoopbackNode {
  readonly index: number;
  readonly identity: Identity;
  readonly info: ServiceNode;
  readonly port: number;
  alive: boolean;
  /** When set, the node flips one byte of every layer it forwards (a malicious relay). */
  tamperForwarded: boolean;
  /** When set, the node never relays and claims the next node does not exist (a lying relay). */
  lieNextNotFound: boolean;
  /** Onion requests this node received (for assertions). */
  received: number;
}

/** A local HTTP server reachable through the last hop as a v4 destination. */
export interface LoopbackServer {
  readonly host: string;
  readonly port: number;
  readonly x25519PublicKey: Uint8Array;
  readonly requests: { method: string; endpoint: string; body: string }[];
}

export interface LoopbackNetworkOptions {
  nodes?: number;
  swarms?: number;
  now?: () => number;
  /** Deterministic key material for the nodes (tests); random by default. */
  keySeed?: string;
}

function swarmSpaceOf(pubkey: Uint8Array): bigint {
  // Independent of src/onion/swarm.ts on purpose: XOR of the four big-endian u64 words.
  const dv = new DataView(pubkey.buffer, pubkey.byteOffset, 32);
  let x = 0n;
  for (let i = 0; i < 4; i++) x ^= dv.getBigUint64(i * 8, false);
  return x;
}

function closestSwarmOf(ids: bigint[], x: bigint): bigint {
  const s = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const M = 2n ** 64n;
  let ri = s.findIndex((id) => id >= x);
  if (ri < 0) ri = 0;
  const r = s[ri]!;
  const l = s[(ri - 1 + s.length) % s.length]!;
  return ((r - x + M) % M) < ((x - l + M) % M) ? r : l;
}

function messageHash(prefixedPubkey: Uint8Array, ns: number, data: Uint8Array): string {
  const h = blake2b(concatBytes(prefixedPubkey, utf8(ns === 0 ? '' : String(ns)), data), { dkLen: 32 });
  return b64(h).replace(/=+$/, '');
}

class RpcError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class LoopbackNetwork {
  readonly nodes: LoopbackNode[] = [];
  readonly servers = new Map<string, LoopbackServer & { secretKey: Uint8Array; http: http.Server }>();
  readonly swarmIds: bigint[] = [];
  private readonly stores = new Map<bigint, MessageStore>();
  private readonly httpServers = new Map<number, http.Server>();
  private seedServer: http.Server | undefined;
  private seedPort = 0;
  readonly now: () => number;

  private constructor(opts: LoopbackNetworkOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Starts `nodes` service nodes (default 12) in `swarms` swarms (default 3) and a seed. */
  static async start(opts: LoopbackNetworkOptions = {}): Promise<LoopbackNetwork> {
    const net = new LoopbackNetwork(opts);
    const count = opts.nodes ?? 12;
    const swarms = opts.swarms ?? 3;
    for (let s = 0; s < swarms; s++) {
      const id = (BigInt(s) * (2n ** 64n / BigInt(swarms))) + 0x1234n;
      net.swarmIds.push(id);
      net.stores.set(id, new MessageStore());
    }
    for (let i = 0; i < count; i++) {
      const seed = opts.keySeed ? blake2b(utf8(`${opts.keySeed}/${i}`), { dkLen: 32 }) : randomBytes(32);
      const identity = identityFromSeed(seed);
      // Nodes 0 and 1 share a /24 on purpose; all others have their own.
      const ip = i < 2 ? `198.18.0.${10 + i}` : `198.${18 + (i % 2)}.${i}.${10 + i}`;
      const server = http.createServer((req, res) => void net.handle(i, req, res));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      net.httpServers.set(i, server);
      const swarmId = net.swarmIds[i % swarms]!;
      net.nodes.push({
        index: i,
        identity,
        port,
        alive: true,
        tamperForwarded: false,
        lieNextNotFound: false,
        received: 0,
        info: Object.freeze({
          ed25519PublicKey: identity.ed25519PublicKey,
          x25519PublicKey: identity.x25519PublicKey,
          ed25519Hex: toHex(identity.ed25519PublicKey),
          ip,
          port,
          swarmId,
        }),
      });
    }
    net.seedServer = http.createServer((req, res) => void net.handleSeed(req, res));
    await new Promise<void>((r) => net.seedServer!.listen(0, '127.0.0.1', r));
    net.seedPort = (net.seedServer.address() as AddressInfo).port;
    return net;
  }

  /** The seed node to bootstrap from (plain HTTP on loopback). */
  get seed(): SeedNode {
    return { url: `http://127.0.0.1:${this.seedPort}/` };
  }

  /** Every node as the directory lists it (fake public IPs). */
  serviceNodes(): ServiceNode[] {
    return this.nodes.map((n) => n.info);
  }

  node(info: ServiceNode | string): LoopbackNode {
    const hex = typeof info === 'string' ? info : info.ed25519Hex;
    const n = this.nodes.find((x) => x.info.ed25519Hex === hex);
    if (!n) throw new Error(`not a loopback node: ${hex}`);
    return n;
  }

  /** Transport mapping: a listed node → its real loopback address. Anything else is refused. */
  resolve = (node: ServiceNode): { protocol: 'http'; host: string; port: number } => {
    const n = this.nodes.find((x) => x.info.ed25519Hex === node.ed25519Hex && x.info.ip === node.ip);
    if (!n) throw new SessionSdkError('TRANSPORT_ERROR', `loopback network has no node ${node.ed25519Hex.slice(0, 8)}… at ${node.ip}`);
    return { protocol: 'http', host: '127.0.0.1', port: n.port };
  };

  /** Messages held by the swarm that owns `sessionId`. */
  storedCount(sessionId: string): number {
    return this.stores.get(this.swarmFor(fromHex(sessionId.slice(2))))!.count();
  }

  swarmFor(pubkey32: Uint8Array): bigint {
    return closestSwarmOf(this.swarmIds, swarmSpaceOf(pubkey32));
  }

  /** Stops a node: connections to it are refused from now on. */
  async kill(node: ServiceNode | LoopbackNode): Promise<void> {
    const n = 'info' in node ? node : this.node(node);
    n.alive = false;
    const s = this.httpServers.get(n.index)!;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** Starts a local HTTP server reachable as a v4 onion destination `host` (e.g. "sogs.test"). */
  async startServer(host: string): Promise<LoopbackServer> {
    const secretKey = randomBytes(32);
    const x25519PublicKey = x25519PublicKeySync(secretKey);
    const requests: LoopbackServer['requests'] = [];
    const srv = http.createServer((req, res) => void this.handleServer(secretKey, x25519PublicKey, requests, req, res));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const entry = { host, port, x25519PublicKey, requests, secretKey, http: srv };
    this.servers.set(host, entry);
    return entry;
  }

  async close(): Promise<void> {
    const all = [...this.nodes.filter((n) => n.alive).map((n) => this.httpServers.get(n.index)!), ...[...this.servers.values()].map((s) => s.http)];
    if (this.seedServer) all.push(this.seedServer);
    await Promise.all(
      all.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((r) => s.close(() => r()));
      }),
    );
  }

  // ---- HTTP plumbing -------------------------------------------------------------------------

  private static async body(req: http.IncomingMessage, max = 10_485_760): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of req) {
      n += (c as Buffer).length;
      if (n > max) throw new RpcError(413, 'Request too large');
      chunks.push(c as Buffer);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  private static send(res: http.ServerResponse, status: number, body: Uint8Array | string): void {
    const b = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/octet-stream', 'Content-Length': b.length });
    res.end(b);
  }

  private static post(port: number, path: string, body: Uint8Array): Promise<{ status: number; body: Uint8Array }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { 'Content-Length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(chunks)) }));
        res.on('error', reject);
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(Buffer.from(body));
    });
  }

  private async handleSeed(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const body = JSON.parse(Buffer.from(await LoopbackNetwork.body(req)).toString('utf8')) as { method?: string };
      if (req.url !== '/json_rpc' || body.method !== 'get_n_service_nodes') return LoopbackNetwork.send(res, 404, 'Not found');
      LoopbackNetwork.send(res, 200, utf8(`{"result":${this.serviceNodeStatesJson()}}`));
    } catch {
      LoopbackNetwork.send(res, 400, 'Bad request');
    }
  }

  /** `{"service_node_states":[…]}` with swarm ids written as bare 64-bit integers, like oxend. */
  private serviceNodeStatesJson(): string {
    const entries = this.nodes.map((n) =>
      sortedJson({
        public_ip: n.info.ip,
        storage_port: n.info.port,
        pubkey_ed25519: n.info.ed25519Hex,
        pubkey_x25519: toHex(n.info.x25519PublicKey),
        swarm_id: '__SWARM__' + n.info.swarmId!.toString(),
      }).replace(/"__SWARM__(\d+)"/, '$1'),
    );
    return `{"service_node_states":[${entries.join(',')}]}`;
  }

  private async handle(i: number, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const me = this.nodes[i]!;
    let body: Uint8Array;
    try {
      body = await LoopbackNetwork.body(req);
    } catch (e) {
      return LoopbackNetwork.send(res, e instanceof RpcError ? e.status : 400, 'Bad request');
    }
    if (req.method !== 'POST' || req.url !== '/onion_req/v2') return LoopbackNetwork.send(res, 404, 'Not found');
    me.received++;
    // 1. Open our layer. Failures are plaintext: nobody else could encrypt an answer.
    let opened;
    try {
      opened = await openOnionLayer(me.identity.x25519SecretKey, body, { nodeX25519PublicKey: me.identity.x25519PublicKey });
    } catch (e) {
      if (isSessionSdkError(e, 'DECRYPT_FAILED')) return LoopbackNetwork.send(res, 400, 'Invalid ciphertext');
      return LoopbackNetwork.send(res, 400, `Error parsing onion request: ${(e as Error).message}`);
    }
    if (opened.hopNumber > MAX_HOPS) return LoopbackNetwork.send(res, 400, 'Too many hops');
    const reply = async (status: number, text: string, control = { json: false, base64: true }): Promise<void> => {
      const inner = control.json ? `{"body":${text},"status":${status}}` : sortedJson({ body: text, status });
      const enc = await hopEncrypt(opened.encType, me.identity.x25519SecretKey, opened.ephemeralKey, utf8(inner), {
        server: true,
        localPublicKey: me.identity.x25519PublicKey,
      });
      LoopbackNetwork.send(res, 200, control.base64 ? utf8(b64(enc)) : enc);
    };
    // 2. Classify (spec §2.3). An unreadable inner layer gets an *encrypted* 400 with our layer key.
    let action;
    try {
      action = classifyOnionLayer(opened.plaintext);
    } catch {
      return reply(400, 'Invalid json');
    }
    if (action.type === 'final_destination') {
      let status = 200;
      let text: string;
      try {
        text = this.rpc(me, action.body);
      } catch (e) {
        status = e instanceof RpcError ? e.status : 400;
        text = e instanceof Error ? e.message : 'error';
        if (status === 421) return reply(421, text, { json: action.json, base64: action.base64 });
      }
      return reply(status, text, { json: action.json && status === 200, base64: action.base64 });
    }
    if (action.type === 'relay_to_server') {
      const srv = this.servers.get(action.host);
      if (!isAllowedRelayTarget(action.target) || action.protocol !== 'http' || !srv || action.port !== srv.port) {
        return reply(400, 'Invalid url');
      }
      try {
        const r = await LoopbackNetwork.post(srv.port, action.target, action.payload);
        return LoopbackNetwork.send(res, r.status, r.body);
      } catch {
        return LoopbackNetwork.send(res, 504, 'Request time out');
      }
    }
    // 3. Relay to the next node over HTTP (the real network uses OxenMQ between nodes).
    const next = this.nodes.find((n) => n.info.ed25519Hex === action.destination);
    if (!next || me.lieNextNotFound) return LoopbackNetwork.send(res, 502, `Next node not found: ${action.destination}`);
    let ciphertext = action.ciphertext;
    if (me.tamperForwarded) {
      ciphertext = ciphertext.slice();
      const j = ciphertext.length >> 1;
      ciphertext[j] = ciphertext[j]! ^ 0x01;
    }
    const frame = encodeOnionFrame(
      ciphertext,
      sortedJsonBytes({ enc_type: action.encType, ephemeral_key: toHex(action.ephemeralKey), hop_no: opened.hopNumber + 1 }),
    );
    try {
      const r = await LoopbackNetwork.post(next.port, '/onion_req/v2', frame);
      return LoopbackNetwork.send(res, r.status, r.body);
    } catch {
      return LoopbackNetwork.send(res, 502, `Next node is currently unreachable: ${action.destination}`);
    }
  }

  // ---- storage RPC (spec/onion.md §8) ------------------------------------------------------

  private rpc(me: LoopbackNode, raw: Uint8Array): string {
    let req: { method?: unknown; params?: unknown };
    try {
      req = JSON.parse(Buffer.from(raw).toString('utf8')) as typeof req;
    } catch {
      throw new RpcError(400, 'invalid json');
    }
    if (typeof req.method !== 'string' || typeof req.params !== 'object' || req.params === null) throw new RpcError(400, 'invalid request');
    const p = req.params as Record<string, unknown>;
    const now = this.now();
    switch (req.method) {
      case 'info':
        return sortedJson({ hf: [19, 3], t: now, timestamp: now, version: [2, 8, 0] });
      case 'oxend_request': {
        if (p.endpoint !== 'get_service_nodes') throw new RpcError(400, 'unsupported oxend endpoint');
        return `{"result":${this.serviceNodeStatesJson()}}`;
      }
      case 'get_swarm':
      case 'get_snodes_for_pubkey': {
        const { pk } = this.account(p.pubkey);
        const swarm = this.swarmFor(pk);
        return sortedJson({ snodes: this.swarmJson(swarm), swarm: swarm.toString(16).padStart(16, '0'), t: now });
      }
      case 'store':
        return this.store(me, p, now);
      case 'retrieve':
        return this.retrieve(me, p, now);
      default:
        throw new RpcError(400, `invalid method ${req.method}`);
    }
  }

  private swarmJson(swarm: bigint): JsonInput[] {
    return this.nodes
      .filter((n) => n.info.swarmId === swarm)
      .map((n) => ({ ip: n.info.ip, port: String(n.info.port), port_https: n.info.port, pubkey_ed25519: n.info.ed25519Hex, pubkey_x25519: toHex(n.info.x25519PublicKey) }));
  }

  private account(pubkey: unknown): { prefixed: Uint8Array; pk: Uint8Array; prefix: number } {
    if (typeof pubkey !== 'string' || !/^(05|03)[0-9a-f]{64}$/.test(pubkey)) throw new RpcError(400, 'invalid pubkey');
    const prefixed = fromHex(pubkey);
    return { prefixed, pk: prefixed.subarray(1), prefix: prefixed[0]! };
  }

  private checkSwarm(me: LoopbackNode, pk: Uint8Array): void {
    const swarm = this.swarmFor(pk);
    if (me.info.swarmId !== swarm) throw new RpcError(421, sortedJson({ snodes: this.swarmJson(swarm), swarm: swarm.toString(16) }));
  }

  /** Verifies an account signature (05: via pubkey_ed25519 whose X25519 form must equal the ID). */
  private verify(p: Record<string, unknown>, acct: { pk: Uint8Array; prefix: number }, message: string): void {
    if (typeof p.signature !== 'string') throw new RpcError(401, 'missing signature');
    let edPk = acct.pk;
    if (acct.prefix === 0x05) {
      if (typeof p.pubkey_ed25519 !== 'string' || !/^[0-9a-f]{64}$/.test(p.pubkey_ed25519)) throw new RpcError(400, 'missing pubkey_ed25519');
      edPk = fromHex(p.pubkey_ed25519);
      let x: Uint8Array;
      try {
        x = ed25519PkToX25519Sync(edPk);
      } catch {
        throw new RpcError(401, 'invalid pubkey_ed25519');
      }
      if (!equalBytes(x, acct.pk)) throw new RpcError(401, 'pubkey_ed25519 does not match pubkey');
    }
    const sig = unb64(p.signature);
    if (sig.length !== 64 || !verifyEd25519(sig, utf8(message), edPk)) throw new RpcError(401, 'signature verification failed');
  }

  private namespace(v: unknown): number {
    const ns = v ?? 0;
    if (typeof ns !== 'number' || !Number.isInteger(ns) || ns < -32768 || ns > 32767) throw new RpcError(400, 'invalid namespace');
    return ns;
  }

  private store(me: LoopbackNode, p: Record<string, unknown>, now: number): string {
    const acct = this.account(p.pubkey);
    this.checkSwarm(me, acct.pk);
    const ns = this.namespace(p.namespace);
    const ts = p.timestamp;
    if (typeof ts !== 'number' || !Number.isInteger(ts)) throw new RpcError(400, 'invalid timestamp');
    if (ts > now + STORE_TOLERANCE) throw new RpcError(406, 'timestamp in the future');
    const expiry = typeof p.expiry === 'number' ? p.expiry : typeof p.ttl === 'number' ? ts + p.ttl : NaN;
    if (!Number.isInteger(expiry)) throw new RpcError(400, 'missing ttl or expiry');
    const ttl = expiry - ts;
    const maxTtl = ns % 10 === 0 ? TTL_MAX_PUBLIC : TTL_MAX_PRIVATE;
    if (ttl < TTL_MIN || ttl > maxTtl || expiry < now - STORE_TOLERANCE) throw new RpcError(400, 'invalid ttl');
    if (typeof p.data !== 'string') throw new RpcError(400, 'missing data');
    const data = unb64(p.data);
    if (data.length > MAX_DATA) throw new RpcError(413, 'message too large');
    if (ns % 10 !== 0) {
      const sigTs = typeof p.sig_timestamp === 'number' ? p.sig_timestamp : ts;
      if (Math.abs(sigTs - now) > SIG_TOLERANCE) throw new RpcError(406, 'signature timestamp out of range');
      this.verify(p, acct, `store${ns === 0 ? '' : ns}${sigTs}`);
    }
    const hash = messageHash(acct.prefixed, ns, data);
    this.stores.get(me.info.swarmId!)!.put(toHex(acct.prefixed), ns, { hash, timestamp: ts, expiry, data });
    const swarm: Record<string, JsonInput> = {};
    for (const n of this.nodes.filter((x) => x.info.swarmId === me.info.swarmId && x.alive)) {
      swarm[n.info.ed25519Hex] = { hash, signature: b64(ed25519SignSync(n.identity.seed, utf8(hash))) };
    }
    return sortedJson({ hash, swarm, t: now });
  }

  private retrieve(me: LoopbackNode, p: Record<string, unknown>, now: number): string {
    const acct = this.account(p.pubkey);
    this.checkSwarm(me, acct.pk);
    const ns = this.namespace(p.namespace);
    const publicOutbox = ns < 0 && (-ns) % 20 === 1;
    if (ns !== -10 && !publicOutbox) {
      const ts = p.timestamp;
      if (typeof ts !== 'number' || !Number.isInteger(ts)) throw new RpcError(400, 'invalid timestamp');
      if (Math.abs(ts - now) > SIG_TOLERANCE) throw new RpcError(406, 'timestamp out of range');
      this.verify(p, acct, `retrieve${ns === 0 ? '' : ns}${ts}`);
    }
    const lastHash = typeof p.last_hash === 'string' && p.last_hash !== '' ? p.last_hash : undefined;
    const msgs = this.stores.get(me.info.swarmId!)!.get(toHex(acct.prefixed), ns, now, lastHash);
    return sortedJson({
      hf: [19, 3],
      messages: msgs.map((m) => ({ data: b64(m.data), expiry: m.expiry, hash: m.hash, timestamp: m.timestamp })),
      more: false,
      t: now,
    });
  }

  // ---- v4 test server ----------------------------------------------------------------------

  private async handleServer(
    secretKey: Uint8Array,
    publicKey: Uint8Array,
    log: LoopbackServer['requests'],
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    try {
      const frame = await LoopbackNetwork.body(req);
      const opened = await openOnionLayer(secretKey, frame, { nodeX25519PublicKey: publicKey });
      const { info, body } = decodeV4Request(opened.plaintext);
      const text = body ? Buffer.from(body).toString('utf8') : '';
      log.push({ method: String(info.method), endpoint: String(info.endpoint), body: text });
      const out = encodeV4Response(
        { status: 200, headers: { 'content-type': 'application/json' } },
        utf8(JSON.stringify({ echo: text, endpoint: info.endpoint, method: info.method })),
      );
      const enc = await hopEncrypt(opened.encType, secretKey, opened.ephemeralKey, out, { server: true, localPublicKey: publicKey });
      LoopbackNetwork.send(res, 200, enc);
    } catch {
      LoopbackNetwork.send(res, 400, 'Invalid request');
    }
  }
}
