/**
 * Verifiers for test-vectors/config/: the message hashes of config-message.json and
 * config-encrypt.json (spec/config.md §2), mirroring test/config through the public API.
 * @module
 */
import { configDecrypt, configEncrypt, configMessageHash, configPaddedSize } from '../index.js';
import { byId, expectEqual, hex, list, NO_VERIFIER, toHex, type FileVerifier } from './check.js';

const NONCE_BYTES = 24;

const configMessage: FileVerifier = async (doc, rec) => {
  for (const v of list(doc, 'vectors')) {
    // Only serialized messages with a hash are hash vectors; the rest are parse/merge cases.
    if (typeof v?.serialized === 'string' && typeof v?.hash === 'string') {
      await rec.vector(`${String(v.name)} hash`, () => {
        expectEqual('hash', toHex(configMessageHash(hex(v.serialized))), v.hash);
      });
    } else {
      rec.skip(Array.isArray(v?.cases) ? v.cases.length : 1, `${NO_VERIFIER} (parse/merge cases)`, String(v?.name));
    }
  }
};

const configEncryptFile: FileVerifier = async (doc, rec) => {
  const kat = byId(doc, 'encrypt-test-suite1');
  if (kat) {
    await rec.vector('encrypt-test-suite1', () => {
      const key = hex(kat.key_base);
      const c = configEncrypt(hex(kat.message), key, kat.domain);
      expectEqual('ciphertext', toHex(c), kat.ciphertext);
      expectEqual('nonce', toHex(c.subarray(c.length - NONCE_BYTES)), kat.nonce);
      expectEqual('decrypt', toHex(configDecrypt(hex(kat.ciphertext), key, kat.domain)), kat.message);
    });
  }
  const nonce = byId(doc, 'nonce-depends-on-domain-not-key');
  if (nonce) {
    await rec.vector('nonce-depends-on-domain-not-key', () => {
      const msg = new TextEncoder().encode(nonce.message_utf8);
      const c = configEncrypt(msg, hex(nonce.key_base), nonce.domain);
      expectEqual('nonce', toHex(c.subarray(c.length - NONCE_BYTES)), nonce.nonce);
      const o = nonce.other_key_same_domain;
      const c2 = configEncrypt(msg, hex(o?.key_base), o?.domain);
      expectEqual('nonce (other key)', toHex(c2.subarray(c2.length - NONCE_BYTES)), o.nonce);
    });
  }
  const padded = byId(doc, 'padded_size');
  if (padded) {
    for (const c of list(padded, 'cases')) {
      await rec.vector(`padded_size(${String(c.size)}, ${String(c.overhead)})`, () => {
        expectEqual('padded size', configPaddedSize(c.size, c.overhead), c.padded);
      });
    }
  }
  for (const v of list(doc, 'vectors')) {
    if (!['encrypt-test-suite1', 'nonce-depends-on-domain-not-key', 'padded_size'].includes(v?.name)) rec.skip(1, NO_VERIFIER, String(v?.name));
  }
};

/** Verifiers of the config area, by file name. */
export const CONFIG_VERIFIERS: Record<string, FileVerifier> = {
  'config-message.json': configMessage,
  'config-encrypt.json': configEncryptFile,
};
