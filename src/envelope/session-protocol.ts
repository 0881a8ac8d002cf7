/**
 * Session Protocol v1 for 1:1 messages (spec/identity-envelope.md §3): sign `M ‖ A ‖ Y` with the
 * sender's Ed25519 key, then seal `M ‖ A ‖ SIG` to the recipient's X25519 key in a libsodium
 * sealed box. Byte-compatible with libsession-util's `encrypt_for_recipient`,
 * `encrypt_for_recipient_deterministic` and `decrypt_incoming_session_id`.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { SessionSdkError } from '../errors.js';
import { hasSmallOrder, isCanonicalPointEncoding } from '../crypto/ed25519-rules.js';
import { ed25519KeyPairFromSeed, ed25519SeedToX25519Secret, x25519PublicKeySync } from '../crypto/noble.js';
import { getCryptoProvider } from '../crypto/provider.js';
import { cryptoBoxSealOpen, deriveRandomSealKeys, deriveSealKeys, sealWithKeys, SEALED_BOX_OVERHEAD, type SealKeys } from '../crypto/sealed-box.js';
import { isValidX25519PublicKey, sessionIdToPublicKey } from '../identity/session-id.js';
import { assertBytes, equalBytes, toHex, utf8, wipe } from '../util/bytes.js';

/**
 * Largest ciphertext {@link decryptIncoming} accepts: the storage server's per-message limit
 * (76 800 bytes, the same `MAX_MESSAGE_SIZE` libsession applies to config pushes, spec/config.md
 * §3). Anything larger could never have been delivered through a swarm, so it is refused before
 * any cryptography runs.
 *
 * @example
 * ```ts
 * if (ciphertext.length > SESSION_PROTOCOL_MAX_CIPHERTEXT) return; // decryptIncoming would throw TOO_LARGE
 * ```
 */
export const SESSION_PROTOCOL_MAX_CIPHERTEXT = 76_800;

/**
 * Bytes Session Protocol v1 adds to a message: A (32) + SIG (64) + sealed-box overhead (48).
 *
 * @example
 * ```ts
 * const boxLength = padded.length + SESSION_PROTOCOL_OVERHEAD; // encryptForRecipient output length
 * ```
 */
export const SESSION_PROTOCOL_OVERHEAD = 96 + SEALED_BOX_OVERHEAD;

/**
 * Largest plaintext {@link encryptForRecipient} accepts, so the result fits the storage limit.
 *
 * @example
 * ```ts
 * if (padded.length > SESSION_PROTOCOL_MAX_PLAINTEXT) throw new Error('too long for one message');
 * ```
 */
export const SESSION_PROTOCOL_MAX_PLAINTEXT = SESSION_PROTOCOL_MAX_CIPHERTEXT - SESSION_PROTOCOL_OVERHEAD;

/** libsession's BLAKE2b key for the deterministic ephemeral seed (spec §3.3). */
const BOX_EPHEMERAL_HASH_KEY = utf8('SessionBoxEphemeralHashKey');

/**
 * Result of {@link decryptIncoming}.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId }: DecryptedMessage = await decryptIncoming(me.ed25519SecretKey, ciphertext);
 * const content = decodeContent(unpadMessage(plaintext));
 * ```
 */
export interface DecryptedMessage {
  /** The message `M` (usually a padded `Content` protobuf: see `unpadMessage`, `decodeContent`). */
  plaintext: Uint8Array;
  /** The sender's Ed25519 public key `A`, which signed the message. */
  senderEd25519PublicKey: Uint8Array;
  /** `05` + hex of the X25519 key converted from `A`. */
  senderSessionId: string;
}

// ---------------------------------------------------------------------------------------------
// Per-key caches (spec/performance.md §4.3). Deriving the Ed25519 public key of a sender or the
// X25519 pair of a recipient costs a fixed-base scalar multiplication in pure JS, more than the
// native signature itself; sending or receiving many messages with one identity would otherwise
// pay it every time. Entries are keyed by the caller's secret-key buffer (so they die with it) and
// hold a copy of its content, checked in constant time on every hit: a buffer the caller mutated
// or wiped is never served stale keys. The stable 32-byte buffers stored here are also what the
// provider's own CryptoKey cache is keyed by. A stale entry is replaced, not wiped: a call still in
// flight may be using it, and zeroing it under that call would make it sign with a zero key.
// ---------------------------------------------------------------------------------------------

