/**
 * Verifiers for test-vectors/identity-envelope/: identity.json, mnemonic.json and blinding.json
 * here; session-encrypt.json (and blinding.json's blinded DMs) in ./envelope.ts, attachments.json
 * in ./attachments.ts. Each mirrors the assertions of the SDK's own tests (test/identity,
 * test/envelope) through the public API only.
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
  destroyIdentity,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
  identityFromSeed,
  mnemonicDecode,
  mnemonicEncode,
  parseSessionId,
  sessionIdMatchesBlindedId,
  sogsRequestHeaders,
  sogsSignatureMessage,
  verifyEd25519,
  versionBlindKeyPair,
  type Identity,
  type SogsRequest,
} from '../index.js';
import { attachments } from './attachments.js';
import { expectEqual, expectSdkError, fromBase64, hex, list, skipOtherSections, toHex, type FileRecorder, type FileVerifier } from './check.js';
import { sessionEncrypt, verifyBlindedDms } from './envelope.js';
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


/** A sogs_request_signing input as the SDK's request; a body given both ways must agree. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function sogsRequestOf(input: any): SogsRequest {
  const { body_hex: bodyHex, body_utf8: bodyUtf8 } = input;
  if (bodyHex !== undefined && bodyUtf8 !== undefined) expectEqual('body_hex (UTF-8 of body_utf8)', toHex(new TextEncoder().encode(bodyUtf8)), bodyHex);
  return { method: input.method, path: input.path, body: bodyHex !== undefined ? hex(bodyHex) : (bodyUtf8 ?? null) };
}

// spec/identity-envelope.md §4.4: X-SOGS headers with the vector's nonce and timestamp injected.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifySogsRequests(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'sogs_request_signing').entries()) {
    await rec.vector(`sogs_request_signing #${i + 1}`, () => {
      const { input, expected } = v;
      if (typeof input.blinded !== 'boolean') throw new Error('blinded is not a boolean');
      const sk = hex(input.ed25519_sk64);
      const nonce = hex(input.nonce_hex);
      const req = sogsRequestOf(input);
      const mode = input.blinded ? 'blind15' : 'unblinded';
      // Desktop signs blind15 with its own nonce variant (spec §4.3): replayed byte for byte.
      const headers: Record<string, string> = { ...sogsRequestHeaders(sk, input.server_pk, req, { mode, nonce, timestamp: input.timestamp, blind15NonceVariant: 'desktop' }) };
      for (const k of new Set(['X-SOGS-Pubkey', 'X-SOGS-Signature', ...Object.keys(expected)])) expectEqual(k, headers[k], expected[k]);
      expectEqual('X-SOGS-Nonce (nonce_b64)', headers['X-SOGS-Nonce'], input.nonce_b64);
      expectEqual('X-SOGS-Timestamp (timestamp)', headers['X-SOGS-Timestamp'], String(input.timestamp));
      const msg = sogsSignatureMessage(input.server_pk, nonce, input.timestamp, req);
      const pk = hex(headers['X-SOGS-Pubkey']!.slice(2));
      expectEqual('signature verifies over the signed message', verifyEd25519(fromBase64(headers['X-SOGS-Signature']!), msg, pk), true);
      const bodyHash = v.derived_intermediates?.body_blake2b64;
      if (bodyHash !== undefined) expectEqual('body_blake2b64', toHex(msg.subarray(msg.length - 64)), bodyHash);
      const libsessionSig = v.derived?.libsession_variant_signature_b64;
      if (libsessionSig !== undefined) {
        const h = sogsRequestHeaders(sk, input.server_pk, req, { mode, nonce, timestamp: input.timestamp, blind15NonceVariant: 'libsession' });
        expectEqual('libsession_variant_signature_b64', h['X-SOGS-Signature'], libsessionSig);
      }
    });
  }
}

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
  await verifySogsRequests(doc, rec);
  await verifyBlindedDms(doc, rec);
  skipOtherSections(
    doc,
    ['blinded_ids', 'blinded15_ids_extra', 'blind25_sign', 'blind15_sign', 'version_blinding', 'sogs_request_signing', 'blinded_dm'],
    rec,
  );
};

/** Verifiers of the identity-envelope area, by file name. */
export const IDENTITY_VERIFIERS: Record<string, FileVerifier> = {
  'identity.json': identity,
  'mnemonic.json': mnemonic,
  'blinding.json': blinding,
  'session-encrypt.json': sessionEncrypt,
  'attachments.json': attachments,
  ...SPECCHECK_VERIFIERS,
};
