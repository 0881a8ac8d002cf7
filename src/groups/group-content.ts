/**
 * Group messages carrying Session `Content` (spec/groups.md §2.8): the plaintext of a namespace-11
 * message is a serialized `Envelope` (not bare Content, not padded). Writers differ — desktop put
 * `{type 7, source = group id, timestamp, content}`, current libsession `{type 7, sourceDevice 1,
 * timestamp, content, proSig}` — and readers accept both; the sender always comes from the
 * signed inner dict, never from the envelope.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError } from '../errors.js';
import { decodeContent, decodeEnvelope, encodeEnvelope, type SessionEnvelope } from '../envelope/wire.js';
import { assertBytes, randomBytes } from '../util/bytes.js';
import type { GroupKeys } from './group-keys.js';
import { decryptGroupMessage, encryptGroupMessage, type DecryptGroupMessageOptions, type EncryptGroupMessageOptions } from './message.js';

/** Options for {@link encryptGroupContent}. */
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
  return encryptGroupMessage(keys, encodeEnvelope(env), opts);
}

/** Result of {@link decryptGroupContent}. */
export interface DecryptedGroupContent {
  /** The serialized `Content`. */
  content: Uint8Array;
  /** From the signed inner dict (the envelope's `source` is not trusted). */
  senderSessionId: string;
  envelope: SessionEnvelope;
  oldSignature: boolean;
}

/**
 * Decrypts a namespace-11 message and unwraps its Envelope with libsession's reader rules:
 * `content` required and a valid `Content`, `proSig` 64 bytes if present, `source` absent, empty or a 66-hex ID; the
 * envelope type is not checked. Throws like {@link decryptGroupMessage}, plus `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const { content, senderSessionId } = await decryptGroupContent(keys, wire);
 * ```
 */
export async function decryptGroupContent(keys: GroupKeys, ciphertext: Uint8Array, opts: DecryptGroupMessageOptions = {}): Promise<DecryptedGroupContent> {
  const m = await decryptGroupMessage(keys, ciphertext, opts);
  const envelope = decodeEnvelope(m.plaintext);
  if (!envelope.content || envelope.content.length === 0) throw new SessionSdkError('INVALID_ENCODING', 'group envelope has no content');
  if (envelope.proSig !== undefined && envelope.proSig.length !== 64) throw new SessionSdkError('INVALID_ENCODING', 'group envelope proSig must be 64 bytes');
  if (envelope.source !== undefined && envelope.source !== '' && !/^[0-9a-fA-F]{66}$/.test(envelope.source)) {
    throw new SessionSdkError('INVALID_ENCODING', 'group envelope source is not a 66-hex ID');
  }
  decodeContent(envelope.content); // libsession rejects content that is not a Content protobuf
  return { content: envelope.content, senderSessionId: m.senderSessionId, envelope, oldSignature: m.oldSignature };
}
