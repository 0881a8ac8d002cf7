/**
 * Verifiers for test-vectors/identity-envelope/: identity.json, mnemonic.json, blinding.json and
 * the deterministic part of session-encrypt.json. Each mirrors the assertions of the SDK's own
 * tests (test/identity, test/envelope) through the public API only.
 * @module
 */
import {
  blind15IdFromEd25519,
  blind15Ids,
  blind15KeyPair,
  blind15Sign,
  blind25Id,
  blind25IdFromEd25519,
  blind25KeyPair,
  blind25Sign,
  decryptIncoming,
  destroyIdentity,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
  encryptForRecipientDeterministic,
  identityFromSeed,
  mnemonicDecode,
  mnemonicEncode,
  parseSessionId,
  sessionIdMatchesBlindedId,
  verifyEd25519,
  versionBlindKeyPair,
  type Identity,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, skipOtherSections, toHex, type FileVerifier } from './check.js';
import { SPECCHECK_VERIFIERS } from './speccheck.js';

function withIdentity<T>(seed: Uint8Array, f: (id: Identity) => T): T {
  const id = identityFromSeed(seed);
  try {
    return f(id);
  } finally {
    destroyIdentity(id);
  }
}

// spec/identity-envelope.md §1.1–§1.2
const identity: FileVerifier = async (doc, rec) => {
  for (const [i, v] of list(doc, 'seed_to_identity').entries()) {
    await rec.vector(`seed_to_identity #${i + 1}`, () =>
      withIdentity(hex(v.input.seed), (id) => {
        const e = v.expected;
        expectEqual('seed', toHex(id.seed), v.input.seed_padded_32);
        expectEqual('ed25519_pk', toHex(id.ed25519PublicKey), e.ed25519_pk);
        expectEqual('ed25519_sk64', toHex(id.ed25519SecretKey), e.ed25519_sk64 ?? v.input.seed_padded_32 + e.ed25519_pk);
        // Upstream tests do not all assert every field: check each one the vector has.
        if (e.x25519_pk !== undefined) expectEqual('x25519_pk', toHex(id.x25519PublicKey), e.x25519_pk);
        if (e.x25519_sk !== undefined) expectEqual('x25519_sk', toHex(id.x25519SecretKey), e.x25519_sk);
        if (e.session_id !== undefined) expectEqual('session_id', id.sessionId, e.session_id);
      }),
    );
  }
  for (const [i, v] of list(doc, 'key_conversion').entries()) {
    await rec.vector(`key_conversion #${i + 1}`, () => {
      const pk = v.input.ed25519_pk ?? v.expected.ed25519_pk;
      expectEqual('x25519_pk', toHex(ed25519PublicKeyToX25519(hex(pk))), v.expected.x25519_pk);
      if (v.input.ed25519_sk64 !== undefined) {
        const sk = hex(v.input.ed25519_sk64);
        withIdentity(sk, (id) => {
          expectEqual('ed25519_pk', toHex(id.ed25519PublicKey), v.expected.ed25519_pk);
          expectEqual('x25519 secret key', toHex(ed25519SecretKeyToX25519(sk)), toHex(id.x25519SecretKey));
        });
      }
    });
  }
  for (const [i, v] of list(doc, 'ed25519_signatures').entries()) {
    // The public API signs only protocol messages, so the detached signature is checked by
    // verification against the derived key (any changed byte of it fails).
    await rec.vector(`ed25519_signatures #${i + 1} (verify)`, () =>
      withIdentity(hex(v.input.ed25519_seed), (id) => {
        expectEqual('ed25519_pk', toHex(id.ed25519PublicKey), v.expected.ed25519_pk);
        expectEqual('signature verifies', verifyEd25519(hex(v.expected.signature), hex(v.input.message_hex), id.ed25519PublicKey), true);
      }),
    );
  }
  for (const [i, v] of list(doc, 'id_strings').entries()) {
    await rec.vector(`id_strings #${i + 1}`, async () => {
      if (!Array.isArray(v.valid_as)) throw new Error('valid_as is not a list');
      if (v.valid_as.length > 0) {
        const p = parseSessionId(v.value);
        expectEqual('public key', toHex(p.publicKey), String(v.value).slice(2).toLowerCase());
      } else {
        await expectSdkError('parseSessionId', 'INVALID_SESSION_ID', () => parseSessionId(v.value));
      }
    });
  }
  skipOtherSections(doc, ['seed_to_identity', 'key_conversion', 'ed25519_signatures', 'id_strings'], rec);
};

