// Password-protected identity backups: libsodium cross-check of the KDF + AEAD, wrong passwords,
// tampering, bounded KDF cost, strict parsing and fuzzing. Argon2 costs are tiny for speed.
import { Encoder } from 'cbor-x';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportIdentityBackup,
  IDENTITY_BACKUP_DEFAULT_KDF,
  importIdentityBackup,
} from '../../src/envelope/identity-backup.js';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { loadSodium } from '../helpers/sodium.js';
import { toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const KDF = { t: 1, m: 64, p: 1 };
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);
const SALT = new Uint8Array(16).fill(0x11);
const NONCE = new Uint8Array(24).fill(0x22);

describe('identity backup', () => {
  it('matches Argon2id + XChaCha20-Poly1305 computed with libsodium', async () => {
    const file = await exportIdentityBackup(SEED, 'hunter2', { kdf: KDF, salt: SALT, nonce: NONCE });
    const ct = file.subarray(file.length - 48);
    const key = sodium.crypto_pwhash(32, new TextEncoder().encode('hunter2'), SALT, KDF.t, KDF.m * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
    // AD = the file without its final `ciphertext` entry, with the map header counting 8 entries.
    const ad = new Uint8Array([0xa8, ...file.subarray(1, file.length - 48 - 2 - 11)]);
    const expected = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(SEED, ad, null, NONCE, key);
    expect(toHex(ct)).toBe(toHex(expected));
    // …which is followed by text(10) "ciphertext" and a 48-byte byte-string header (58 30).
    expect(toHex(file.subarray(file.length - 48 - 2 - 11, file.length - 48))).toBe('6a' + Buffer.from('ciphertext').toString('hex') + '5830');
    expect(file[0]).toBe(0xa9); // 9 entries
  });

  it('round-trips from an Identity, a 16-byte, 32-byte or 64-byte seed', async () => {
    const id = identityFromSeed(SEED);
    for (const src of [id, SEED, id.ed25519SecretKey]) {
      const back = await importIdentityBackup(await exportIdentityBackup(src, 'pw', { kdf: KDF }), 'pw');
      expect(back.sessionId).toBe(id.sessionId);
      expect(toHex(back.seed)).toBe(toHex(SEED));
    }
    const short = identityFromSeed(SEED.subarray(0, 16));
    const back = await importIdentityBackup(await exportIdentityBackup(SEED.subarray(0, 16), 'pw', { kdf: KDF }), 'pw');
    expect(back.sessionId).toBe(short.sessionId);
    // Fresh salt and nonce each time.
    const a = await exportIdentityBackup(SEED, 'pw', { kdf: KDF });
    const b = await exportIdentityBackup(SEED, 'pw', { kdf: KDF });
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('wrong password → BAD_PASSWORD; Unicode passwords are NFC-normalised; bytes accepted', async () => {
    const file = await exportIdentityBackup(SEED, 'caf\u00e9', { kdf: KDF });
    expect(await codeOf(importIdentityBackup(file, 'cafe'))).toBe('BAD_PASSWORD');
    expect(await codeOf(importIdentityBackup(file, 'caf\u00e9 '))).toBe('BAD_PASSWORD');
    expect((await importIdentityBackup(file, 'cafe\u0301')).seed).toEqual(SEED);
    expect((await importIdentityBackup(file, new TextEncoder().encode('caf\u00e9'))).seed).toEqual(SEED);
    expect(await codeOf(importIdentityBackup(file, ''))).toBe('INVALID_INPUT');
    expect(await codeOf(exportIdentityBackup(SEED, '', { kdf: KDF }))).toBe('INVALID_INPUT');
    expect(await codeOf(exportIdentityBackup(SEED, 5 as unknown as string, { kdf: KDF }))).toBe('INVALID_INPUT');
  });

  it('any altered byte is refused with a typed error, never a wrong identity', async () => {
    const file = await exportIdentityBackup(SEED, 'pw', { kdf: KDF, salt: SALT, nonce: NONCE });
    const seen = new Set<string>();
    for (let i = 0; i < file.length; i++) {
      const t = file.slice();
      t[i]! ^= 0x01;
      const code = await codeOf(importIdentityBackup(t, 'pw'));
      expect(['BAD_PASSWORD', 'INVALID_ENCODING', 'UNSUPPORTED_VERSION', 'TOO_LARGE']).toContain(code);
      seen.add(code);
    }
    expect(seen.has('BAD_PASSWORD')).toBe(true); // salt, nonce, ciphertext and KDF-value flips
  });

  it('refuses KDF costs above the budget before running Argon2 (TOO_LARGE), unless raised', async () => {
    const raw = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
    const mk = (t: number, m: number, p: number, version = 1): Uint8Array =>
      raw.encode({ format: 'session-sdk/identity-backup', version, kdf: 'argon2id', t, m, p, salt: SALT, nonce: NONCE, ciphertext: new Uint8Array(48) });
    const t0 = Date.now();
    expect(await codeOf(importIdentityBackup(mk(1, 4 * 1024 * 1024, 1), 'pw'))).toBe('TOO_LARGE');
    expect(await codeOf(importIdentityBackup(mk(1_000_000, 64, 1), 'pw'))).toBe('TOO_LARGE');
    expect(await codeOf(importIdentityBackup(mk(1, 4096, 255), 'pw'))).toBe('TOO_LARGE');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await codeOf(importIdentityBackup(mk(17, 64, 1), 'pw', { maxKdf: { t: 17 } }))).toBe('BAD_PASSWORD');
    expect(await codeOf(importIdentityBackup(mk(1, 4, 1), 'pw'))).toBe('INVALID_ENCODING'); // m < 8p
    expect(await codeOf(importIdentityBackup(mk(0, 64, 1), 'pw'))).toBe('INVALID_ENCODING');
    expect(await codeOf(importIdentityBackup(mk(1, 64, 1, 2), 'pw'))).toBe('UNSUPPORTED_VERSION');
    expect(await codeOf(exportIdentityBackup(SEED, 'pw', { kdf: { t: 0 } }))).toBe('INVALID_INPUT');
    expect(IDENTITY_BACKUP_DEFAULT_KDF).toEqual({ t: 3, m: 65536, p: 1 });
  });

  it('rejects malformed files with INVALID_ENCODING', async () => {
    const raw = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
    const good = { format: 'session-sdk/identity-backup', version: 1, kdf: 'argon2id', t: 1, m: 64, p: 1, salt: SALT, nonce: NONCE, ciphertext: new Uint8Array(48) };
    const bad: Record<string, unknown>[] = [
      { ...good, format: 'other' },
      { ...good, kdf: 'scrypt' },
      { ...good, salt: new Uint8Array(15) },
      { ...good, nonce: new Uint8Array(12) },
      { ...good, ciphertext: new Uint8Array(47) },
      { ...good, extra: 1 },
      { ...good, t: '1' },
      { ...good, version: '1' },
    ];
    for (const b of bad) expect(await codeOf(importIdentityBackup(raw.encode(b), 'pw')), JSON.stringify(Object.keys(b))).toBe('INVALID_ENCODING');
    const file = await exportIdentityBackup(SEED, 'pw', { kdf: KDF });
    for (const v of [new Uint8Array([...file, 0]), file.subarray(0, file.length - 1), new Uint8Array(0), new Uint8Array([0xa0])]) {
      expect(await codeOf(importIdentityBackup(v, 'pw'))).toBe('INVALID_ENCODING');
    }
    expect(await codeOf(importIdentityBackup(new Uint8Array(5000), 'pw'))).toBe('TOO_LARGE');
    expect(await codeOf(exportIdentityBackup(new Uint8Array(31), 'pw', { kdf: KDF }))).toBe('INVALID_LENGTH');
    expect(await codeOf(exportIdentityBackup(SEED, 'pw', { kdf: KDF, salt: new Uint8Array(8) }))).toBe('INVALID_LENGTH');
  });

  it('never throws anything but SessionSdkError on random or mutated input', async () => {
    const file = await exportIdentityBackup(SEED, 'pw', { kdf: KDF, salt: SALT, nonce: NONCE });
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat({ max: 4 })).map(([edits, cut]) => {
      const q = file.slice(0, file.length - cut);
      for (const [i, b] of edits) q[i % q.length] = b;
      return q;
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), async (b) => {
        try {
          const id = await importIdentityBackup(b, 'pw');
          expect(toHex(id.seed)).toBe(toHex(SEED)); // only an unaltered file can succeed
        } catch (e) {
          expect(isSessionSdkError(e, 'INVALID_ENCODING', 'UNSUPPORTED_VERSION', 'TOO_LARGE', 'BAD_PASSWORD'), String(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe.skipIf(!process.env.SESSION_SDK_SLOW)('identity backup with the default Argon2id cost (slow)', () => {
  it('round-trips and matches libsodium crypto_pwhash at t=3, m=64 MiB', async () => {
    const file = await exportIdentityBackup(SEED, 'correct horse', { salt: SALT, nonce: NONCE });
    const key = sodium.crypto_pwhash(32, new TextEncoder().encode('correct horse'), SALT, 3, 64 * 1024 * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
    const ad = new Uint8Array([0xa8, ...file.subarray(1, file.length - 48 - 2 - 11)]);
    expect(toHex(file.subarray(file.length - 48))).toBe(toHex(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(SEED, ad, null, NONCE, key)));
    expect((await importIdentityBackup(file, 'correct horse')).seed).toEqual(SEED);
  }, 120_000);
});
