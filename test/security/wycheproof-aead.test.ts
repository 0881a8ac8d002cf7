// Wycheproof XChaCha20-Poly1305 and ChaCha20-Poly1305 (spec/security.md §6) through the code paths
// the SDK actually uses, with libsodium as the differential oracle.
//
// Where the SDK wraps XChaCha20-Poly1305 (all without associated data):
//   - src/groups/primitives.ts aeadEncrypt / aeadDecrypt / aeadTrialDecrypt (group keys messages,
//     group messages, multi-encrypt; the trial decryptor composes Poly1305 itself, so it is the
//     one most worth checking against the vectors);
//   - src/onion/hop.ts encryptWithHopKey / decryptWithHopKey (xchacha20 onion layers);
//   - direct `@noble/ciphers/chacha.js` xchacha20poly1305 calls in config/encrypt.ts,
//     envelope/blinded-dm.ts, envelope/service-payloads.ts, envelope/identity-backup.ts (covered by
//     running every vector, with AAD, through that same import).
// ChaCha20-Poly1305 (IETF, 96-bit nonce) is not used by the SDK as an AEAD: secretstream
// (src/crypto/secretstream.ts) composes chacha20 + Poly1305 in libsodium's own non-RFC layout. The
// chacha20_poly1305 file is still run through @noble/ciphers' chacha20poly1305 (the dependency
// whose chacha20/poly1305 cores the SDK uses) and libsodium, so a regression in the shared core
// shows up here. HKDF: the SDK uses no HKDF anywhere (grep -ri hkdf src/ is empty), so
// hkdf_sha256_test.json is not vendored.
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { aeadDecrypt, aeadEncrypt, aeadTrialDecrypt } from '../../src/groups/primitives.js';
import { decryptWithHopKey, encryptWithHopKey } from '../../src/onion/hop.js';
import { isSessionSdkError } from '../../src/errors.js';
import { concatBytes } from '../../src/util/bytes.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';

interface AeadCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
const cases = (file: string): AeadCase[] =>
  (loadVectors(`wycheproof/${file}`).testGroups as { tests: AeadCase[] }[]).flatMap((g) => g.tests);

const XCHACHA = cases('xchacha20_poly1305_test.json');
const CHACHA = cases('chacha20_poly1305_test.json');

function tryOr<T>(f: () => T): T | 'throws' {
  try {
    return f();
  } catch {
    return 'throws';
  }
}

