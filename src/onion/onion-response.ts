/**
 * Reading onion replies (spec/onion.md §3): the destination's answer comes back encrypted with the
 * innermost layer's key (base64 `{"body","status"}` JSON from a snode, a raw bencoded v4 list from
 * a server); failures on the path arrive as plaintext HTTP errors, or — for a layer a hop could
 * not parse — encrypted with that hop's own layer key. Every failure maps to a typed
 * {@link OnionRelayError} that says which node and what to do.
 * @module
 */
import { SessionSdkError, isSessionSdkError, type SessionSdkErrorCode } from '../errors.js';
import { assertBytes, fromUtf8, toHex } from '../util/bytes.js';
import { fromBase64 } from './base64.js';
import { decryptWithHopKey, deriveHopKey, type OnionEncType, type X25519KeyPair } from './hop.js';
import { isJsonObject, parseJson, parseJsonObject } from './json.js';
import { recallReplyKey } from './reply-keys.js';
import type { OnionLayerKey } from './onion-request.js';
import { parseServiceNodeList, type ServiceNode } from './snode-pool.js';
import { decodeV4Response, type V4Response } from './v4.js';

/**
 * Where an onion failure happened: a relay on the path, or the destination itself.
 *
 * @example
 * ```ts
 * if (e instanceof OnionRelayError && e.source === ('path' satisfies OnionErrorSource)) rebuildPath();
 * ```
 */
export type OnionErrorSource = 'path' | 'destination';

/**
 * Details carried by an {@link OnionRelayError}.
 *
 * @example
 * ```ts
 * const details: OnionRelayErrorDetails = { status: 502, source: 'path', node: namedKeyHex };
 * const err = new OnionRelayError('NODE_NOT_FOUND', 'next node not found', details);
 * ```
 */
export interface OnionRelayErrorDetails {
  /** HTTP status of the failure (from the relay, or the destination inside the reply). */
  status: number;
  /** Whether a relay on the path or the destination failed. */
  source: OnionErrorSource;
  /** Ed25519 key (hex) of the node the error names or came from, when known. */
  node?: string | undefined;
  /** For `WRONG_SWARM`: the swarm the storage server says is right (may be empty if unparsable). */
  swarm?: ServiceNode[] | undefined;
  /** Index into `layerKeys` of the hop that encrypted the error (encrypted relay errors only). */
  layer?: number | undefined;
  /** The error body as text (at most 4096 characters). */
  body?: string | undefined;
}

/**
 * A failed onion request, with the HTTP status and the node involved. A subclass of
 * {@link SessionSdkError}: `code` is `NODE_NOT_FOUND`, `SERVICE_UNAVAILABLE`, `TIMEOUT`,
 * `WRONG_SWARM`, `CLOCK_SKEW` or `ONION_ERROR`.
 *
 * @example
 * ```ts
 * catch (e) {
 *   if (e instanceof OnionRelayError && e.code === 'WRONG_SWARM') cache.setSwarm(pubkey, e.swarm ?? []);
 *   if (e instanceof OnionRelayError && e.code === 'NODE_NOT_FOUND') pool.remove(e.node!);
 * }
 * ```
 */
export class OnionRelayError extends SessionSdkError {
  readonly status: number;
  readonly source: OnionErrorSource;
  readonly node: string | undefined;
  readonly swarm: ServiceNode[] | undefined;
  readonly layer: number | undefined;
  readonly body: string | undefined;

  /**
   * Wraps a failure with its details. The SDK builds these (usually via `onionErrorFromStatus`);
   * a custom transport or a test double may construct one directly.
   *
   * @example
   * ```ts
   * throw new OnionRelayError('SERVICE_UNAVAILABLE', 'guard is not ready', { status: 503, source: 'path', node: guard.ed25519Hex });
   * ```
   */
  constructor(code: SessionSdkErrorCode, message: string, details: OnionRelayErrorDetails) {
    super(code, message);
    this.name = 'OnionRelayError';
    this.status = details.status;
    this.source = details.source;
    this.node = details.node;
    this.swarm = details.swarm;
    this.layer = details.layer;
    this.body = details.body;
  }
}

/**
 * A service node's decoded reply (spec/onion.md §3.1).
 *
 * @example
 * ```ts
 * const { status, body }: SnodeResponse = await readSnodeResponse(req, res.status, res.body);
 * if (status === 200) console.log(JSON.parse(body));
 * ```
 */
export interface SnodeResponse {
  /** The destination's HTTP-like status (200 on success). */
  status: number;
  /** The RPC result as text (usually JSON: `JSON.parse(body)`). */
  body: string;
}

/**
 * The parts of an {@link OnionRequest} needed to read its reply.
 *
 * @example
 * ```ts
 * const keys: OnionResponseKeys = req; // an OnionRequest carries every field
 * const reply = await readSnodeResponse(keys, res.status, res.body);
 * ```
 */
