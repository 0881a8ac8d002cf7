/**
 * Signature verification with libsodium's exact acceptance set (spec/security.md §3).
 * @module
 */
import { ed25519VerifySync } from '../crypto/noble.js';

/**
 * Verifies a detached Ed25519 signature, accepting exactly what libsodium's
 * `crypto_sign_verify_detached` accepts: `S < L`, `R` and `A` not of small order, `A` canonical,
 * and the cofactorless equation matched byte-for-byte. Never throws; bad shapes give `false`.
 *
 * @example
 * ```ts
 * if (!verifyEd25519(sig, msg, senderEd25519Pk)) throw new Error('forged');
 * ```
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return ed25519VerifySync(signature, message, publicKey);
}
