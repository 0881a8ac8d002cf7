// Per-hop encryption (spec/onion.md §1): upstream libsession vectors, libsodium cross-checks,
// negative and property tests.
import { createCipheriv, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';
import {
  deriveHopKey,
  HOP_OVERHEAD,
  hopDecrypt,
  hopEncrypt,
  onionEphemeralKeyPair,
  parseEncType,
  releaseOnionEphemeral,
  type OnionEncType,
} from '../../src/onion/hop.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { x25519PublicKeySync, x25519Sync } from '../../src/crypto/noble.js';
import { loadSodium } from '../helpers/sodium.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('onion/onion-layers.json');
const hopVec = V.vectors.find((v: { id: string }) => v.id === 'libsession-hop-encryption-decrypt');
const parserVec = V.vectors.find((v: { id: string }) => v.id === 'libsession-onionreq-parser');
const ENC: OnionEncType[] = ['xchacha20', 'aes-gcm'];

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSessionSdkError(e), String(e)).toBe(true);
    expect((e as SessionSdkError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describeEachProvider('hop encryption (upstream libsession vectors)', () => {
  const { inputs, expected, derived_intermediates: d } = hopVec;
  const a = hex(inputs.client_x25519_seckey);
  const A = hex(inputs.client_x25519_pubkey);
  const b = hex(inputs.server_x25519_seckey);
  const B = hex(inputs.server_x25519_pubkey);

  it('server decrypts the upstream aes-gcm and xchacha20 ciphertexts', async () => {
    expect(toHex(await hopDecrypt('aes-gcm', b, A, hex(inputs.aes_gcm_ciphertext)))).toBe(expected.plaintext_hex);
    expect(toHex(await hopDecrypt('xchacha20', b, A, hex(inputs.xchacha20_ciphertext)))).toBe(expected.plaintext_hex);
  });

  it('rejects every must-fail ciphertext', async () => {
    for (const c of expected.must_fail_aesgcm_decrypt) await expectCode(hopDecrypt('aes-gcm', b, A, hex(c)), 'DECRYPT_FAILED');
    for (const c of expected.also_must_fail_aesgcm_decrypt_defined_but_unused_upstream) await expectCode(hopDecrypt('aes-gcm', b, A, hex(c)), 'DECRYPT_FAILED');
    for (const c of expected.must_fail_xchacha20_decrypt) await expectCode(hopDecrypt('xchacha20', b, A, hex(c)), 'DECRYPT_FAILED');
  });

  it('derives the documented keys on both sides', async () => {
    expect(toHex(await deriveHopKey('aes-gcm', a, undefined, B, false))).toBe(d.aes_gcm_key_hmac_sha256_LOKI);
    expect(toHex(await deriveHopKey('aes-gcm', b, undefined, A, true))).toBe(d.aes_gcm_key_hmac_sha256_LOKI);
    expect(toHex(await deriveHopKey('xchacha20', a, undefined, B, false))).toBe(d.xchacha20_key_blake2b32_shared_A_B);
    expect(toHex(await deriveHopKey('xchacha20', b, B, A, true))).toBe(d.xchacha20_key_blake2b32_shared_A_B);
  });

  it('client re-encryption with the upstream nonces reproduces the upstream ciphertexts', async () => {
    const pt = hex(expected.plaintext_hex);
    expect(toHex(await hopEncrypt('aes-gcm', a, B, pt, { nonce: hex(d.aes_gcm_iv) }))).toBe(inputs.aes_gcm_ciphertext);
    expect(toHex(await hopEncrypt('xchacha20', a, B, pt, { nonce: hex(d.xchacha20_nonce) }))).toBe(inputs.xchacha20_ciphertext);
  });

  it('OnionReqParser vector keys give the documented keys', async () => {
    const { inputs: i, derived_intermediates: x } = parserVec;
    expect(toHex(await deriveHopKey('aes-gcm', hex(i.server_x25519_seckey), undefined, hex(i.client_x25519_pubkey), true))).toBe(x.aes_gcm_key);
    expect(toHex(await deriveHopKey('xchacha20', hex(i.server_x25519_seckey), undefined, hex(i.client_x25519_pubkey), true))).toBe(x.xchacha20_key);
  });

  for (const enc of ENC) {
    it(`${enc}: round trip both directions, overhead ${HOP_OVERHEAD[enc]}`, async () => {
      const eph = await onionEphemeralKeyPair();
      const msg = new TextEncoder().encode('onion layer');
      const ct = await hopEncrypt(enc, eph.secretKey, B, msg);
      expect(ct.length).toBe(msg.length + HOP_OVERHEAD[enc]);
      expect(new TextDecoder().decode(await hopDecrypt(enc, b, eph.publicKey, ct))).toBe('onion layer');
      const reply = await hopEncrypt(enc, b, eph.publicKey, msg, { server: true });
      expect(await hopDecrypt(enc, eph.secretKey, B, reply, { server: false })).toEqual(msg);
      // a fresh nonce every time
      expect(toHex(await hopEncrypt(enc, eph.secretKey, B, msg))).not.toBe(toHex(ct));
    });
  }

  it('fresh ephemeral pairs agree with the noble reference (native generateKey path included)', async () => {
    for (let i = 0; i < 3; i++) {
      const eph = await onionEphemeralKeyPair();
      expect(eph.secretKey.length).toBe(32);
      expect(toHex(x25519PublicKeySync(eph.secretKey))).toBe(toHex(eph.publicKey));
      const key = await deriveHopKey('xchacha20', eph.secretKey, eph.publicKey, B, false);
      const ref = await deriveHopKey('xchacha20', new Uint8Array(eph.secretKey), undefined, B, false); // a copy: never the cached native key
      expect(toHex(key)).toBe(toHex(ref));
      const shared = x25519Sync(eph.secretKey, B);
      expect(toHex(await deriveHopKey('aes-gcm', eph.secretKey, undefined, B, false))).toBe(toHex(hmac(sha256, new TextEncoder().encode('LOKI'), shared)));
      // a caller that overwrites the secret gets the provider path with the new bytes, not a stale key
      eph.secretKey.set(a);
      expect(toHex(await deriveHopKey('aes-gcm', eph.secretKey, undefined, B, false))).toBe(d.aes_gcm_key_hmac_sha256_LOKI);
    }
    await expectCode(deriveHopKey('aes-gcm', (await onionEphemeralKeyPair()).secretKey, undefined, new Uint8Array(32), false), 'SMALL_ORDER_KEY');
  });

  it('releaseOnionEphemeral wipes the secret and forgets the native key', async () => {
    const eph = await onionEphemeralKeyPair();
    releaseOnionEphemeral(eph.secretKey);
    expect(eph.secretKey.every((x) => x === 0)).toBe(true);
    eph.secretKey.set(a);
    expect(toHex(await deriveHopKey('xchacha20', eph.secretKey, A, B, false))).toBe(d.xchacha20_key_blake2b32_shared_A_B);
    releaseOnionEphemeral('x' as unknown as Uint8Array); // ignored
  });

  it('xchacha20: the key order matters (a client cannot open another client message)', async () => {
    const ct = await hopEncrypt('xchacha20', a, B, new Uint8Array(5));
    await expectCode(hopDecrypt('xchacha20', b, A, ct, { server: false }), 'DECRYPT_FAILED');
  });

  it('rejects bad inputs with typed errors', async () => {
    await expectCode(hopEncrypt('aes-cbc' as OnionEncType, a, B, new Uint8Array(1)), 'INVALID_INPUT');
    await expectCode(hopEncrypt('xchacha20', a.subarray(1), B, new Uint8Array(1)), 'INVALID_KEY');
    await expectCode(hopEncrypt('xchacha20', a, new Uint8Array(31), new Uint8Array(1)), 'INVALID_KEY');
    await expectCode(hopEncrypt('xchacha20', a, B, new Uint8Array(1), { nonce: new Uint8Array(12) }), 'INVALID_LENGTH');
    await expectCode(hopEncrypt('aes-gcm', a, B, new Uint8Array(1), { nonce: new Uint8Array(24) }), 'INVALID_LENGTH');
    await expectCode(hopEncrypt('aes-gcm', a, B, 'text' as unknown as Uint8Array), 'INVALID_INPUT');
    await expectCode(hopEncrypt('xchacha20', a, new Uint8Array(32), new Uint8Array(1)), 'SMALL_ORDER_KEY');
    await expectCode(hopDecrypt('xchacha20', b, A, new Uint8Array(39)), 'DECRYPT_FAILED');
    await expectCode(hopDecrypt('aes-gcm', b, A, new Uint8Array(27)), 'DECRYPT_FAILED');
    await expectCode(onionEphemeralKeyPair(new Uint8Array(31)), 'INVALID_KEY');
  });

  it('property: random or mutated ciphertexts only ever throw DECRYPT_FAILED', async () => {
    const valid = { xchacha20: hex(inputs.xchacha20_ciphertext), 'aes-gcm': hex(inputs.aes_gcm_ciphertext) };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENC),
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }).map((r) => ({ kind: 'random' as const, r, pos: 0, bit: 0 })),
          fc.record({ kind: fc.constant('flip' as const), r: fc.constant(new Uint8Array()), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        ),
        async (enc, m) => {
          let ct = m.r;
          if (m.kind === 'flip') {
            ct = new Uint8Array(valid[enc]);
            ct[m.pos % ct.length]! ^= 1 << m.bit;
          }
          try {
            await hopDecrypt(enc, b, A, ct);
          } catch (e) {
            return isSessionSdkError(e, 'DECRYPT_FAILED');
          }
          return false;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('parseEncType', () => {
  it('maps the accepted spellings and defaults to aes-gcm', () => {
    expect(parseEncType(undefined)).toBe('aes-gcm');
    expect(parseEncType('gcm')).toBe('aes-gcm');
    expect(parseEncType('aes-gcm')).toBe('aes-gcm');
    expect(parseEncType('xchacha20')).toBe('xchacha20');
    expect(parseEncType('xchacha20-poly1305')).toBe('xchacha20');
    for (const bad of ['aes-cbc', 'cbc', '', 'XCHACHA20', 7, {}]) {
      expect(() => parseEncType(bad)).toThrow(SessionSdkError);
    }
  });
});

describe('hop encryption vs libsodium / node:crypto', () => {
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
  });

  it('xchacha20 equals crypto_scalarmult + BLAKE2b(shared‖A‖B) + crypto_aead_xchacha20poly1305_ietf_encrypt', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 24, maxLength: 24 }), async (a, b, msg, nonce) => {
        const A = sodium.crypto_scalarmult_base(a);
        const B = sodium.crypto_scalarmult_base(b);
        const shared = sodium.crypto_scalarmult(a, B);
        const key = sodium.crypto_generichash(32, new Uint8Array([...shared, ...A, ...B]), null);
        const ref = new Uint8Array([...nonce, ...sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(msg, null, null, nonce, key)]);
        expect(toHex(await hopEncrypt('xchacha20', a, B, msg, { nonce }))).toBe(toHex(ref));
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('aes-gcm equals crypto_scalarmult + HMAC-SHA256("LOKI", shared) + AES-256-GCM', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), async (a, b, msg, iv) => {
        const B = sodium.crypto_scalarmult_base(b);
        const shared = sodium.crypto_scalarmult(a, B);
        const key = createHmac('sha256', 'LOKI').update(shared).digest();
        const c = createCipheriv('aes-256-gcm', key, iv);
        const ref = Buffer.concat([iv, c.update(msg), c.final(), c.getAuthTag()]);
        expect(toHex(await hopEncrypt('aes-gcm', a, B, msg, { nonce: iv }))).toBe(toHex(ref));
      }),
      { seed: 42, numRuns: 25 },
    );
  });
});
