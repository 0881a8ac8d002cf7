// libsodium-compatible sealed boxes: differential tests against libsodium-wrappers-sumo under both
// crypto providers, plus the failure modes of crypto_box_seal_open.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import {
  boxKeyFromSharedSecret,
  cryptoBoxSeal,
  cryptoBoxSealOpen,
  deriveSealKeys,
  sealedBoxNonce,
  sealWithKeys,
  SEALED_BOX_OVERHEAD,
} from '../../src/crypto/sealed-box.js';
import { isSessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';
import { describeEachProvider, toHex } from '../helpers/vectors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSessionSdkError(err), `expected SessionSdkError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
}

describeEachProvider('sealed box', () => {
  it('libsodium opens our boxes and we open libsodium boxes, on random inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 600 }), async (m) => {
        const kp = sodium.crypto_box_keypair();
        const ours = await cryptoBoxSeal(m, kp.publicKey);
        expect(ours.length).toBe(m.length + SEALED_BOX_OVERHEAD);
        expect(toHex(sodium.crypto_box_seal_open(ours, kp.publicKey, kp.privateKey))).toBe(toHex(m));
        const theirs = sodium.crypto_box_seal(m, kp.publicKey);
        expect(toHex(await cryptoBoxSealOpen(theirs, kp.publicKey, kp.privateKey))).toBe(toHex(m));
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('equals libsodium crypto_box_easy for an injected ephemeral key (nonce = BLAKE2b-24(E ‖ Y))', async () => {
    for (const len of [0, 1, 31, 32, 33, 64, 1000]) {
      const m = sodium.randombytes_buf(len);
      const kp = sodium.crypto_box_keypair();
      const e = sodium.randombytes_buf(32);
      const E = sodium.crypto_scalarmult_base(e);
      const nonce = sodium.crypto_generichash(24, new Uint8Array([...E, ...kp.publicKey]), null);
      expect(toHex(sealedBoxNonce(E, kp.publicKey))).toBe(toHex(nonce));
      const expected = new Uint8Array([...E, ...sodium.crypto_box_easy(m, nonce, kp.publicKey, e)]);
      expect(toHex(await cryptoBoxSeal(m, kp.publicKey, { ephemeralSecretKey: e }))).toBe(toHex(expected));
      // The split API gives the same bytes.
      expect(toHex(sealWithKeys(await deriveSealKeys(kp.publicKey, e), m))).toBe(toHex(expected));
    }
  });

  it('box key equals crypto_box_beforenm', () => {
    const a = sodium.crypto_box_keypair();
    const b = sodium.crypto_box_keypair();
    const shared = sodium.crypto_scalarmult(a.privateKey, b.publicKey);
    expect(toHex(boxKeyFromSharedSecret(shared))).toBe(toHex(sodium.crypto_box_beforenm(b.publicKey, a.privateKey)));
  });

  it('rejects tampering, truncation, wrong keys and small-order ephemeral keys with DECRYPT_FAILED', async () => {
    const kp = sodium.crypto_box_keypair();
    const other = sodium.crypto_box_keypair();
    const m = sodium.randombytes_buf(40);
    const box = await cryptoBoxSeal(m, kp.publicKey);
    for (let i = 0; i < box.length; i++) {
      const t = box.slice();
      t[i]! ^= 1 << (i % 8);
      await expectCode(cryptoBoxSealOpen(t, kp.publicKey, kp.privateKey), 'DECRYPT_FAILED');
    }
    for (const n of [0, 1, 31, 32, 47, 48, box.length - 1]) {
      await expectCode(cryptoBoxSealOpen(box.subarray(0, n), kp.publicKey, kp.privateKey), 'DECRYPT_FAILED');
    }
    await expectCode(cryptoBoxSealOpen(box, other.publicKey, other.privateKey), 'DECRYPT_FAILED');
    // Right secret key but a wrong recipient public key changes the nonce.
    await expectCode(cryptoBoxSealOpen(box, other.publicKey, kp.privateKey), 'DECRYPT_FAILED');
    const zeroE = box.slice();
    zeroE.fill(0, 0, 32);
    await expectCode(cryptoBoxSealOpen(zeroE, kp.publicKey, kp.privateKey), 'DECRYPT_FAILED');
    const onePoint = box.slice();
    onePoint.fill(0, 0, 32);
    onePoint[0] = 1;
    await expectCode(cryptoBoxSealOpen(onePoint, kp.publicKey, kp.privateKey), 'DECRYPT_FAILED');
  });

  it('refuses to seal to a small-order key and validates argument lengths', async () => {
    await expectCode(cryptoBoxSeal(new Uint8Array(1), new Uint8Array(32)), 'SMALL_ORDER_KEY');
    await expectCode(cryptoBoxSeal(new Uint8Array(1), new Uint8Array(31)), 'INVALID_LENGTH');
    await expectCode(cryptoBoxSeal(new Uint8Array(1), new Uint8Array(32).fill(9), { ephemeralSecretKey: new Uint8Array(5) }), 'INVALID_LENGTH');
    await expectCode(cryptoBoxSealOpen(new Uint8Array(60), new Uint8Array(32), new Uint8Array(31)), 'INVALID_LENGTH');
  });

  it('draws a fresh ephemeral key for every box', async () => {
    const kp = sodium.crypto_box_keypair();
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(toHex((await cryptoBoxSeal(new Uint8Array(0), kp.publicKey)).subarray(0, 32)));
    expect(seen.size).toBe(20);
  });
});
