/**
 * session-sdk's portable envelope: a small versioned CBOR container for applications that carry
 * session-sdk messages over their own transport instead of a Session swarm (spec/identity-envelope.md
 * §5: it can wrap the same sealed `M ‖ A ‖ SIG` box). Not part of the Session protocol; only
 * session-sdk peers read it.
 *
 * Format, version 1 — one CBOR map (RFC 8949) with text keys, in this order:
 *
 * | key         | CBOR type                 | meaning                                          |
 * |-------------|---------------------------|--------------------------------------------------|
 * | `version`   | unsigned int, = 1         | format version                                   |
 * | `kind`      | text, 1–64 of `[a-z0-9._/-]` | what `payload` is, e.g. `"session-v1"`        |
 * | `sentAt`    | unsigned int ≤ 2^53 − 1   | sender's clock, ms since the Unix epoch          |
 * | `expiresAt` | unsigned int (optional)   | ms since the epoch, not before `sentAt`          |
 * | `payload`   | byte string               | the message (usually ciphertext)                 |
 *
 * Every value has exactly one encoding: integers in their shortest form, definite lengths, no
 * tags, no duplicate or extra keys, nothing after the map. The decoder enforces that by
 * re-encoding what it parsed and comparing bytes, so two different byte strings never decode to
 * the same envelope. Nothing in the envelope is authenticated by the container itself: the
 * payload's own cryptography must cover whatever the application relies on.
 * @module
 */
import { Decoder, Encoder } from 'cbor-x';
import { SessionSdkError } from '../errors.js';
import { assertBytes, equalBytes } from '../util/bytes.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * The only format version this release reads and writes.
 *
 * @example
 * ```ts
 * decodePortableEnvelope(bytes).version === PORTABLE_ENVELOPE_VERSION; // always true
 * ```
 */
export const PORTABLE_ENVELOPE_VERSION = 1;

/**
 * Largest encoded envelope accepted (16 MiB), checked before parsing.
 *
 * @example
 * ```ts
 * if (received.length > PORTABLE_ENVELOPE_MAX_SIZE) return; // decodePortableEnvelope would throw TOO_LARGE
 * ```
 */
export const PORTABLE_ENVELOPE_MAX_SIZE = 16 * 1024 * 1024;

/**
 * Suggested `kind` values; any string matching the documented pattern is allowed.
 *
 * @example
 * ```ts
 * const bytes = encodePortableEnvelope({ kind: PortableEnvelopeKind.SESSION_V1, sentAt: Date.now(), payload: box });
 * ```
 */
export const PortableEnvelopeKind = /* @__PURE__ */ deepFreeze({
  /** A Session Protocol v1 ciphertext (`encryptForRecipient` output). */
  SESSION_V1: 'session-v1',
  /** A blinded community DM (`encryptForBlindedRecipient` output). */
  BLINDED_DM: 'blinded-dm',
  /** A groups-v2 message (`encryptGroupMessage` output). */
  GROUP_MESSAGE: 'group-message',
} as const);

/**
 * A decoded (or to-be-encoded) portable envelope. Times are ms since the Unix epoch.
 *
 * @example
 * ```ts
 * const env: PortableEnvelope = decodePortableEnvelope(bytes);
 * if (env.kind === 'session-v1') await decryptIncoming(me.ed25519SecretKey, env.payload);
 * ```
 */
export interface PortableEnvelope {
  /** Always {@link PORTABLE_ENVELOPE_VERSION} on decode; optional on encode. */
  version?: number;
  /** What `payload` is: 1–64 characters of `[a-z0-9._/-]`, e.g. {@link PortableEnvelopeKind}. */
  kind: string;
  /** Sender's clock when sending (ms since the epoch). */
  sentAt: number;
  /** When the message may be discarded (ms since the epoch), not before `sentAt`. */
  expiresAt?: number;
  /** The message, usually ciphertext; the envelope itself authenticates nothing. */
  payload: Uint8Array;
}

const KIND_RE = /^[a-z0-9._/-]{1,64}$/;
const KEYS = ['version', 'kind', 'sentAt', 'expiresAt', 'payload'];
const U32 = 2 ** 32;

// cbor-x writes integers ≥ 2^32 as float64 unless given a bigint; bigints are always written in
// 8 bytes, which is the shortest form exactly for those values. Definite-length maps only.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true, pack: false });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

