/**
 * Legacy closed groups (05-prefixed, removed from clients in 2025; spec/groups.md §1): read
 * support for old data — opening group messages with the stored encryption key pairs (newest
 * first) and processing the key-pair wrappers an admin sends when a member is removed — plus the
 * writers needed to produce such data in tests. New legacy groups should not be created.
 * @module
 */
import { ed25519KeyPairFromSeed, ed25519PkToX25519Sync, ed25519SeedToX25519Secret } from '../crypto/noble.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { cryptoBoxSealOpen } from '../crypto/sealed-box.js';
import { SessionSdkError, isSessionSdkError } from '../errors.js';
import { decryptIncoming, encryptForRecipient } from '../envelope/session-protocol.js';
import { unpadMessage } from '../envelope/padding.js';
import { formatSessionId, sessionIdToPublicKey } from '../identity/session-id.js';
import { assertBytes, equalBytes, randomBytes, wipe } from '../util/bytes.js';
import { decodeLegacyKeyPair, encodeLegacyKeyPair, type LegacyKeyPair, type LegacyKeyPairWrapper } from './legacy-proto.js';

/**
 * Client-side member cap of legacy groups (desktop `CLOSED_GROUP_SIZE_LIMIT`); not enforced by the format.
 *
 * @example
 * ```ts
 * if (members.length > LEGACY_GROUP_SIZE_LIMIT) throw new Error('too many members for a legacy group');
 * ```
 */
export const LEGACY_GROUP_SIZE_LIMIT = 100;
/**
 * Swarm namespace of legacy group messages (unauthenticated).
 *
 * @example
 * ```ts
 * const req = await buildRetrieveRequest({ pubkey: legacyGroupId, namespace: LEGACY_GROUP_NAMESPACE });
 * ```
 */
export const LEGACY_GROUP_NAMESPACE = -10;

/**
 * A fresh legacy group encryption key pair: a random Ed25519 key converted to X25519, as desktop
 * did (spec/groups.md §1.1). For tests and tooling only.
 *
 * @example
 * ```ts
 * const kp = generateLegacyEncryptionKeyPair();
 * ```
 */
export function generateLegacyEncryptionKeyPair(): LegacyKeyPair {
  const seed = randomBytes(32);
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed);
  try {
    return { publicKey: ed25519PkToX25519Sync(publicKey), secretKey: ed25519SeedToX25519Secret(seed) };
  } finally {
    wipe(seed, secretKey);
  }
}

/**
 * Result of opening a legacy (Session protocol) ciphertext with an X25519 key pair.
 *
 * @example
 * ```ts
 * const opened: LegacyOpened = await openWithLegacyKeyPair(groupKeyPair, ciphertext);
 * console.log('from', opened.senderSessionId);
 * ```
 */
export interface LegacyOpened {
  /** The decrypted message as sent (padded Content for group messages, a bare KeyPair for wrappers). */
  plaintext: Uint8Array;
  /** The sender's 32-byte Ed25519 key, whose signature verified. */
  senderEd25519PublicKey: Uint8Array;
  /** The sender's `05…` Session ID, derived from that key. */
  senderSessionId: string;
}

/**
 * Session-protocol decryption with a bare X25519 key pair (the group's encryption key pair):
 * opens the sealed box, then verifies the sender's signature over `M ‖ A ‖ X_recipient`.
 * Throws `DECRYPT_FAILED` or `BAD_SIGNATURE`.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await openWithLegacyKeyPair(groupKeyPair, ciphertext);
 * ```
 */
export async function openWithLegacyKeyPair(keyPair: LegacyKeyPair, ciphertext: Uint8Array): Promise<LegacyOpened> {
  assertBytes(keyPair?.publicKey, 'key pair public key', 32);
  assertBytes(keyPair.secretKey, 'key pair secret key', 32);
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < 48 + 96 + 1) throw new SessionSdkError('DECRYPT_FAILED', 'ciphertext is too short to be a Session message');
  const inner = await cryptoBoxSealOpen(ciphertext, keyPair.publicKey, keyPair.secretKey);
  try {
    const n = inner.length - 96;
    const senderEd25519PublicKey = inner.slice(n, n + 32);
    const sig = inner.slice(n + 32);
    inner.set(keyPair.publicKey, n + 32);
    const ok = await getCryptoProvider().ed25519Verify(sig, inner.subarray(0, n + 64), senderEd25519PublicKey);
    let senderX: Uint8Array | undefined;
    try {
      senderX = ed25519PkToX25519Sync(senderEd25519PublicKey);
    } catch {
      senderX = undefined;
    }
    if (!ok || !senderX) throw new SessionSdkError('BAD_SIGNATURE', 'legacy message signature does not verify');
    return { plaintext: inner.slice(0, n), senderEd25519PublicKey, senderSessionId: formatSessionId(0x05, senderX) };
  } finally {
    wipe(inner);
  }
}

/**
 * Result of {@link decryptLegacyGroupMessage}.
 *
 * @example
 * ```ts
 * const msg: LegacyGroupMessage = await decryptLegacyGroupMessage(storedPairs, ciphertext);
 * const { dataMessage } = decodeContent(msg.content);
 * ```
 */
export interface LegacyGroupMessage extends LegacyOpened {
  /** The unpadded Content bytes. */
  content: Uint8Array;
  /** Index into the `keyPairs` argument of the pair that opened it. */
  keyPairIndex: number;
}

/**
 * Opens a legacy group message (namespace −10) by trying every stored encryption key pair,
 * newest first (`keyPairs` is oldest → newest, as clients stored them). A pair that opens the box
 * decides the outcome: a bad signature then throws `BAD_SIGNATURE` rather than trying older pairs.
 * Throws `DECRYPT_FAILED` when no pair opens it.
 *
 * @example
 * ```ts
 * const { content, senderSessionId } = await decryptLegacyGroupMessage(storedPairs, envelope.content);
 * ```
 */
