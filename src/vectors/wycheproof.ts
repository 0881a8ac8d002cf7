/**
 * Verifiers for test-vectors/wycheproof/ (C2SP/wycheproof, spec/security.md §3).
 * @module
 */
import type { FileVerifier } from './check.js';

/** Verifiers of the wycheproof area, by file name. */
export const WYCHEPROOF_VERIFIERS: Record<string, FileVerifier> = {};
