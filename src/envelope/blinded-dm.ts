/**
 * Blinded community DMs ("community inbox", spec/identity-envelope.md §4.6): a message between two
 * blinded IDs of the same server, `0x00 ‖ XChaCha20-Poly1305(M ‖ A) ‖ nonce(24)`.
 *
 * The key is `BLAKE2b-32(s ‖ senderBlindedKey ‖ recipientBlindedKey)` where `s` is a Diffie–Hellman
 * point on Ed25519 itself (noclamp scalar multiplication), not X25519: the hash needs the full
 * Edwards encoding including the sign of x, which X25519 does not give. That is why this module
 * does its point arithmetic with noble rather than through the crypto provider.
 * @module
 */
import { blake2b } from '../crypto/blake2b.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, equalBytes, randomBytes, toHex, wipe } from '../util/bytes.js';
import { SessionIdPrefix } from '../identity/session-id.js';
import {
  expandSecretKey,
  parseBlindedId,
  parseServerPublicKey,
  wipeExpandedKey,
  type BlindedId,
  type ExpandedSecretKey,
  type ServerPublicKey,
} from '../identity/blinding-inputs.js';
import {
  blind15Scalar,
  blind25Scalar,
  blinded15KeyOfPoint,
  blinded25KeyOfPoint,
  type BlindedScalar,
} from '../identity/blinding-core.js';
import { decodeMainSubgroupPoint, mulPoint, pointToX25519 } from '../identity/ed25519-noclamp.js';

/** Version byte of the blinded DM format (libsession `BLINDED_ENCRYPT_VERSION`). */
const VERSION = 0x00;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** version + tag + nonce. */
const OVERHEAD = 1 + TAG_BYTES + NONCE_BYTES;

/**
 * Options of {@link encryptForBlindedRecipient}.
 *
 * @example
 * ```ts
 * const opts: BlindedEncryptOptions = { nonce: vectorNonce }; // test vectors only
 * const wire = await encryptForBlindedRecipient(me.ed25519SecretKey, serverPk, recipientBlindedId, padded, opts);
 * ```
 */
export interface BlindedEncryptOptions {
  /** 24-byte XChaCha20 nonce. Defaults to fresh random bytes; inject only to reproduce test vectors. */
  nonce?: Uint8Array;
}

/**
 * Result of {@link decryptFromBlindedRecipient}.
 *
 * @example
 * ```ts
 * const r: BlindedDecryptResult = await decryptFromBlindedRecipient(me.ed25519SecretKey, serverPk, msg.sender, msg.recipient, msg.data);
 * console.log(r.senderSessionId, decodeContent(unpadMessage(r.plaintext)));
 * ```
 */
export interface BlindedDecryptResult {
  /** The message bytes (the padded Content, for Session messages). */
  plaintext: Uint8Array;
  /** `05…` Session ID of the sender, derived from the Ed25519 key inside the message. */
  senderSessionId: string;
  /** The sender's real Ed25519 public key, carried inside the ciphertext. */
  senderEd25519PublicKey: Uint8Array;
}

/** Our blinded key (scalar and public key) for the prefix in use. */
function blindFor(key: ExpandedSecretKey, server: Uint8Array, prefix: number): BlindedScalar {
  return prefix === SessionIdPrefix.BLINDED_25 ? blind25Scalar(key, server) : blind15Scalar(key, server);
}

/**
 * The symmetric key between our blinded key and the other party's `theirs` (§4.6); `sending`
 * says which of the two is the sender, which fixes the hash order (sender first). `theirs` is
 * checked for prime-order subgroup membership exactly as libsodium's noclamp multiplication does.
 */
function sharedKey(key: ExpandedSecretKey, ours: BlindedScalar, prefix: number, theirs: Uint8Array, sending: boolean): Uint8Array {
  // blind15: the factor k depends on the server only, so k == j and a·jB = b·kA already;
  // blind25: factors differ per user, so each side multiplies by its own k' as well.
  const scalar = prefix === SessionIdPrefix.BLINDED_25 ? ours.scalar : key.scalar;
  const P = decodeMainSubgroupPoint(theirs, 'blinded ID key', 'INVALID_SESSION_ID');
  const s = mulPoint(P, scalar, 'INVALID_SESSION_ID');
  const input = sending ? concatBytes(s, ours.publicKey, theirs) : concatBytes(s, theirs, ours.publicKey);
  wipe(s);
  try {
    return blake2b(input, { dkLen: 32 });
  } finally {
    wipe(input);
  }
}

/**
 * Encrypts a community DM to a blinded ID (`15…` or `25…`); the sender's matching blinded ID is
 * implied by the prefix (§4.6). Output: `0x00 ‖ XChaCha20-Poly1305(plaintext ‖ A) ‖ nonce`, where
 * A is the sender's real Ed25519 key, so only the recipient learns who wrote.
 *
 * @example
 * ```ts
 * const wire = await encryptForBlindedRecipient(me.ed25519SecretKey, serverPk, '15…', padMessage(content));
 * ```
 */
