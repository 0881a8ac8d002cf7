// Identity backup files must be in canonical CBOR (spec/identity-envelope.md, identity backup):
// the same fields re-encoded in another key order, or with a non-minimal integer, are refused as
// INVALID_ENCODING before any password work, so a file has exactly one byte representation.
import { Decoder, Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { exportIdentityBackup, importIdentityBackup } from '../../src/envelope/identity-backup.js';

const KDF = { t: 1, m: 8, p: 1 };
const SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

describe('identity backup canonical form', () => {
  it('refuses the same fields in another key order or with a non-minimal integer', async () => {
    const file = await exportIdentityBackup(SEED, 'pw', { kdf: KDF });
    expect((await importIdentityBackup(file, 'pw')).seed).toEqual(SEED);
    const fields = new Decoder({ useRecords: false, mapsAsObjects: true }).decode(file) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(fields).reverse());
    const enc = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true, pack: false });
    const other = new Uint8Array(enc.encode(reordered));
    expect(other).not.toEqual(file);
    // a wrong password would fail only after Argon2id: the parse must refuse first
    await expect(importIdentityBackup(other, 'wrong')).rejects.toMatchObject({ code: 'INVALID_ENCODING' });
    // t = 1 as a one-byte-argument integer (0x18 0x01) instead of 0x01
    const tKey = [0x61, 0x74]; // text(1) "t"
    const at = file.findIndex((b, i) => b === tKey[0] && file[i + 1] === tKey[1] && file[i + 2] === 0x01);
    expect(at).toBeGreaterThan(0);
    const longInt = new Uint8Array([...file.subarray(0, at + 2), 0x18, 0x01, ...file.subarray(at + 3)]);
    await expect(importIdentityBackup(longInt, 'wrong')).rejects.toMatchObject({ code: 'INVALID_ENCODING' });
  });
});
