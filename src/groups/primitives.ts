/**
 * The symmetric building blocks of libsession's group code (spec/groups.md §0): keyed BLAKE2b with
 * an ASCII label as the *key*, XChaCha20-Poly1305-IETF without associated data, libsodium's
 * `randombytes_buf_deterministic`, and the group "seed hash".
 * @module
 */
import { chacha20, xchacha20, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { blake2b } from '../crypto/blake2b.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, concatBytes, equalBytes, utf8, wipe } from '../util/bytes.js';

/** XChaCha20-Poly1305 nonce length. */
export const AEAD_NONCE_BYTES = 24;
/** Poly1305 tag length. */
export const AEAD_TAG_BYTES = 16;

const labelCache = new Map<string, Uint8Array>();

/** ASCII label as a BLAKE2b key, truncated to BLAKE2b's 64-byte key limit like libsession does. */
function labelKey(label: string | Uint8Array): Uint8Array {
  if (label instanceof Uint8Array) return label.length > 64 ? label.subarray(0, 64) : label;
  let k = labelCache.get(label);
  if (!k) {
    k = utf8(label).slice(0, 64);
    labelCache.set(label, k);
  }
  return k;
}

/**
 * `crypto_generichash_blake2b(outLen, parts…, key = label)`: BLAKE2b keyed with the label (not
 * personalised), over the concatenation of `parts` (spec/groups.md §0 `Hk`).
 *
 * @example
 * ```ts
 * const h = blake2bKeyed(32, 'SessionGroupKeySeed', seed32);
 * ```
 */
export function blake2bKeyed(outLen: number, label: string | Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const key = labelKey(label);
  // One-shot over one buffer: the WASM kernel where available (rekey hashes every member's
  // session ID, KBs for large groups), and cheaper than an incremental hasher at any size.
  if (parts.length === 1) return blake2b(parts[0]!, { dkLen: outLen, key });
  const msg = concatBytes(...parts);
  try {
    return blake2b(msg, { dkLen: outLen, key });
  } finally {
    wipe(msg); // the parts may be secret (DH outputs, seed hashes)
  }
}

/**
 * libsession `ConfigSig::seed_hash`: BLAKE2b-32 of the 32-byte group seed keyed with `label`
 * (spec/groups.md §0, §2.2).
 *
 * @example
 * ```ts
 * const adminKey = groupSeedHash(groupSeed, 'SessionGroupKeyAdminKey');
 * ```
 */
export function groupSeedHash(seed: Uint8Array, label: string): Uint8Array {
  assertBytes(seed, 'group seed', [32, 64]);
  return blake2bKeyed(32, label, seed.subarray(0, 32));
}

/**
 * `crypto_aead_xchacha20poly1305_ietf_encrypt` with no associated data: `ciphertext ‖ tag(16)`.
 *
 * @example
 * ```ts
 * const ct = aeadEncrypt(key32, nonce24, plaintext);
 * ```
 */
export function aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  assertBytes(key, 'AEAD key', 32);
  assertBytes(nonce, 'AEAD nonce', AEAD_NONCE_BYTES);
  assertBytes(plaintext, 'plaintext');
  if (plaintext.length > SMALL_AEAD_MAX) return xchacha20poly1305(key, nonce).encrypt(plaintext);
  // Short messages (wrapped keys, supplements): one keystream call yields the Poly1305 key
  // (block 0) and the encryption stream (from block 1), about twice as fast as the generic path.
  const n = plaintext.length;
  const ks = xchacha20(key, nonce, new Uint8Array(64 + n));
  const out = new Uint8Array(n + AEAD_TAG_BYTES);
  for (let i = 0; i < n; i++) out[i] = plaintext[i]! ^ ks[64 + i]!;
  const h = poly1305.create(ks.subarray(0, 32));
  h.update(out.subarray(0, n));
  if (n % 16) h.update(new Uint8Array(16 - (n % 16)));
  const lengths = new Uint8Array(16);
  new DataView(lengths.buffer).setUint32(8, n, true);
  h.update(lengths);
  out.set(h.digest(), n);
  wipe(ks);
  return out;
}

