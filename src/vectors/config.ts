/**
 * Verifiers for test-vectors/config/ (spec/config.md), mirroring test/config through the public
 * API: config-encrypt.json here; the message layer in config-message.ts, the user configs in
 * config-user.ts, the groups-v2 configs in config-group.ts.
 * @module
 */
import { configDecrypt, configEncrypt, configMessageHash, configPaddedSize } from '../index.js';
import { expectEqual, hex, list, toHex, type FileRecorder, type FileVerifier } from './check.js';
import { GROUP_CONFIG_VERIFIERS } from './config-group.js';
import { configMessageFile } from './config-message.js';
import { USER_CONFIG_VERIFIERS } from './config-user.js';

const NONCE_BYTES = 24;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ENCRYPT_VECTORS: Record<string, (v: any, rec: FileRecorder) => Promise<void>> = {
  'encrypt-test-suite1': (kat, rec) =>
    rec.vector('encrypt-test-suite1', () => {
      const key = hex(kat.key_base);
      const c = configEncrypt(hex(kat.message), key, kat.domain);
      expectEqual('ciphertext', toHex(c), kat.ciphertext);
      expectEqual('nonce', toHex(c.subarray(c.length - NONCE_BYTES)), kat.nonce);
      expectEqual('decrypt', toHex(configDecrypt(hex(kat.ciphertext), key, kat.domain)), kat.message);
    }),
  'nonce-depends-on-domain-not-key': (nonce, rec) =>
    rec.vector('nonce-depends-on-domain-not-key', () => {
      const msg = new TextEncoder().encode(nonce.message_utf8);
      const c = configEncrypt(msg, hex(nonce.key_base), nonce.domain);
      expectEqual('nonce', toHex(c.subarray(c.length - NONCE_BYTES)), nonce.nonce);
      const o = nonce.other_key_same_domain;
      const c2 = configEncrypt(msg, hex(o?.key_base), o?.domain);
      expectEqual('nonce (other key)', toHex(c2.subarray(c2.length - NONCE_BYTES)), o.nonce);
    }),
  padded_size: async (padded, rec) => {
    for (const c of list(padded, 'cases')) {
      await rec.vector(`padded_size(${String(c.size)}, ${String(c.overhead)})`, () => {
        expectEqual('padded size', configPaddedSize(c.size, c.overhead), c.padded);
      });
    }
  },
};

const configEncryptFile: FileVerifier = async (doc, rec) => {
  for (const v of list(doc, 'vectors')) {
    const run = ENCRYPT_VECTORS[v?.name];
    if (run) await run(v, rec);
    else
      await rec.vector(String(v?.name), () => {
        throw new Error('unknown vector');
      });
  }
};

/** Verifiers of the config area, by file name. */
export const CONFIG_VERIFIERS: Record<string, FileVerifier> = {
  'config-message.json': configMessageFile,
  'config-encrypt.json': configEncryptFile,
  ...USER_CONFIG_VERIFIERS,
  ...GROUP_CONFIG_VERIFIERS,
};
