/**
 * Group messages carrying Session `Content` (spec/groups.md §2.8): the plaintext of a namespace-11
 * message is a serialized `Envelope` (not bare Content, not padded). Writers differ — desktop put
 * `{type 7, source = group id, timestamp, content}`, current libsession `{type 7, sourceDevice 1,
 * timestamp, content, proSig}` — and readers accept both; the sender always comes from the
 * signed inner dict, never from the envelope.
 *
 * The Envelope is coded here with a minimal protobuf codec (field numbers of SessionProtos.proto,
 * the same bytes as the envelope module's `encodeEnvelope`, which is tested) so that the groups
 * subpath does not pull in the full protobuf runtime and schema.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError } from '../errors.js';
import type { SessionEnvelope } from '../envelope/wire.js';
import { assertBytes, concatBytes, fromUtf8, randomBytes, utf8 } from '../util/bytes.js';
import { protoBytes, protoBytesField, protoError, protoFields, protoInt, protoIntField } from './proto-lite.js';
import type { GroupKeys } from './group-keys.js';
import { decryptGroupMessage, encryptGroupMessage, type DecryptGroupMessageOptions, type EncryptGroupMessageOptions } from './message.js';

/**
 * Options for {@link encryptGroupContent}.
 *
 * @example
 * ```ts
 * const opts: EncryptGroupContentOptions = { timestampMs: sentAt, style: 'libsession' };
 * const wire = await encryptGroupContent(keys, encodeContent(content), opts);
 * ```
 */
export interface EncryptGroupContentOptions extends EncryptGroupMessageOptions {
  /** Sent time (ms) for the envelope. */
  timestampMs: number;
  /**
   * `'libsession'` (default): `sourceDevice = 1` and a `proSig` — the given Session Pro signature
   * or, without one, a decoy indistinguishable from one (random R ‖ random scalar), as libsession
   * writes. `'desktop'`: `source = group id`, no proSig (older desktop writers, the vectors).
   */
  style?: 'libsession' | 'desktop';
  /** A real 64-byte Session Pro signature over `content` (libsession style only). */
  proSig?: Uint8Array;
}

const ENVELOPE_TYPE = { SESSION_MESSAGE: 6, CLOSED_GROUP_MESSAGE: 7 } as const;

/** `Envelope` bytes, fields in number order (canonical protobuf encoding). */
function encodeGroupEnvelope(env: SessionEnvelope): Uint8Array {
  const parts = [protoIntField(1, ENVELOPE_TYPE[env.type])];
  if (env.source !== undefined) parts.push(protoBytesField(2, utf8(env.source)));
  parts.push(protoIntField(5, env.timestamp));
  if (env.sourceDevice !== undefined) parts.push(protoIntField(7, env.sourceDevice));
  if (env.content !== undefined) parts.push(protoBytesField(8, env.content));
  if (env.proSig !== undefined) parts.push(protoBytesField(11, env.proSig));
  return concatBytes(...parts);
}

/** Parses an `Envelope`; `type` (6 or 7) and `timestamp` are required as upstream. */
function decodeGroupEnvelope(bytes: Uint8Array): SessionEnvelope {
  const W = 'group envelope';
  let type: number | undefined;
  let timestamp: number | undefined;
  const out: Partial<SessionEnvelope> = {};
  for (const [no, wt, v] of protoFields(bytes, W)) {
    if (no === 1) type = protoInt(W, no, wt, v);
    else if (no === 2) out.source = fromUtf8(protoBytes(W, no, wt, v));
    else if (no === 5) timestamp = protoInt(W, no, wt, v);
    else if (no === 7) out.sourceDevice = protoInt(W, no, wt, v);
    else if (no === 8) out.content = protoBytes(W, no, wt, v);
    else if (no === 10) out.serverTimestamp = protoInt(W, no, wt, v);
    else if (no === 11) out.proSig = protoBytes(W, no, wt, v);
  }
  if (type !== 6 && type !== 7) protoError(W, 'no (known) type');
  if (timestamp === undefined) protoError(W, 'no timestamp');
  return { ...out, type: type === 6 ? 'SESSION_MESSAGE' : 'CLOSED_GROUP_MESSAGE', timestamp };
}