/** Plaintexts up to this size take the single-keystream path of {@link aeadEncrypt}. */
const SMALL_AEAD_MAX = 512;

/**
 * `crypto_aead_xchacha20poly1305_ietf_decrypt` with no associated data; `undefined` when the tag
 * does not verify (callers decide which error that is; trial decryption expects failures).
 *
 * @example
 * ```ts
 * const pt = aeadDecrypt(key32, nonce24, ct); // Uint8Array | undefined
 * ```
 */
export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
  assertBytes(key, 'AEAD key', 32);
  assertBytes(nonce, 'AEAD nonce', AEAD_NONCE_BYTES);
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length < AEAD_TAG_BYTES) return undefined;
  try {
    return xchacha20poly1305(key, nonce).decrypt(ciphertext);
  } catch {
    return undefined;
  }
}

/**
 * Trial decryption of many ciphertexts under one key and one nonce, as a keys-message recipient
 * does (spec/groups.md §2.3, §2.6): returns the plaintext of the first candidate that
 * authenticates, or `undefined`. The Poly1305 one-time key depends only on (key, nonce), so it is
 * derived once and each candidate costs one Poly1305 pass. Semantics are exactly
 * `crypto_aead_xchacha20poly1305_ietf_decrypt` per candidate; tags compare in constant time.
 *
 * @example
 * ```ts
 * const mine = aeadTrialDecrypt(wrapKey, nonce, entries); // Uint8Array | undefined
 * ```
 */
export function aeadTrialDecrypt(key: Uint8Array, nonce: Uint8Array, candidates: Iterable<Uint8Array>): Uint8Array | undefined {
  assertBytes(key, 'AEAD key', 32);
  assertBytes(nonce, 'AEAD nonce', AEAD_NONCE_BYTES);
  const authKey = xchacha20(key, nonce, new Uint8Array(32));
  const lengths = new Uint8Array(16);
  const pad = new Uint8Array(16);
  try {
    for (const ct of candidates) {
      if (!(ct instanceof Uint8Array) || ct.length < AEAD_TAG_BYTES) continue;
      const body = ct.subarray(0, ct.length - AEAD_TAG_BYTES);
      const h = poly1305.create(authKey);
      h.update(body);
      if (body.length % 16) h.update(pad.subarray(body.length % 16));
      // RFC 8439 §2.8: le64(aad_len = 0) ‖ le64(ct_len)
      new DataView(lengths.buffer).setUint32(8, body.length, true);
      h.update(lengths);
      const tag = h.digest();
      const ok = equalBytes(tag, ct.subarray(body.length));
      wipe(tag);
      if (ok) return xchacha20(key, nonce, body, new Uint8Array(body.length), 1);
    }
    return undefined;
  } finally {
    wipe(authKey);
  }
}

/** libsodium's fixed nonce for `randombytes_buf_deterministic` (ASCII "LibsodiumDRG"). */
const DRG_NONCE = /* @__PURE__ */ utf8('LibsodiumDRG');

/**
 * libsodium ≥ 1.0.12 `randombytes_buf_deterministic(len, seed)`: the ChaCha20-IETF keystream
 * with key = seed, nonce = "LibsodiumDRG", counter 0 (spec/groups.md §5 item 4). Used for the
 * deterministic junk entries of keys messages; never as a source of secret randomness.
 *
 * @example
 * ```ts
 * const junk = randombytesBufDeterministic(48 * 70, junkSeed);
 * ```
 */
export function randombytesBufDeterministic(length: number, seed: Uint8Array): Uint8Array {
  assertBytes(seed, 'deterministic RNG seed', 32);
  if (!Number.isSafeInteger(length) || length < 0 || length > 64 * 0xffffffff) {
    throw new SessionSdkError('INVALID_INPUT', 'deterministic RNG length out of range');
  }
  return chacha20(seed, DRG_NONCE, new Uint8Array(length));
}