export async function decryptLegacyGroupMessage(keyPairs: LegacyKeyPair[], ciphertext: Uint8Array): Promise<LegacyGroupMessage> {
  if (!Array.isArray(keyPairs)) throw new SessionSdkError('INVALID_INPUT', 'keyPairs must be an array');
  for (let i = keyPairs.length - 1; i >= 0; i--) {
    let opened: LegacyOpened;
    try {
      opened = await openWithLegacyKeyPair(keyPairs[i]!, ciphertext);
    } catch (e) {
      if (isSessionSdkError(e, 'DECRYPT_FAILED')) continue;
      throw e;
    }
    return { ...opened, content: unpadMessage(opened.plaintext), keyPairIndex: i };
  }
  throw new SessionSdkError('DECRYPT_FAILED', 'no stored legacy group key pair decrypts this message');
}

/**
 * Writes a legacy group message: the (already padded) content, Session-protocol encrypted by the
 * sender to the group's current encryption key. For producing test data only.
 *
 * @example
 * ```ts
 * const ct = await encryptLegacyGroupMessage(alice.ed25519SecretKey, groupKeyPair.publicKey, padMessage(content));
 * ```
 */
export async function encryptLegacyGroupMessage(senderEd25519SecretKey: Uint8Array, groupEncryptionPublicKey: Uint8Array, paddedContent: Uint8Array): Promise<Uint8Array> {
  assertBytes(groupEncryptionPublicKey, 'group encryption public key', 32);
  return encryptForRecipient(senderEd25519SecretKey, groupEncryptionPublicKey, paddedContent);
}

/**
 * Admin side of a legacy rotation (ENCRYPTION_KEY_PAIR): one wrapper per remaining member,
 * `{ publicKey: 05 ‖ X, encryptedKeyPair: SessionEncrypt(KeyPair, admin, X) }`. For tests.
 *
 * @example
 * ```ts
 * const wrappers = await makeLegacyKeyPairWrappers(admin.ed25519SecretKey, remaining, newPair);
 * ```
 */
export async function makeLegacyKeyPairWrappers(
  adminEd25519SecretKey: Uint8Array,
  memberSessionIds: string[],
  keyPair: LegacyKeyPair,
): Promise<LegacyKeyPairWrapper[]> {
  const plain = encodeLegacyKeyPair(keyPair);
  try {
    return await Promise.all(
      memberSessionIds.map(async (sid) => {
        const x = sessionIdToPublicKey(typeof sid === 'string' ? sid.toLowerCase() : sid);
        const publicKey = new Uint8Array(33);
        publicKey[0] = 0x05;
        publicKey.set(x, 1);
        return { publicKey, encryptedKeyPair: await encryptForRecipient(adminEd25519SecretKey, x, plain) };
      }),
    );
  } finally {
    wipe(plain);
  }
}

/**
 * Member side of a legacy rotation: finds our wrapper, decrypts it with our own key, checks that
 * an admin wrapped it, and returns the new key pair to append to the stored list. `undefined`
 * when there is no wrapper for us (we were removed). Throws `NOT_ADMIN` for a non-admin sender and
 * `DECRYPT_FAILED` / `BAD_SIGNATURE` / `INVALID_ENCODING` for a broken wrapper.
 *
 * @example
 * ```ts
 * const kp = await openLegacyKeyPairWrappers(me.ed25519SecretKey, msg.wrappers, groupAdmins);
 * if (kp) storedPairs.push(kp);
 * ```
 */
export async function openLegacyKeyPairWrappers(
  userEd25519SecretKey: Uint8Array,
  wrappers: LegacyKeyPairWrapper[],
  adminSessionIds: string[],
): Promise<LegacyKeyPair | undefined> {
  assertBytes(userEd25519SecretKey, 'user Ed25519 secret key', [32, 64]);
  if (!Array.isArray(wrappers)) throw new SessionSdkError('INVALID_INPUT', 'wrappers must be an array');
  const me = ed25519PkToX25519Sync(ed25519KeyPairFromSeed(userEd25519SecretKey.subarray(0, 32)).publicKey);
  const mine = wrappers.find((w) => w?.publicKey instanceof Uint8Array && w.publicKey.length === 33 && w.publicKey[0] === 0x05 && equalBytes(w.publicKey.subarray(1), me));
  if (!mine) return undefined;
  const opened = await decryptIncoming(userEd25519SecretKey, mine.encryptedKeyPair);
  try {
    const admins = new Set(adminSessionIds.map((s) => String(s).toLowerCase()));
    if (!admins.has(opened.senderSessionId)) {
      throw new SessionSdkError('NOT_ADMIN', `key pair wrapper sent by a non-admin (${opened.senderSessionId.slice(0, 10)}…)`);
    }
    return decodeLegacyKeyPair(opened.plaintext);
  } finally {
    wipe(opened.plaintext);
  }
}

/**
 * Desktop's legacy padding (spec/groups.md §1.4): `0x80` then zeros up to
 * `ceil((len + 2) / 160) · 160 − 1` bytes. Readers accept it through `unpadMessage`; this writer
 * exists to reproduce old data in tests.
 *
 * @example
 * ```ts
 * padLegacyDesktopMessage(new Uint8Array(5)).length; // 159
 * ```
 */
export function padLegacyDesktopMessage(m: Uint8Array): Uint8Array {
  assertBytes(m, 'message');
  const out = new Uint8Array(Math.ceil((m.length + 2) / 160) * 160 - 1);
  out.set(m);
  out[m.length] = 0x80;
  return out;
}
