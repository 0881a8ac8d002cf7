/**
 * Onion v4 request and response bodies for HTTP servers such as SOGS and the file server
 * (spec/onion.md §2.5, §3.2): a bencoded list `[info JSON, body?]` of byte strings.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { bdecode, bencode, isBBytes, isBList } from '../util/bencode.js';
import { utf8 } from '../util/bytes.js';
import { isJsonObject, parseJsonObject, sortedJson, type JsonObject } from './json.js';

/**
 * An HTTP request carried inside an onion v4 payload.
 *
 * @example
 * ```ts
 * const request: V4Request = { method: 'GET', endpoint: '/room/lokinet/messages/recent?limit=25', headers: sogsHeaders };
 * const res = await client.serverRequest(destination, request);
 * ```
 */
export interface V4Request {
  /** HTTP method, e.g. `'GET'`, `'POST'`. */
  method: string;
  /** Path and query on the server, e.g. `'/room/x/messages/recent'`. */
  endpoint: string;
  /** Request headers, e.g. the `X-SOGS-*` authentication headers. */
  headers?: Record<string, string>;
  /** Omitted from the encoding when undefined. Text is sent as UTF-8. */
  body?: Uint8Array | string;
}

/**
 * The server's answer inside an onion v4 response.
 *
 * @example
 * ```ts
 * const { status, headers, body }: V4Response = await readServerResponse(req, res.status, res.body);
 * if (status === 200 && headers['content-type'] === 'application/json') console.log(JSON.parse(new TextDecoder().decode(body!)));
 * ```
 */
export interface V4Response {
  /** The HTTP status (`code` of the info JSON). */
  status: number;
  /** Response headers as the server sent them (lower-case names by convention). */
  headers: Record<string, string>;
  /** The body, or undefined when the list had no second element. */
  body: Uint8Array | undefined;
  /** The whole info JSON. */
  info: JsonObject;
}

const METHOD_RE = /^[A-Za-z]{1,16}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x1f\x7f]/;

function checkRequest(req: V4Request): void {
  if (typeof req !== 'object' || req === null) throw new SessionSdkError('INVALID_INPUT', 'v4 request must be an object');
  if (typeof req.method !== 'string' || !METHOD_RE.test(req.method)) throw new SessionSdkError('INVALID_INPUT', 'v4 request method must be an HTTP method name');
  if (typeof req.endpoint !== 'string' || req.endpoint.length === 0 || CONTROL_RE.test(req.endpoint)) {
    throw new SessionSdkError('INVALID_INPUT', 'v4 request endpoint must be a non-empty path without control characters');
  }
  if (req.headers !== undefined) {
    if (!isJsonObject(req.headers)) throw new SessionSdkError('INVALID_INPUT', 'v4 request headers must be an object of strings');
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v !== 'string' || k.length === 0 || CONTROL_RE.test(k) || CONTROL_RE.test(v)) {
        throw new SessionSdkError('INVALID_INPUT', 'v4 request headers must be non-empty names with string values and no control characters');
      }
    }
  }
  if (req.body !== undefined && typeof req.body !== 'string' && !(req.body instanceof Uint8Array)) {
    throw new SessionSdkError('INVALID_INPUT', 'v4 request body must be a Uint8Array or a string');
  }
}

/**
 * Encodes an HTTP request as an onion v4 payload `l<len>:<info JSON>[<len>:<body>]e`.
 *
 * `style: 'libsession'` (default) writes the info JSON with sorted keys, forces a leading `/` on
 * the endpoint, drops any `User-Agent` header and adds `Content-Type: application/json` when a
 * body is present without a content type (libsession's rules). `style: 'desktop'` writes
 * `{"method","endpoint","headers"}` in that order with the headers exactly as given, like
 * session-desktop. Servers accept both.
 *
 * @example
 * ```ts
 * const payload = encodeV4Request({ method: 'GET', endpoint: '/capabilities' });
 * ```
 */