/** A libsession decoy for `proSig`: a random curve point and a random reduced scalar. */
function decoyProSig(): Uint8Array {
  const Fn = ed25519.Point.Fn;
  const rnd = () => Fn.create(BigInt('0x' + Array.from(randomBytes(64), (b) => b.toString(16).padStart(2, '0')).join('')));
  let r = rnd();
  while (r === 0n) r = rnd();
  const out = new Uint8Array(64);
  out.set(ed25519.Point.BASE.multiply(r).toBytes(), 0);
  out.set(Fn.toBytes(rnd()), 32);
  return out;
}

/**
 * Wraps `content` (a serialized `Content`) in an Envelope and encrypts it for the group.
 *
 * @example
 * ```ts
 * const wire = await encryptGroupContent(keys, encodeContent(content), { timestampMs: Date.now() });
 * ```
 */
export async function encryptGroupContent(keys: GroupKeys, content: Uint8Array, opts: EncryptGroupContentOptions): Promise<Uint8Array> {
  assertBytes(content, 'content');
  if (typeof opts !== 'object' || opts === null) throw new SessionSdkError('INVALID_INPUT', 'encryptGroupContent needs options with timestampMs');
  const style = opts.style ?? 'libsession';
  let env: SessionEnvelope;
  if (style === 'desktop') {
    if (opts.proSig !== undefined) throw new SessionSdkError('INVALID_INPUT', 'proSig is only written in the libsession style');
    env = { type: 'CLOSED_GROUP_MESSAGE', source: keys.groupId, timestamp: opts.timestampMs, content };
  } else if (style === 'libsession') {
    if (opts.proSig !== undefined) assertBytes(opts.proSig, 'proSig', 64);
    env = { type: 'CLOSED_GROUP_MESSAGE', sourceDevice: 1, timestamp: opts.timestampMs, content, proSig: opts.proSig ?? decoyProSig() };
  } else throw new SessionSdkError('INVALID_INPUT', `unknown envelope style ${String(style)}`);
  if (!Number.isSafeInteger(opts.timestampMs) || opts.timestampMs < 0) throw new SessionSdkError('INVALID_INPUT', 'timestampMs must be a non-negative integer');
  return encryptGroupMessage(keys, encodeGroupEnvelope(env), opts);
}

/**
 * Result of {@link decryptGroupContent}.
 *
 * @example
 * ```ts
 * const msg: DecryptedGroupContent = await decryptGroupContent(keys, wire);
 * console.log(msg.senderSessionId, decodeContent(msg.content).dataMessage?.body, msg.envelope.timestamp);
 * ```
 */
export interface DecryptedGroupContent {
  /** The serialized `Content`: decode it with the envelope module's `decodeContent`, which (as libsession's reader) rejects anything else. */
  content: Uint8Array;
  /** From the signed inner dict (the envelope's `source` is not trusted). */
  senderSessionId: string;
  /** The decoded outer Envelope (timestamps, proSig); its `source` is not authenticated. */
  envelope: SessionEnvelope;
  /** True only when `allowOldSignature` accepted a pre-February-2025 body-only signature. */
  oldSignature: boolean;
}

/**
 * Decrypts a namespace-11 message and unwraps its Envelope with libsession's reader rules:
 * `content` required (and must decode as `Content`: the caller's `decodeContent` checks that), `proSig` 64 bytes if present, `source` absent, empty or a 66-hex ID; the
 * envelope type is not checked. Throws like {@link decryptGroupMessage}, plus `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const { content, senderSessionId } = await decryptGroupContent(keys, wire);
 * ```
 */
export async function decryptGroupContent(keys: GroupKeys, ciphertext: Uint8Array, opts: DecryptGroupMessageOptions = {}): Promise<DecryptedGroupContent> {
  const m = await decryptGroupMessage(keys, ciphertext, opts);
  const envelope = decodeGroupEnvelope(m.plaintext);
  if (!envelope.content || envelope.content.length === 0) throw new SessionSdkError('INVALID_ENCODING', 'group envelope has no content');
  if (envelope.proSig !== undefined && envelope.proSig.length !== 64) throw new SessionSdkError('INVALID_ENCODING', 'group envelope proSig must be 64 bytes');
  if (envelope.source !== undefined && envelope.source !== '' && !/^[0-9a-fA-F]{66}$/.test(envelope.source)) {
    throw new SessionSdkError('INVALID_ENCODING', 'group envelope source is not a 66-hex ID');
  }
  return { content: envelope.content, senderSessionId: m.senderSessionId, envelope, oldSignature: m.oldSignature };
}