interface SenderEntry {
  copy: Uint8Array;
  /** The 32-byte Ed25519 seed, passed to the provider for signing. */
  seed: Uint8Array;
  publicKey: Uint8Array;
}
interface RecipientEntry {
  copy: Uint8Array;
  x25519SecretKey: Uint8Array;
  x25519PublicKey: Uint8Array;
}

const senderCache = new WeakMap<Uint8Array, SenderEntry>();
const recipientCache = new WeakMap<Uint8Array, RecipientEntry>();

/** Sender Session IDs by Ed25519 key: public data, bounded FIFO. */
const SENDER_ID_CACHE_MAX = 1024;
const senderIdCache = new Map<string, string>();

function senderKeys(secretKey: Uint8Array): SenderEntry {
  assertBytes(secretKey, 'sender Ed25519 secret key', [32, 64]);
  const hit = senderCache.get(secretKey);
  if (hit && equalBytes(hit.copy, secretKey)) return hit;
  const seed = secretKey.slice(0, 32);
  const { publicKey, secretKey: sk64 } = ed25519KeyPairFromSeed(seed);
  wipe(sk64);
  // libsodium signs with the public half of a 64-byte key as given; a mismatched half would yield
  // signatures nobody can verify, so it is refused up front.
  if (secretKey.length === 64 && !equalBytes(secretKey.subarray(32), publicKey)) {
    wipe(seed);
    throw new SessionSdkError('INVALID_KEY', '64-byte Ed25519 secret key does not end with the public key of its seed');
  }
  const entry = { copy: secretKey.slice(), seed, publicKey };
  senderCache.set(secretKey, entry);
  return entry;
}

function recipientKeys(secretKey: Uint8Array): RecipientEntry {
  assertBytes(secretKey, 'recipient Ed25519 secret key', [32, 64]);
  const hit = recipientCache.get(secretKey);
  if (hit && equalBytes(hit.copy, secretKey)) return hit;
  // libsession decrypts with crypto_sign_ed25519_sk_to_curve25519, which reads only the seed.
  const x25519SecretKey = ed25519SeedToX25519Secret(secretKey);
  const x25519PublicKey = x25519PublicKeySync(x25519SecretKey);
  const entry = { copy: secretKey.slice(), x25519SecretKey, x25519PublicKey };
  recipientCache.set(secretKey, entry);
  return entry;
}

/**
 * `5L − 1` as a little-endian X25519 scalar. It is ≡ −1 (mod L) and ≡ 0 (mod 8), and it already
 * has the clamped shape (bits 0–2 and 255 clear, bit 254 set), so X25519 uses it unchanged.
 * For a point P = P₀ + T (P₀ in the prime-order subgroup, T of order dividing 8) this gives
 * [5L − 1]P = −P₀, whose u-coordinate is u(P₀). Hence u([5L − 1]P) = u(P) exactly when T = O
 * (u(P₀ + T) = u(P₀) forces T = O or T = −2P₀, and only O lies in both subgroups): a
 * prime-order-subgroup check that costs one X25519 — native under WebCrypto — instead of a
 * pure-JS multiplication by L.
 */
const PRIME_ORDER_PROBE = (() => {
  const L = ed25519.Point.Fn.ORDER;
  let k = 5n * L - 1n;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, k >>= 8n) out[i] = Number(k & 0xffn);
  return out;
})();

/**
 * libsodium's `crypto_sign_ed25519_pk_to_curve25519` as a Session ID, `05 ‖ u(A)`, for a key whose
 * signature is being verified at the same time: undefined when A is non-canonical, of small order,
 * or outside the prime-order subgroup. The subgroup test matters: a mixed-order A can pass the
 * cofactorless signature check, and libsession refuses such a sender (spec §3.2 step 5).
 *
 * Precondition: the result counts only if A's signature verifies, which also proves A decodes to
 * a curve point; so y is mapped straight to u = (1 + y) / (1 − y) without re-decoding A (that
 * would cost a square root in pure JS).
 */
async function senderSessionIdCandidate(a: Uint8Array): Promise<string | undefined> {
  if (!isCanonicalPointEncoding(a) || hasSmallOrder(a)) return undefined;
  const Fp = ed25519.Point.Fp;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? a[i]! & 0x7f : a[i]!);
  const u = Fp.toBytes(Fp.div(Fp.add(Fp.ONE, y), Fp.sub(Fp.ONE, y))); // y ≠ 1: small order excluded
  try {
    const probe = await getCryptoProvider().x25519(PRIME_ORDER_PROBE, u);
    return equalBytes(probe, u) ? '05' + toHex(u) : undefined;
  } catch {
    return undefined;
  }
}

