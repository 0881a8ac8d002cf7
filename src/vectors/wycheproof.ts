/**
 * Verifiers for test-vectors/wycheproof/ (C2SP/wycheproof, spec/security.md §6): every case of
 * every vendored file, one vector per case labelled `tcId <n>`, each checked on every path the SDK
 * computes that primitive on. Issue 7's rule: `valid` is accepted with the exact bytes, `invalid`
 * is rejected, `acceptable` is decided as libsodium decides it.
 *
 * - Provider primitives (Ed25519, X25519, AES-256-CBC/GCM, HMAC-SHA-256) run on both the noble
 *   and the native WebCrypto provider; each must match the vector, so the two cannot disagree.
 * - XChaCha20-Poly1305 is not a provider primitive: it runs through the code the SDK calls, the
 *   @noble/ciphers AEAD (config, blinded DMs, ONS, push, identity backups; with AAD), the group
 *   wrappers that compose Poly1305 themselves, and the xchacha20 onion hop layer.
 * - ChaCha20-Poly1305 (IETF) is not used by the SDK as an AEAD; its cases run through the
 *   @noble/ciphers AEAD and check the SDK's own Poly1305 (secretstream's kernel) on the RFC 8439
 *   MAC input.
 * - Cases with parameters the SDK never uses (AES-128/192 keys, GCM IVs other than 96 bits) are
 *   skipped with that reason, except invalid ones the SDK must refuse anyway (an empty GCM IV).
 * @module
 */
