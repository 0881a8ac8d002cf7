/**
 * Building onion requests (spec/onion.md §2): the payload is sealed for the destination, then
 * wrapped once per path node from the last hop out to the guard, each layer carrying the routing
 * JSON that tells that node where to send the inner blob.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes, equalBytes, toHex, utf8, wipe } from '../util/bytes.js';
import { encodeOnionFrame, MAX_ONION_REQUEST_SIZE } from './frame.js';
import {
  deriveHopKey,
  encryptWithHopKey,
  HOP_NONCE_LENGTH,
  onionEphemeralKeyPair,
  releaseOnionEphemeral,
  type OnionEncType,
  type X25519KeyPair,
} from './hop.js';
import { sortedJsonBytes, type JsonInput } from './json.js';
import { rememberReplyKey } from './reply-keys.js';

/**
 * The two public keys of a service node that onion routing uses.
 *
 * @example
 * ```ts
 * const path: SnodeKeys[] = [guard, hop1, hop2]; // ServiceNode objects from the pool fit
 * const req = await buildOnionRequest({ encType: 'xchacha20', path, destination, payload });
 * ```
 */
export interface SnodeKeys {
  /** 32-byte Ed25519 identity key: names the node in the previous hop's routing JSON. */
  ed25519PublicKey: Uint8Array;
  /** 32-byte X25519 key the layer for this node is encrypted to. */
  x25519PublicKey: Uint8Array;
}

/**
 * A service node as the final destination (storage RPC).
 *
 * @example
 * ```ts
 * const destination: SnodeDestination = { type: 'snode', ...swarmNode };
 * ```
 */
export type SnodeDestination = { type: 'snode' } & SnodeKeys;

/**
 * An HTTP server (SOGS, file server) reached through the last path node.
 *
 * @example
 * ```ts
 * const destination: ServerDestination = {
 *   type: 'server', host: 'open.getsession.org', target: '/oxen/v4/lsrpc', protocol: 'https', x25519PublicKey: serverKey,
 * };
 * const req = await buildOnionRequest({ encType: 'xchacha20', path, destination, payload: encodeV4Request({ method: 'GET', endpoint: '/capabilities' }) });
 * ```
 */
export interface ServerDestination {
  /** Marks an HTTP-server destination. */
  type: 'server';
  /** Hostname or IP address the last path node connects to. */
  host: string;
  /** Must start with `/loki/` or `/oxen/`, end with `/lsrpc` and have no `?` (e.g. `/oxen/v4/lsrpc`). */
  target: string;
  /** Scheme the last path node uses to reach the server. */
  protocol: 'http' | 'https';
  /** Defaults to 443 for https, 80 for http. */
  port?: number;
  /** The server's 32-byte X25519 key the payload is sealed for. */
  x25519PublicKey: Uint8Array;
}

/**
 * Injected randomness for one layer — **test vectors only**.
 *
 * @example
 * ```ts
 * // test vectors only: one entry per layer, innermost (destination) first
 * const layers: OnionLayerSecrets[] = [{ ephemeralSecretKey: sk0, nonce: n0 }, { ephemeralSecretKey: sk1, nonce: n1 }];
 * const req = await buildOnionRequest({ encType: 'xchacha20', path: [guard], destination, payload, layers });
 * ```
 */
export interface OnionLayerSecrets {
  /** 32-byte X25519 secret key of the layer's ephemeral key pair. */
  ephemeralSecretKey: Uint8Array;
  /** Nonce of the layer (24 bytes for xchacha20, 12 for aes-gcm). */
  nonce: Uint8Array;
}

/**
 * The keys of one layer, kept so a reply encrypted by that hop (e.g. an encrypted
 * `400 Invalid json`, spec/onion.md §3.1) can be read. Same order as `layers`: innermost first.
 *
 * @example
 * ```ts
 * const guardLayer: OnionLayerKey = req.layerKeys[req.layerKeys.length - 1]!; // outermost: the guard's
 * const hit = await readEncryptedRelayError(req, body); // tries every layer key
 * ```
 */
export interface OnionLayerKey {
  /** 32-byte X25519 public key of the layer's ephemeral key pair (sent in the clear). */
  ephemeralPublicKey: Uint8Array;
  /** Its secret key. Wipe it with `wipeOnionRequest` when the request is done. */
  ephemeralSecretKey: Uint8Array;
  /** The X25519 key the layer was sealed for (destination, then last path node, …, guard). */
  remoteX25519PublicKey: Uint8Array;
  /** The Ed25519 key of that node; undefined for a server destination. */
  remoteEd25519PublicKey: Uint8Array | undefined;
}

/**
 * Options of {@link buildOnionRequest}.
 *
 * @example
 * ```ts
 * const opts: BuildOnionRequestOptions = { encType: 'xchacha20', path: [guard, hop1, hop2], destination, payload };
 * const req = await buildOnionRequest(opts);
 * ```
 */