/** The recipient's 32-byte X25519 key from a `05…` ID string, 33 bytes with `0x05`, or 32 bytes. */
function recipientX25519(recipient: string | Uint8Array): Uint8Array {
  if (typeof recipient === 'string') return sessionIdToPublicKey(recipient);
  assertBytes(recipient, 'recipient Session ID', [32, 33]);
  if (recipient.length === 33 && recipient[0] !== 0x05) {
    throw new SessionSdkError('INVALID_PREFIX', 'a 33-byte recipient key must start with 0x05');
  }
  const y = recipient.length === 33 ? recipient.slice(1) : recipient.slice();
  if (!isValidX25519PublicKey(y)) throw new SessionSdkError('INVALID_KEY', 'recipient X25519 key is non-canonical or of small order');
  return y;
}

function checkPlaintext(plaintext: Uint8Array): void {
  assertBytes(plaintext, 'plaintext');
  if (plaintext.length > SESSION_PROTOCOL_MAX_PLAINTEXT) {
    throw new SessionSdkError('TOO_LARGE', `plaintext is ${plaintext.length} bytes; the limit is ${SESSION_PROTOCOL_MAX_PLAINTEXT}`);
  }
}

/**
 * Signs `M ‖ A ‖ Y` and seals `M ‖ A ‖ SIG`. The signature and the sealed-box key agreement
 * (`sealKeys`, already started by the caller) are independent, so they run concurrently: both are
 * native calls under WebCrypto.
 */
async function signAndSeal(sender: SenderEntry, y: Uint8Array, m: Uint8Array, sealKeys: Promise<SealKeys>): Promise<Uint8Array> {
  const n = m.length;
  // One buffer serves both: M ‖ A ‖ Y is signed, then Y is overwritten by SIG to give P.
  const p = new Uint8Array(n + 96);
  p.set(m, 0);
  p.set(sender.publicKey, n);
  p.set(y, n + 32);
  const sign = getCryptoProvider().ed25519Sign(sender.seed, p.subarray(0, n + 64));
  // Settle both before acting on either, so a failure never leaves the other running unobserved.
  const [sig, keys] = await Promise.allSettled([sign, sealKeys]);
  try {
    if (sig.status === 'rejected') throw sig.reason;
    if (keys.status === 'rejected') throw keys.reason;
    p.set(sig.value, n + 32);
    return sealWithKeys(keys.value, p);
  } finally {
    if (keys.status === 'fulfilled') wipe(keys.value.key);
    wipe(p);
  }
}

/**
 * Encrypts a 1:1 message (Session Protocol v1): signs `M ‖ A ‖ Y` with the sender's Ed25519 key and
 * seals `M ‖ A ‖ SIG` to the recipient, whose ID is a `05…` string, 33 bytes starting `0x05`, or the
 * bare 32-byte X25519 key. The sender key is a 32-byte seed or a 64-byte libsodium secret key.
 * Output length is `plaintext.length + 144`. `plaintext` is normally a padded `Content`
 * (`padMessage(encodeContent(…))`); an empty plaintext is allowed, as in libsession.
 *
 * `opts.ephemeralSecretKey` pins the sealed box's ephemeral X25519 secret, for reproducible test
 * vectors only: reusing it across messages links them.
 *
 * Throws `INVALID_LENGTH` / `INVALID_SESSION_ID` / `INVALID_PREFIX` / `INVALID_KEY` for bad keys,
 * `TOO_LARGE` above {@link SESSION_PROTOCOL_MAX_PLAINTEXT}.
 *
 * @example
 * ```ts
 * const ciphertext = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, padMessage(content));
 * ```
 */
export async function encryptForRecipient(
  senderEd25519SecretKey: Uint8Array,
  recipientSessionId: string | Uint8Array,
  plaintext: Uint8Array,
  opts: { ephemeralSecretKey?: Uint8Array } = {},
): Promise<Uint8Array> {
  const sender = senderKeys(senderEd25519SecretKey);
  const y = recipientX25519(recipientSessionId);
  checkPlaintext(plaintext);
  const injected = opts.ephemeralSecretKey;
  if (injected === undefined) return signAndSeal(sender, y, plaintext, deriveRandomSealKeys(y));
  assertBytes(injected, 'ephemeral secret key', 32);
  const ephemeral = injected.slice();
  try {
    return await signAndSeal(sender, y, plaintext, deriveSealKeys(y, ephemeral));
  } finally {
    wipe(ephemeral);
  }
}

