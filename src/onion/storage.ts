/**
 * Signed storage-server RPC requests (spec/onion.md §8): the exact strings clients sign, message
 * hashes, namespace and TTL rules, request builders for store / retrieve / delete / delete_all /
 * delete_before / expire / expire_all / get_expiries / (un)revoke_subaccount, and a clock that
 * follows server time so signatures land inside the storage server's ±60 s window.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync } from '../crypto/noble.js';
import { assertBytes, concatBytes, equalBytes, fromHex, toHex, utf8 } from '../util/bytes.js';
import { fromBase64, toBase64 } from './base64.js';
import type { JsonInput } from './json.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * Minimum message TTL the storage server accepts: 10 s.
 *
 * @example
 * ```ts
 * const ttlMs = Math.max(STORAGE_MIN_TTL_MS, requestedTtlMs);
 * ```
 */
export const STORAGE_MIN_TTL_MS = 10_000;
/**
 * Maximum TTL in public-inbox namespaces (divisible by 10): 14 days.
 *
 * @example
 * ```ts
 * await buildStoreRequest({ pubkey: recipientId, namespace: 0, data, ttlMs: STORAGE_MAX_TTL_PUBLIC_MS });
 * ```
 */
export const STORAGE_MAX_TTL_PUBLIC_MS = 14 * 24 * 60 * 60 * 1000;
/**
 * Maximum TTL in private namespaces, and for `expire` updates: 30 days.
 *
 * @example
 * ```ts
 * await buildExpireRequest({ auth, messages: [hash], expiryMs: Date.now() + STORAGE_MAX_TTL_PRIVATE_MS });
 * ```
 */
export const STORAGE_MAX_TTL_PRIVATE_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * Largest `data` a store accepts, before base64: 76 800 bytes.
 *
 * @example
 * ```ts
 * if (data.length > STORAGE_MAX_DATA_BYTES) throw new Error('send it as an attachment instead');
 * ```
 */
export const STORAGE_MAX_DATA_BYTES = 76_800;
/**
 * A signature timestamp must be within this much of server time (±60 s).
 *
 * @example
 * ```ts
 * const skewed = Math.abs(clock.offsetMs) > STORAGE_CLOCK_TOLERANCE_MS; // local clock is off by over 60 s
 * ```
 */
export const STORAGE_CLOCK_TOLERANCE_MS = 60_000;

/**
 * Namespaces Session uses (spec/onion.md §8.3).
 *
 * @example
 * ```ts
 * await buildRetrieveRequest({ auth, namespace: StorageNamespace.USER_PROFILE, clock });
 * ```
 */
export const StorageNamespace = /* @__PURE__ */ deepFreeze({
  DEFAULT: 0,
  USER_PROFILE: 2,
  CONTACTS: 3,
  CONVO_INFO_VOLATILE: 4,
  USER_GROUPS: 5,
  GROUP_MESSAGES: 11,
  GROUP_KEYS: 12,
  GROUP_INFO: 13,
  GROUP_MEMBERS: 14,
  LEGACY_CLOSED_GROUP: -10,
  REVOKED_RETRIEVABLE_GROUP_MESSAGES: -11,
} as const);

// ---------------------------------------------------------------------------------------------
// Namespaces and TTLs

function assertNamespace(ns: unknown): asserts ns is number {
  if (typeof ns !== 'number' || !Number.isInteger(ns) || ns < -32768 || ns > 32767) {
    throw new SessionSdkError('INVALID_INPUT', 'storage namespace must be an integer in [-32768, 32767]');
  }
}

/**
 * Whether anyone may store into `namespace` without a signature (divisible by 10, e.g. 0).
 *
 * @example
 * ```ts
 * isPublicInboxNamespace(0); // true
 * ```
 */
export function isPublicInboxNamespace(namespace: number): boolean {
  assertNamespace(namespace);
  return namespace % 10 === 0;
}

/**
 * Whether `namespace` is a public outbox −(20n+1) (−1, −21, …): publicly retrievable.
 *
 * @example
 * ```ts
 * isPublicOutboxNamespace(-21); // true
 * ```
 */
export function isPublicOutboxNamespace(namespace: number): boolean {
  assertNamespace(namespace);
  return namespace < 0 && -namespace % 20 === 1;
}

/**
 * Whether a `retrieve` from `namespace` must be signed: all except −10 (legacy closed groups) and
 * public outboxes (spec/onion.md §8.2).
 *
 * @example
 * ```ts
 * retrieveRequiresSignature(0); // true
 * ```
 */
export function retrieveRequiresSignature(namespace: number): boolean {
  return namespace !== StorageNamespace.LEGACY_CLOSED_GROUP && !isPublicOutboxNamespace(namespace);
}

/**
 * The longest TTL a store into `namespace` may ask for: 14 days for public inboxes, else 30 days.
 *
 * @example
 * ```ts
 * maxTtlForNamespace(3); // 2_592_000_000
 * ```
 */