export interface BuildOnionRequestOptions {
  /** Cipher for every layer and for the reply. */
  encType: OnionEncType;
  /** `path[0]` is the guard; at least one node. */
  path: SnodeKeys[];
  /** Where the payload goes after the last path node: a service node or an HTTP server. */
  destination: SnodeDestination | ServerDestination;
  /** Snode: the JSON-RPC body ({@link encodeSnodeRequest}); server: a v4 payload (`encodeV4Request`). */
  payload: Uint8Array;
  /**
   * Pins every layer's ephemeral secret and nonce, innermost first (`path.length + 1` entries).
   * **For reproducible test vectors only**: real requests must use fresh randomness.
   */
  layers?: OnionLayerSecrets[];
  /**
   * `'libsession'` (default): sorted compact JSON with `enc_type` everywhere and control JSON
   * `{"headers":""}`. `'desktop'`: session-desktop's format — no `enc_type` (so aes-gcm only),
   * control `{"body":null,"headers":{}}`; snode destinations only.
   */
  style?: 'libsession' | 'desktop';
}

/**
 * What {@link buildOnionRequest} returns.
 *
 * @example
 * ```ts
 * const req: OnionRequest = await buildOnionRequest({ encType: 'xchacha20', path, destination, payload });
 * const res = await transport.sendOnionRequest(path[0]!, req.wire);
 * const reply = await readSnodeResponse(req, res.status, res.body);
 * ```
 */
export interface OnionRequest {
  /** The body to POST to the guard (`/onion_req/v2`) or send as QUIC `onion_req`. */
  wire: Uint8Array;
  /** The key pair of the innermost layer; the reply is encrypted to it. */
  finalEphemeral: X25519KeyPair;
  /** The destination's X25519 key, needed with `finalEphemeral` to read the reply. */
  destinationX25519PublicKey: Uint8Array;
  /** Every layer's keys, innermost first (`layerKeys[0]` is the destination's). */
  layerKeys: OnionLayerKey[];
  /** The cipher the request used (the reply uses it too). */
  encType: OnionEncType;
}

/**
 * Relays refuse more than 15 hops (storage server `MAX_ONION_HOPS`, spec/onion.md §2.2).
 *
 * @example
 * ```ts
 * if (path.length > MAX_ONION_PATH_LENGTH) throw new Error('relays refuse paths this long');
 * ```
 */
export const MAX_ONION_PATH_LENGTH = 14;

// Hostname or IPv4/IPv6 literal: letters, digits, dot, dash, colon and brackets only.
const HOST_RE = /^[A-Za-z0-9.\-:[\]]{1,253}$/;

/**
 * Whether a storage server will forward to this target (spec/onion.md §2.3): it must start with
 * `/loki/` or `/oxen/`, end with `/lsrpc` and contain no `?`.
 *
 * @example
 * ```ts
 * isAllowedRelayTarget('/oxen/v4/lsrpc'); // true
 * ```
 */
export function isAllowedRelayTarget(target: string): boolean {
  return typeof target === 'string' && (target.startsWith('/loki/') || target.startsWith('/oxen/')) && target.endsWith('/lsrpc') && !target.includes('?');
}

function checkSnodeKeys(k: SnodeKeys, what: string): void {
  if (typeof k !== 'object' || k === null) throw new SessionSdkError('INVALID_INPUT', `${what} must be an object with ed25519PublicKey and x25519PublicKey`);
  assertBytes(k.ed25519PublicKey, `${what} Ed25519 public key`, 32, 'INVALID_KEY');
  assertBytes(k.x25519PublicKey, `${what} X25519 public key`, 32, 'INVALID_KEY');
}

function checkServer(d: ServerDestination): number {
  if (typeof d.host !== 'string' || !HOST_RE.test(d.host)) throw new SessionSdkError('INVALID_INPUT', 'server destination host must be a hostname or IP address');
  if (!isAllowedRelayTarget(d.target)) {
    throw new SessionSdkError('INVALID_INPUT', 'server destination target must start with /loki/ or /oxen/, end with /lsrpc and have no query (e.g. /oxen/v4/lsrpc)');
  }
  if (d.protocol !== 'http' && d.protocol !== 'https') throw new SessionSdkError('INVALID_INPUT', "server destination protocol must be 'http' or 'https'");
  const port = d.port ?? (d.protocol === 'https' ? 443 : 80);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SessionSdkError('INVALID_INPUT', 'server destination port must be an integer 1–65535');
  assertBytes(d.x25519PublicKey, 'server X25519 public key', 32, 'INVALID_KEY');
  return port;
}

