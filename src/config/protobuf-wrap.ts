/**
 * The legacy protobuf wrapping of user-config pushes (spec/config.md §2.5): the encrypted config
 * inside `SharedConfigMessage` → `Content` → a deterministic 1:1 message to ourselves → `Envelope`
 * → `WebSocketMessage`. Old clients need it on push; receivers accept wrapped or raw ciphertexts.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { decryptIncoming, encryptForRecipientDeterministic } from '../envelope/session-protocol.js';
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync } from '../crypto/noble.js';
import { assertBytes, concatBytes, equalBytes, wipe } from '../util/bytes.js';
import { deepFreeze } from '../util/freeze.js';

/**
 * `SharedConfigMessage.kind` per user-config namespace.
 *
 * @example
 * ```ts
 * SHARED_CONFIG_KIND[CONFIG_TYPES.Contacts.namespace]; // 2
 * ```
 */
export const SHARED_CONFIG_KIND: Readonly<Record<number, number>> = /* @__PURE__ */ deepFreeze({ 2: 1, 3: 2, 4: 3, 5: 4 });

function varint(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n; // proto int64: two's complement, 10 bytes
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Uint8Array.from(out);
}

const field = (num: number, wire: number): Uint8Array => varint((num << 3) | wire);
const vfield = (num: number, v: number | bigint): Uint8Array => concatBytes(field(num, 0), varint(v));
const bfield = (num: number, b: Uint8Array): Uint8Array => concatBytes(field(num, 2), varint(b.length), b);

/** Parsed protobuf fields: number → last varint value or length-delimited bytes. */
type Fields = Map<number, bigint | Uint8Array>;

function bad(msg: string): never {
  throw new SessionSdkError('INVALID_ENCODING', `protobuf: ${msg}`);
}

/** A minimal proto2 reader (varint, fixed64, bytes, fixed32); later fields of a number win. */
function readFields(b: Uint8Array): Fields {
  const out: Fields = new Map();
  let p = 0;
  const readVarint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (p >= b.length || shift > 63n) bad('bad varint');
      const x = b[p++]!;
      v |= BigInt(x & 0x7f) << shift;
      if (!(x & 0x80)) return v;
    }
  };
  while (p < b.length) {
    const tag = readVarint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (num === 0) bad('field number 0');
    if (wire === 0) out.set(num, readVarint());
    else if (wire === 2) {
      const len = readVarint();
      if (len > BigInt(b.length - p)) bad('truncated field');
      out.set(num, b.subarray(p, p + Number(len)));
      p += Number(len);
    } else if (wire === 1 || wire === 5) {
      p += wire === 1 ? 8 : 4;
      if (p > b.length) bad('truncated field');
    } else bad(`unsupported wire type ${wire}`);
  }
  return out;
}

function bytesField(f: Fields, num: number, what: string): Uint8Array {
  const v = f.get(num);
  if (!(v instanceof Uint8Array)) bad(`missing ${what}`);
  return v;
}

function ownKeys(seed: Uint8Array): { sk: Uint8Array; pk: Uint8Array; x25519: Uint8Array } {
  assertBytes(seed, 'account Ed25519 seed', [32, 64], 'INVALID_KEY');
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed.subarray(0, 32));
  return { sk: secretKey, pk: publicKey, x25519: ed25519PkToX25519Sync(publicKey) };
}

/**
 * libsession `protos::wrap_config`: wraps an encrypted user config (namespaces 2–5) exactly as
 * libsession does, byte for byte (deterministic seal to our own key, timestamp 1).
 *
 * @example
 * ```ts
 * const push = await wrapUserConfig(identity.seed, ciphertext, seqno, 2);
 * ```
 */
export async function wrapUserConfig(
  accountSeed: Uint8Array,
  ciphertext: Uint8Array,
  seqno: number,
  namespace: number,
): Promise<Uint8Array> {
  assertBytes(ciphertext, 'ciphertext');
  if (!Number.isSafeInteger(seqno)) throw new SessionSdkError('INVALID_INPUT', 'seqno must be a safe integer');
  const kind = SHARED_CONFIG_KIND[namespace];
  if (kind === undefined) throw new SessionSdkError('INVALID_INPUT', `namespace ${namespace} is not a user config`);
  const { sk, x25519 } = ownKeys(accountSeed);
  try {
    const shared = concatBytes(vfield(1, kind), vfield(2, seqno), bfield(3, ciphertext));
    const content = concatBytes(bfield(11, shared), Uint8Array.of(0x80));
    const sealed = await encryptForRecipientDeterministic(sk, x25519, content);
    const envelope = concatBytes(vfield(1, 6), vfield(5, 1), bfield(8, sealed));
    const request = concatBytes(bfield(1, new Uint8Array(0)), bfield(2, new Uint8Array(0)), bfield(3, envelope), vfield(4, 0));
    return concatBytes(vfield(1, 1), bfield(2, request));
  } finally {
    wipe(sk);
  }
}

/**
 * libsession `protos::unwrap_config`: the encrypted config inside a wrapped push, which must be
 * sealed by our own key and carry the `SharedConfigMessage` kind of `namespace`. Throws
 * (`INVALID_ENCODING`, `DECRYPT_FAILED`, `BAD_SIGNATURE`, `CONFIG_INVALID`) when `data` is not
 * such a wrapper — callers then treat `data` as a raw ciphertext.
 *
 * @example
 * ```ts
 * const ciphertext = await unwrapUserConfig(identity.seed, stored, 3);
 * ```
 */
export async function unwrapUserConfig(accountSeed: Uint8Array, data: Uint8Array, namespace: number): Promise<Uint8Array> {
  assertBytes(data, 'data');
  const kind = SHARED_CONFIG_KIND[namespace];
  if (kind === undefined) throw new SessionSdkError('INVALID_INPUT', `namespace ${namespace} is not a user config`);
  const ws = readFields(data);
  if (ws.get(1) !== 1n) bad('not a WebSocket request');
  const request = readFields(bytesField(ws, 2, 'request'));
  const envelope = readFields(bytesField(request, 3, 'request body'));
  const sealed = bytesField(envelope, 8, 'envelope content');
  const { sk, pk } = ownKeys(accountSeed);
  let plaintext: Uint8Array;
  try {
    const opened = await decryptIncoming(sk, sealed);
    if (!equalBytes(opened.senderEd25519PublicKey, pk)) {
      throw new SessionSdkError('CONFIG_INVALID', 'wrapped config was not sent by this account');
    }
    plaintext = opened.plaintext;
  } finally {
    wipe(sk);
  }
  let end = plaintext.length;
  while (end > 0 && plaintext[end - 1] === 0) end--;
  if (end === 0 || plaintext[end - 1] !== 0x80) bad('content padding missing');
  const content = readFields(plaintext.subarray(0, end - 1));
  const shared = readFields(bytesField(content, 11, 'sharedConfigMessage'));
  if (shared.get(1) !== BigInt(kind)) throw new SessionSdkError('CONFIG_INVALID', 'wrapped config has the wrong kind');
  return bytesField(shared, 3, 'config data').slice();
}