export interface OnionResponseKeys {
  /** The cipher the request used. */
  encType: OnionEncType;
  /** The innermost layer key pair; the reply is encrypted to it. */
  finalEphemeral: X25519KeyPair;
  /** The destination's X25519 key, the other half of the reply key. */
  destinationX25519PublicKey: Uint8Array;
  /** With these, replies encrypted by a relay (`400 Invalid json` / `Invalid url`) are readable. */
  layerKeys?: OnionLayerKey[];
}

const MAX_BODY_TEXT = 4096;
const NODE_RE = /([0-9a-fA-F]{64})/;

function bodyText(body: Uint8Array | string): string {
  if (typeof body === 'string') return body.slice(0, MAX_BODY_TEXT);
  try {
    return fromUtf8(body.subarray(0, MAX_BODY_TEXT));
  } catch {
    return `<${body.length} bytes of binary>`;
  }
}

/** A short printable excerpt for messages; the body comes from the network. */
function excerpt(text: string): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

/**
 * Maps a non-2xx status and body to a typed {@link OnionRelayError} (spec/onion.md §3.1, §5.3):
 * 502 `Next node not found: <key>` → `NODE_NOT_FOUND` (with `node`), 503 → `SERVICE_UNAVAILABLE`,
 * 504 → `TIMEOUT`, 421 → `WRONG_SWARM` (with the new `swarm`), 406/425 → `CLOCK_SKEW`, anything
 * else → `ONION_ERROR`. Returns `undefined` for 2xx.
 *
 * @example
 * ```ts
 * const err = onionErrorFromStatus(res.status, res.body, { source: 'path' });
 * if (err) throw err;
 * ```
 */
export function onionErrorFromStatus(
  status: number,
  body: Uint8Array | string,
  opts: { source?: OnionErrorSource; node?: string; layer?: number } = {},
): OnionRelayError | undefined {
  if (!Number.isInteger(status)) throw new SessionSdkError('INVALID_INPUT', 'HTTP status must be an integer');
  if (status >= 200 && status < 300) return undefined;
  const source = opts.source ?? 'path';
  const text = bodyText(body);
  const named = NODE_RE.exec(text)?.[1]?.toLowerCase();
  const where = source === 'path' ? 'a relay on the onion path' : 'the destination';
  const d = (node: string | undefined, extra: Partial<OnionRelayErrorDetails> = {}): OnionRelayErrorDetails => ({
    status,
    source,
    node,
    body: text,
    layer: opts.layer,
    ...extra,
  });
  switch (status) {
    case 502:
      if (named && /next node/i.test(text)) {
        return new OnionRelayError(
          'NODE_NOT_FOUND',
          `${where} could not reach the next node ${named} (HTTP 502: ${excerpt(text)}); drop that node from the pool and rebuild the paths that use it (count a strike against the path too)`,
          d(named),
        );
      }
      break;
    case 503:
      return new OnionRelayError(
        'SERVICE_UNAVAILABLE',
        named
          ? `service node ${named} is not ready (HTTP 503); strike it and retry through another node`
          : `${where}${opts.node ? ` (${opts.node})` : ''} is busy or not ready (HTTP 503: ${excerpt(text)}); retry later or through another path`,
        d(named ?? opts.node),
      );
    case 504:
      return new OnionRelayError('TIMEOUT', `${where}${opts.node ? ` (${opts.node})` : ''} timed out (HTTP 504); retry, and rebuild the path if it keeps happening`, d(opts.node));
    case 421: {
      let swarm: ServiceNode[] | undefined;
      try {
        swarm = parseServiceNodeList(parseJson(text, 'wrong-swarm body'));
      } catch {
        swarm = undefined;
      }
      return new OnionRelayError(
        'WRONG_SWARM',
        `${opts.node ? `node ${opts.node}` : where} is not in this account's swarm (HTTP 421); ${swarm?.length ? `replace the cached swarm with the ${swarm.length} nodes returned` : 'refresh the swarm'} and retry`,
        d(opts.node, { swarm }),
      );
    }
    case 406:
    case 425:
      return new OnionRelayError(
        'CLOCK_SKEW',
        `${where}${opts.node ? ` (${opts.node})` : ''} rejected the request timestamp (HTTP ${status}); the local clock is off: resync with the server time (ServerClock) and sign the request again`,
        d(opts.node),
      );
    default:
      break;
  }
  return new OnionRelayError('ONION_ERROR', `${where}${opts.node ? ` (${opts.node})` : ''} answered HTTP ${status}: ${excerpt(text)}`, d(named ?? opts.node));
}