/**
 * Builds an onion request (spec/onion.md §2.2 and §2.5) for a service node (v3 JSON payload,
 * control JSON `{"headers":""}`) or an HTTP server (v4 payload sealed without an inner frame, the
 * last hop routed by host/target/protocol/port). Routing JSON is compact with sorted keys, so the
 * bytes equal libsession's for the same keys and nonces.
 *
 * @example
 * ```ts
 * const req = await buildOnionRequest({
 *   encType: 'xchacha20', path: [guard, hop1, hop2],
 *   destination: { type: 'snode', ...swarmNode }, payload: encodeSnodeRequest('info', {}),
 * });
 * // POST req.wire to the guard, then readSnodeResponse(req, httpStatus, body)
 * ```
 */
export async function buildOnionRequest(opts: BuildOnionRequestOptions): Promise<OnionRequest> {
  if (typeof opts !== 'object' || opts === null) throw new SessionSdkError('INVALID_INPUT', 'buildOnionRequest needs an options object');
  const { encType, path, destination, payload, layers } = opts;
  if (encType !== 'xchacha20' && encType !== 'aes-gcm') throw new SessionSdkError('INVALID_INPUT', "encType must be 'xchacha20' or 'aes-gcm'");
  const style = opts.style ?? 'libsession';
  if (style !== 'libsession' && style !== 'desktop') throw new SessionSdkError('INVALID_INPUT', "style must be 'libsession' or 'desktop'");
  if (!Array.isArray(path) || path.length < 1) throw new SessionSdkError('INVALID_INPUT', 'onion path needs at least one node (the guard)');
  if (path.length > MAX_ONION_PATH_LENGTH) throw new SessionSdkError('INVALID_INPUT', `onion path longer than ${MAX_ONION_PATH_LENGTH} nodes is refused by relays`);
  path.forEach((n, i) => checkSnodeKeys(n, `path[${i}]`));
  for (let i = 0; i < path.length; i++) {
    for (let j = i + 1; j < path.length; j++) {
      if (equalBytes(path[i]!.ed25519PublicKey, path[j]!.ed25519PublicKey)) throw new SessionSdkError('INVALID_INPUT', `onion path repeats a node (path[${i}] and path[${j}])`);
    }
  }
  assertBytes(payload, 'onion payload');
  if (payload.length > MAX_ONION_REQUEST_SIZE) throw new SessionSdkError('TOO_LARGE', `onion payload exceeds ${MAX_ONION_REQUEST_SIZE} bytes`);
  if (typeof destination !== 'object' || destination === null) throw new SessionSdkError('INVALID_INPUT', 'onion destination is required');
  let serverPort = 0;
  if (destination.type === 'snode') {
    checkSnodeKeys(destination, 'destination');
    if (path.some((n) => equalBytes(n.ed25519PublicKey, destination.ed25519PublicKey))) {
      throw new SessionSdkError('INVALID_INPUT', 'the destination snode must not be one of the path nodes');
    }
  } else if (destination.type === 'server') {
    serverPort = checkServer(destination);
    if (style === 'desktop') throw new SessionSdkError('INVALID_INPUT', "style 'desktop' is only defined for snode destinations");
  } else {
    throw new SessionSdkError('INVALID_INPUT', "destination.type must be 'snode' or 'server'");
  }
  if (style === 'desktop' && encType !== 'aes-gcm') {
    throw new SessionSdkError('INVALID_INPUT', "style 'desktop' omits enc_type, which receivers read as aes-gcm: use encType 'aes-gcm'");
  }
  const nLayers = path.length + 1;
  if (layers !== undefined) {
    if (!Array.isArray(layers) || layers.length !== nLayers) throw new SessionSdkError('INVALID_INPUT', `layers must have path.length + 1 = ${nLayers} entries`);
    layers.forEach((l, i) => {
      assertBytes(l?.ephemeralSecretKey, `layers[${i}].ephemeralSecretKey`, 32, 'INVALID_KEY');
      assertBytes(l.nonce, `layers[${i}].nonce`, HOP_NONCE_LENGTH[encType]);
    });
  }

  // Layer i is sealed for remotes[i]: the destination, then the path from its end to the guard.
  const remotes: { x: Uint8Array; ed: Uint8Array | undefined }[] = [
    { x: destination.x25519PublicKey, ed: destination.type === 'snode' ? destination.ed25519PublicKey : undefined },
  ];
  for (let i = path.length - 1; i >= 0; i--) remotes.push({ x: path[i]!.x25519PublicKey, ed: path[i]!.ed25519PublicKey });

  // Key agreement for all layers is independent of the data, so it runs concurrently (the native
  // provider can overlap the scalar multiplications); only the sealing below is sequential.
  const ephemerals = await Promise.all(remotes.map((_, i) => onionEphemeralKeyPair(layers?.[i]!.ephemeralSecretKey)));
  const settled = await Promise.allSettled(remotes.map((r, i) => deriveHopKey(encType, ephemerals[i]!.secretKey, ephemerals[i]!.publicKey, r.x, false)));
  const keys = settled.flatMap((k) => (k.status === 'fulfilled' ? [k.value] : []));
  let ok = false;
  try {
    const failed = settled.find((k): k is PromiseRejectedResult => k.status === 'rejected');
    if (failed) throw failed.reason;
    const route = (fields: Record<string, JsonInput>): Uint8Array => {
      if (style === 'desktop') {
        delete fields.enc_type;
        // session-desktop: JSON.stringify in insertion order (destination, ephemeral_key).
        return utf8(JSON.stringify(fields));
      }
      return sortedJsonBytes(fields);
    };
    const inner =
      destination.type === 'snode'
        ? encodeOnionFrame(payload, utf8(style === 'desktop' ? '{"body":null,"headers":{}}' : '{"headers":""}'))
        : payload;
    let blob = await encryptWithHopKey(encType, keys[0]!, inner, layers?.[0]!.nonce);
    let routing =
      destination.type === 'snode'
        ? route({ destination: toHex(destination.ed25519PublicKey), enc_type: encType, ephemeral_key: toHex(ephemerals[0]!.publicKey) })
        : route({
            enc_type: encType,
            ephemeral_key: toHex(ephemerals[0]!.publicKey),
            host: destination.host,
            method: 'POST',
            port: serverPort,
            protocol: destination.protocol,
            target: destination.target,
          });
    for (let i = 1; i < nLayers; i++) {
      blob = await encryptWithHopKey(encType, keys[i]!, encodeOnionFrame(blob, routing), layers?.[i]!.nonce);
      routing = route({ destination: toHex(remotes[i]!.ed!), enc_type: encType, ephemeral_key: toHex(ephemerals[i]!.publicKey) });
    }
    const last = ephemerals[nLayers - 1]!;
    const outer = style === 'desktop' ? utf8(JSON.stringify({ ephemeral_key: toHex(last.publicKey) })) : sortedJsonBytes({ enc_type: encType, ephemeral_key: toHex(last.publicKey) });
    const wire = encodeOnionFrame(blob, outer);
    rememberReplyKey(ephemerals[0]!.secretKey, destination.x25519PublicKey, encType, keys[0]!);
    const result: OnionRequest = {
      wire,
      finalEphemeral: ephemerals[0]!,
      destinationX25519PublicKey: new Uint8Array(destination.x25519PublicKey),
      layerKeys: ephemerals.map((e, i) => ({
        ephemeralPublicKey: e.publicKey,
        ephemeralSecretKey: e.secretKey,
        remoteX25519PublicKey: new Uint8Array(remotes[i]!.x),
        remoteEd25519PublicKey: remotes[i]!.ed && new Uint8Array(remotes[i]!.ed!),
      })),
      encType,
    };
    ok = true;
    return result;
  } finally {
    wipe(...keys);
    // On failure nothing is returned, so nobody else can wipe the layer secrets.
    if (!ok) for (const e of ephemerals) releaseOnionEphemeral(e.secretKey);
  }
}