function cborUint(n: number): number | bigint {
  return n < U32 ? n : BigInt(n);
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function validate(env: PortableEnvelope, code: 'INVALID_INPUT' | 'INVALID_ENCODING'): void {
  const fail = (msg: string): never => {
    throw new SessionSdkError(code, `portable envelope: ${msg}`);
  };
  if (typeof env.kind !== 'string' || !KIND_RE.test(env.kind)) fail('kind must be 1-64 characters of [a-z0-9._/-]');
  if (!isTime(env.sentAt)) fail('sentAt must be a non-negative safe integer (ms)');
  if (env.expiresAt !== undefined && (!isTime(env.expiresAt) || env.expiresAt < env.sentAt)) {
    fail('expiresAt must be a safe integer (ms) not before sentAt');
  }
  if (!(env.payload instanceof Uint8Array)) fail('payload must be bytes');
}

function toCbor(env: PortableEnvelope): Uint8Array {
  const obj: Record<string, unknown> = {
    version: PORTABLE_ENVELOPE_VERSION,
    kind: env.kind,
    sentAt: cborUint(env.sentAt),
  };
  if (env.expiresAt !== undefined) obj.expiresAt = cborUint(env.expiresAt);
  // A plain Uint8Array view (not a Buffer subclass) so cbor-x writes a bare byte string.
  obj.payload = new Uint8Array(env.payload.buffer, env.payload.byteOffset, env.payload.length);
  return new Uint8Array(encoder.encode(obj));
}

/**
 * Encodes a portable envelope (version 1). Throws `INVALID_INPUT` for a bad kind, time or payload,
 * `UNSUPPORTED_VERSION` if `version` is given and is not 1, `TOO_LARGE` above
 * {@link PORTABLE_ENVELOPE_MAX_SIZE}.
 *
 * @example
 * ```ts
 * const box = await encryptForRecipient(me.ed25519SecretKey, bob.sessionId, padMessage(content));
 * const bytes = encodePortableEnvelope({ kind: 'session-v1', sentAt: Date.now(), payload: box });
 * ```
 */
export function encodePortableEnvelope(env: PortableEnvelope): Uint8Array {
  if (typeof env !== 'object' || env === null) throw new SessionSdkError('INVALID_INPUT', 'portable envelope must be an object');
  if (env.version !== undefined && env.version !== PORTABLE_ENVELOPE_VERSION) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', `portable envelope version ${String(env.version)} is not supported`);
  }
  validate(env, 'INVALID_INPUT');
  const out = toCbor(env);
  if (out.length > PORTABLE_ENVELOPE_MAX_SIZE) throw new SessionSdkError('TOO_LARGE', 'portable envelope exceeds the size limit');
  return out;
}

/**
 * Decodes a portable envelope strictly: `UNSUPPORTED_VERSION` for any version other than 1;
 * `INVALID_ENCODING` for malformed CBOR, a missing, extra or ill-typed field, a non-shortest
 * encoding, tags, duplicate keys or trailing bytes; `TOO_LARGE` above
 * {@link PORTABLE_ENVELOPE_MAX_SIZE}. The returned payload is a fresh copy.
 *
 * @example
 * ```ts
 * const { kind, payload } = decodePortableEnvelope(bytes);
 * if (kind === 'session-v1') await decryptIncoming(me.ed25519SecretKey, payload);
 * ```
 */
export function decodePortableEnvelope(bytes: Uint8Array): PortableEnvelope {
  assertBytes(bytes, 'portable envelope');
  if (bytes.length > PORTABLE_ENVELOPE_MAX_SIZE) throw new SessionSdkError('TOO_LARGE', 'portable envelope exceeds the size limit');
  const invalid = (msg: string): never => {
    throw new SessionSdkError('INVALID_ENCODING', `portable envelope: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    throw new SessionSdkError('INVALID_ENCODING', 'portable envelope is not valid CBOR', { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array || Object.getPrototypeOf(raw) !== Object.prototype) {
    invalid('not a CBOR map');
  }
  const obj = raw as Record<string, unknown>;
  // The version decides how the rest is read, so it is checked before anything else.
  if (!Object.prototype.hasOwnProperty.call(obj, 'version')) invalid('missing version');
  const version = obj.version;
  if (typeof version !== 'number' && typeof version !== 'bigint') invalid('version must be an unsigned integer');
  if (version !== PORTABLE_ENVELOPE_VERSION) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', `portable envelope version ${String(version)} is not supported`);
  }
  for (const k of Object.keys(obj)) if (!KEYS.includes(k)) invalid(`unexpected field "${k.slice(0, 32)}"`);
  const time = (v: unknown, name: string): number => {
    const n = typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    if (!isTime(n)) invalid(`${name} must be an unsigned integer below 2^53`);
    return n as number;
  };
  const own = (k: string): boolean => Object.prototype.hasOwnProperty.call(obj, k);
  if (!own('kind') || !own('sentAt') || !own('payload')) invalid('missing kind, sentAt or payload');
  if (!(obj.payload instanceof Uint8Array)) invalid('payload must be a byte string');
  const env: PortableEnvelope = {
    version: PORTABLE_ENVELOPE_VERSION,
    kind: obj.kind as string,
    sentAt: time(obj.sentAt, 'sentAt'),
    payload: new Uint8Array(obj.payload as Uint8Array),
  };
  if (own('expiresAt')) env.expiresAt = time(obj.expiresAt, 'expiresAt');
  validate(env, 'INVALID_ENCODING');
  // One encoding per envelope: anything but our canonical bytes (field order, shortest integers,
  // definite lengths, no tags, no duplicates, no trailing data) is refused.
  if (!equalBytes(toCbor(env), bytes)) invalid('not in canonical form');
  return env;
}