function checkKeys(k: OnionResponseKeys): void {
  if (typeof k !== 'object' || k === null) throw new SessionSdkError('INVALID_INPUT', 'response keys must be the onion request (or its encType, finalEphemeral, destinationX25519PublicKey)');
  if (typeof k.finalEphemeral !== 'object' || k.finalEphemeral === null) throw new SessionSdkError('INVALID_INPUT', 'finalEphemeral must be { publicKey, secretKey }');
}

/**
 * Decrypts a raw onion reply (`nonce/IV ‖ ciphertext ‖ tag`) with the innermost layer's key.
 * As libsession does, an xchacha20 request's reply is also tried as aes-gcm (legacy servers
 * answer in aes-gcm) unless `aesGcmFallback: false`. Throws `DECRYPT_FAILED`.
 *
 * @example
 * ```ts
 * const plain = await decryptOnionResponse(req.encType, req.finalEphemeral, req.destinationX25519PublicKey, body);
 * ```
 */
export async function decryptOnionResponse(
  encType: OnionEncType,
  finalEphemeral: X25519KeyPair,
  destinationX25519PublicKey: Uint8Array,
  body: Uint8Array,
  opts: { aesGcmFallback?: boolean } = {},
): Promise<Uint8Array> {
  if (typeof finalEphemeral !== 'object' || finalEphemeral === null) throw new SessionSdkError('INVALID_INPUT', 'finalEphemeral must be { publicKey, secretKey }');
  assertBytes(body, 'onion response');
  const { secretKey, publicKey } = finalEphemeral;
  const open = async (e: OnionEncType): Promise<Uint8Array> => {
    const key = recallReplyKey(secretKey, destinationX25519PublicKey, e) ?? (await deriveHopKey(e, secretKey, publicKey, destinationX25519PublicKey, false));
    try {
      return await decryptWithHopKey(e, key, body);
    } finally {
      key.fill(0);
    }
  };
  try {
    return await open(encType);
  } catch (e) {
    if (encType !== 'xchacha20' || opts.aesGcmFallback === false || !isSessionSdkError(e, 'DECRYPT_FAILED')) throw e;
    try {
      return await open('aes-gcm');
    } catch {
      throw e;
    }
  }
}

/**
 * The encrypted bytes of a snode's HTTP reply body: the `{"result":"<base64>"}` wrapper is
 * unwrapped if present, then the base64 decoded (spec/onion.md §3.1). Throws `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const encrypted = decodeV3ResponseBody(await res.text());
 * ```
 */
export function decodeV3ResponseBody(httpBody: Uint8Array | string): Uint8Array {
  if (typeof httpBody !== 'string') assertBytes(httpBody, 'onion response body');
  let text = typeof httpBody === 'string' ? httpBody : fromUtf8(httpBody);
  text = text.trim();
  if (text.startsWith('{')) {
    const j = parseJson(text, 'onion response wrapper');
    if (!isJsonObject(j) || typeof j.result !== 'string') throw new SessionSdkError('INVALID_ENCODING', 'onion response JSON wrapper lacks a string "result"');
    text = j.result;
  }
  return fromBase64(text, 'onion response');
}

/**
 * Parses a decrypted snode reply `{"body":…,"status":…}` (spec/onion.md §3.1): status is
 * `status_code` when numeric, else `status`; body is `body` when it is a string, else the whole
 * JSON text. Throws `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const { status, body } = parseV3ResponsePlaintext(plaintext);
 * ```
 */
export function parseV3ResponsePlaintext(plaintext: Uint8Array): SnodeResponse {
  assertBytes(plaintext, 'onion response plaintext');
  const text = fromUtf8(plaintext);
  const j = parseJsonObject(text, 'onion response plaintext');
  const status = typeof j.status_code === 'number' ? j.status_code : j.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 999) {
    throw new SessionSdkError('INVALID_ENCODING', 'onion response plaintext has no integer "status"');
  }
  return { status, body: typeof j.body === 'string' ? j.body : text };
}

/**
 * Tries to read a reply that a *relay* encrypted with its own layer key (storage server
 * `400 Invalid json` / `400 Invalid url`, spec/onion.md §3.1). Returns the hop's index in
 * `layerKeys` and its decoded reply, or `undefined` when no layer key opens it.
 *
 * @example
 * ```ts
 * const hit = await readEncryptedRelayError(req, body); // { layer: 1, response: { status: 400, body: 'Invalid url' } }
 * ```
 */
export async function readEncryptedRelayError(
  keys: Pick<OnionResponseKeys, 'encType' | 'layerKeys'>,
  httpBody: Uint8Array | string,
  opts: { skipInnermost?: boolean } = {},
): Promise<{ layer: number; response: SnodeResponse } | undefined> {
  if (!Array.isArray(keys?.layerKeys)) return undefined;
  let blob: Uint8Array;
  try {
    blob = decodeV3ResponseBody(httpBody);
  } catch {
    return undefined;
  }
  for (let i = opts.skipInnermost ? 1 : 0; i < keys.layerKeys.length; i++) {
    const k = keys.layerKeys[i]!;
    try {
      const plain = await decryptOnionResponse(keys.encType, { publicKey: k.ephemeralPublicKey, secretKey: k.ephemeralSecretKey }, k.remoteX25519PublicKey, blob);
      return { layer: i, response: parseV3ResponsePlaintext(plain) };
    } catch {
      // not this hop's key
    }
  }
  return undefined;
}