// The vector file names failures in libsession's terms; these are the SDK's codes for them.
const MNEMONIC_ERROR: Record<string, string> = {
  checksum: 'BAD_MNEMONIC_CHECKSUM',
  unknown_word: 'UNKNOWN_MNEMONIC_WORD',
  invalid_value: 'INVALID_MNEMONIC',
  invalid_word_count: 'INVALID_MNEMONIC_LENGTH',
};

// spec/identity-envelope.md §1.3
const mnemonic: FileVerifier = async (doc, rec) => {
  for (const [i, v] of list(doc, 'encode').entries()) {
    await rec.vector(`encode #${i + 1}`, () => {
      const words = mnemonicEncode(hex(v.input.seed), { language: v.input.language, checksum: v.input.checksum });
      expectEqual('words', words, v.expected.words);
      const parts = words.split(' ');
      if (v.expected.checksum_index !== undefined) {
        expectEqual('checksum word', parts[parts.length - 1], parts[v.expected.checksum_index]);
      }
      expectEqual('decodes back', toHex(mnemonicDecode(words, { language: v.input.language })), v.input.seed);
    });
  }
  for (const [i, v] of list(doc, 'decode_ok').entries()) {
    await rec.vector(`decode_ok #${i + 1}`, () => {
      expectEqual('seed', toHex(mnemonicDecode(v.words)), v.expected_seed);
    });
  }
  for (const [i, v] of list(doc, 'decode_errors').entries()) {
    await rec.vector(`decode_errors #${i + 1}`, async () => {
      const code = MNEMONIC_ERROR[v.expected_error];
      if (code === undefined) throw new Error(`unknown expected_error ${String(v.expected_error)}`);
      await expectSdkError('mnemonicDecode', code, () => mnemonicDecode(v.words));
    });
  }
  skipOtherSections(doc, ['encode', 'decode_ok', 'decode_errors'], rec);
};

// spec/identity-envelope.md §4
const blinding: FileVerifier = async (doc, rec) => {
  for (const [i, v] of list(doc, 'blinded_ids').entries()) {
    await rec.vector(`blinded_ids #${i + 1}`, () => {
      const { session_id: sid, server_pk: spk } = v.input;
      const want = v.expected.blinded_id;
      if (String(want).startsWith('25')) expectEqual('blind25 id', blind25Id(sid, spk), want);
      else {
        const [a, b] = blind15Ids(sid, spk);
        expectEqual('blind15 id', a, want);
        expectEqual('blind15 negated alternative', b, v.expected.blinded_id_negated_alternative);
      }
      expectEqual('sessionIdMatchesBlindedId', sessionIdMatchesBlindedId(sid, want, spk), true);
    });
  }
  for (const [i, v] of list(doc, 'blinded15_ids_extra').entries()) {
    await rec.vector(`blinded15_ids_extra #${i + 1}`, () => {
      const { session_id: sid, server_pk: spk } = v.input;
      const m = v.expected.matches_variant;
      if (m !== 0 && m !== 1) throw new Error('matches_variant must be 0 or 1');
      const cands = blind15Ids(sid, spk);
      expectEqual('matching candidate', cands[m], v.expected.blinded_id);
      expectEqual('other candidate', cands[1 - m], v.expected.other_variant);
      expectEqual('sessionIdMatchesBlindedId', sessionIdMatchesBlindedId(sid, v.expected.blinded_id, spk), true);
    });
  }
  for (const [i, v] of list(doc, 'blind25_sign').entries()) {
    await rec.vector(`blind25_sign #${i + 1}`, () => {
      const sk = hex(v.input.ed25519_sk64);
      const msg = hex(v.input.message_hex);
      const kp = blind25KeyPair(sk, v.input.server_pk);
      expectEqual('blinded pubkey', '25' + toHex(kp.publicKey), v.expected.blinded_pubkey_25);
      const sig = blind25Sign(sk, v.input.server_pk, msg);
      expectEqual('signature', toHex(sig), v.expected.signature);
      expectEqual('signature verifies', verifyEd25519(sig, msg, kp.publicKey), true);
      withIdentity(sk.subarray(0, 32), (id) => {
        expectEqual('blind25Id', blind25Id(id.sessionId, v.input.server_pk), v.expected.blinded_pubkey_25);
        expectEqual('blind25IdFromEd25519', blind25IdFromEd25519(id.ed25519PublicKey, v.input.server_pk), v.expected.blinded_pubkey_25);
      });
    });
  }
  for (const [i, v] of list(doc, 'blind15_sign').entries()) {
    await rec.vector(`blind15_sign #${i + 1}`, () => {
      const sk = hex(v.input.ed25519_sk64);
      const msg = hex(v.input.message_hex);
      const kp = blind15KeyPair(sk, v.input.server_pk);
      expectEqual('blinded pubkey', '15' + toHex(kp.publicKey), v.expected.blinded_pubkey_15);
      const sig = blind15Sign(sk, v.input.server_pk, msg, { nonceVariant: 'libsession' });
      expectEqual('signature', toHex(sig), v.expected.signature);
      expectEqual('signature verifies', verifyEd25519(sig, msg, kp.publicKey), true);
      withIdentity(sk.subarray(0, 32), (id) => {
        expectEqual('blind15IdFromEd25519', blind15IdFromEd25519(id.ed25519PublicKey, v.input.server_pk), v.expected.blinded_pubkey_15);
      });
    });
  }
  for (const [i, v] of list(doc, 'version_blinding').entries()) {
    await rec.vector(`version_blinding #${i + 1}`, () => {
      const kp = versionBlindKeyPair(hex(v.input.ed25519_sk64));
      if (v.expected.pubkey !== undefined || v.expected.seckey64 !== undefined) {
        expectEqual('pubkey', toHex(kp.publicKey), v.expected.pubkey);
        expectEqual('seckey64', toHex(kp.secretKey), v.expected.seckey64);
      } else {
        // The version-check signature: verified against the blinded key.
        const msg = new TextEncoder().encode(v.input.signed_message_utf8);
        expectEqual('signature verifies', verifyEd25519(hex(v.expected.signature), msg, kp.publicKey), true);
      }
    });
  }
  skipOtherSections(doc, ['blinded_ids', 'blinded15_ids_extra', 'blind25_sign', 'blind15_sign', 'version_blinding'], rec);
};

