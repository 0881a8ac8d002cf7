/**
 * Verifier for test-vectors/identity-envelope/ed25519-speccheck.json: the edge cases of
 * "Taming the many EdDSAs", decided the way libsodium decides them (spec/security.md §3).
 * @module
 */
import { hex, list, type FileVerifier } from './check.js';
import { expectEd25519Verdict } from './wycheproof.js';

// Each case records libsodium's verdict (the table of spec/security.md §3, which the SDK's tests
// also check against libsodium itself); the SDK must reach it through the public verifyEd25519
// and through both providers' ed25519Verify.
const speccheck: FileVerifier = async (doc, rec) => {
  for (const [i, c] of list(doc, 'cases').entries()) {
    await rec.vector(`case ${c?.case ?? `#${i + 1}`}`, async () => {
      const want = c.libsodium === 'accept' || c.libsodium === 'reject' ? c.libsodium : undefined;
      if (!want) throw new Error(`libsodium verdict ${JSON.stringify(c.libsodium)} is neither "accept" nor "reject"`);
      await expectEd25519Verdict(hex(c.sig), hex(c.msg), hex(c.pk), want, true);
    });
  }
};

/** Verifiers for the Ed25519 edge-case file of the identity-envelope area, by file name. */
export const SPECCHECK_VERIFIERS: Record<string, FileVerifier> = { 'ed25519-speccheck.json': speccheck };