export function encodeV4Request(request: V4Request, opts: { style?: 'libsession' | 'desktop' } = {}): Uint8Array {
  checkRequest(request);
  const body = typeof request.body === 'string' ? utf8(request.body) : request.body;
  let info: string;
  if (opts.style === 'desktop') {
    for (const s of [request.method, request.endpoint, ...Object.entries(request.headers ?? {}).flat()]) sortedJson(s); // rejects lone surrogates
    info = JSON.stringify({ method: request.method, endpoint: request.endpoint, headers: request.headers ?? {} });
  } else if (opts.style === undefined || opts.style === 'libsession') {
    const headers: Record<string, string> = {};
    let hasContentType = false;
    for (const [k, v] of Object.entries(request.headers ?? {})) {
      const lower = k.toLowerCase();
      if (lower === 'user-agent') continue;
      if (lower === 'content-type') hasContentType = true;
      headers[k] = v;
    }
    if (body !== undefined && !hasContentType) headers['Content-Type'] = 'application/json';
    const endpoint = request.endpoint.startsWith('/') ? request.endpoint : `/${request.endpoint}`;
    info = sortedJson({ endpoint, headers, method: request.method });
  } else {
    throw new SessionSdkError('INVALID_INPUT', "style must be 'libsession' or 'desktop'");
  }
  return bencode(body === undefined ? [utf8(info)] : [utf8(info), body]);
}

function decodeV4List(bytes: Uint8Array, what: string): { info: JsonObject; body: Uint8Array | undefined } {
  if (!(bytes instanceof Uint8Array)) throw new SessionSdkError('INVALID_INPUT', `${what} must be a Uint8Array`);
  const v = bdecode(bytes);
  if (!isBList(v) || v.length < 1 || v.length > 2 || !v.every(isBBytes)) {
    throw new SessionSdkError('INVALID_ENCODING', `${what} must be a bencoded list of one or two byte strings`);
  }
  return { info: parseJsonObject(v[0] as Uint8Array, `${what} info`), body: v[1] as Uint8Array | undefined };
}

/**
 * Decodes an onion v4 request payload (what a server behind the last hop receives).
 *
 * @example
 * ```ts
 * const { info, body } = decodeV4Request(payload); info.endpoint;
 * ```
 */
export function decodeV4Request(payload: Uint8Array): { info: JsonObject; body: Uint8Array | undefined } {
  const r = decodeV4List(payload, 'v4 request');
  if (typeof r.info.method !== 'string' || typeof r.info.endpoint !== 'string') {
    throw new SessionSdkError('INVALID_ENCODING', 'v4 request info needs string "method" and "endpoint"');
  }
  return r;
}

/**
 * Encodes a server's onion v4 response plaintext `[{"code":…,"headers":{…}}, body?]`
 * (sorted-key JSON, as libsession-based servers write it).
 *
 * @example
 * ```ts
 * encodeV4Response({ status: 200, headers: { 'content-type': 'application/json' } }, new TextEncoder().encode('{}'));
 * ```
 */
export function encodeV4Response(res: { status: number; headers?: Record<string, string> }, body?: Uint8Array): Uint8Array {
  if (!Number.isInteger(res.status) || res.status < 100 || res.status > 999) throw new SessionSdkError('INVALID_INPUT', 'v4 response status must be an HTTP status code');
  const info = sortedJson(res.headers === undefined ? { code: res.status } : { code: res.status, headers: res.headers });
  return bencode(body === undefined ? [utf8(info)] : [utf8(info), body]);
}

/**
 * Decodes an onion v4 response plaintext (spec/onion.md §3.2). Throws `INVALID_ENCODING` unless
 * it is a bencoded list `[info JSON object with integer "code", body?]`.
 *
 * @example
 * ```ts
 * const { status, body } = decodeV4Response(plaintext);
 * ```
 */
export function decodeV4Response(plaintext: Uint8Array): V4Response {
  const { info, body } = decodeV4List(plaintext, 'v4 response');
  const code = info.code;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 999) {
    throw new SessionSdkError('INVALID_ENCODING', 'v4 response info needs an integer "code"');
  }
  const headers: Record<string, string> = {};
  if (isJsonObject(info.headers)) {
    for (const [k, v] of Object.entries(info.headers)) if (typeof v === 'string') headers[k] = v;
  }
  return { status: code, headers, body, info };
}
