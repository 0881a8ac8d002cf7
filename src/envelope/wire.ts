/**
 * Session wire framing (spec/identity-envelope.md §3.5, §5): the `Envelope` and `WebSocketMessage`
 * wrappers a 1:1 message travels in, and the parts of `Content` an application needs. Encoding and
 * decoding use @bufbuild/protobuf with code generated from our own `.proto` files (./proto/, output
 * in ./gen/); this module maps those messages to plain, validated TypeScript objects. Decoders
 * never let a library error escape: malformed input is `SessionSdkError('INVALID_ENCODING')`.
 * @module
 */
import { create, fromBinary, isFieldSet, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { SessionSdkError } from '../errors.js';
import { assertBytes } from '../util/bytes.js';
import {
  AttachmentPointerSchema,
  Content_ExpirationType,
  ContentSchema,
  DataMessageSchema,
  Envelope_Type,
  EnvelopeSchema,
  LokiProfileSchema,
  ReceiptMessage_Type,
  ReceiptMessageSchema,
  TypingMessage_Action,
  TypingMessageSchema,
  UnsendRequestSchema,
  type AttachmentPointer,
  type DataMessage,
} from './gen/session_pb.js';
import { WebSocketMessage_Type, WebSocketMessageSchema, WebSocketRequestMessageSchema } from './gen/websocket_pb.js';

/**
 * Largest protobuf input the decoders accept (1 MiB). Swarm messages are at most 76 800 bytes and
 * a decrypted group message at most 1 MB, so anything larger is refused before parsing.
 *
 * @example
 * ```ts
 * if (bytes.length > WIRE_MAX_SIZE) return; // decodeContent would throw TOO_LARGE
 * ```
 */
export const WIRE_MAX_SIZE = 1_048_576;

// ---------------------------------------------------------------------------------------------
// Plain types
// ---------------------------------------------------------------------------------------------

/**
 * `Envelope.type`: a 1:1 (sealed-box) message or a groups-v2 message.
 *
 * @example
 * ```ts
 * const type: EnvelopeType = isGroup ? 'CLOSED_GROUP_MESSAGE' : 'SESSION_MESSAGE';
 * ```
 */
export type EnvelopeType = 'SESSION_MESSAGE' | 'CLOSED_GROUP_MESSAGE';

/**
 * Session's outer `Envelope`. Times are milliseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * const env: SessionEnvelope = { type: 'SESSION_MESSAGE', timestamp: sentAt, sourceDevice: 1, content };
 * const data = wrapForSwarm(env);
 * ```
 */
export interface SessionEnvelope {
  /** 1:1 (sealed-box) message or groups-v2 message. */
  type: EnvelopeType;
  /** Sent time in ms (upstream: required). */
  timestamp: number;
  /** Sender ID; not set for 1:1 messages. */
  source?: string;
  /** libsession sets 1. */
  sourceDevice?: number;
  /** The encrypted payload: for 1:1, `encryptForRecipient(…, padMessage(content))`. */
  content?: Uint8Array;
  /** Set by receivers / the storage server, not by senders. */
  serverTimestamp?: number;
  /** Session Pro signature over `content`, or a decoy (spec §3.5, open question 4). */
  proSig?: Uint8Array;
}

/**
 * Disappearing-message mode (`Content.expirationType`).
 *
 * @example
 * ```ts
 * const content = encodeContent({ dataMessage, expirationType: 'DELETE_AFTER_SEND', expirationTimer: 86_400 });
 * ```
 */
export type ExpirationType = 'UNKNOWN' | 'DELETE_AFTER_READ' | 'DELETE_AFTER_SEND';

/**
 * An `AttachmentPointer`: where a file is and how to decrypt it (see the attachments API).
 *
 * @example
 * ```ts
 * const pointer: SessionAttachmentPointer = { id: 1234n, key, size: file.length, digest, url, contentType: 'image/png' };
 * encodeContent({ dataMessage: { attachments: [pointer], timestamp: sentAt } });
 * ```
 */
export interface SessionAttachmentPointer {
  /** File-server id (fixed64; upstream: required). */
  id: bigint;
  /** MIME type of the plaintext file, e.g. `image/jpeg`. */
  contentType?: string;
  /** 64-byte legacy key or 32-byte libsession key. */
  key?: Uint8Array;
  /** Unpadded plaintext size. */
  size?: number;
  /** Optional inline thumbnail image bytes. */
  thumbnail?: Uint8Array;
  /** SHA-256 of the legacy encrypted blob. */
  digest?: Uint8Array;
  /** The sender's original file name. */
  fileName?: string;
  /** Bit 1 = voice message. */
  flags?: number;
  /** Image or video width in pixels. */
  width?: number;
  /** Image or video height in pixels. */
  height?: number;
  /** Caption text shown with the attachment. */
  caption?: string;
  /** File-server URL the encrypted blob is downloaded from. */
  url?: string;
}

/**
 * `LokiProfile`: display name and profile picture URL.
 *
 * @example
 * ```ts
 * const profile: SessionProfile = { displayName: 'Alice', lastUpdateSeconds: Math.floor(Date.now() / 1000) };
 * encodeContent({ dataMessage: { body: 'hi', profile, timestamp: sentAt } });
 * ```
 */
export interface SessionProfile {
  /** The sender's display name. */
  displayName?: string;
  /** URL of the sender's encrypted profile picture (decrypt with `profileKey`). */
  profilePicture?: string;
  /** When the profile last changed, in seconds since the Unix epoch. */
  lastUpdateSeconds?: number;
}

/**
 * The parts of `DataMessage` session-sdk maps (text, attachments, profile, timestamps).
 *
 * @example
 * ```ts
 * const dataMessage: SessionDataMessage = { body: 'hi', timestamp: sentAt };
 * const content = encodeContent({ dataMessage, sigTimestamp: sentAt });
 * ```
 */
export interface SessionDataMessage {
  /** Message text. */
  body?: string;
  /** Attached files, in display order. */
  attachments?: SessionAttachmentPointer[];
  /** Bit 2 = expiration-timer update. */
  flags?: number;
  /** Key that decrypts the sender's profile picture. */
  profileKey?: Uint8Array;
  /** Sent time in ms. */
  timestamp?: number;
  /** The sender's profile, sent along so recipients can show it. */
  profile?: SessionProfile;
  /** For sync messages: the conversation the message was sent to. */
  syncTarget?: string;
}

/**
 * `Content`: what is padded and encrypted inside an envelope.
 *
 * @example
 * ```ts
 * const c: SessionContent = decodeContent(unpadMessage(plaintext));
 * if (c.typingMessage?.action === 'STARTED') showTyping();
 * ```
 */
export interface SessionContent {
  /** A visible message: text, attachments, profile. */
  dataMessage?: SessionDataMessage;
  /** Delivery or read receipts for the messages sent at `timestamps` (ms). */
  receiptMessage?: { type: 'DELIVERY' | 'READ'; timestamps: number[] };
  /** Typing indicator started or stopped. */
  typingMessage?: { timestamp: number; action: 'STARTED' | 'STOPPED' };
  /** Asks recipients to delete the message `author` sent at `timestamp` (ms). */
  unsendRequest?: { timestamp: number; author: string };
  /** Disappearing-message mode for this message. */
  expirationType?: ExpirationType;
  /** Disappearing-message timer in seconds. */
  expirationTimer?: number;
  /** Sender-signed copy of the envelope timestamp (ms). */
  sigTimestamp?: number;
}

/**
 * A decoded `WebSocketMessage` (only the request form carries a Session message).
 *
 * @example
 * ```ts
 * const frame: WebSocketFrame = decodeWebSocketMessage(bytes);
 * const envelope = frame.request?.body ? decodeEnvelope(frame.request.body) : undefined;
 * ```
 */
export interface WebSocketFrame {
  /** Frame type; Session messages are stored as `REQUEST`. */
  type: 'UNKNOWN' | 'REQUEST' | 'RESPONSE';
  /** The request; its `body` carries the serialized Envelope. */
  request?: { verb?: string; path?: string; body?: Uint8Array; requestId?: bigint; headers: string[] };
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

function bad(msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', msg);
}
function badInput(msg: string): never {
  throw new SessionSdkError('INVALID_INPUT', msg);
}

/** A non-negative safe integer for a uint64 field (ms timestamps fit comfortably). */
function u64In(v: unknown, name: string): bigint {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) badInput(`${name} must be a non-negative safe integer`);
  return BigInt(v);
}
function u32In(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) badInput(`${name} must be a uint32`);
  return v;
}
function strIn(v: unknown, name: string): string {
  if (typeof v !== 'string') badInput(`${name} must be a string`);
  return v;
}
function bytesIn(v: unknown, name: string): Uint8Array {
  if (!(v instanceof Uint8Array)) badInput(`${name} must be a Uint8Array`);
  return v;
}
function u64Out(v: bigint, name: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) bad(`${name} is out of range`);
  return Number(v);
}