export async function encryptForBlindedRecipient(
  senderEd25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  recipientBlindedId: string,
  plaintext: Uint8Array,
  opts: BlindedEncryptOptions = {},
): Promise<Uint8Array> {
  assertBytes(plaintext, 'plaintext');
  const server = parseServerPublicKey(serverPk);
  const recipient = parseBlindedId(recipientBlindedId, 'recipient blinded ID');
  const nonce = opts.nonce ?? randomBytes(NONCE_BYTES);
  assertBytes(nonce, 'nonce', NONCE_BYTES);
  let key: ExpandedSecretKey | undefined;
  let encKey: Uint8Array | undefined;
  let inner: Uint8Array | undefined;
  try {
    key = expandSecretKey(senderEd25519SecretKey, 'sender Ed25519 secret key');
    encKey = sharedKey(key, blindFor(key, server, recipient.prefix), recipient.prefix, recipient.publicKey, true);
    inner = concatBytes(plaintext, key.publicKey);
    const sealed = xchacha20poly1305(encKey, nonce).encrypt(inner);
    return concatBytes(Uint8Array.of(VERSION), sealed, nonce);
  } finally {
    wipeExpandedKey(key);
    wipe(encKey, inner);
  }
}

function fail(msg: string): never {
  throw new SessionSdkError('DECRYPT_FAILED', msg);
}

/**
 * Decrypts a community DM between `senderBlindedId` and `recipientBlindedId` (same prefix, `15` or
 * `25`). Works for the recipient and for the sender of the message (its own outgoing copy):
 * when `senderBlindedId` is our own blinded ID we act as the sender (§4.6).
 *
 * After authenticated decryption, the sender's Ed25519 key inside the message must blind to
 * `senderBlindedId` (for blind15, either sign); otherwise the message claims a sender it does
 * not come from. Every failure throws `DECRYPT_FAILED` (or `UNSUPPORTED_VERSION`, or an ID/key
 * error for malformed arguments) and no plaintext is returned.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await decryptFromBlindedRecipient(
 *   me.ed25519SecretKey, serverPk, msg.sender, msg.recipient, msg.data);
 * ```
 */
export async function decryptFromBlindedRecipient(
  ed25519SecretKey: Uint8Array,
  serverPk: ServerPublicKey,
  senderBlindedId: string,
  recipientBlindedId: string,
  ciphertext: Uint8Array,
): Promise<BlindedDecryptResult> {
  assertBytes(ciphertext, 'ciphertext');
  const server = parseServerPublicKey(serverPk);
  const sender = parseBlindedId(senderBlindedId, 'sender blinded ID');
  const recipient = parseBlindedId(recipientBlindedId, 'recipient blinded ID');
  if (sender.prefix !== recipient.prefix) {
    throw new SessionSdkError('INVALID_PREFIX', 'sender and recipient blinded IDs must both start with 15 or both with 25');
  }
  if (ciphertext.length < OVERHEAD) fail('ciphertext too short for a blinded message');
  if (ciphertext[0] !== VERSION) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', `unsupported blinded message version ${ciphertext[0]}`);
  }
  if (ciphertext.length < OVERHEAD + 32) fail('ciphertext too short to carry the sender key');

  let key: ExpandedSecretKey | undefined;
  let encKey: Uint8Array | undefined;
  let inner: Uint8Array | undefined;
  try {
    key = expandSecretKey(ed25519SecretKey);
    const ours = blindFor(key, server, sender.prefix);
    // Our own outgoing copy: we are the sender, and the other party is the recipient.
    const weSent = equalBytes(ours.publicKey, sender.publicKey);
    encKey = sharedKey(key, ours, sender.prefix, weSent ? recipient.publicKey : sender.publicKey, weSent);
    const nonce = ciphertext.subarray(ciphertext.length - NONCE_BYTES);
    try {
      inner = xchacha20poly1305(encKey, nonce).decrypt(ciphertext.subarray(1, ciphertext.length - NONCE_BYTES));
    } catch {
      fail('blinded message authentication failed');
    }
    const senderEdPk = inner.slice(inner.length - 32);
    const senderSessionId = checkClaimedSender(senderEdPk, sender, server);
    return { plaintext: inner.slice(0, inner.length - 32), senderSessionId, senderEd25519PublicKey: senderEdPk };
  } finally {
    wipeExpandedKey(key);
    wipe(encKey, inner);
  }
}

/**
 * Requires that the Ed25519 key found inside the message blinds to the claimed sender ID, and
 * returns the sender's `05` Session ID. blind15 accepts the sign-flipped twin (§4.1).
 */
function checkClaimedSender(edPk: Uint8Array, claimed: BlindedId, server: Uint8Array): string {
  let A;
  try {
    A = decodeMainSubgroupPoint(edPk, 'sender Ed25519 key');
  } catch {
    fail('message carries an invalid sender key');
  }
  const x = pointToX25519(A);
  let derived: Uint8Array;
  if (claimed.prefix === SessionIdPrefix.BLINDED_25) {
    derived = blinded25KeyOfPoint(A, x, server, (edPk[31]! & 0x80) !== 0);
  } else {
    derived = blinded15KeyOfPoint(A, server);
    if (!equalBytes(derived, claimed.publicKey)) derived[31]! ^= 0x80;
  }
  if (!equalBytes(derived, claimed.publicKey)) fail('blinded sender ID does not match the sender key inside the message');
  return '05' + toHex(x);
}