import { chacha20, chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { _secretstreamPoly1305 } from '../crypto/secretstream.js';
import { aeadDecrypt, aeadEncrypt, aeadTrialDecrypt } from '../groups/primitives.js';
import { decryptWithHopKey, encryptWithHopKey, nobleProvider, verifyEd25519, webCryptoProvider, type CryptoProvider } from '../index.js';
import { concatBytes, equalBytes } from '../util/bytes.js';
import { expectEqual, expectSdkError, hex, list, toHex, type FileRecorder, type FileVerifier } from './check.js';

/** Both shipped providers: the pure-JS reference and the native path the hot paths use. */
const PROVIDERS: readonly CryptoProvider[] = [nobleProvider, webCryptoProvider];

/** What the SDK must do with a case: accept it (with the vector's bytes) or reject it. */
export type Verdict = 'accept' | 'reject';

/**
 * libsodium's decision on an X25519 case (spec/security.md §4): `crypto_scalarmult` fails exactly
 * when the shared secret is all zero (a small-order public key, canonical or not) and otherwise
 * returns it, twist points and non-canonical u included. This is the rule test/crypto/provider.test.ts
 * asserts against libsodium itself; Wycheproof marks all of these `acceptable`.
 *
 * @example
 * ```ts
 * libsodiumX25519Verdict('00'.repeat(32)); // 'reject'
 * ```
 */
export function libsodiumX25519Verdict(sharedHex: string): Verdict {
  return hex(sharedHex).every((b) => b === 0) ? 'reject' : 'accept';
}

/**
 * The verdict a Wycheproof case demands. `acceptable` needs libsodium's rule for the primitive;
 * a file that has none for an acceptable case (or an unknown `result`) is a malformed vector.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function verdictOf(t: any, acceptable?: (t: any) => Verdict): Verdict {
  if (t.result === 'valid') return 'accept';
  if (t.result === 'invalid') return 'reject';
  if (t.result === 'acceptable' && acceptable) return acceptable(t);
  throw new Error(`result ${JSON.stringify(t.result)} has no verdict for this primitive`);
}

/**
 * Ed25519 verification on every path (spec/security.md §3): each provider's `ed25519Verify`, and
 * also the public `verifyEd25519` when `viaPublic` (it runs the noble provider's code, so the
 * 151 Wycheproof cases leave it out to stay fast; the speccheck cases include it).
 *
 * @example
 * ```ts
 * await expectEd25519Verdict(sig, msg, pk, 'reject', true); // throws VectorMismatch if any path accepts
 * ```
 */
export async function expectEd25519Verdict(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, want: Verdict, viaPublic: boolean): Promise<void> {
  const accepted = want === 'accept';
  if (viaPublic) expectEqual('verifyEd25519 accepts', verifyEd25519(sig, msg, pk), accepted);
  for (const p of PROVIDERS) expectEqual(`[${p.name}] ed25519Verify accepts`, await p.ed25519Verify(sig, msg, pk), accepted);
}

/** Where a case sits outside the SDK's use: the skip reason and the file section it names. */
type Outside = { reason: string; section: string } | undefined;

const outside = (what: string, section: string): Outside => ({ reason: `parameter outside the SDK's use (${what})`, section });

/** Runs (or skips, when `skip` says why) every case of every test group, one vector per case. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function eachCase(doc: any, rec: FileRecorder, check: (g: any, t: any) => Promise<void> | void, skip?: (g: any, t: any) => Outside): Promise<void> {
  for (const g of list(doc, 'testGroups')) {
    for (const t of list(g, 'tests')) {
      const s = skip?.(g, t);
      if (s) rec.skip(1, s.reason, s.section);
      else await rec.vector(`tcId ${t?.tcId}`, () => check(g, t));
    }
  }
}

/** `hex` of an opened plaintext, or `'rejected'` when `open` throws or returns undefined. */
function opened(open: () => Uint8Array | undefined): string {
  try {
    const pt = open();
    return pt === undefined ? 'rejected' : toHex(pt);
  } catch {
    return 'rejected';
  }
}

// The SDK uses AES-256 only (onion aes-gcm hops, legacy attachments and profile pictures):
// declared key sizes other than 256 are skipped; an undeclared size runs and must fit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const aesKeyOutside = (g: any): Outside =>
  typeof g.keySize === 'number' && g.keySize !== 256 ? outside('AES key other than 256 bits', `keySize ${g.keySize}`) : undefined;

// AES-256-CBC with PKCS#7 padding (legacy attachments, spec/identity-envelope.md §6.1).
const aesCbc: FileVerifier = async (doc, rec) =>
  eachCase(
    doc,
    rec,
    async (_g, t) => {
      const [key, iv] = [hex(t.key), hex(t.iv)];
      const ct = hex(t.ct);
      const want = verdictOf(t);
      for (const p of PROVIDERS) {
        if (want === 'accept') {
          expectEqual(`[${p.name}] ciphertext`, toHex(await p.aesCbcEncrypt(key, iv, hex(t.msg))), t.ct);
          expectEqual(`[${p.name}] plaintext`, toHex(await p.aesCbcDecrypt(key, iv, ct)), t.msg);
        } else {
          await expectSdkError(`[${p.name}] decrypt`, 'DECRYPT_FAILED', () => p.aesCbcDecrypt(key, iv, ct));
        }
      }
    },
    aesKeyOutside,
  );

// AES-256-GCM with 96-bit IVs and 128-bit tags (onion aes-gcm hops, spec/onion.md §1.3). Valid
// cases with other IV or tag sizes are skipped; invalid ones still run, as the SDK must refuse
// them whatever the reason (the empty-IV cases are refused as a wrong IV length).
const aesGcm: FileVerifier = async (doc, rec) =>
  eachCase(
    doc,
    rec,
    async (_g, t) => {
      const [key, iv, aad] = [hex(t.key), hex(t.iv), hex(t.aad)];
      const sealed = hex(t.ct + t.tag);
      const want = verdictOf(t);
      for (const p of PROVIDERS) {
        if (want === 'accept') {
          expectEqual(`[${p.name}] ciphertext ‖ tag`, toHex(await p.aesGcmEncrypt(key, iv, hex(t.msg), aad)), t.ct + t.tag);
          expectEqual(`[${p.name}] plaintext`, toHex(await p.aesGcmDecrypt(key, iv, sealed, aad)), t.msg);
        } else {
          const code = iv.length === 12 ? 'DECRYPT_FAILED' : 'INVALID_LENGTH';
          await expectSdkError(`[${p.name}] decrypt`, code, () => p.aesGcmDecrypt(key, iv, sealed, aad));
        }
      }
    },
    (g, t) => {
      const k = aesKeyOutside(g);
      if (k || t?.result !== 'valid') return k;
      if (typeof g.ivSize === 'number' && g.ivSize !== 96) return outside('GCM iv other than 96 bits', `ivSize ${g.ivSize}`);
      if (typeof g.tagSize === 'number' && g.tagSize !== 128) return outside('GCM tag other than 128 bits', `tagSize ${g.tagSize}`);
      return undefined;
    },
  );

// HMAC-SHA-256 (legacy attachments, onion aes-gcm hop keys). The SDK always uses full 32-byte
// tags; the 128-bit groups check the same primitive by the tag's leftmost bytes (RFC 2104 §5
// truncation), which is all a truncated-tag verifier compares.
const hmacSha256: FileVerifier = async (doc, rec) =>
  eachCase(doc, rec, async (g, t) => {
    const [key, msg, tag] = [hex(t.key), hex(t.msg), hex(t.tag)];
    const bytes = typeof g.tagSize === 'number' ? g.tagSize / 8 : NaN;
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 32) throw new Error(`tagSize ${JSON.stringify(g.tagSize)} is not a whole number of bytes up to 256 bits`);
    const want = verdictOf(t);
    for (const p of PROVIDERS) {
      const mac = (await p.hmacSha256(key, msg)).subarray(0, bytes);
      if (want === 'accept') expectEqual(`[${p.name}] tag`, toHex(mac), t.tag);
      else expectEqual(`[${p.name}] forged tag accepted`, equalBytes(mac, tag), false);
    }
  });

