/**
 * Request authentication for community servers (spec/identity-envelope.md §4.4) and the
 * version-check server (§4.5).
 *
 * Every SOGS request carries `X-SOGS-Pubkey`, `X-SOGS-Timestamp`, `X-SOGS-Nonce` and
 * `X-SOGS-Signature`; the signature covers
 * `serverPk ‖ nonce ‖ timestamp ‖ METHOD ‖ path [‖ BLAKE2b-64(body)]`.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, randomBytes, toHex, utf8 } from '../util/bytes.js';
import { ed25519SignSync } from '../crypto/noble.js';
import { expandSecretKey, parseServerPublicKey, wipeExpandedKey, type ExpandedSecretKey, type ServerPublicKey } from './blinding-inputs.js';
import { blind15Scalar, blind25Scalar } from './blinding-core.js';
import { blind15SignWith, blind25SignWith, type Blind15NonceVariant } from './blind-sign-core.js';
import { versionBlindKeyPair } from './blinding.js';

/**
 * How the request is signed: with the blind15 key (what Session clients use), blind25, or the real key (`00`).
 *
 * @example
 * ```ts
 * const mode: SogsAuthMode = 'unblinded'; // a server without blinding
 * const headers = sogsRequestHeaders(identity.ed25519SecretKey, serverPk, request, { mode });
 * ```
 */
export type SogsAuthMode = 'blind15' | 'blind25' | 'unblinded';

/**
 * The request being authenticated.
 *
 * @example
 * ```ts
 * const request: SogsRequest = { method: 'POST', path: '/room/lokinet/message', body: JSON.stringify(msg) };
 * const headers = sogsRequestHeaders(identity.ed25519SecretKey, serverPk, request);
 * ```
 */
export interface SogsRequest {
  /** HTTP method, e.g. `'GET'`; signed exactly as given. */
  method: string;
  /** Path including the query string, e.g. `'/room/x/messages/recent?limit=25'`; signed as UTF-8. */
  path: string;
  /** Request body (a string is signed as UTF-8). Absent or empty means "no body". */
  body?: Uint8Array | string | null;
}

/**
 * Options of {@link sogsRequestHeaders}.
 *
 * @example
 * ```ts
 * // test vectors only: pin the time and nonce
 * const opts: SogsAuthOptions = { mode: 'blind15', timestamp: 1642472103, nonce };
 * sogsRequestHeaders(identity.ed25519SecretKey, serverPk, { method: 'GET', path: '/capabilities' }, opts);
 * ```
 */
export interface SogsAuthOptions {
  /** Default `'blind15'`. */
  mode?: SogsAuthMode;
  /** Unix time in whole seconds. Defaults to now; set it only to reproduce test vectors. */
  timestamp?: number;
  /** 16-byte nonce. Defaults to fresh random bytes; inject only to reproduce test vectors. */
  nonce?: Uint8Array;
  /** Nonce variant for blind15 signatures (default `'libsession'`); `'desktop'` replays Desktop's bytes. */
  blind15NonceVariant?: Blind15NonceVariant;
}

/**
 * The four authentication headers of a SOGS request.
 *
 * @example
 * ```ts
 * const headers: SogsAuthHeaders = sogsRequestHeaders(identity.ed25519SecretKey, serverPk, { method: 'GET', path: '/capabilities' });
 * headers['X-SOGS-Pubkey']; // '15…' for the default blind15 mode
 * ```
 */
export interface SogsAuthHeaders {
  /** The signing key as 66 hex: `15`/`25` ‖ blinded key, or `00` ‖ the real Ed25519 key. */
  'X-SOGS-Pubkey': string;
  /** Unix time in whole seconds, as decimal text. */
  'X-SOGS-Timestamp': string;
  /** The 16-byte nonce, base64. */
  'X-SOGS-Nonce': string;
  /** The 64-byte signature over the request, base64. */
  'X-SOGS-Signature': string;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard padded base64 (the headers' encoding); no `Buffer`/`btoa` so it runs anywhere. */
function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    s += i + 1 < b.length ? B64[(n >> 6) & 63]! : '=';
    s += i + 2 < b.length ? B64[n & 63]! : '=';
  }
  return s;
}

// RFC 9110 token characters: anything else cannot be an HTTP method.
const METHOD_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkRequest(req: SogsRequest): { method: Uint8Array; path: Uint8Array; body: Uint8Array | undefined } {
  if (typeof req !== 'object' || req === null) throw new SessionSdkError('INVALID_INPUT', 'request must be an object');
  if (typeof req.method !== 'string' || !METHOD_RE.test(req.method)) {
    throw new SessionSdkError('INVALID_INPUT', 'request method must be an HTTP token such as GET');
  }
  if (typeof req.path !== 'string' || !req.path.startsWith('/')) {
    throw new SessionSdkError('INVALID_INPUT', "request path must be a string starting with '/'");
  }
  let body: Uint8Array | undefined;
  if (typeof req.body === 'string') body = utf8(req.body);
  else if (req.body !== undefined && req.body !== null) {
    assertBytes(req.body, 'request body');
    body = req.body;
  }
  return { method: utf8(req.method), path: utf8(req.path), body: body && body.length > 0 ? body : undefined };
}