/** The Ed25519 secret key upstream's tests decrypt with, as the file records it in prose. */
function recipientSecretKey(doc: { randomised_encrypt_properties?: { expected?: { decrypt_with?: unknown } }[] }): Uint8Array | undefined {
  const text = doc.randomised_encrypt_properties?.[0]?.expected?.decrypt_with;
  const m = typeof text === 'string' ? /^recipient ed25519 sk ([0-9a-f]{64,128})$/u.exec(text) : null;
  return m ? hex(m[1]) : undefined;
}

// spec/identity-envelope.md §2 (deterministic encryption, and decryption of its output)
const sessionEncrypt: FileVerifier = async (doc, rec) => {
  const recipientSk = recipientSecretKey(doc);
  for (const [i, v] of list(doc, 'deterministic_encrypt').entries()) {
    await rec.vector(`deterministic_encrypt #${i + 1}`, async () => {
      const m = hex(v.input.message_hex);
      const want = v.expected.ciphertext;
      for (const sk of [v.input.sender_ed25519_sk64, v.input.sender_ed25519_seed]) {
        if (sk === undefined) continue;
        const c = await encryptForRecipientDeterministic(hex(sk), v.input.recipient_session_id, m);
        expectEqual('ciphertext', toHex(c), want);
      }
      if (v.expected.ciphertext_len !== undefined) expectEqual('ciphertext_len', hex(want).length, v.expected.ciphertext_len);
      if (recipientSk === undefined) throw new Error('no recipient secret key (randomised_encrypt_properties[0].expected.decrypt_with)');
      const out = await decryptIncoming(recipientSk, hex(want));
      expectEqual('decrypted plaintext', toHex(out.plaintext), v.expected.decrypt_plaintext_hex);
      expectEqual('sender ed25519 pk', toHex(out.senderEd25519PublicKey), v.expected.decrypt_sender_ed25519_pk);
      expectEqual('sender session id', out.senderSessionId, v.expected.decrypt_sender_session_id);
    });
  }
  skipOtherSections(doc, ['deterministic_encrypt'], rec);
};

/** Verifiers of the identity-envelope area, by file name. */
export const IDENTITY_VERIFIERS: Record<string, FileVerifier> = {
  'identity.json': identity,
  'mnemonic.json': mnemonic,
  'blinding.json': blinding,
  'session-encrypt.json': sessionEncrypt,
  ...SPECCHECK_VERIFIERS,
};
