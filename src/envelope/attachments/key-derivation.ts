/**
 * Deterministic key and header of an "S" attachment (spec/identity-envelope.md §6.2):
 * `BLAKE2b-56(plaintext; key = uploader seed, personalisation = domain)` → `header(24) ‖ key(32)`.
 * Same uploader + same bytes ⇒ same ciphertext, so the file server can deduplicate re-uploads
 * (profile pictures especially) while the key stays unguessable without the uploader's seed.
 * @module
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { SessionSdkError } from '../../errors.js';
import { assertBytes } from '../../util/bytes.js';
import { createBlake2b } from '../../crypto/blake2b-wasm.js';

/**
 * Which kind of upload: separate domains give unrelated keys for identical bytes.
 *
 * @example
 * ```ts
 * const domain: AttachmentDomain = 'profile-pic';
 * const { ciphertext, key } = await encryptAttachment(identity.seed, avatarBytes, { domain });
 * ```
 */
export type AttachmentDomain = 'attachment' | 'profile-pic';

const PERSONALISATION: Record<AttachmentDomain, Uint8Array> = {
  attachment: ascii('SessionAttachmnt'),
  'profile-pic': ascii('Session_Prof_Pic'),
};

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** BLAKE2b output: 24-byte secretstream header then 32-byte key. */
export const NONCE_KEY_SIZE = 56;

/** Validates the uploader seed: 32 bytes, or a 64-byte libsodium secret key (its first 32). */
export function uploaderSeed(seed: Uint8Array): Uint8Array {
  assertBytes(seed, 'seed', [32, 64]);
  return seed.subarray(0, 32);
}

export function personalisation(domain: AttachmentDomain | undefined): Uint8Array {
  const d = domain ?? 'attachment';
  const p = PERSONALISATION[d];
  if (!p) throw new SessionSdkError('INVALID_INPUT', `unknown attachment domain ${JSON.stringify(d)}`);
  return p;
}

/** Incremental hasher for phase 1 of streaming encryption. */
export interface NonceKeyHasher {
  update(data: Uint8Array): void;
  /** The 56-byte `header ‖ key`. */
  digest(): Uint8Array;
}

/**
 * Starts the keyed, personalised BLAKE2b-56 over the plaintext: the WebAssembly kernel where the
 * runtime allows it (≈20× faster), @noble/hashes otherwise; identical output (tested).
 * `forceNoble` is for those tests.
 */
export function createNonceKeyHasher(seed: Uint8Array, domain?: AttachmentDomain, forceNoble = false): NonceKeyHasher {
  const opts = { key: uploaderSeed(seed), dkLen: NONCE_KEY_SIZE, personalization: personalisation(domain) };
  const fast = forceNoble ? undefined : createBlake2b(opts);
  if (fast) return fast;
  const h = blake2b.create(opts);
  return {
    update: (d) => void h.update(d),
    digest: () => h.digest(),
  };
}

/** One-shot `header(24) ‖ key(32)` for `plaintext`. */
export function attachmentNonceKey(seed: Uint8Array, plaintext: Uint8Array, domain?: AttachmentDomain): Uint8Array {
  const h = createNonceKeyHasher(seed, domain);
  h.update(plaintext);
  return h.digest();
}