function checkTimestamp(t: number | undefined): number {
  const ts = t ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(ts) || ts < 0) throw new SessionSdkError('INVALID_INPUT', 'timestamp must be a non-negative integer number of seconds');
  return ts;
}

/**
 * The exact bytes a SOGS request signature covers (§4.4):
 * `serverPk(32) ‖ nonce(16) ‖ ASCII(timestamp) ‖ METHOD ‖ path [‖ BLAKE2b-64(body)]`.
 *
 * @example
 * ```ts
 * const m = sogsSignatureMessage(serverPk, nonce, 1642472103, { method: 'GET', path: '/capabilities' });
 * ```
 */
export function sogsSignatureMessage(serverPk: ServerPublicKey, nonce: Uint8Array, timestamp: number, request: SogsRequest): Uint8Array {
  const server = parseServerPublicKey(serverPk);
  assertBytes(nonce, 'SOGS nonce', 16);
  const ts = checkTimestamp(timestamp);
  const { method, path, body } = checkRequest(request);
  const parts = [server, nonce, utf8(String(ts)), method, path];
  if (body) parts.push(blake2b(body, { dkLen: 64 }));
  return concatBytes(...parts);
}

/**
 * The four X-SOGS authentication headers for a request (§4.4). In the blinded modes the pubkey
 * header is the blinded ID (`15…`/`25…`) and the signature a blinded signature; in
 * `'unblinded'` mode it is `00` + the real Ed25519 key with a plain Ed25519 signature.
 *
 * @example
 * ```ts
 * const headers = sogsRequestHeaders(identity.ed25519SecretKey, serverPk, {
 *   method: 'GET', path: '/room/lokinet/messages/recent?limit=25',
 * });
 * await fetch(url, { headers: { ...headers } });
 * ```
 */
export function sogsRequestHeaders(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  request: SogsRequest,
  opts: SogsAuthOptions = {},
): SogsAuthHeaders {
  const mode = opts.mode ?? 'blind15';
  if (mode !== 'blind15' && mode !== 'blind25' && mode !== 'unblinded') {
    throw new SessionSdkError('INVALID_INPUT', "mode must be 'blind15', 'blind25' or 'unblinded'");
  }
  const timestamp = checkTimestamp(opts.timestamp);
  const nonce = opts.nonce ?? randomBytes(16);
  const server = parseServerPublicKey(serverPk);
  const message = sogsSignatureMessage(server, nonce, timestamp, request);

  const variant = opts.blind15NonceVariant ?? 'libsession';
  if (variant !== 'libsession' && variant !== 'desktop') {
    throw new SessionSdkError('INVALID_INPUT', "blind15NonceVariant must be 'libsession' or 'desktop'");
  }
  let key: ExpandedSecretKey | undefined;
  let pubkey: string;
  let signature: Uint8Array;
  try {
    key = expandSecretKey(ed25519SecretKey);
    if (mode === 'blind15') {
      const blinded = blind15Scalar(key, server);
      signature = blind15SignWith(key, blinded, message, variant);
      pubkey = '15' + toHex(blinded.publicKey);
    } else if (mode === 'blind25') {
      const blinded = blind25Scalar(key, server);
      signature = blind25SignWith(key, blinded, message);
      pubkey = '25' + toHex(blinded.publicKey);
    } else {
      signature = ed25519SignSync(key.seed, message);
      pubkey = '00' + toHex(key.publicKey);
    }
  } finally {
    wipeExpandedKey(key);
  }
  return {
    'X-SOGS-Pubkey': pubkey,
    'X-SOGS-Timestamp': String(timestamp),
    'X-SOGS-Nonce': base64(nonce),
    'X-SOGS-Signature': base64(signature),
  };
}

/**
 * Signs a request to the version-check (file) server with the `07` key (§4.5): an ordinary
 * Ed25519 signature over `ASCII(timestamp) ‖ METHOD ‖ path [‖ body]` (body raw, not hashed).
 *
 * @example
 * ```ts
 * const sig = versionBlindSignRequest(identity.ed25519SecretKey, 1234567890, {
 *   method: 'GET', path: '/session_version?platform=desktop',
 * });
 * ```
 */
export function versionBlindSignRequest(ed25519SecretKey: Uint8Array, timestamp: number, request: SogsRequest): Uint8Array {
  const ts = checkTimestamp(timestamp);
  const { method, path, body } = checkRequest(request);
  const { secretKey } = versionBlindKeyPair(ed25519SecretKey);
  try {
    return ed25519SignSync(secretKey, concatBytes(utf8(String(ts)), method, path, body ?? new Uint8Array(0)));
  } finally {
    secretKey.fill(0);
  }
}
