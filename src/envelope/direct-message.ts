/**
 * One call each way for a Session 1:1 message as it is stored in a swarm (spec/identity-envelope.md
 * §3.5, §5): `Content` → pad → Session Protocol v1 → `Envelope` → `WebSocketMessage`, and back.
 * Mirrors libsession's `encode_for_1o1` and the 1:1 path of `decode_envelope`.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, randomBytes, wipe } from '../util/bytes.js';
import { padMessage, unpadMessage } from './padding.js';
import { decryptIncoming, encryptForRecipient } from './session-protocol.js';
import { decodeContent, encodeContent, swarmBase64ToBytes as unwrapBase64, unwrapFromSwarm, wrapForSwarm, type SessionContent, type SessionEnvelope } from './wire.js';

/**
 * A decoded incoming 1:1 message.
 *
 * @example
 * ```ts
 * const msg: DirectMessage = await decodeDirectMessage(me.ed25519SecretKey, stored.data);
 * console.log(msg.senderSessionId, msg.content.dataMessage?.body);
 * ```
 */
export interface DirectMessage {
  /** The outer envelope (timestamps, proSig, …) as received. */
  envelope: SessionEnvelope;
  /** The decoded content. */
  content: SessionContent;
  /** The unpadded `Content` bytes, for fields session-sdk does not map. */
  contentBytes: Uint8Array;
  /** The sender's `05…` Session ID, derived from the key that signed the message. */
  senderSessionId: string;
  /** The sender's 32-byte Ed25519 key, whose signature verified. */
  senderEd25519PublicKey: Uint8Array;
}

const L = ed25519.Point.Fn.ORDER;

/** A uniformly random non-zero scalar mod L (64 random bytes reduced: bias < 2^-250). */
function randomScalar(): bigint {
  for (;;) {
    const b = randomBytes(64);
    let n = 0n;
    for (let i = 63; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
    wipe(b);
    const s = n % L;
    if (s !== 0n) return s;
  }
}

function scalarBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((s >> BigInt(8 * i)) & 0xffn);
  return out;
}

/**
 * Which Session protocol a namespace-0 swarm message uses (spec/protocol-v2.md §2.6): v1 data is a
 * `WebSocketMessage`, whose first byte is a protobuf tag and never `0x00`; v2 (forward-secret,
 * post-quantum DMs, not yet supported by session-sdk) starts `00 02`. Throws `INVALID_ENCODING`
 * for empty data or an unknown `00 xx` prefix.
 *
 * @example
 * ```ts
 * if (sessionMessageVersion(data) === 1) await decodeDirectMessage(me.ed25519SecretKey, data);
 * ```
 */
export function sessionMessageVersion(data: Uint8Array): 1 | 2 {
  assertBytes(data, 'swarm message');
  if (data.length === 0) throw new SessionSdkError('INVALID_ENCODING', 'swarm message is empty');
  if (data[0] !== 0x00) return 1;
  if (data.length >= 2 && data[1] === 0x02) return 2;
  throw new SessionSdkError('INVALID_ENCODING', 'swarm message has an unknown 00-prefixed format');
}

/**
 * The decoy `Envelope.proSig` libsession attaches when the sender has no Session Pro key: a
 * well-formed Ed25519 signature shape (`R = r·B` for a random scalar `r`, `S` another random
 * scalar) that verifies against nothing, so Pro and non-Pro envelopes look alike on the wire.
 *
 * @example
 * ```ts
 * const proSig = decoyProSignature(); // 64 bytes
 * ```
 */
export function decoyProSignature(): Uint8Array {
  const out = new Uint8Array(64);
  out.set(ed25519.Point.BASE.multiply(randomScalar()).toBytes(), 0);
  out.set(scalarBytes(randomScalar()), 32);
  return out;
}

