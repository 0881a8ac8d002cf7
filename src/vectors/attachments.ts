/**
 * Verifier for test-vectors/identity-envelope/attachments.json: libsession's deterministic "S"
 * attachments (sizes and derived ciphertexts) and the legacy AES-CBC + HMAC scheme (ciphertexts
 * and sender-side size padding), mirroring test/envelope/attachments-*.test.ts through the public
 * API. The file's `libsession_constants` are not vectors of their own: each is checked by the
 * vectors whose meaning depends on it.
 * @module
 */
import {
  ATTACHMENT_CHUNK_SIZE,
  ATTACHMENT_MAX_ENCRYPTED_SIZE,
  ATTACHMENT_MAX_REGULAR_SIZE,
  attachmentDecryptedMaxSize,
  attachmentEncryptedSize,
  attachmentPaddingSize,
  decryptAttachment,
  decryptLegacyAttachment,
  encryptAttachment,
  encryptLegacyAttachment,
  getCryptoProvider,
  LEGACY_ATTACHMENT_MAX_SIZE,
  legacyAttachmentPaddedSize,
  type AttachmentDomain,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, skipOtherSections, toHex, VectorMismatch, type FileVerifier } from './check.js';

/** The plaintext generator of upstream's tests/test_attachment_encrypt.cpp `make_data`. */
const GENERATOR = 'byte[i] = (i*7) % 256';

