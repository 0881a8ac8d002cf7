// ONS lookup and push-notification decryption (spec/identity-envelope.md §3.7): upstream vectors,
// libsodium cross-checks and negatives.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptOnsResponse, decryptPushNotification } from '../../src/envelope/service-payloads.js';
import { isSessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const V = loadVectors('identity-envelope/session-encrypt.json');
const ons = V.other_decrypt_functions[0];
const push = V.other_decrypt_functions[1];

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describe('decryptOnsResponse', () => {
  it('upstream vector', () => {
    expect(decryptOnsResponse(ons.input.lowercase_name, hex(ons.input.ciphertext), hex(ons.input.nonce))).toBe(ons.expected.session_id);
    expect(decryptOnsResponse(ons.input.lowercase_name.toUpperCase(), hex(ons.input.ciphertext), hex(ons.input.nonce))).toBe(ons.expected.session_id);
  });

  it('agrees with libsodium on random names and IDs', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,63}$/), fc.uint8Array({ minLength: 32, maxLength: 32 }), (name, seed) => {
        const x = sodium.crypto_sign_ed25519_pk_to_curve25519(sodium.crypto_sign_seed_keypair(seed).publicKey);
        const n = new TextEncoder().encode(name);
        const key = sodium.crypto_generichash(32, n, sodium.crypto_generichash(32, n, null));
        const nonce = sodium.randombytes_buf(24);
        const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(new Uint8Array([5, ...x]), null, null, nonce, key);
        expect(decryptOnsResponse(name, ct, nonce)).toBe('05' + toHex(x));
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('rejects a wrong name, tampering and bad arguments', () => {
    const ct = hex(ons.input.ciphertext);
    const nonce = hex(ons.input.nonce);
    expect(codeOf(() => decryptOnsResponse('tests', ct, nonce))).toBe('DECRYPT_FAILED');
    for (let i = 0; i < ct.length; i++) {
      const t = ct.slice();
      t[i]! ^= 0x40;
      expect(codeOf(() => decryptOnsResponse('test', t, nonce))).toBe('DECRYPT_FAILED');
    }
    expect(codeOf(() => decryptOnsResponse('test', ct.subarray(0, 15), nonce))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptOnsResponse('test', ct, nonce.subarray(0, 12)))).toBe('INVALID_LENGTH');
    expect(codeOf(() => decryptOnsResponse('', ct, nonce))).toBe('INVALID_INPUT');
    // A correctly encrypted value that is not a Session ID.
    const n = new TextEncoder().encode('x');
    const key = sodium.crypto_generichash(32, n, sodium.crypto_generichash(32, n, null));
    const nonce2 = new Uint8Array(24);
    for (const bad of [new Uint8Array(32).fill(1), new Uint8Array([3, ...new Uint8Array(32).fill(1)]), new Uint8Array(33)]) {
      const c = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(bad, null, null, nonce2, key);
      expect(codeOf(() => decryptOnsResponse('x', c, nonce2))).toBe('INVALID_SESSION_ID');
    }
  });
});

describe('decryptPushNotification', () => {
  it('upstream vector (trailing zero padding stripped)', () => {
    expect(toHex(decryptPushNotification(hex(push.input.payload), hex(push.input.enc_key)))).toBe(push.expected.plaintext_hex);
  });

  it('agrees with libsodium on random payloads', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 40 }), (m, pad) => {
        const key = sodium.randombytes_buf(32);
        const nonce = sodium.randombytes_buf(24);
        const padded = new Uint8Array(m.length + pad);
        padded.set(m);
        const payload = new Uint8Array([...nonce, ...sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, null, null, nonce, key)]);
        let end = m.length;
        while (end > 0 && m[end - 1] === 0) end--;
        expect(toHex(decryptPushNotification(payload, key))).toBe(toHex(m.subarray(0, end)));
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it('rejects a wrong key, tampering, truncation and bad arguments', () => {
    const p = hex(push.input.payload);
    const k = hex(push.input.enc_key);
    const k2 = k.slice();
    k2[0]! ^= 1;
    expect(codeOf(() => decryptPushNotification(p, k2))).toBe('DECRYPT_FAILED');
    for (let i = 0; i < p.length; i++) {
      const t = p.slice();
      t[i]! ^= 0x01;
      expect(codeOf(() => decryptPushNotification(t, k))).toBe('DECRYPT_FAILED');
    }
    for (const n of [0, 24, 39, p.length - 1]) expect(codeOf(() => decryptPushNotification(p.subarray(0, n), k))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => decryptPushNotification(p, k.subarray(0, 31)))).toBe('INVALID_LENGTH');
  });
});