// X25519 (every DH of the protocol); acceptable cases decided by libsodium's rule.
const x25519: FileVerifier = async (doc, rec) =>
  eachCase(doc, rec, async (_g, t) => {
    const [sk, pk] = [hex(t.private), hex(t.public)];
    const want = verdictOf(t, (c) => libsodiumX25519Verdict(c.shared));
    for (const p of PROVIDERS) {
      if (want === 'accept') expectEqual(`[${p.name}] shared secret`, toHex(await p.x25519(sk, pk)), t.shared);
      else await expectSdkError(`[${p.name}] x25519`, 'SMALL_ORDER_KEY', () => p.x25519(sk, pk));
    }
  });

// Ed25519 verification with libsodium's rules (spec/security.md §3); the file has no acceptable cases.
const ed25519: FileVerifier = async (doc, rec) =>
  eachCase(doc, rec, async (g, t) => {
    await expectEd25519Verdict(hex(t.sig), hex(t.msg), hex(g.publicKey?.pk), verdictOf(t), false);
  });

/** The AEAD `valid`/`invalid` check of one case through a @noble/ciphers constructor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectAead(what: string, aead: typeof xchacha20poly1305, t: any, want: Verdict): void {
  const [key, iv, aad] = [hex(t.key), hex(t.iv), hex(t.aad)];
  const got = opened(() => aead(key, iv, aad).decrypt(hex(t.ct + t.tag)));
  if (want === 'reject') {
    expectEqual(`${what} decrypt`, got, 'rejected');
    return;
  }
  expectEqual(`${what} plaintext`, got, t.msg);
  expectEqual(`${what} ciphertext ‖ tag`, toHex(aead(key, iv, aad).encrypt(hex(t.msg))), t.ct + t.tag);
}

// XChaCha20-Poly1305: the AEAD of config messages, blinded DMs, groups and onion hops.
const xchacha: FileVerifier = async (doc, rec) =>
  eachCase(doc, rec, async (_g, t) => {
    const want = verdictOf(t);
    expectAead('[@noble/ciphers]', xchacha20poly1305, t, want);
    if (t.aad !== '') return; // the wrappers below take no associated data
    const [key, iv, msg] = [hex(t.key), hex(t.iv), hex(t.msg)];
    const sealed = hex(t.ct + t.tag);
    if (iv.length !== 24) {
      // Only invalid cases have other nonce sizes: every wrapper refuses them with a typed error.
      await expectSdkError('[groups] aeadDecrypt', 'INVALID_LENGTH', () => aeadDecrypt(key, iv, sealed));
      await expectSdkError('[groups] aeadTrialDecrypt', 'INVALID_LENGTH', () => aeadTrialDecrypt(key, iv, [sealed]));
      await expectSdkError('[groups] aeadEncrypt', 'INVALID_LENGTH', () => aeadEncrypt(key, iv, msg));
      await expectSdkError('[onion hop] encryptWithHopKey', 'INVALID_LENGTH', () => encryptWithHopKey('xchacha20', key, msg, iv));
      return;
    }
    const want1 = want === 'accept' ? t.msg : 'rejected';
    expectEqual('[groups] aeadDecrypt', opened(() => aeadDecrypt(key, iv, sealed)), want1);
    expectEqual('[groups] aeadTrialDecrypt', opened(() => aeadTrialDecrypt(key, iv, [sealed])), want1);
    const blob = concatBytes(iv, sealed);
    if (want === 'accept') {
      expectEqual('[groups] aeadEncrypt', toHex(aeadEncrypt(key, iv, msg)), t.ct + t.tag);
      expectEqual('[onion hop] encryptWithHopKey', toHex(await encryptWithHopKey('xchacha20', key, msg, iv)), t.iv + t.ct + t.tag);
      expectEqual('[onion hop] decryptWithHopKey', toHex(await decryptWithHopKey('xchacha20', key, blob)), t.msg);
    } else {
      await expectSdkError('[onion hop] decryptWithHopKey', 'DECRYPT_FAILED', () => decryptWithHopKey('xchacha20', key, blob));
    }
  });

/** RFC 8439 §2.8 MAC input: `aad ‖ pad16 ‖ ct ‖ pad16 ‖ le64(|aad|) ‖ le64(|ct|)`. */
function rfc8439MacData(aad: Uint8Array, ct: Uint8Array): Uint8Array {
  const pad = (n: number): Uint8Array => new Uint8Array((16 - (n % 16)) % 16);
  const lengths = new Uint8Array(16);
  const dv = new DataView(lengths.buffer);
  dv.setUint32(0, aad.length, true);
  dv.setUint32(8, ct.length, true);
  return concatBytes(aad, pad(aad.length), ct, pad(ct.length), lengths);
}

