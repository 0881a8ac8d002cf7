/**
 * The few protobuf messages of legacy closed groups (spec/groups.md §1.3, SignalService.proto
 * `DataMessage.ClosedGroupControlMessage`, `KeyPair`, `KeyPairWrapper`), hand-encoded: they are
 * tiny, frozen (legacy groups are gone from clients) and absent from the envelope module's schema.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes } from '../util/bytes.js';

/** `ClosedGroupControlMessage.Type` values. */
export const LegacyControlType = {
  NEW: 1,
  ENCRYPTION_KEY_PAIR: 3,
  NAME_CHANGE: 4,
  MEMBERS_ADDED: 5,
  MEMBERS_REMOVED: 6,
  MEMBER_LEFT: 7,
  ENCRYPTION_KEY_PAIR_REQUEST: 8,
} as const;

/** An X25519 key pair (`KeyPair { publicKey = 1; privateKey = 2 }`). */
export interface LegacyKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** `KeyPairWrapper { publicKey = 1 (33-byte 05 id); encryptedKeyPair = 2 }`. */
export interface LegacyKeyPairWrapper {
  publicKey: Uint8Array;
  encryptedKeyPair: Uint8Array;
}

/** The fields of `ClosedGroupControlMessage` this SDK reads and writes. */
export interface LegacyControlMessage {
  type: number;
  /** 33-byte group address (`05` ‖ X). */
  publicKey?: Uint8Array;
  name?: string;
  encryptionKeyPair?: LegacyKeyPair;
  members: Uint8Array[];
  admins: Uint8Array[];
  wrappers: LegacyKeyPairWrapper[];
  expirationTimer?: number;
}

function bad(msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', `legacy group protobuf: ${msg}`);
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

const field = (no: number, bytes: Uint8Array): Uint8Array => concatBytes(varint((no << 3) | 2), varint(bytes.length), bytes);
const intField = (no: number, v: number): Uint8Array => concatBytes(varint(no << 3), varint(v));

/** Reads `(fieldNo, wireType, value)` triples; varints as numbers, length-delimited as views. */
function* fields(buf: Uint8Array): Generator<[number, number, number | Uint8Array]> {
  let p = 0;
  const readVarint = (): number => {
    let v = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= buf.length) bad('truncated varint');
      const b = buf[p++]!;
      v += (b & 0x7f) * 2 ** (7 * i);
      if (!(b & 0x80)) {
        if (!Number.isSafeInteger(v)) bad('varint too large');
        return v;
      }
    }
    return bad('varint too long');
  };
  while (p < buf.length) {
    const tag = readVarint();
    const no = Math.floor(tag / 8);
    const wt = tag & 7;
    if (no === 0) bad('field number 0');
    if (wt === 0) yield [no, wt, readVarint()];
    else if (wt === 2) {
      const len = readVarint();
      if (len > buf.length - p) bad('length runs past the end');
      yield [no, wt, buf.subarray(p, p + len)];
      p += len;
    } else if (wt === 1) {
      if (p + 8 > buf.length) bad('truncated fixed64');
      p += 8;
    } else if (wt === 5) {
      if (p + 4 > buf.length) bad('truncated fixed32');
      p += 4;
    } else bad(`unsupported wire type ${wt}`);
  }
}

function bytesOf(no: number, wt: number, v: number | Uint8Array): Uint8Array {
  if (wt !== 2 || typeof v === 'number') bad(`field ${no} must be length-delimited`);
  return v.slice();
}

/**
 * Encodes `KeyPair { publicKey, privateKey }`.
 *
 * @example
 * ```ts
 * const bytes = encodeLegacyKeyPair({ publicKey, secretKey });
 * ```
 */
export function encodeLegacyKeyPair(kp: LegacyKeyPair): Uint8Array {
  assertBytes(kp?.publicKey, 'key pair public key', 32);
  assertBytes(kp.secretKey, 'key pair secret key', 32);
  return concatBytes(field(1, kp.publicKey), field(2, kp.secretKey));
}