/** `table[key]` for the table's own keys only (so `'toString'` or `'__proto__'` never match). */
function ownValue<T>(table: Record<string, T>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Field presence on a decoded message (proto2 semantics). */
function has<D extends DescMessage>(schema: D, msg: MessageShape<D>, field: string): boolean {
  const f = schema.field[field];
  if (!f) throw new Error(`no field ${field}`); // programming error, never input-driven
  return isFieldSet(msg, f);
}

function decode<D extends DescMessage>(schema: D, bytes: Uint8Array, what: string): MessageShape<D> {
  assertBytes(bytes, what);
  if (bytes.length > WIRE_MAX_SIZE) throw new SessionSdkError('TOO_LARGE', `${what} is larger than ${WIRE_MAX_SIZE} bytes`);
  try {
    return fromBinary(schema, bytes, { readUnknownFields: true });
  } catch (e) {
    throw new SessionSdkError('INVALID_ENCODING', `${what} is not a valid protobuf message`, { cause: e });
  }
}

function encode<D extends DescMessage>(schema: D, msg: MessageShape<D>, what: string): Uint8Array {
  try {
    return toBinary(schema, msg);
  } catch (e) {
    throw new SessionSdkError('INVALID_INPUT', `${what} could not be encoded`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------

const ENVELOPE_TYPES: Record<EnvelopeType, Envelope_Type> = {
  SESSION_MESSAGE: Envelope_Type.SESSION_MESSAGE,
  CLOSED_GROUP_MESSAGE: Envelope_Type.CLOSED_GROUP_MESSAGE,
};

/**
 * Serializes an `Envelope` (fields in number order, byte-identical to libsession's encoder).
 * Throws `INVALID_INPUT` for a missing or ill-typed field.
 *
 * @example
 * ```ts
 * const env = encodeEnvelope({ type: 'SESSION_MESSAGE', timestamp: Date.now(), sourceDevice: 1, content });
 * ```
 */
export function encodeEnvelope(env: SessionEnvelope): Uint8Array {
  if (typeof env !== 'object' || env === null) badInput('envelope must be an object');
  const type = ownValue(ENVELOPE_TYPES, env.type);
  if (type === undefined) badInput('envelope type must be SESSION_MESSAGE or CLOSED_GROUP_MESSAGE');
  const init: MessageInitShape<typeof EnvelopeSchema> = { type, timestamp: u64In(env.timestamp, 'envelope timestamp') };
  if (env.source !== undefined) init.source = strIn(env.source, 'envelope source');
  if (env.sourceDevice !== undefined) init.sourceDevice = u32In(env.sourceDevice, 'envelope sourceDevice');
  if (env.content !== undefined) init.content = bytesIn(env.content, 'envelope content');
  if (env.serverTimestamp !== undefined) init.serverTimestamp = u64In(env.serverTimestamp, 'envelope serverTimestamp');
  if (env.proSig !== undefined) init.proSig = bytesIn(env.proSig, 'envelope proSig');
  return encode(EnvelopeSchema, create(EnvelopeSchema, init), 'envelope');
}

/**
 * Parses an `Envelope`. `type` (6 or 7) and `timestamp` are required, as upstream; unknown fields
 * are ignored. Throws `INVALID_ENCODING` (or `TOO_LARGE` above {@link WIRE_MAX_SIZE}).
 *
 * @example
 * ```ts
 * const { content, timestamp } = decodeEnvelope(bytes);
 * ```
 */
export function decodeEnvelope(bytes: Uint8Array): SessionEnvelope {
  const m = decode(EnvelopeSchema, bytes, 'envelope');
  if (!has(EnvelopeSchema, m, 'type')) bad('envelope has no (known) type');
  if (!has(EnvelopeSchema, m, 'timestamp')) bad('envelope has no timestamp');
  const out: SessionEnvelope = {
    type: m.type === Envelope_Type.SESSION_MESSAGE ? 'SESSION_MESSAGE' : 'CLOSED_GROUP_MESSAGE',
    timestamp: u64Out(m.timestamp, 'envelope timestamp'),
  };
  if (has(EnvelopeSchema, m, 'source')) out.source = m.source;
  if (has(EnvelopeSchema, m, 'sourceDevice')) out.sourceDevice = m.sourceDevice;
  if (has(EnvelopeSchema, m, 'content')) out.content = m.content;
  if (has(EnvelopeSchema, m, 'serverTimestamp')) out.serverTimestamp = u64Out(m.serverTimestamp, 'envelope serverTimestamp');
  if (has(EnvelopeSchema, m, 'proSig')) out.proSig = m.proSig;
  return out;
}

// ---------------------------------------------------------------------------------------------
// WebSocketMessage
// ---------------------------------------------------------------------------------------------

/**
 * Wraps a serialized Envelope the way 1:1 messages are stored in a swarm:
 * `WebSocketMessage{type: REQUEST, request: {verb: "", path: "", body, requestId: 0}}`
 * (spec §3.5; the empty verb/path and zero id are written explicitly, as libsession does).
 *
 * @example
 * ```ts
 * const stored = encodeWebSocketMessage(encodeEnvelope(env));
 * ```
 */
export function encodeWebSocketMessage(envelopeBytes: Uint8Array): Uint8Array {
  assertBytes(envelopeBytes, 'envelope bytes');
  const request = create(WebSocketRequestMessageSchema, { verb: '', path: '', body: envelopeBytes, requestId: 0n });
  return encode(WebSocketMessageSchema, create(WebSocketMessageSchema, { type: WebSocketMessage_Type.REQUEST, request }), 'WebSocketMessage');
}

/**
 * Parses a `WebSocketMessage`. Throws `INVALID_ENCODING` for malformed bytes.
 *
 * @example
 * ```ts
 * const frame = decodeWebSocketMessage(bytes);
 * if (frame.type === 'REQUEST') decodeEnvelope(frame.request!.body!);
 * ```
 */
export function decodeWebSocketMessage(bytes: Uint8Array): WebSocketFrame {
  const m = decode(WebSocketMessageSchema, bytes, 'WebSocketMessage');
  const type = !has(WebSocketMessageSchema, m, 'type')
    ? 'UNKNOWN'
    : m.type === WebSocketMessage_Type.REQUEST
      ? 'REQUEST'
      : m.type === WebSocketMessage_Type.RESPONSE
        ? 'RESPONSE'
        : 'UNKNOWN';
  const frame: WebSocketFrame = { type };
  if (m.request) {
    const r = m.request;
    const S = WebSocketRequestMessageSchema;
    frame.request = { headers: [...r.headers] };
    if (has(S, r, 'verb')) frame.request.verb = r.verb;
    if (has(S, r, 'path')) frame.request.path = r.path;
    if (has(S, r, 'body')) frame.request.body = r.body;
    if (has(S, r, 'requestId')) frame.request.requestId = r.requestId;
  }
  return frame;
}

/**
 * Frames an envelope for storage in the recipient's swarm: `WebSocketMessage(Envelope)` (spec
 * §3.5, §5). Base64-encode the result for the storage RPC.
 *
 * @example
 * ```ts
 * const data = wrapForSwarm({ type: 'SESSION_MESSAGE', timestamp: sentAt, sourceDevice: 1, content: ciphertext });
 * ```
 */
export function wrapForSwarm(envelope: SessionEnvelope): Uint8Array {
  return encodeWebSocketMessage(encodeEnvelope(envelope));
}

/**
 * Reverses {@link wrapForSwarm}: accepts the stored bytes or their base64 text (as the storage
 * RPC returns them) and returns the Envelope. Throws `INVALID_ENCODING` unless the input is a
 * WebSocketMessage whose request body is a valid Envelope.
 *
 * @example
 * ```ts
 * const env = unwrapFromSwarm(msg.data);
 * const { plaintext } = await decryptIncoming(me.ed25519SecretKey, env.content!);
 * ```
 */
export function unwrapFromSwarm(data: Uint8Array | string): SessionEnvelope {
  const bytes = typeof data === 'string' ? swarmBase64ToBytes(data) : data;
  const frame = decodeWebSocketMessage(bytes);
  // Like libsession's decode_envelope, only the presence of a request body matters, not `type`.
  if (!frame.request?.body) bad('swarm message is not a WebSocket request carrying an envelope');
  return decodeEnvelope(frame.request.body);
}

/**
 * Decodes the base64 `data` of a storage-RPC message strictly: standard alphabet, padding optional,
 * canonical only (unused trailing bits zero), so each payload has one text form. Throws
 * `INVALID_ENCODING` (or `TOO_LARGE`).
 *
 * @example
 * ```ts
 * const bytes = swarmBase64ToBytes(msg.data);
 * ```
 */
export function swarmBase64ToBytes(s: string): Uint8Array {
  if (typeof s !== 'string') throw new SessionSdkError('INVALID_INPUT', 'base64 data must be a string');
  if (s.length > Math.ceil((WIRE_MAX_SIZE * 4) / 3) + 4) throw new SessionSdkError('TOO_LARGE', 'base64 input is too large');
  const unpadded = s.endsWith('==') ? s.slice(0, -2) : s.endsWith('=') ? s.slice(0, -1) : s;
  if (unpadded !== s && s.length % 4 !== 0) bad('swarm message is not valid base64');
  if (!/^[A-Za-z0-9+/]*$/.test(unpadded) || unpadded.length % 4 === 1) bad('swarm message is not valid base64');
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(padded);
  } catch {
    bad('swarm message is not valid base64');
  }
  if (btoa(bin) !== padded) bad('swarm message is not canonical base64');
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

// ---------------------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------------------

const EXPIRATION_TYPES: Record<ExpirationType, Content_ExpirationType> = {
  UNKNOWN: Content_ExpirationType.UNKNOWN,
  DELETE_AFTER_READ: Content_ExpirationType.DELETE_AFTER_READ,
  DELETE_AFTER_SEND: Content_ExpirationType.DELETE_AFTER_SEND,
};

function attachmentIn(a: SessionAttachmentPointer, i: number): AttachmentPointer {
  const n = `attachments[${i}]`;
  if (typeof a !== 'object' || a === null) badInput(`${n} must be an object`);
  if (typeof a.id !== 'bigint' || a.id < 0n || a.id > 0xffffffffffffffffn) badInput(`${n}.id must be a uint64 bigint`);
  const init: MessageInitShape<typeof AttachmentPointerSchema> = { id: a.id };
  if (a.contentType !== undefined) init.contentType = strIn(a.contentType, `${n}.contentType`);
  if (a.key !== undefined) init.key = bytesIn(a.key, `${n}.key`);
  if (a.size !== undefined) init.size = u32In(a.size, `${n}.size`);
  if (a.thumbnail !== undefined) init.thumbnail = bytesIn(a.thumbnail, `${n}.thumbnail`);
  if (a.digest !== undefined) init.digest = bytesIn(a.digest, `${n}.digest`);
  if (a.fileName !== undefined) init.fileName = strIn(a.fileName, `${n}.fileName`);
  if (a.flags !== undefined) init.flags = u32In(a.flags, `${n}.flags`);
  if (a.width !== undefined) init.width = u32In(a.width, `${n}.width`);
  if (a.height !== undefined) init.height = u32In(a.height, `${n}.height`);
  if (a.caption !== undefined) init.caption = strIn(a.caption, `${n}.caption`);
  if (a.url !== undefined) init.url = strIn(a.url, `${n}.url`);
  return create(AttachmentPointerSchema, init);
}

function attachmentOut(a: AttachmentPointer): SessionAttachmentPointer {
  const S = AttachmentPointerSchema;
  if (!has(S, a, 'id')) bad('attachment pointer has no id');
  const out: SessionAttachmentPointer = { id: a.id };
  if (has(S, a, 'contentType')) out.contentType = a.contentType;
  if (has(S, a, 'key')) out.key = a.key;
  if (has(S, a, 'size')) out.size = a.size;
  if (has(S, a, 'thumbnail')) out.thumbnail = a.thumbnail;
  if (has(S, a, 'digest')) out.digest = a.digest;
  if (has(S, a, 'fileName')) out.fileName = a.fileName;
  if (has(S, a, 'flags')) out.flags = a.flags;
  if (has(S, a, 'width')) out.width = a.width;
  if (has(S, a, 'height')) out.height = a.height;
  if (has(S, a, 'caption')) out.caption = a.caption;
  if (has(S, a, 'url')) out.url = a.url;
  return out;
}

function dataMessageIn(d: SessionDataMessage): DataMessage {
  if (typeof d !== 'object' || d === null) badInput('dataMessage must be an object');
  const init: MessageInitShape<typeof DataMessageSchema> = {};
  if (d.body !== undefined) init.body = strIn(d.body, 'dataMessage.body');
  if (d.attachments !== undefined) {
    if (!Array.isArray(d.attachments)) badInput('dataMessage.attachments must be an array');
    init.attachments = d.attachments.map(attachmentIn);
  }
  if (d.flags !== undefined) init.flags = u32In(d.flags, 'dataMessage.flags');
  if (d.profileKey !== undefined) init.profileKey = bytesIn(d.profileKey, 'dataMessage.profileKey');
  if (d.timestamp !== undefined) init.timestamp = u64In(d.timestamp, 'dataMessage.timestamp');
  if (d.profile !== undefined) {
    const p = d.profile;
    if (typeof p !== 'object' || p === null) badInput('dataMessage.profile must be an object');
    const pi: { displayName?: string; profilePicture?: string; lastUpdateSeconds?: bigint } = {};
    if (p.displayName !== undefined) pi.displayName = strIn(p.displayName, 'profile.displayName');
    if (p.profilePicture !== undefined) pi.profilePicture = strIn(p.profilePicture, 'profile.profilePicture');
    if (p.lastUpdateSeconds !== undefined) pi.lastUpdateSeconds = u64In(p.lastUpdateSeconds, 'profile.lastUpdateSeconds');
    init.profile = create(LokiProfileSchema, pi);
  }
  if (d.syncTarget !== undefined) init.syncTarget = strIn(d.syncTarget, 'dataMessage.syncTarget');
  return create(DataMessageSchema, init);
}

function dataMessageOut(d: DataMessage): SessionDataMessage {
  const S = DataMessageSchema;
  const out: SessionDataMessage = {};
  if (has(S, d, 'body')) out.body = d.body;
  if (d.attachments.length > 0) out.attachments = d.attachments.map(attachmentOut);
  if (has(S, d, 'flags')) out.flags = d.flags;
  if (has(S, d, 'profileKey')) out.profileKey = d.profileKey;
  if (has(S, d, 'timestamp')) out.timestamp = u64Out(d.timestamp, 'dataMessage.timestamp');
  if (d.profile) {
    const P = LokiProfileSchema;
    const p: SessionProfile = {};
    if (has(P, d.profile, 'displayName')) p.displayName = d.profile.displayName;
    if (has(P, d.profile, 'profilePicture')) p.profilePicture = d.profile.profilePicture;
    if (has(P, d.profile, 'lastUpdateSeconds')) p.lastUpdateSeconds = u64Out(d.profile.lastUpdateSeconds, 'profile.lastUpdateSeconds');
    out.profile = p;
  }
  if (has(S, d, 'syncTarget')) out.syncTarget = d.syncTarget;
  return out;
}

/**
 * Serializes a `Content` message (pad it with `padMessage` before encrypting a 1:1 message).
 * Throws `INVALID_INPUT` for ill-typed fields.
 *
 * @example
 * ```ts
 * const content = encodeContent({ dataMessage: { body: 'hi', timestamp: sentAt }, sigTimestamp: sentAt });
 * ```
 */
export function encodeContent(c: SessionContent): Uint8Array {
  if (typeof c !== 'object' || c === null) badInput('content must be an object');
  const init: MessageInitShape<typeof ContentSchema> = {};
  if (c.dataMessage !== undefined) init.dataMessage = dataMessageIn(c.dataMessage);
  if (c.receiptMessage !== undefined) {
    const r = c.receiptMessage;
    if (typeof r !== 'object' || r === null || (r.type !== 'DELIVERY' && r.type !== 'READ') || !Array.isArray(r.timestamps)) {
      badInput('receiptMessage must be { type: DELIVERY | READ, timestamps: number[] }');
    }
    init.receiptMessage = create(ReceiptMessageSchema, {
      type: r.type === 'READ' ? ReceiptMessage_Type.READ : ReceiptMessage_Type.DELIVERY,
      timestamp: r.timestamps.map((t, i) => u64In(t, `receiptMessage.timestamps[${i}]`)),
    });
  }
  if (c.typingMessage !== undefined) {
    const t = c.typingMessage;
    if (typeof t !== 'object' || t === null || (t.action !== 'STARTED' && t.action !== 'STOPPED')) {
      badInput('typingMessage must be { timestamp, action: STARTED | STOPPED }');
    }
    init.typingMessage = create(TypingMessageSchema, {
      timestamp: u64In(t.timestamp, 'typingMessage.timestamp'),
      action: t.action === 'STOPPED' ? TypingMessage_Action.STOPPED : TypingMessage_Action.STARTED,
    });
  }
  if (c.unsendRequest !== undefined) {
    const u = c.unsendRequest;
    if (typeof u !== 'object' || u === null) badInput('unsendRequest must be an object');
    init.unsendRequest = create(UnsendRequestSchema, {
      timestamp: u64In(u.timestamp, 'unsendRequest.timestamp'),
      author: strIn(u.author, 'unsendRequest.author'),
    });
  }
  if (c.expirationType !== undefined) {
    const e = ownValue(EXPIRATION_TYPES, c.expirationType);
    if (e === undefined) badInput('expirationType must be UNKNOWN, DELETE_AFTER_READ or DELETE_AFTER_SEND');
    init.expirationType = e;
  }
  if (c.expirationTimer !== undefined) init.expirationTimer = u32In(c.expirationTimer, 'expirationTimer');
  if (c.sigTimestamp !== undefined) init.sigTimestamp = u64In(c.sigTimestamp, 'sigTimestamp');
  return encode(ContentSchema, create(ContentSchema, init), 'content');
}

/**
 * Parses a `Content` message (after `unpadMessage`). Fields session-sdk does not map are ignored;
 * sub-messages missing a field upstream marks required are rejected. Throws `INVALID_ENCODING`
 * (or `TOO_LARGE` above {@link WIRE_MAX_SIZE}).
 *
 * @example
 * ```ts
 * const { dataMessage } = decodeContent(unpadMessage(plaintext));
 * console.log(dataMessage?.body);
 * ```
 */
export function decodeContent(bytes: Uint8Array): SessionContent {
  const m = decode(ContentSchema, bytes, 'content');
  const S = ContentSchema;
  const out: SessionContent = {};
  if (m.dataMessage) out.dataMessage = dataMessageOut(m.dataMessage);
  if (m.receiptMessage) {
    const r = m.receiptMessage;
    if (!has(ReceiptMessageSchema, r, 'type')) bad('receiptMessage has no (known) type');
    out.receiptMessage = {
      type: r.type === ReceiptMessage_Type.READ ? 'READ' : 'DELIVERY',
      timestamps: r.timestamp.map((t) => u64Out(t, 'receiptMessage.timestamp')),
    };
  }
  if (m.typingMessage) {
    const t = m.typingMessage;
    if (!has(TypingMessageSchema, t, 'timestamp') || !has(TypingMessageSchema, t, 'action')) bad('typingMessage lacks timestamp or action');
    out.typingMessage = {
      timestamp: u64Out(t.timestamp, 'typingMessage.timestamp'),
      action: t.action === TypingMessage_Action.STOPPED ? 'STOPPED' : 'STARTED',
    };
  }
  if (m.unsendRequest) {
    const u = m.unsendRequest;
    if (!has(UnsendRequestSchema, u, 'timestamp') || !has(UnsendRequestSchema, u, 'author')) bad('unsendRequest lacks timestamp or author');
    out.unsendRequest = { timestamp: u64Out(u.timestamp, 'unsendRequest.timestamp'), author: u.author };
  }
  if (has(S, m, 'expirationType')) {
    out.expirationType =
      m.expirationType === Content_ExpirationType.DELETE_AFTER_READ
        ? 'DELETE_AFTER_READ'
        : m.expirationType === Content_ExpirationType.DELETE_AFTER_SEND
          ? 'DELETE_AFTER_SEND'
          : 'UNKNOWN';
  }
  if (has(S, m, 'expirationTimer')) out.expirationTimer = m.expirationTimer;
  if (has(S, m, 'sigTimestamp')) out.sigTimestamp = u64Out(m.sigTimestamp, 'sigTimestamp');
  return out;
}
