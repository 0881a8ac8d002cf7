/**
 * AES-256-CBC in pieces through the crypto provider, so streaming legacy attachments still run on
 * the native AES (spec/performance.md §4.4). CBC chains through the previous ciphertext block,
 * which becomes the next piece's IV; the provider's calls always apply PKCS#7, so:
 * - encrypting a whole-block piece yields one extra padding block, which is dropped;
 * - decrypting a whole-block piece needs a valid padding block after it: we append
 *   `E = AES(k, C_last ⊕ 10…10)`, which decrypts to a full block of 0x10 bytes that the provider
 *   strips again.
 * Only the last piece of a message uses PKCS#7 for real.
 * @module
 */
import { getCryptoProvider } from '../../crypto/provider.js';
import { SessionSdkError } from '../../errors.js';

const BLOCK = 16;
const PAD_BLOCK = new Uint8Array(BLOCK).fill(BLOCK);

/** Running CBC state: the key and the IV for the next piece (last ciphertext block so far). */
export class CbcChain {
  private iv: Uint8Array;

  constructor(
    private readonly key: Uint8Array,
    iv: Uint8Array,
  ) {
    this.iv = new Uint8Array(iv);
  }

  /** Encrypts a non-final piece (a multiple of 16 bytes) without padding. */
  async encryptPiece(piece: Uint8Array): Promise<Uint8Array> {
    if (piece.length % BLOCK !== 0) throw new SessionSdkError('INVALID_LENGTH', 'CBC piece must be whole blocks');
    if (piece.length === 0) return piece;
    const ct = (await getCryptoProvider().aesCbcEncrypt(this.key, this.iv, piece)).subarray(0, piece.length);
    this.iv = ct.slice(ct.length - BLOCK);
    return ct;
  }

  /** Encrypts the final piece (any length) with PKCS#7 padding. */
  async encryptFinal(piece: Uint8Array): Promise<Uint8Array> {
    return getCryptoProvider().aesCbcEncrypt(this.key, this.iv, piece);
  }

  /** Decrypts a non-final piece (a multiple of 16 bytes) that carries no padding. */
  async decryptPiece(piece: Uint8Array): Promise<Uint8Array> {
    if (piece.length % BLOCK !== 0) throw new SessionSdkError('DECRYPT_FAILED', 'CBC ciphertext is not whole blocks');
    if (piece.length === 0) return piece;
    const p = getCryptoProvider();
    const last = piece.subarray(piece.length - BLOCK);
    const padBlock = (await p.aesCbcEncrypt(this.key, last, PAD_BLOCK)).subarray(0, BLOCK);
    const input = new Uint8Array(piece.length + BLOCK);
    input.set(piece);
    input.set(padBlock, piece.length);
    const pt = await p.aesCbcDecrypt(this.key, this.iv, input);
    this.iv = last.slice();
    return pt;
  }

  /** Decrypts the final piece and removes its PKCS#7 padding (`DECRYPT_FAILED` if invalid). */
  async decryptFinal(piece: Uint8Array): Promise<Uint8Array> {
    if (piece.length === 0 || piece.length % BLOCK !== 0) throw new SessionSdkError('DECRYPT_FAILED', 'CBC ciphertext is not whole blocks');
    return getCryptoProvider().aesCbcDecrypt(this.key, this.iv, piece);
  }
}