/**
 * Decodes `KeyPair`; both keys must be present and 32 bytes. Throws `INVALID_ENCODING`.
 *
 * @example
 * ```ts
 * const { publicKey, secretKey } = decodeLegacyKeyPair(bytes);
 * ```
 */
export function decodeLegacyKeyPair(bytes: Uint8Array): LegacyKeyPair {
  assertBytes(bytes, 'key pair');
  let publicKey: Uint8Array | undefined;
  let secretKey: Uint8Array | undefined;
  for (const [no, wt, v] of fields(bytes)) {
    if (no === 1) publicKey = bytesOf(no, wt, v);
    else if (no === 2) secretKey = bytesOf(no, wt, v);
  }
  if (publicKey?.length !== 32 || secretKey?.length !== 32) bad('KeyPair needs 32-byte publicKey and privateKey');
  return { publicKey, secretKey };
}

/**
 * Encodes a `ClosedGroupControlMessage` (fields 1–8).
 *
 * @example
 * ```ts
 * const bytes = encodeLegacyControlMessage({ type: LegacyControlType.ENCRYPTION_KEY_PAIR, members: [], admins: [], wrappers });
 * ```
 */
export function encodeLegacyControlMessage(m: LegacyControlMessage): Uint8Array {
  const parts: Uint8Array[] = [intField(1, m.type)];
  if (m.publicKey) parts.push(field(2, m.publicKey));
  if (m.name !== undefined) parts.push(field(3, new TextEncoder().encode(m.name)));
  if (m.encryptionKeyPair) parts.push(field(4, encodeLegacyKeyPair(m.encryptionKeyPair)));
  for (const x of m.members ?? []) parts.push(field(5, x));
  for (const x of m.admins ?? []) parts.push(field(6, x));
  for (const w of m.wrappers ?? []) parts.push(field(7, concatBytes(field(1, w.publicKey), field(2, w.encryptedKeyPair))));
  if (m.expirationTimer !== undefined) parts.push(intField(8, m.expirationTimer));
  return concatBytes(...parts);
}

/**
 * Decodes a `ClosedGroupControlMessage`; unknown fields are skipped, malformed input throws
 * `INVALID_ENCODING`. `type` is required.
 *
 * @example
 * ```ts
 * const msg = decodeLegacyControlMessage(dataMessage.closedGroupControlMessage);
 * ```
 */
export function decodeLegacyControlMessage(bytes: Uint8Array): LegacyControlMessage {
  assertBytes(bytes, 'control message');
  const out: LegacyControlMessage = { type: -1, members: [], admins: [], wrappers: [] };
  for (const [no, wt, v] of fields(bytes)) {
    switch (no) {
      case 1:
      case 8:
        if (wt !== 0 || typeof v !== 'number') bad(`field ${no} must be a varint`);
        if (no === 1) out.type = v;
        else out.expirationTimer = v;
        break;
      case 2:
        out.publicKey = bytesOf(no, wt, v);
        break;
      case 3:
        out.name = new TextDecoder().decode(bytesOf(no, wt, v));
        break;
      case 4:
        out.encryptionKeyPair = decodeLegacyKeyPair(bytesOf(no, wt, v));
        break;
      case 5:
        out.members.push(bytesOf(no, wt, v));
        break;
      case 6:
        out.admins.push(bytesOf(no, wt, v));
        break;
      case 7: {
        let publicKey: Uint8Array | undefined;
        let encryptedKeyPair: Uint8Array | undefined;
        for (const [n2, w2, v2] of fields(bytesOf(no, wt, v))) {
          if (n2 === 1) publicKey = bytesOf(n2, w2, v2);
          else if (n2 === 2) encryptedKeyPair = bytesOf(n2, w2, v2);
        }
        if (!publicKey || !encryptedKeyPair) bad('KeyPairWrapper needs publicKey and encryptedKeyPair');
        out.wrappers.push({ publicKey, encryptedKeyPair });
        break;
      }
      default:
        break;
    }
  }
  if (out.type < 0) bad('control message has no type');
  return out;
}