// ChaCha20-Poly1305 (IETF): not an SDK AEAD; @noble/ciphers plus the SDK's Poly1305 kernel.
const chacha: FileVerifier = async (doc, rec) =>
  eachCase(doc, rec, (_g, t) => {
    const want = verdictOf(t);
    expectAead('[@noble/ciphers]', chacha20poly1305, t, want);
    const [key, iv] = [hex(t.key), hex(t.iv)];
    if (iv.length !== 12) return; // other nonce sizes have no ChaCha20-IETF keystream to key Poly1305
    const polyKey = chacha20(key, iv, new Uint8Array(32));
    const mac = _secretstreamPoly1305(polyKey, rfc8439MacData(hex(t.aad), hex(t.ct)));
    if (want === 'accept') expectEqual('[secretstream Poly1305] tag', toHex(mac), t.tag);
    else expectEqual('[secretstream Poly1305] forged tag accepted', equalBytes(mac, hex(t.tag)), false);
  });

/** Verifiers of the wycheproof area, by file name. */
export const WYCHEPROOF_VERIFIERS: Record<string, FileVerifier> = {
  'aes_cbc_pkcs5_test.json': aesCbc,
  'aes_gcm_test.json': aesGcm,
  'chacha20_poly1305_test.json': chacha,
  'ed25519_test.json': ed25519,
  'hmac_sha256_test.json': hmacSha256,
  'x25519_test.json': x25519,
  'xchacha20_poly1305_test.json': xchacha,
};