async function relayErrorOrThrow(keys: OnionResponseKeys, httpBody: Uint8Array | string, cause: unknown): Promise<never> {
  const hit = await readEncryptedRelayError(keys, httpBody, { skipInnermost: true });
  if (hit) {
    const k = keys.layerKeys![hit.layer]!;
    const node = k.remoteEd25519PublicKey ? toHex(k.remoteEd25519PublicKey) : undefined;
    const hop = keys.layerKeys!.length - 1 - hit.layer; // 0 = guard
    const err = onionErrorFromStatus(hit.response.status === 200 ? 500 : hit.response.status, hit.response.body, { source: 'path', node, layer: hit.layer });
    throw new OnionRelayError(
      err!.code,
      `path hop ${hop}${node ? ` (${node})` : ''} rejected its layer: HTTP ${hit.response.status} ${excerpt(hit.response.body)}; the request was malformed for that hop (bad routing JSON or a server target it will not proxy)`,
      { status: hit.response.status, source: 'path', node, layer: hit.layer, body: hit.response.body },
    );
  }
  throw cause;
}

/**
 * Reads the HTTP reply to an onion request for a **service node** (spec/onion.md §3.1): a non-200
 * from the guard is a plaintext path error; a 200 body is unwrapped, base64-decoded, decrypted and
 * parsed. A destination status outside 2xx throws an {@link OnionRelayError} (421 with the new
 * swarm, 406 clock skew, …) unless `throwOnError: false`. A reply encrypted by a relay is
 * recognised when the request's `layerKeys` are given.
 *
 * @example
 * ```ts
 * const res = await transport.post(guard, req.wire);
 * const { status, body } = await readSnodeResponse(req, res.status, res.body);
 * ```
 */
export async function readSnodeResponse(
  keys: OnionResponseKeys,
  httpStatus: number,
  httpBody: Uint8Array | string,
  opts: { throwOnError?: boolean; destination?: string } = {},
): Promise<SnodeResponse> {
  checkKeys(keys);
  if (typeof httpBody !== 'string') assertBytes(httpBody, 'snode response body');
  if (httpStatus !== 200) {
    const relay = onionErrorFromStatus(httpStatus, httpBody, { source: 'path' });
    if (relay) throw relay;
  }
  let plain: Uint8Array;
  try {
    plain = await decryptOnionResponse(keys.encType, keys.finalEphemeral, keys.destinationX25519PublicKey, decodeV3ResponseBody(httpBody));
  } catch (e) {
    if (!isSessionSdkError(e)) throw e;
    return relayErrorOrThrow(keys, httpBody, e);
  }
  const res = parseV3ResponsePlaintext(plain);
  if (opts.throwOnError !== false) {
    const err = onionErrorFromStatus(res.status, res.body, { source: 'destination', ...(opts.destination ? { node: opts.destination } : {}) });
    if (err) throw err;
  }
  return res;
}

/**
 * Reads the HTTP reply to an onion v4 request for an **HTTP server** (spec/onion.md §3.2): a
 * non-200 from the guard is a plaintext path error; a 200 body is the raw encrypted bencoded
 * `[info, body]`. A server status outside 2xx throws an {@link OnionRelayError} (425 → clock
 * skew) unless `throwOnError: false`.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await readServerResponse(req, res.status, res.body);
 * ```
 */
export async function readServerResponse(
  keys: OnionResponseKeys,
  httpStatus: number,
  httpBody: Uint8Array,
  opts: { throwOnError?: boolean } = {},
): Promise<V4Response> {
  checkKeys(keys);
  if (httpStatus !== 200) {
    const relay = onionErrorFromStatus(httpStatus, httpBody, { source: 'path' });
    if (relay) throw relay;
  }
  assertBytes(httpBody, 'onion response body');
  let plain: Uint8Array;
  try {
    plain = await decryptOnionResponse(keys.encType, keys.finalEphemeral, keys.destinationX25519PublicKey, httpBody);
  } catch (e) {
    if (!isSessionSdkError(e)) throw e;
    return relayErrorOrThrow(keys, httpBody, e);
  }
  const res = decodeV4Response(plain);
  if (opts.throwOnError !== false) {
    const err = onionErrorFromStatus(res.status, res.body ?? new Uint8Array(), { source: 'destination' });
    if (err) throw err;
  }
  return res;
}
