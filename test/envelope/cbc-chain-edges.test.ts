// CbcChain (spec/performance.md §4.4): piecewise AES-256-CBC must equal one-shot CBC (node:crypto)
// at every piece boundary, and malformed pieces must fail with typed errors before any state moves.
import { createCipheriv } from 'node:crypto';
import { expect, it } from 'vitest';
import { CbcChain } from '../../src/envelope/attachments/cbc-chain.js';
import { describeEachProvider } from '../helpers/vectors.js';

const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
const iv = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 ^ i);
const msg = Uint8Array.from({ length: 83 }, (_, i) => (i * 31) & 0xff);

function nodeCbc(pt: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-cbc', key, iv);
  return new Uint8Array(Buffer.concat([c.update(pt), c.final()]));
}

describeEachProvider('CbcChain', () => {
  it('empty non-final pieces are no-ops in both directions and do not advance the chain', async () => {
    const enc = new CbcChain(key, iv);
    expect(await enc.encryptPiece(new Uint8Array(0))).toHaveLength(0);
    const head = await enc.encryptPiece(msg.subarray(0, 32));
    expect(await enc.encryptPiece(new Uint8Array(0))).toHaveLength(0);
    const tail = await enc.encryptFinal(msg.subarray(32));
    const ct = new Uint8Array([...head, ...tail]);
    expect(ct).toEqual(nodeCbc(msg));

    const dec = new CbcChain(key, iv);
    expect(await dec.decryptPiece(new Uint8Array(0))).toHaveLength(0);
    const p1 = await dec.decryptPiece(ct.subarray(0, 48));
    expect(await dec.decryptPiece(new Uint8Array(0))).toHaveLength(0);
    const p2 = await dec.decryptFinal(ct.subarray(48));
    expect(new Uint8Array([...p1, ...p2])).toEqual(msg);
  });

  it('rejects a non-final piece that is not whole blocks, and the chain stays usable', async () => {
    const enc = new CbcChain(key, iv);
    await expect(enc.encryptPiece(msg.subarray(0, 17))).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
    // The failed call must not have moved the IV: the full message still matches one-shot CBC.
    const ct = new Uint8Array([...(await enc.encryptPiece(msg.subarray(0, 16))), ...(await enc.encryptFinal(msg.subarray(16)))]);
    expect(ct).toEqual(nodeCbc(msg));

    const dec = new CbcChain(key, iv);
    await expect(dec.decryptPiece(ct.subarray(0, 15))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    const pt = new Uint8Array([...(await dec.decryptPiece(ct.subarray(0, 32))), ...(await dec.decryptFinal(ct.subarray(32)))]);
    expect(pt).toEqual(msg);
  });

  it('rejects an empty or partial final piece and a final piece with invalid padding as DECRYPT_FAILED', async () => {
    const ct = nodeCbc(msg);
    await expect(new CbcChain(key, iv).decryptFinal(new Uint8Array(0))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    await expect(new CbcChain(key, iv).decryptFinal(ct.subarray(0, ct.length - 1))).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    // Without its last block the message ends in a block of plaintext, not PKCS#7 padding.
    const unpadded = nodeCbc(new Uint8Array(16).fill(0x41)).subarray(0, 16);
    await expect(new CbcChain(key, iv).decryptFinal(unpadded)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });
});