/**
 * libsession's deterministic variant (spec §3.3): the ephemeral key comes from
 * `BLAKE2b-32(seed ‖ Y ‖ M; key = "SessionBoxEphemeralHashKey")` through
 * `crypto_box_seed_keypair`, so equal inputs give equal ciphertexts. Decrypts with
 * {@link decryptIncoming} like any other message. Determinism reveals when the same sender sends
 * the same message twice to the same recipient: use it for test vectors and reproducibility, and
 * {@link encryptForRecipient} for real traffic.
 *
 * @example
 * ```ts
 * const c1 = await encryptForRecipientDeterministic(sk, bobId, msg);
 * const c2 = await encryptForRecipientDeterministic(sk, bobId, msg); // c1 equals c2
 * ```
 */
export async function encryptForRecipientDeterministic(
  senderEd25519SecretKey: Uint8Array,
  recipientSessionId: string | Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const sender = senderKeys(senderEd25519SecretKey);
  const y = recipientX25519(recipientSessionId);
  checkPlaintext(plaintext);
  const ephSeed = blake2b
    .create({ key: BOX_EPHEMERAL_HASH_KEY, dkLen: 32 })
    .update(sender.seed)
    .update(y)
    .update(plaintext)
    .digest();
  // crypto_box_seed_keypair: the secret is the first half of SHA-512(seed), clamped on use.
  const h = sha512(ephSeed);
  const ephemeral = h.slice(0, 32);
  wipe(ephSeed, h);
  try {
    return await signAndSeal(sender, y, plaintext, deriveSealKeys(y, ephemeral));
  } finally {
    wipe(ephemeral);
  }
}

/**
 * Opens a 1:1 message addressed to us and authenticates its sender (spec §3.2): opens the sealed
 * box with our X25519 key (derived from our Ed25519 seed or 64-byte secret key), then verifies the
 * sender's signature over `M ‖ A ‖ Y` where `Y` is **our own** X25519 public key — so a message
 * someone re-sealed to us after receiving it does not verify.
 *
 * Errors (never partial plaintext): `TOO_LARGE` above {@link SESSION_PROTOCOL_MAX_CIPHERTEXT};
 * `DECRYPT_FAILED` when the box is too short, not for us, or altered; `BAD_SIGNATURE` when the box
 * opens but the signature does not verify or the sender key is not a valid Session key.
 *
 * @example
 * ```ts
 * const { plaintext, senderSessionId } = await decryptIncoming(bob.ed25519SecretKey, ciphertext);
 * const content = decodeContent(unpadMessage(plaintext));
 * ```
 */
export async function decryptIncoming(recipientEd25519SecretKey: Uint8Array, ciphertext: Uint8Array): Promise<DecryptedMessage> {
  const me = recipientKeys(recipientEd25519SecretKey);
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length > SESSION_PROTOCOL_MAX_CIPHERTEXT) {
    throw new SessionSdkError('TOO_LARGE', `ciphertext is ${ciphertext.length} bytes; the limit is ${SESSION_PROTOCOL_MAX_CIPHERTEXT}`);
  }
  if (ciphertext.length < SESSION_PROTOCOL_OVERHEAD) {
    throw new SessionSdkError('DECRYPT_FAILED', 'ciphertext is too short to be a Session message');
  }
  const p = await cryptoBoxSealOpen(ciphertext, me.x25519PublicKey, me.x25519SecretKey);
  try {
    const n = p.length - 96;
    const senderEd25519PublicKey = p.slice(n, n + 32);
    const sig = p.slice(n + 32);
    // Rebuild M ‖ A ‖ Y in place: Y (our key) replaces the signature's first half.
    p.set(me.x25519PublicKey, n + 32);
    const key = toHex(senderEd25519PublicKey);
    const cached = senderIdCache.get(key);
    // Verification and (on a cache miss) the key conversion are independent: run them together.
    const [verified, senderSessionId] = await Promise.all([
      getCryptoProvider().ed25519Verify(sig, p.subarray(0, n + 64), senderEd25519PublicKey),
      cached ?? senderSessionIdCandidate(senderEd25519PublicKey),
    ]);
    if (!verified || senderSessionId === undefined) {
      throw new SessionSdkError('BAD_SIGNATURE', 'message signature does not verify for this recipient');
    }
    // Only authenticated senders enter the cache, so forged traffic cannot evict real contacts.
    if (cached === undefined) {
      if (senderIdCache.size >= SENDER_ID_CACHE_MAX) senderIdCache.delete(senderIdCache.keys().next().value!);
      senderIdCache.set(key, senderSessionId);
    }
    return { plaintext: p.slice(0, n), senderEd25519PublicKey, senderSessionId };
  } finally {
    wipe(p);
  }
}