export function maxTtlForNamespace(namespace: number): number {
  return isPublicInboxNamespace(namespace) ? STORAGE_MAX_TTL_PUBLIC_MS : STORAGE_MAX_TTL_PRIVATE_MS;
}

/**
 * Throws `INVALID_INPUT` unless `ttlMs` is within the storage server's bounds for `namespace`
 * (10 s to 14 days public / 30 days private).
 *
 * @example
 * ```ts
 * assertStorageTtl(0, 14 * 86_400_000); // ok
 * ```
 */
export function assertStorageTtl(namespace: number, ttlMs: number): void {
  const max = maxTtlForNamespace(namespace);
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs < STORAGE_MIN_TTL_MS || ttlMs > max) {
    throw new SessionSdkError('INVALID_INPUT', `TTL must be an integer from ${STORAGE_MIN_TTL_MS} ms to ${max} ms for namespace ${namespace}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Signed strings

/** `namespace` as it appears in a signed string: empty for 0, the decimal value, or `all`. */
function nsText(ns: number | 'all'): string {
  if (ns === 'all') return 'all';
  assertNamespace(ns);
  return ns === 0 ? '' : String(ns);
}

function ms(v: unknown, what: string): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new SessionSdkError('INVALID_INPUT', `${what} must be a non-negative integer of milliseconds`);
  return String(v);
}

const HASH_RE = /^[A-Za-z0-9+/=_-]{1,128}$/;
function hashes(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) throw new SessionSdkError('INVALID_INPUT', 'messages must be a non-empty array of message hashes');
  for (const h of list) {
    if (typeof h !== 'string' || !HASH_RE.test(h)) throw new SessionSdkError('INVALID_INPUT', 'message hashes must be base64 strings');
  }
  return list.join('');
}

/**
 * The inputs of each signed storage request (spec/onion.md §8.2). Timestamps are epoch ms.
 *
 * @example
 * ```ts
 * const req: StorageSignatureRequest = { method: 'delete_all', namespace: 'all', timestamp: clock.now() };
 * const sig = await signStorageRequest(identity.ed25519SecretKey, req);
 * ```
 */
export type StorageSignatureRequest =
  | { method: 'retrieve'; namespace: number; timestamp: number }
  | { method: 'store'; namespace: number; /** the `sig_timestamp` */ timestamp: number }
  | { method: 'delete'; messages: string[] }
  | { method: 'delete_all'; namespace: number | 'all'; timestamp: number }
  | { method: 'delete_before'; namespace: number | 'all'; before: number }
  | { method: 'expire_all'; namespace: number | 'all'; expiry: number }
  | { method: 'expire'; mode?: 'shorten' | 'extend' | undefined; expiry: number; messages: string[] }
  | { method: 'get_expiries'; timestamp: number; messages: string[] }
  | { method: 'revoke_subaccount' | 'unrevoke_subaccount'; timestamp: number; tokens: Uint8Array[] };

/**
 * The exact bytes a storage request signs (spec/onion.md §8.2): the method name followed by its
 * fields in base-10 ASCII, namespace 0 written as the empty string, hashes and subaccount tokens
 * concatenated without separators.
 *
 * @example
 * ```ts
 * storageSignatureMessage({ method: 'retrieve', namespace: 0, timestamp: 1700000000000 });
 * // bytes of "retrieve1700000000000"
 * ```
 */
export function storageSignatureMessage(req: StorageSignatureRequest): Uint8Array {
  if (typeof req !== 'object' || req === null) throw new SessionSdkError('INVALID_INPUT', 'storage signature request must be an object');
  switch (req.method) {
    case 'retrieve':
    case 'store':
      if (req.namespace === ('all' as unknown)) throw new SessionSdkError('INVALID_INPUT', `${req.method} needs a numeric namespace`);
      return utf8(req.method + nsText(req.namespace) + ms(req.timestamp, 'timestamp'));
    case 'delete':
      return utf8('delete' + hashes(req.messages));
    case 'delete_all':
      return utf8('delete_all' + nsText(req.namespace) + ms(req.timestamp, 'timestamp'));
    case 'delete_before':
      return utf8('delete_before' + nsText(req.namespace) + ms(req.before, 'before'));
    case 'expire_all':
      return utf8('expire_all' + nsText(req.namespace) + ms(req.expiry, 'expiry'));
    case 'expire': {
      const mode = req.mode ?? '';
      if (mode !== '' && mode !== 'shorten' && mode !== 'extend') throw new SessionSdkError('INVALID_INPUT', "expire mode must be 'shorten', 'extend' or omitted");
      return utf8('expire' + mode + ms(req.expiry, 'expiry') + hashes(req.messages));
    }
    case 'get_expiries':
      return utf8('get_expiries' + ms(req.timestamp, 'timestamp') + hashes(req.messages));
    case 'revoke_subaccount':
    case 'unrevoke_subaccount': {
      if (!Array.isArray(req.tokens) || req.tokens.length === 0) throw new SessionSdkError('INVALID_INPUT', 'tokens must be a non-empty array of 36-byte subaccount tokens');
      req.tokens.forEach((t, i) => assertBytes(t, `tokens[${i}]`, 36));
      return concatBytes(utf8(req.method + ms(req.timestamp, 'timestamp')), ...req.tokens);
    }
    default:
      throw new SessionSdkError('INVALID_INPUT', `unknown signed storage method ${JSON.stringify(String((req as { method: unknown }).method).slice(0, 32))}`);
  }
}

/**
 * Ed25519-signs a storage request (spec/onion.md §8.1) with the account's key: a 32-byte seed or
 * 64-byte libsodium secret key. The result is the raw 64-byte signature (base64 it for JSON).
 *
 * @example
 * ```ts
 * const sig = await signStorageRequest(identity.ed25519SecretKey, { method: 'retrieve', namespace: 2, timestamp: now });
 * ```
 */
export async function signStorageRequest(ed25519SecretKey: Uint8Array, req: StorageSignatureRequest): Promise<Uint8Array> {
  assertBytes(ed25519SecretKey, 'Ed25519 secret key', [32, 64], 'INVALID_KEY');
  return getCryptoProvider().ed25519Sign(ed25519SecretKey, storageSignatureMessage(req));
}

// ---------------------------------------------------------------------------------------------
// Message hashes

/**
 * The storage server's hash of a message (spec/onion.md §8.3): unpadded base64 of
 * BLAKE2b-256(prefix byte ‖ 32-byte key ‖ namespace decimal (empty for 0) ‖ data). Timestamps are
 * not hashed.
 *
 * @example
 * ```ts
 * storageMessageHash(sessionId, 0, data); // 'SHaqXsf8cGV+…'
 * ```
 */
export function storageMessageHash(pubkey: string, namespace: number, data: Uint8Array): string {
  const pk = accountBytes(pubkey);
  assertBytes(data, 'message data');
  // One buffer, one-shot: the WASM kernel where available (message bodies run to KBs).
  return toBase64(blake2b(concatBytes(pk, utf8(nsText(namespace)), data), { dkLen: 32 }), false);
}

function accountBytes(pubkey: string): Uint8Array {
  if (typeof pubkey !== 'string' || pubkey.length !== 66) throw new SessionSdkError('INVALID_INPUT', 'storage account pubkey must be 66 hex characters (prefix + key)');
  return fromHex(pubkey, 'storage account pubkey');
}

// ---------------------------------------------------------------------------------------------
// Server clock

/**
 * Local time corrected by what storage servers report (`t` / `timestamp` in their replies), so
 * signed timestamps stay within the ±60 s window even on a machine whose clock is off. The
 * offset is the median of the last few samples, so one lying node cannot move it far.
 *
 * @example
 * ```ts
 * const clock = new ServerClock();
 * clock.observe(infoReply.timestamp);          // or clock.observeResponse(JSON.parse(body))
 * await buildRetrieveRequest({ auth, namespace: 0, clock });
 * ```
 */
export class ServerClock {
  private readonly samples: number[] = [];
  private readonly maxSamples: number;
  private readonly localNow: () => number;

  constructor(opts: { now?: () => number; maxSamples?: number } = {}) {
    this.localNow = opts.now ?? Date.now;
    this.maxSamples = opts.maxSamples ?? 5;
    if (!Number.isInteger(this.maxSamples) || this.maxSamples < 1) throw new SessionSdkError('INVALID_INPUT', 'maxSamples must be a positive integer');
  }

  /**
   * Records a server timestamp (epoch ms) received at local time `localMs` (default now).
   *
   * @example
   * ```ts
   * clock.observe(reply.t); // server time in epoch ms, received just now
   * ```
   */
  observe(serverMs: number, localMs: number = this.localNow()): void {
    if (typeof serverMs !== 'number' || !Number.isSafeInteger(serverMs) || serverMs <= 0) throw new SessionSdkError('INVALID_INPUT', 'server time must be a positive integer of epoch milliseconds');
    if (typeof localMs !== 'number' || !Number.isFinite(localMs)) throw new SessionSdkError('INVALID_INPUT', 'local time must be a finite number');
    this.samples.push(serverMs - Math.round(localMs));
    if (this.samples.length > this.maxSamples) this.samples.shift();
  }

  /**
   * Learns from a parsed storage reply if it carries a server time (`t`, else `timestamp`).
   * Returns whether it did.
   *
   * @example
   * ```ts
   * clock.observeResponse(JSON.parse(body)); // false if the reply has no `t` / `timestamp`
   * ```
   */
  observeResponse(reply: unknown, localMs?: number): boolean {
    if (typeof reply !== 'object' || reply === null) return false;
    const r = reply as Record<string, unknown>;
    const t = typeof r.t === 'number' ? r.t : r.timestamp;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t <= 0) return false;
    this.observe(t, localMs);
    return true;
  }

  /** Median offset server − local in ms (0 before any sample). */
  get offsetMs(): number {
    if (this.samples.length === 0) return 0;
    const s = [...this.samples].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
  }

  /**
   * Estimated server time now (epoch ms).
   *
   * @example
   * ```ts
   * const timestamp = clock.now(); // sign with server time, not local time
   * ```
   */
  now(): number {
    return Math.round(this.localNow()) + this.offsetMs;
  }

  /**
   * Whether `timestampMs` would pass the storage server's ±60 s signature window now.
   *
   * @example
   * ```ts
   * if (!clock.isFresh(signedAt)) req = await buildRetrieveRequest({ auth, namespace: 0, clock });
   * ```
   */
  isFresh(timestampMs: number): boolean {
    return Math.abs(timestampMs - this.now()) <= STORAGE_CLOCK_TOLERANCE_MS;
  }

  /**
   * Forgets all samples.
   *
   * @example
   * ```ts
   * clock.reset(); // e.g. after the system clock was changed
   * ```
   */
  reset(): void {
    this.samples.length = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Request builders

/**
 * A signature produced by a custom signer (e.g. a group subaccount, `subaccountSign`).
 *
 * @example
 * ```ts
 * const sign = (message: Uint8Array): StorageSignature => subaccountSign(memberKeys, message, authData);
 * await buildRetrieveRequest({ auth: { pubkey: groupId, sign }, namespace: StorageNamespace.GROUP_MESSAGES });
 * ```
 */
export interface StorageSignature {
  /** 64-byte Ed25519 signature of the message bytes (by the subaccount key when `subaccount` is set). */
  signature: Uint8Array;
  /** 36-byte subaccount token, when signing as a subaccount. */
  subaccount?: Uint8Array;
  /** 64-byte signature of the token by the account key, with `subaccount`. */
  subaccountSig?: Uint8Array;
}

/**
 * Who is signing for which account.
 *
 * @example
 * ```ts
 * const auth: StorageAuth = { pubkey: identity.sessionId, ed25519SecretKey: identity.ed25519SecretKey };
 * const req = await buildRetrieveRequest({ auth, namespace: 0, clock });
 * ```
 */
export interface StorageAuth {
  /** The account: a `05…` Session ID, a `03…` group ID, or another 66-hex storage address. */
  pubkey: string;
  /** The account's Ed25519 secret key (32-byte seed or 64-byte key). Either this or `sign`. */
  ed25519SecretKey?: Uint8Array;
  /** Custom signer (subaccounts, hardware keys): signs the message bytes it is given. */
  sign?: (message: Uint8Array) => StorageSignature | Promise<StorageSignature>;
  /** For `05` accounts with a custom signer: the Ed25519 public key sent as `pubkey_ed25519`. */
  ed25519PublicKey?: Uint8Array;
}

/**
 * A storage RPC ready for {@link encodeSnodeRequest}: `encodeSnodeRequest(r.method, r.params)`.
 *
 * @example
 * ```ts
 * const req: StorageRpcRequest = await buildDeleteRequest({ auth, messages: [hash] });
 * const payload = encodeSnodeRequest(req.method, req.params);
 * ```
 */
export interface StorageRpcRequest {
  /** RPC method name, e.g. `store`, `retrieve` or `batch`. */
  method: string;
  /** RPC parameters, including the signature fields. */
  params: Record<string, JsonInput>;
}

interface TimeOpts {
  /** Explicit timestamp (epoch ms); default: `clock.now()` or `Date.now()`. */
  timestamp?: number;
  /** Server-corrected clock (see {@link ServerClock}). */
  clock?: ServerClock;
}

function nowMs(o: TimeOpts): number {
  if (o.timestamp !== undefined) {
    ms(o.timestamp, 'timestamp');
    return o.timestamp;
  }
  return o.clock ? o.clock.now() : Date.now();
}

/** Signs `req` as `auth` and returns the auth params (`pubkey`, `signature`, …). */
async function authParams(auth: StorageAuth, req: StorageSignatureRequest): Promise<Record<string, JsonInput>> {
  if (typeof auth !== 'object' || auth === null) throw new SessionSdkError('INVALID_INPUT', 'auth must be { pubkey, ed25519SecretKey } or { pubkey, sign }');
  const account = accountBytes(auth.pubkey);
  const message = storageSignatureMessage(req);
  let sig: StorageSignature;
  let edPk: Uint8Array | undefined = auth.ed25519PublicKey;
  if (auth.ed25519SecretKey !== undefined) {
    assertBytes(auth.ed25519SecretKey, 'Ed25519 secret key', [32, 64], 'INVALID_KEY');
    const derived = auth.ed25519SecretKey.length === 64 ? auth.ed25519SecretKey.subarray(32) : ed25519KeyPairFromSeed(auth.ed25519SecretKey).publicKey;
    if (edPk !== undefined && !equalBytes(edPk, derived)) throw new SessionSdkError('INVALID_KEY', 'ed25519PublicKey does not match ed25519SecretKey');
    edPk = derived;
    sig = { signature: await getCryptoProvider().ed25519Sign(auth.ed25519SecretKey, message) };
  } else if (typeof auth.sign === 'function') {
    sig = await auth.sign(message);
    if (typeof sig !== 'object' || sig === null) throw new SessionSdkError('INVALID_INPUT', 'custom storage signer must return { signature, … }');
    assertBytes(sig.signature, 'signature', 64, 'BAD_SIGNATURE');
  } else {
    throw new SessionSdkError('INVALID_INPUT', 'auth needs ed25519SecretKey or a sign function');
  }
  const out: Record<string, JsonInput> = { pubkey: auth.pubkey.toLowerCase(), signature: toBase64(sig.signature) };
  const prefix = account[0];
  if (prefix === 0x05 && sig.subaccount === undefined) {
    // The server checks the Ed25519 key converts to the Session ID (spec/onion.md §8.1); catching a
    // mismatch here gives a clear error instead of an opaque 401.
    if (edPk === undefined) throw new SessionSdkError('INVALID_INPUT', 'a 05 account needs its Ed25519 public key (ed25519PublicKey) when signing with a custom signer');
    assertBytes(edPk, 'Ed25519 public key', 32, 'INVALID_KEY');
    let x: Uint8Array;
    try {
      x = ed25519PkToX25519Sync(edPk);
    } catch {
      throw new SessionSdkError('INVALID_KEY', 'Ed25519 public key is not a valid curve point');
    }
    if (!equalBytes(x, account.subarray(1))) throw new SessionSdkError('INVALID_KEY', 'the Ed25519 key does not belong to this Session ID');
    out.pubkey_ed25519 = toHex(edPk);
  } else if (prefix === 0x03 && sig.subaccount === undefined && edPk !== undefined && !equalBytes(edPk, account.subarray(1))) {
    throw new SessionSdkError('INVALID_KEY', 'the Ed25519 key does not belong to this group ID');
  }
  if (sig.subaccount !== undefined) {
    assertBytes(sig.subaccount, 'subaccount token', 36);
    assertBytes(sig.subaccountSig, 'subaccount signature', 64, 'BAD_SIGNATURE');
    out.subaccount = toBase64(sig.subaccount);
    out.subaccount_sig = toBase64(sig.subaccountSig);
  }
  return out;
}

function checkData(data: unknown): asserts data is Uint8Array {
  assertBytes(data, 'message data');
  if (data.length > STORAGE_MAX_DATA_BYTES) throw new SessionSdkError('TOO_LARGE', `message data is ${data.length} bytes; the storage server accepts at most ${STORAGE_MAX_DATA_BYTES}`);
}

/**
 * A `store` request (spec/onion.md §8). Public-inbox namespaces (divisible by 10) take no
 * signature — pass `pubkey` instead of `auth`; every other namespace needs `auth`. TTL bounds are
 * checked; `sig_timestamp` is the (server-corrected) current time.
 *
 * @example
 * ```ts
 * const req = await buildStoreRequest({ pubkey: recipientId, namespace: 0, data, ttlMs: 14 * 86_400_000 });
 * const payload = encodeSnodeRequest(req.method, req.params);
 * ```
 */
export async function buildStoreRequest(
  opts: TimeOpts & { auth?: StorageAuth; pubkey?: string; namespace?: number; data: Uint8Array; ttlMs?: number; expiryMs?: number; messageTimestamp?: number },
): Promise<StorageRpcRequest> {
  const namespace = opts.namespace ?? 0;
  assertNamespace(namespace);
  checkData(opts.data);
  const now = nowMs(opts);
  const timestamp = opts.messageTimestamp ?? now;
  ms(timestamp, 'messageTimestamp');
  const params: Record<string, JsonInput> = { namespace, timestamp, data: toBase64(opts.data) };
  if ((opts.ttlMs === undefined) === (opts.expiryMs === undefined)) throw new SessionSdkError('INVALID_INPUT', 'give exactly one of ttlMs and expiryMs');
  if (opts.ttlMs !== undefined) {
    assertStorageTtl(namespace, opts.ttlMs);
    params.ttl = opts.ttlMs;
  } else {
    ms(opts.expiryMs, 'expiryMs');
    assertStorageTtl(namespace, opts.expiryMs! - timestamp);
    params.expiry = opts.expiryMs!;
  }
  if (isPublicInboxNamespace(namespace)) {
    const pk = opts.pubkey ?? opts.auth?.pubkey;
    accountBytes(pk as string);
    params.pubkey = pk!.toLowerCase();
    return { method: 'store', params };
  }
  if (!opts.auth) throw new SessionSdkError('INVALID_INPUT', `storing to namespace ${namespace} requires auth (only namespaces divisible by 10 are public)`);
  Object.assign(params, await authParams(opts.auth, { method: 'store', namespace, timestamp: now }));
  params.sig_timestamp = now;
  return { method: 'store', params };
}

/**
 * A signed `retrieve` request. Namespace −10 and public outboxes need no signature (`auth` may
 * then be replaced by `pubkey`).
 *
 * @example
 * ```ts
 * const req = await buildRetrieveRequest({ auth: { pubkey: id.sessionId, ed25519SecretKey: id.ed25519SecretKey }, namespace: 0, lastHash, clock });
 * ```
 */
export async function buildRetrieveRequest(
  opts: TimeOpts & { auth?: StorageAuth; pubkey?: string; namespace?: number; lastHash?: string; maxCount?: number; maxSize?: number },
): Promise<StorageRpcRequest> {
  const namespace = opts.namespace ?? 0;
  assertNamespace(namespace);
  const timestamp = nowMs(opts);
  const params: Record<string, JsonInput> = { namespace, timestamp };
  if (opts.lastHash !== undefined && opts.lastHash !== '') {
    hashes([opts.lastHash]);
    params.last_hash = opts.lastHash;
  }
  if (opts.maxCount !== undefined) {
    if (!Number.isSafeInteger(opts.maxCount) || opts.maxCount < 1) throw new SessionSdkError('INVALID_INPUT', 'maxCount must be a positive integer');
    params.max_count = opts.maxCount;
  }
  if (opts.maxSize !== undefined) {
    if (!Number.isSafeInteger(opts.maxSize) || opts.maxSize === 0) throw new SessionSdkError('INVALID_INPUT', 'maxSize must be a non-zero integer (negative = fraction of the network maximum)');
    params.max_size = opts.maxSize;
  }
  if (opts.auth) {
    Object.assign(params, await authParams(opts.auth, { method: 'retrieve', namespace, timestamp }));
  } else {
    if (retrieveRequiresSignature(namespace)) throw new SessionSdkError('INVALID_INPUT', `retrieving from namespace ${namespace} requires auth`);
    accountBytes(opts.pubkey as string);
    params.pubkey = opts.pubkey!.toLowerCase();
  }
  return { method: 'retrieve', params };
}

/**
 * A signed `delete` of specific messages by hash.
 *
 * @example
 * ```ts
 * const req = await buildDeleteRequest({ auth, messages: [hash] });
 * ```
 */
export async function buildDeleteRequest(opts: { auth: StorageAuth; messages: string[]; required?: boolean }): Promise<StorageRpcRequest> {
  hashes(opts.messages);
  const params: Record<string, JsonInput> = { messages: [...opts.messages] };
  if (opts.required) params.required = true;
  Object.assign(params, await authParams(opts.auth, { method: 'delete', messages: opts.messages }));
  return { method: 'delete', params };
}

/**
 * A signed `delete_all` for one namespace (default 0) or `'all'`.
 *
 * @example
 * ```ts
 * const req = await buildDeleteAllRequest({ auth, namespace: 'all', clock });
 * ```
 */
export async function buildDeleteAllRequest(opts: TimeOpts & { auth: StorageAuth; namespace?: number | 'all' }): Promise<StorageRpcRequest> {
  const namespace = opts.namespace ?? 0;
  nsText(namespace);
  const timestamp = nowMs(opts);
  const params: Record<string, JsonInput> = { namespace, timestamp };
  Object.assign(params, await authParams(opts.auth, { method: 'delete_all', namespace, timestamp }));
  return { method: 'delete_all', params };
}

/**
 * A signed `delete_before`: deletes messages stored at or before `beforeMs`.
 *
 * @example
 * ```ts
 * const req = await buildDeleteBeforeRequest({ auth, namespace: 5, beforeMs: clock.now() });
 * ```
 */
export async function buildDeleteBeforeRequest(opts: { auth: StorageAuth; namespace?: number | 'all'; beforeMs: number }): Promise<StorageRpcRequest> {
  const namespace = opts.namespace ?? 0;
  nsText(namespace);
  ms(opts.beforeMs, 'beforeMs');
  const params: Record<string, JsonInput> = { namespace, before: opts.beforeMs };
  Object.assign(params, await authParams(opts.auth, { method: 'delete_before', namespace, before: opts.beforeMs }));
  return { method: 'delete_before', params };
}

function checkExpiry(expiryMs: number, o: TimeOpts): void {
  ms(expiryMs, 'expiryMs');
  const now = o.clock ? o.clock.now() : Date.now();
  if (expiryMs > now + STORAGE_MAX_TTL_PRIVATE_MS + STORAGE_CLOCK_TOLERANCE_MS) {
    throw new SessionSdkError('INVALID_INPUT', 'expiry is more than 30 days ahead; the storage server caps expiries at 30 days');
  }
}

/**
 * A signed `expire` of specific messages: set (or only `shorten` / only `extend`) their expiry.
 *
 * @example
 * ```ts
 * const req = await buildExpireRequest({ auth, messages: [hash], expiryMs: clock.now() + 3_600_000, mode: 'shorten' });
 * ```
 */
export async function buildExpireRequest(opts: { auth: StorageAuth; messages: string[]; expiryMs: number; mode?: 'shorten' | 'extend'; clock?: ServerClock }): Promise<StorageRpcRequest> {
  hashes(opts.messages);
  checkExpiry(opts.expiryMs, opts);
  const params: Record<string, JsonInput> = { messages: [...opts.messages], expiry: opts.expiryMs };
  if (opts.mode === 'shorten') params.shorten = true;
  else if (opts.mode === 'extend') params.extend = true;
  else if (opts.mode !== undefined) throw new SessionSdkError('INVALID_INPUT', "expire mode must be 'shorten', 'extend' or omitted");
  Object.assign(params, await authParams(opts.auth, { method: 'expire', mode: opts.mode, expiry: opts.expiryMs, messages: opts.messages }));
  return { method: 'expire', params };
}

/**
 * A signed `expire_all`: shortens every message's expiry in a namespace (or `'all'`) to `expiryMs`.
 *
 * @example
 * ```ts
 * const req = await buildExpireAllRequest({ auth, namespace: 'all', expiryMs: clock.now() });
 * ```
 */
export async function buildExpireAllRequest(opts: { auth: StorageAuth; namespace?: number | 'all'; expiryMs: number; clock?: ServerClock }): Promise<StorageRpcRequest> {
  const namespace = opts.namespace ?? 0;
  nsText(namespace);
  checkExpiry(opts.expiryMs, opts);
  const params: Record<string, JsonInput> = { namespace, expiry: opts.expiryMs };
  Object.assign(params, await authParams(opts.auth, { method: 'expire_all', namespace, expiry: opts.expiryMs }));
  return { method: 'expire_all', params };
}

/**
 * A signed `get_expiries` for specific messages.
 *
 * @example
 * ```ts
 * const req = await buildGetExpiriesRequest({ auth, messages: [hash], clock });
 * ```
 */
export async function buildGetExpiriesRequest(opts: TimeOpts & { auth: StorageAuth; messages: string[] }): Promise<StorageRpcRequest> {
  hashes(opts.messages);
  const timestamp = nowMs(opts);
  const params: Record<string, JsonInput> = { messages: [...opts.messages], timestamp };
  Object.assign(params, await authParams(opts.auth, { method: 'get_expiries', timestamp, messages: opts.messages }));
  return { method: 'get_expiries', params };
}

/**
 * A signed `revoke_subaccount` (or, with `unrevoke: true`, `unrevoke_subaccount`) for one or more
 * 36-byte subaccount tokens, signed by the group's admin key.
 *
 * @example
 * ```ts
 * const req = await buildRevokeSubaccountRequest({ auth: { pubkey: groupId, ed25519SecretKey: adminSk }, tokens: [token] });
 * ```
 */
export async function buildRevokeSubaccountRequest(opts: TimeOpts & { auth: StorageAuth; tokens: Uint8Array[]; unrevoke?: boolean }): Promise<StorageRpcRequest> {
  const method = opts.unrevoke ? 'unrevoke_subaccount' : 'revoke_subaccount';
  const timestamp = nowMs(opts);
  const message = { method, timestamp, tokens: opts.tokens } as const;
  storageSignatureMessage(message); // validates the tokens
  const params: Record<string, JsonInput> = { timestamp, [opts.unrevoke ? 'unrevoke' : 'revoke']: opts.tokens.map((t) => toBase64(t)) };
  Object.assign(params, await authParams(opts.auth, message));
  return { method, params };
}

/**
 * Wraps several storage requests in one `batch` call (each sub-request keeps its own signature).
 *
 * @example
 * ```ts
 * const batch = buildBatchRequest([retrieve0, retrieve2]);
 * const payload = encodeSnodeRequest(batch.method, batch.params);
 * ```
 */
export function buildBatchRequest(requests: StorageRpcRequest[]): StorageRpcRequest {
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) throw new SessionSdkError('INVALID_INPUT', 'a batch needs 1–20 requests');
  return { method: 'batch', params: { requests: requests.map((r) => ({ method: r.method, params: r.params })) } };
}

/**
 * Decodes the base64 `data` of a retrieved message (strict base64, `INVALID_ENCODING` otherwise).
 *
 * @example
 * ```ts
 * for (const m of JSON.parse(res.body).messages) handle(decodeStorageData(m.data));
 * ```
 */
export function decodeStorageData(data: string): Uint8Array {
  return fromBase64(data, 'message data');
}

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * One message from a `retrieve` reply.
 *
 * @example
 * ```ts
 * const { messages } = parseRetrieveResponse(res.body);
 * for (const m of messages as RetrievedMessage[]) lastHash = m.hash;
 * ```
 */
export interface RetrievedMessage {
  /** The message's storage hash (base64), usable as `lastHash` and in delete / expire requests. */
  hash: string;
  /** When it was stored (epoch ms). */
  timestampMs: number;
  /** When it expires (epoch ms). */
  expiryMs: number;
  /** The stored payload, decoded from base64. */
  data: Uint8Array;
}

function replyObject(reply: unknown, what: string): Record<string, unknown> {
  const v = typeof reply === 'string' ? parseJsonText(reply, what) : reply;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SessionSdkError('INVALID_ENCODING', `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SessionSdkError('INVALID_ENCODING', `${what} is not valid JSON`);
  }
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses a `retrieve` reply `{"messages":[{"hash","timestamp","expiry","data"}],"more","t"}`
 * (spec/onion.md §8.3), decoding each message's base64 data. Throws `INVALID_ENCODING` on any
 * malformed field; `serverTimeMs` (from `t`) feeds a {@link ServerClock}.
 *
 * @example
 * ```ts
 * const { messages, more } = parseRetrieveResponse(res.body);
 * ```
 */
export function parseRetrieveResponse(reply: unknown): { messages: RetrievedMessage[]; more: boolean; serverTimeMs: number | undefined } {
  const r = replyObject(reply, 'retrieve reply');
  if (!Array.isArray(r.messages)) throw new SessionSdkError('INVALID_ENCODING', 'retrieve reply has no "messages" array');
  const messages = r.messages.map((m: unknown): RetrievedMessage => {
    if (typeof m !== 'object' || m === null) throw new SessionSdkError('INVALID_ENCODING', 'retrieve reply message must be an object');
    const { hash, timestamp, expiry, data } = m as Record<string, unknown>;
    if (typeof hash !== 'string' || !HASH_RE.test(hash)) throw new SessionSdkError('INVALID_ENCODING', 'retrieved message has no valid "hash"');
    if (!isMs(timestamp) || !isMs(expiry)) throw new SessionSdkError('INVALID_ENCODING', 'retrieved message needs integer "timestamp" and "expiry"');
    if (typeof data !== 'string') throw new SessionSdkError('INVALID_ENCODING', 'retrieved message has no base64 "data"');
    return { hash, timestampMs: timestamp, expiryMs: expiry, data: fromBase64(data, 'retrieved message data') };
  });
  return { messages, more: r.more === true, serverTimeMs: isMs(r.t) ? r.t : undefined };
}

/**
 * One swarm member's answer to a recursive request such as `store`.
 *
 * @example
 * ```ts
 * const { members } = await parseStoreResponse(res.body, expectedHash);
 * const failed = members.filter((m: SwarmMemberResult) => !m.ok).map((m) => m.node);
 * ```
 */
export interface SwarmMemberResult {
  /** The member's Ed25519 key, lower-case hex. */
  node: string;
  /** True when the member stored the message and its signed answer verified. */
  ok: boolean;
  /** `hash` the member reports (store). */
  hash?: string | undefined;
  /** Whether the member's signature over its answer verified (store: over the hash). */
  signatureValid?: boolean | undefined;
  /** Failure details when `ok` is false (`code`, `reason`, `timeout`…). */
  failure?: Record<string, unknown> | undefined;
}

/**
 * Parses a `store` reply `{"hash", "swarm": {<ed25519 hex>: {"hash","signature"} | {"failed":true,…}}}`
 * and verifies each member's Ed25519 signature over the hash it reports. When `expectedHash` is
 * given (see {@link storageMessageHash}) a member reporting another hash counts as failed.
 *
 * @example
 * ```ts
 * const { stored } = await parseStoreResponse(res.body, storageMessageHash(to, 0, data));
 * if (stored === 0) retryElsewhere();
 * ```
 */
export async function parseStoreResponse(reply: unknown, expectedHash?: string): Promise<{ hash: string | undefined; members: SwarmMemberResult[]; stored: number }> {
  const r = replyObject(reply, 'store reply');
  const swarm = r.swarm;
  if (typeof swarm !== 'object' || swarm === null || Array.isArray(swarm)) throw new SessionSdkError('INVALID_ENCODING', 'store reply has no "swarm" object');
  const provider = getCryptoProvider();
  const members: SwarmMemberResult[] = [];
  for (const [node, v] of Object.entries(swarm as Record<string, unknown>)) {
    if (!/^[0-9a-fA-F]{64}$/.test(node)) throw new SessionSdkError('INVALID_ENCODING', 'store reply swarm keys must be Ed25519 keys in hex');
    if (typeof v !== 'object' || v === null) throw new SessionSdkError('INVALID_ENCODING', 'store reply swarm entry must be an object');
    const e = v as Record<string, unknown>;
    if (e.failed === true || typeof e.hash !== 'string' || typeof e.signature !== 'string') {
      members.push({ node: node.toLowerCase(), ok: false, failure: e });
      continue;
    }
    let valid = false;
    try {
      valid = await provider.ed25519Verify(fromBase64(e.signature, 'store signature'), utf8(e.hash), fromHex(node));
    } catch {
      valid = false;
    }
    const ok = valid && (expectedHash === undefined || e.hash === expectedHash);
    members.push({ node: node.toLowerCase(), ok, hash: e.hash, signatureValid: valid, ...(ok ? {} : { failure: e }) });
  }
  return { hash: typeof r.hash === 'string' ? r.hash : undefined, members, stored: members.filter((m) => m.ok).length };
}
