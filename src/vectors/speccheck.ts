/**
 * Verifier for test-vectors/identity-envelope/ed25519-speccheck.json: the edge cases of
 * "Taming the many EdDSAs", decided the way libsodium decides them (spec/security.md §3).
 * @module
 */
import type { FileVerifier } from './check.js';

/** Verifiers for the Ed25519 edge-case file of the identity-envelope area, by file name. */
export const SPECCHECK_VERIFIERS: Record<string, FileVerifier> = {};
