/**
 * The few protobuf messages of legacy closed groups (spec/groups.md §1.3, SignalService.proto
 * `DataMessage.ClosedGroupControlMessage`, `KeyPair`, `KeyPairWrapper`), hand-encoded: they are
 * tiny, frozen (legacy groups are gone from clients) and absent from the envelope module's schema.
 * @module
 */
import { assertBytes, concatBytes } from '../util/bytes.js';
import { protoBytes, protoBytesField, protoError, protoFields, protoInt, protoIntField } from './proto-lite.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * `ClosedGroupControlMessage.Type` values.
 *
 * @example
 * ```ts
 * const msg = decodeLegacyControlMessage(bytes);
 * if (msg.type === LegacyControlType.ENCRYPTION_KEY_PAIR) await openLegacyKeyPairWrappers(me.ed25519SecretKey, msg.wrappers, admins);
 * ```
 */
export const LegacyControlType = /* @__PURE__ */ deepFreeze({
  NEW: 1,
  ENCRYPTION_KEY_PAIR: 3,
  NAME_CHANGE: 4,
  MEMBERS_ADDED: 5,
  MEMBERS_REMOVED: 6,
  MEMBER_LEFT: 7,
  ENCRYPTION_KEY_PAIR_REQUEST: 8,
} as const);

/**
 * An X25519 key pair (`KeyPair { publicKey = 1; privateKey = 2 }`).
 *
 * @example
 * ```ts
 * const kp: LegacyKeyPair = generateLegacyEncryptionKeyPair();
 * const bytes = encodeLegacyKeyPair(kp);
 * ```
 */
export interface LegacyKeyPair {
  /** 32-byte X25519 public key. */
  publicKey: Uint8Array;
  /** 32-byte X25519 secret key. */
  secretKey: Uint8Array;
}

/**
 * `KeyPairWrapper { publicKey = 1 (33-byte 05 id); encryptedKeyPair = 2 }`.
 *
 * @example
 * ```ts
 * const wrappers: LegacyKeyPairWrapper[] = await makeLegacyKeyPairWrappers(admin.ed25519SecretKey, remainingIds, newPair);
 * ```
 */
export interface LegacyKeyPairWrapper {
  /** The member the key pair is wrapped for: 33 bytes, `05` ‖ the member's X25519 key. */
  publicKey: Uint8Array;
  /** The encoded `KeyPair`, Session-protocol encrypted by the admin for that member. */
  encryptedKeyPair: Uint8Array;
}

/**
 * The fields of `ClosedGroupControlMessage` this SDK reads and writes.
 *
 * @example
 * ```ts
 * const msg: LegacyControlMessage = { type: LegacyControlType.NAME_CHANGE, name: 'Old friends', members: [], admins: [], wrappers: [] };
 * const bytes = encodeLegacyControlMessage(msg);
 * ```
 */
export interface LegacyControlMessage {
  /** What the message does: one of {@link LegacyControlType}. */
  type: number;
  /** 33-byte group address (`05` ‖ X). */
  publicKey?: Uint8Array;
  /** Group name (NEW, NAME_CHANGE). */
  name?: string;
  /** The group encryption key pair (NEW). */
  encryptionKeyPair?: LegacyKeyPair;
  /** Member Session IDs as 33-byte `05…` keys (NEW, MEMBERS_ADDED, MEMBERS_REMOVED). */
  members: Uint8Array[];
  /** Admin Session IDs as 33-byte `05…` keys (NEW). */
  admins: Uint8Array[];
  /** The new key pair wrapped for each member (ENCRYPTION_KEY_PAIR). */
  wrappers: LegacyKeyPairWrapper[];
  /** Disappearing-messages timer in seconds (NEW). */
  expirationTimer?: number;
}

const WHAT = 'legacy group protobuf';
const bad: (msg: string) => never = (msg) => protoError(WHAT, msg);
const field = protoBytesField;
const intField = protoIntField;
const fields = (buf: Uint8Array) => protoFields(buf, WHAT);
const bytesOf = (no: number, wt: number, v: number | Uint8Array): Uint8Array => protoBytes(WHAT, no, wt, v);

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
        out.type = protoInt(WHAT, no, wt, v);
        break;
      case 8:
        out.expirationTimer = protoInt(WHAT, no, wt, v);
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