const asciiHex = (s: unknown): string => {
  if (typeof s !== 'string') throw new Error('expected an ASCII string');
  return toHex(new TextEncoder().encode(s));
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function constants(doc: any): Record<string, unknown> {
  const c = doc.libsession_constants;
  if (typeof c !== 'object' || c === null) throw new Error('libsession_constants is missing');
  return c;
}

/** The SDK's domain for a BLAKE2b personalisation, as named by the file's constants. */
function domainOf(personalisation: unknown, c: Record<string, unknown>): AttachmentDomain {
  const p = asciiHex(personalisation);
  if (p === c.blake2b_personalisation_attachment) return 'attachment';
  if (p === c.blake2b_personalisation_profile_pic) return 'profile-pic';
  throw new VectorMismatch(`domain personalisation ${String(personalisation)} is none of the file's constants`);
}

/** The vector's plaintext: `plaintext_len` bytes of the upstream generator (and `plaintext_hex` when given). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function plaintextOf(input: any): Uint8Array {
  if (input.plaintext_generator !== GENERATOR) throw new Error(`unknown plaintext_generator ${String(input.plaintext_generator)}`);
  const n = input.plaintext_len;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('plaintext_len is not a length');
  const data = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
  if (input.plaintext_hex !== undefined) expectEqual('plaintext_hex', toHex(data), input.plaintext_hex);
  return data;
}

// spec/identity-envelope.md §6.2 (sizes: upstream; ciphertexts: derived)
async function verifyDeterministic(doc: Parameters<FileVerifier>[0], rec: Parameters<FileVerifier>[1]): Promise<void> {
  for (const [i, v] of list(doc, 'libsession_encrypted_sizes').entries()) {
    await rec.vector(`libsession_encrypted_sizes #${i + 1} (${String(v.plaintext_size)} bytes)`, async () => {
      const c = constants(doc);
      const n = v.plaintext_size;
      const want = v.expected_encrypted_size;
      expectEqual('encrypted size', attachmentEncryptedSize(n), want);
      // The layout behind the size: prefix byte ‖ header ‖ padded stream in chunks, each + overhead.
      expectEqual('chunk size', ATTACHMENT_CHUNK_SIZE, c.ENCRYPT_CHUNK_SIZE);
      const stream = n + attachmentPaddingSize(n);
      const layout = 1 + Number(c.ENCRYPT_HEADER) + stream + Math.ceil(stream / ATTACHMENT_CHUNK_SIZE) * Number(c.ENCRYPT_CHUNK_OVERHEAD);
      expectEqual('encrypted size from the file constants', layout, want);
      // The receiver's bound from the encrypted size: at least the plaintext, less than its padding more.
      const slack = Number(attachmentDecryptedMaxSize(want)) - n; // NaN (no bound) fails both comparisons
      expectEqual('decrypted max size - plaintext size within [0, padding)', slack >= 0 && slack < attachmentPaddingSize(n), true);
      if (n > ATTACHMENT_MAX_REGULAR_SIZE) {
        // Beyond the regular limit upstream needs allow_large: without it the SDK refuses, too.
        expectEqual('MAX_REGULAR_SIZE', ATTACHMENT_MAX_REGULAR_SIZE, c.MAX_REGULAR_SIZE);
        expectEqual('LEGACY_MAX_ENCRYPTED_SIZE', ATTACHMENT_MAX_ENCRYPTED_SIZE, c.LEGACY_MAX_ENCRYPTED_SIZE);
        await expectSdkError('encryptAttachment without allowLarge', 'TOO_LARGE', () => encryptAttachment(new Uint8Array(32), new Uint8Array(n)));
      }
    });
  }
  for (const [i, v] of list(doc, 'libsession_encrypt_derived').entries()) {
    await rec.vector(`libsession_encrypt_derived #${i + 1}`, async () => {
      const c = constants(doc);
      const e = v.expected;
      const data = plaintextOf(v.input);
      const domain = domainOf(v.input.domain_personalisation_ascii, c);
      const { ciphertext, key } = await encryptAttachment(hex(v.input.seed), data, { domain });
      expectEqual('key', toHex(key), e.key);
      expectEqual('key size', key.length, c.ENCRYPT_KEY_SIZE);
      expectEqual('format prefix byte', toHex(ciphertext.subarray(0, 1)), c.format_prefix_byte);
      expectEqual('header nonce', toHex(ciphertext.subarray(1, 1 + Number(c.ENCRYPT_HEADER))), e.header_nonce);
      expectEqual('encrypted_len', ciphertext.length, e.encrypted_len);
      expectEqual('encrypted_sha256', toHex(await getCryptoProvider().sha256(ciphertext)), e.encrypted_sha256);
      // Full ciphertexts are given for small inputs, first and last 64 bytes for large ones.
      if (e.encrypted_hex !== undefined) expectEqual('encrypted_hex', toHex(ciphertext), e.encrypted_hex);
      else {
        expectEqual('encrypted_first64_hex', toHex(ciphertext.subarray(0, 64)), e.encrypted_first64_hex);
        expectEqual('encrypted_last64_hex', toHex(ciphertext.subarray(ciphertext.length - 64)), e.encrypted_last64_hex);
      }
      expectEqual('decrypts back', toHex(await decryptAttachment(ciphertext, key)), toHex(data));
    });
  }
}

// spec/identity-envelope.md §6.1 (derived from session-desktop)
async function verifyLegacy(doc: Parameters<FileVerifier>[0], rec: Parameters<FileVerifier>[1]): Promise<void> {
  for (const [i, v] of list(doc, 'legacy_encrypt').entries()) {
    await rec.vector(`legacy_encrypt #${i + 1}`, async () => {
      const { input, expected } = v;
      const pt = hex(input.plaintext);
      // Size padding is the sender's separate step (legacy_size_padding): these vectors omit it.
      const r = await encryptLegacyAttachment(pt, { key: hex(input.keys64), iv: hex(input.iv), pad: false });
      expectEqual('encrypted_blob_iv_ct_mac', toHex(r.ciphertext), expected.encrypted_blob_iv_ct_mac);
      expectEqual('digest_sha256_of_blob', toHex(r.digest), expected.digest_sha256_of_blob);
      expectEqual('size', r.size, pt.length);
      expectEqual('keys64 = aes_key ‖ mac_key', toHex(r.key), String(input.aes_key) + String(input.mac_key));
      const back = await decryptLegacyAttachment(hex(expected.encrypted_blob_iv_ct_mac), hex(input.keys64), hex(expected.digest_sha256_of_blob));
      expectEqual('decrypts back', toHex(back), input.plaintext);
    });
  }
  for (const [i, v] of list(doc, 'legacy_size_padding').entries()) {
    await rec.vector(`legacy_size_padding #${i + 1} (${String(v.input_len)} bytes)`, () => {
      expectEqual('padded_len', legacyAttachmentPaddedSize(v.input_len), v.padded_len);
      // The cap the padding rule applies to files that fit is desktop's maximum attachment size.
      expectEqual('max_attachment_bytes_desktop', LEGACY_ATTACHMENT_MAX_SIZE, doc.max_attachment_bytes_desktop);
    });
  }
}

/** Verifier of attachments.json. */
export const attachments: FileVerifier = async (doc, rec) => {
  await verifyDeterministic(doc, rec);
  await verifyLegacy(doc, rec);
  skipOtherSections(doc, ['libsession_encrypted_sizes', 'libsession_encrypt_derived', 'legacy_encrypt', 'legacy_size_padding'], rec);
};