describe('Wycheproof xchacha20_poly1305_test.json', () => {
  it('file shape: 315 cases, none "acceptable" (so no libsodium tie-break is needed)', () => {
    expect(XCHACHA.length).toBe(315);
    expect(XCHACHA.some((t) => t.result === 'acceptable')).toBe(false);
  });

  it('every case through @noble/ciphers xchacha20poly1305 (the import used by config, blinded DMs, ONS, push, backups) and libsodium', async () => {
    const sodium = await loadSodium();
    let valid = 0;
    let invalid = 0;
    for (const t of XCHACHA) {
      const [key, iv, aad, msg] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg)];
      const sealed = hex(t.ct + t.tag);
      const ours = tryOr(() => toHex(xchacha20poly1305(key, iv, aad).decrypt(sealed)));
      const theirs = tryOr(() => toHex(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, aad.length ? aad : null, iv, key)));
      if (t.result === 'valid') {
        expect(ours, `tcId ${t.tcId}`).toBe(t.msg);
        expect(toHex(xchacha20poly1305(key, iv, aad).encrypt(msg)), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
        valid++;
      } else {
        expect(ours, `tcId ${t.tcId} ${t.flags}`).toBe('throws');
        invalid++;
      }
      expect(theirs, `libsodium agrees, tcId ${t.tcId}`).toBe(ours);
    }
    expect(valid).toBe(246);
    expect(invalid).toBe(69);
  });

  // The SDK's own wrappers take no AAD and only 24-byte nonces: run the cases that fit, and check
  // that the rest (other nonce sizes) are refused with a typed error rather than mis-handled.
  const fits = XCHACHA.filter((t) => t.aad === '' && t.iv.length === 48);
  const badNonce = XCHACHA.filter((t) => t.iv.length !== 48);

  it(`groups/primitives aeadEncrypt / aeadDecrypt / aeadTrialDecrypt: ${fits.length} AAD-free cases, verdicts and bytes exact`, () => {
    expect(fits.length).toBe(45);
    for (const t of fits) {
      const [key, iv, msg] = [hex(t.key), hex(t.iv), hex(t.msg)];
      const sealed = hex(t.ct + t.tag);
      const opened = aeadDecrypt(key, iv, sealed);
      const trial = aeadTrialDecrypt(key, iv, [sealed]);
      if (t.result === 'valid') {
        expect(toHex(aeadEncrypt(key, iv, msg)), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
        expect(opened && toHex(opened), `tcId ${t.tcId}`).toBe(t.msg);
        expect(trial && toHex(trial), `trial tcId ${t.tcId}`).toBe(t.msg);
      } else {
        expect(opened, `tcId ${t.tcId} ${t.flags}`).toBeUndefined();
        expect(trial, `trial tcId ${t.tcId} ${t.flags}`).toBeUndefined();
      }
    }
  });

  it('aeadTrialDecrypt over many candidates: finds the one valid entry among forgeries, never a forgery', () => {
    // the one-time Poly1305 key and the length block are reused across candidates: no state may
    // carry over from one candidate to the next
    const all = fits.map((t) => hex(t.ct + t.tag));
    let n = 0;
    for (const t of fits.filter((x) => x.result === 'valid')) {
      const [key, iv, mine] = [hex(t.key), hex(t.iv), hex(t.ct + t.tag)];
      const flipped = mine.slice();
      flipped[flipped.length - 1]! ^= 1;
      const others = all.filter((c) => toHex(c) !== t.ct + t.tag);
      expect(aeadTrialDecrypt(key, iv, [...others, flipped, new Uint8Array(15)])).toBeUndefined();
      const pt = aeadTrialDecrypt(key, iv, [flipped, ...others, mine, flipped]);
      expect(pt && toHex(pt), `tcId ${t.tcId}`).toBe(t.msg);
      n++;
    }
    expect(n).toBeGreaterThan(10);
  });

  it(`wrappers refuse the ${badNonce.length} wrong-nonce-size cases with INVALID_LENGTH`, async () => {
    for (const t of badNonce) {
      const [key, iv] = [hex(t.key), hex(t.iv)];
      for (const f of [() => aeadDecrypt(key, iv, hex(t.ct + t.tag)), () => aeadTrialDecrypt(key, iv, []), () => aeadEncrypt(key, iv, hex(t.msg))]) {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(isSessionSdkError(err, 'INVALID_LENGTH'), `tcId ${t.tcId} ${String(err)}`).toBe(true);
      }
      await expect(encryptWithHopKey('xchacha20', key, hex(t.msg), iv)).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
    }
  });
});

describeEachProvider('Wycheproof xchacha20_poly1305 through the onion hop layer', () => {
  it('encryptWithHopKey / decryptWithHopKey (nonce ‖ ct ‖ tag): AAD-free 24-byte-nonce cases', async () => {
    const fits = XCHACHA.filter((t) => t.aad === '' && t.iv.length === 48);
    for (const t of fits) {
      const [key, iv, msg] = [hex(t.key), hex(t.iv), hex(t.msg)];
      const blob = concatBytes(iv, hex(t.ct + t.tag));
      if (t.result === 'valid') {
        expect(toHex(await encryptWithHopKey('xchacha20', key, msg, iv)), `tcId ${t.tcId}`).toBe(t.iv + t.ct + t.tag);
        expect(toHex(await decryptWithHopKey('xchacha20', key, blob))).toBe(t.msg);
      } else {
        await expect(decryptWithHopKey('xchacha20', key, blob), `tcId ${t.tcId}`).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
      }
    }
  });
});

describe('Wycheproof chacha20_poly1305_test.json', () => {
  it('every case through @noble/ciphers chacha20poly1305 and libsodium (IETF): same verdicts, exact bytes', async () => {
    const sodium = await loadSodium();
    expect(CHACHA.length).toBe(325);
    expect(CHACHA.some((t) => t.result === 'acceptable')).toBe(false);
    let valid = 0;
    let invalid = 0;
    for (const t of CHACHA) {
      const [key, iv, aad, msg] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg)];
      const sealed = hex(t.ct + t.tag);
      const ours = tryOr(() => toHex(chacha20poly1305(key, iv, aad).decrypt(sealed)));
      const theirs = tryOr(() => toHex(sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, sealed, aad.length ? aad : null, iv, key)));
      if (t.result === 'valid') {
        expect(ours, `tcId ${t.tcId}`).toBe(t.msg);
        expect(toHex(chacha20poly1305(key, iv, aad).encrypt(msg))).toBe(t.ct + t.tag);
        valid++;
      } else {
        expect(ours, `tcId ${t.tcId} ${t.flags}`).toBe('throws');
        invalid++;
      }
      expect(theirs, `libsodium agrees, tcId ${t.tcId}`).toBe(ours);
    }
    expect(valid).toBe(256);
    expect(invalid).toBe(69);
  });
});