/**
 * The JSON-RPC body for a service-node destination (spec/onion.md §2.4):
 * `{"method":…,"params":…}` as compact sorted-key JSON (libsession's bytes). For `batch`, pass
 * `{ requests: [{ method, params }, …] }` as params.
 *
 * @example
 * ```ts
 * const r = await buildRetrieveRequest({ auth, namespace: 0, clock });
 * const payload = encodeSnodeRequest(r.method, r.params);
 * ```
 */
export function encodeSnodeRequest(method: string, params: Record<string, JsonInput | undefined>): Uint8Array {
  if (typeof method !== 'string' || !/^[a-z_]{1,64}$/.test(method)) throw new SessionSdkError('INVALID_INPUT', 'snode RPC method must be a lower-case name like "retrieve"');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new SessionSdkError('INVALID_INPUT', 'snode RPC params must be an object');
  return sortedJsonBytes({ method, params: params as JsonInput });
}

/**
 * Wipes every ephemeral secret of a request (they also serve `finalEphemeral`), once its reply has
 * been read or abandoned.
 *
 * @example
 * ```ts
 * try { return await readSnodeResponse(req, res.status, res.body); } finally { wipeOnionRequest(req); }
 * ```
 */
export function wipeOnionRequest(req: Pick<OnionRequest, 'finalEphemeral' | 'layerKeys'>): void {
  for (const sk of [req.finalEphemeral?.secretKey, ...(req.layerKeys ?? []).map((k) => k.ephemeralSecretKey)]) {
    if (sk) releaseOnionEphemeral(sk);
  }
}