/**
 * Builds the swarm payload of a 1:1 message: pads the `Content` (given as an object or already
 * serialized), encrypts it for the recipient, puts it in an `Envelope{SESSION_MESSAGE, timestamp:
 * sentAt, sourceDevice: 1, content, proSig}` and wraps that in a `WebSocketMessage`. Base64 the
 * result for the storage RPC.
 *
 * `opts.proSig` is the Session Pro signature over the encrypted content; by default a decoy is
 * attached as current libsession does, and `false` omits the field (what older clients sent).
 * Consider setting `content.sigTimestamp` to `sentAt`: it is the signed copy of the envelope time.
 *
 * @example
 * ```ts
 * const data = await encodeDirectMessage(me.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'hi', timestamp: now }, sigTimestamp: now }, now);
 * ```
 */
export async function encodeDirectMessage(
  senderEd25519SecretKey: Uint8Array,
  recipientSessionId: string | Uint8Array,
  content: SessionContent | Uint8Array,
  sentAt: number,
  opts: { proSig?: Uint8Array | false } = {},
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(sentAt) || sentAt < 0) throw new SessionSdkError('INVALID_INPUT', 'sentAt must be a non-negative integer (ms)');
  if (opts.proSig instanceof Uint8Array && opts.proSig.length !== 64) throw new SessionSdkError('INVALID_LENGTH', 'proSig must be 64 bytes');
  const body = content instanceof Uint8Array ? content : encodeContent(content);
  const padded = padMessage(body);
  try {
    const ciphertext = await encryptForRecipient(senderEd25519SecretKey, recipientSessionId, padded);
    const env: SessionEnvelope = { type: 'SESSION_MESSAGE', timestamp: sentAt, sourceDevice: 1, content: ciphertext };
    if (opts.proSig !== false) env.proSig = opts.proSig ?? decoyProSignature();
    return wrapForSwarm(env);
  } finally {
    wipe(padded);
  }
}

/**
 * Opens a 1:1 swarm payload (bytes or the storage RPC's base64): unwraps the WebSocketMessage and
 * Envelope, decrypts and authenticates the content (see `decryptIncoming`), unpads and decodes it.
 * As libsession does, the envelope must carry content, a `proSig` if present must be 64 bytes,
 * a `source` if present must be empty or a 66-character ID, and `Envelope.type` is not consulted
 * (the namespace decides). The Pro signature itself is not verified here.
 *
 * Throws `UNSUPPORTED_VERSION` for a Session Protocol v2 message (`00 02…`, see
 * {@link sessionMessageVersion}), `INVALID_ENCODING` for framing errors and undecodable content, `BAD_PADDING` for an
 * all-zero plaintext, and the `decryptIncoming` errors (`DECRYPT_FAILED`, `BAD_SIGNATURE`,
 * `TOO_LARGE`).
 *
 * @example
 * ```ts
 * const { content, senderSessionId } = await decodeDirectMessage(me.ed25519SecretKey, msg.data);
 * ```
 */
export async function decodeDirectMessage(recipientEd25519SecretKey: Uint8Array, data: Uint8Array | string): Promise<DirectMessage> {
  const bytes = typeof data === 'string' ? unwrapBase64(data) : data;
  if (sessionMessageVersion(bytes) === 2) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', 'Session Protocol v2 messages are not supported yet');
  }
  const envelope = unwrapFromSwarm(bytes);
  const bad = (msg: string): never => {
    throw new SessionSdkError('INVALID_ENCODING', msg);
  };
  if (!envelope.content) bad('envelope has no content');
  if (envelope.proSig && envelope.proSig.length !== 64) bad('envelope proSig must be 64 bytes');
  if (envelope.source !== undefined && envelope.source.length !== 0 && envelope.source.length !== 66) bad('envelope source has an unexpected size');
  const { plaintext, senderSessionId, senderEd25519PublicKey } = await decryptIncoming(recipientEd25519SecretKey, envelope.content!);
  try {
    const contentBytes = unpadMessage(plaintext);
    return { envelope, content: decodeContent(contentBytes), contentBytes, senderSessionId, senderEd25519PublicKey };
  } finally {
    wipe(plaintext);
  }
}
