/**
 * Verifiers for the message envelope vectors of test-vectors/identity-envelope/: all of
 * session-encrypt.json (Session Protocol, padding, framing, ONS and push payloads) and the
 * `blinded_dm` section of blinding.json, mirroring test/envelope through the public API.
 * Randomised encryption cannot reproduce bytes, so those vectors check the properties they state.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import {
  blind15KeyPair,
  blind25KeyPair,
  decryptFromBlindedRecipient,
  decryptIncoming,
  decryptOnsResponse,
  decryptPushNotification,
  destroyIdentity,
  ed25519SecretKeyToX25519,
  encodeEnvelope,
  encodeWebSocketMessage,
  encryptForBlindedRecipient,
  encryptForRecipient,
  encryptForRecipientDeterministic,
  getCryptoProvider,
  identityFromSeed,
  padMessage,
  unpadMessage,
  unwrapFromSwarm,
  wrapForSwarm,
} from '../index.js';
import { expectEqual, expectSdkError, hex, list, skipOtherSections, toHex, VectorMismatch, type FileRecorder, type FileVerifier } from './check.js';
import { concatBytes } from '../util/bytes.js';

/** UTF-8 of a string field; anything else is a malformed vector. */
function utf8(s: unknown): Uint8Array {
  if (typeof s !== 'string') throw new Error('expected a UTF-8 string');
  return new TextEncoder().encode(s);
}

/** The real Ed25519 public key of a 32-byte seed or 64-byte secret key. */
function ed25519PublicKeyOf(sk: Uint8Array): string {
  const id = identityFromSeed(sk.subarray(0, 32));
  try {
    return toHex(id.ed25519PublicKey);
  } finally {
    destroyIdentity(id);
  }
}

/** The Ed25519 secret key in a `decrypt_with` note ("recipient ed25519 sk <hex>"), if that is what it says. */
function decryptWithKey(text: unknown): Uint8Array | undefined {
  const m = typeof text === 'string' ? /^recipient ed25519 sk ([0-9a-f]{64,128})$/u.exec(text) : null;
  return m ? hex(m[1]) : undefined;
}

/** The key upstream's tests decrypt every 1:1 vector with: the file states it once, in prose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fileRecipientKey = (doc: any): Uint8Array | undefined => decryptWithKey(doc.randomised_encrypt_properties?.[0]?.expected?.decrypt_with);

function requireKey(k: Uint8Array | undefined): Uint8Array {
  if (k === undefined) throw new Error('no recipient secret key (randomised_encrypt_properties[0].expected.decrypt_with)');
  return k;
}

/** The key libsession hashes the deterministic ephemeral seed with (spec/identity-envelope.md §3.3). */
const EPHEMERAL_HASH_KEY = new TextEncoder().encode('SessionBoxEphemeralHashKey');

/**
 * The derived intermediates of a deterministic encryption (spec/identity-envelope.md §3.1, §3.3),
 * recomputed from the vector's inputs with the provider's primitives and BLAKE2b.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyIntermediates(mid: any, senderSk: Uint8Array, y: Uint8Array, m: Uint8Array, c: Uint8Array): Promise<void> {
  const p = getCryptoProvider();
  const a = hex(ed25519PublicKeyOf(senderSk));
  const signed = concatBytes(m, a, y);
  expectEqual('signed_data_M_A_Y', toHex(signed), mid.signed_data_M_A_Y);
  const sig = await p.ed25519Sign(senderSk.subarray(0, 32), signed);
  expectEqual('signature', toHex(sig), mid.signature);
  expectEqual('inner_plaintext_M_A_SIG', toHex(concatBytes(m, a, sig)), mid.inner_plaintext_M_A_SIG);
  const seed = blake2b(concatBytes(senderSk.subarray(0, 32), y, m), { key: EPHEMERAL_HASH_KEY, dkLen: 32 });
  expectEqual('ephemeral_seed_blake2b32_keyed', toHex(seed), mid.ephemeral_seed_blake2b32_keyed);
  // crypto_box_seed_keypair: the secret key is the first half of SHA-512(seed).
  const e = (await p.sha512(seed)).subarray(0, 32);
  expectEqual('ephemeral_x25519_sk', toHex(e), mid.ephemeral_x25519_sk);
  const E = await p.x25519PublicKey(e);
  expectEqual('ephemeral_x25519_pk', toHex(E), mid.ephemeral_x25519_pk);
  expectEqual('ephemeral_x25519_pk (ciphertext prefix)', toHex(c.subarray(0, 32)), mid.ephemeral_x25519_pk);
  expectEqual('nonce_blake2b24_epk_rpk', toHex(blake2b(concatBytes(E, y), { dkLen: 24 })), mid.nonce_blake2b24_epk_rpk);
}

// spec/identity-envelope.md §3.1–§3.3 (deterministic encryption, and decryption of its output)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyDeterministic(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'deterministic_encrypt').entries()) {
    await rec.vector(`deterministic_encrypt #${i + 1}`, async () => {
      const { input, expected } = v;
      const m = hex(input.message_hex);
      const want = expected.ciphertext;
      const id = String(input.recipient_session_id);
      const y = hex(id).subarray(1);
      // Every accepted recipient form (Session ID in either case, 33 or 32 bytes) and sender form.
      for (const sk of [input.sender_ed25519_sk64, input.sender_ed25519_seed]) {
        if (sk === undefined) continue;
        for (const r of [id, id.toUpperCase(), hex(id), y]) {
          expectEqual('ciphertext', toHex(await encryptForRecipientDeterministic(hex(sk), r, m)), want);
        }
      }
      if (expected.ciphertext_len !== undefined) expectEqual('ciphertext_len', hex(want).length, expected.ciphertext_len);
      const recipientSk = requireKey(fileRecipientKey(doc));
      if (input.recipient_x25519_sk_for_decrypt !== undefined) {
        expectEqual('recipient_x25519_sk_for_decrypt', toHex(ed25519SecretKeyToX25519(recipientSk)), input.recipient_x25519_sk_for_decrypt);
      }
      const out = await decryptIncoming(recipientSk, hex(want));
      expectEqual('decrypted plaintext', toHex(out.plaintext), expected.decrypt_plaintext_hex);
      expectEqual('sender ed25519 pk', toHex(out.senderEd25519PublicKey), expected.decrypt_sender_ed25519_pk);
      expectEqual('sender session id', out.senderSessionId, expected.decrypt_sender_session_id);
      const mid = v.intermediates_derived;
      if (mid !== undefined) await verifyIntermediates(mid, hex(input.sender_ed25519_sk64 ?? input.sender_ed25519_seed), y, m, hex(want));
    });
  }
}

/** "flipping [ciphertext] byte N (bit 0xB) must fail": the tamper check a randomised vector states. */
const FLIP = /flipping (?:ciphertext )?byte (\d+) \(bit 0x([0-9a-f]{2})\) must fail/u;

// spec/identity-envelope.md §2 (encryption with a fresh ephemeral key: properties only)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyRandomised(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'randomised_encrypt_properties').entries()) {
    await rec.vector(`randomised_encrypt_properties #${i + 1}`, async () => {
      const { input, expected } = v;
      const sender = hex(input.sender_ed25519_sk64 ?? input.sender_ed25519_seed);
      const recipient = input.recipient_session_id ?? hex(input.recipient_x25519_pk);
      const m = utf8(input.message_utf8);
      const c = await encryptForRecipient(sender, recipient, m);
      expectEqual('ciphertext_len', c.length, expected.ciphertext_len);
      const recipientSk = requireKey(decryptWithKey(expected.decrypt_with) ?? fileRecipientKey(doc));
      const out = await decryptIncoming(recipientSk, c);
      expectEqual('decrypted message', toHex(out.plaintext), toHex(m));
      expectEqual('sender ed25519 pk', toHex(out.senderEd25519PublicKey), expected.decrypt_sender_ed25519_pk);
      // A sealed box opens for its recipient only, and each encryption uses fresh randomness.
      await expectSdkError('the sender decrypting its own message', 'DECRYPT_FAILED', () => decryptIncoming(sender, c));
      expectEqual('a second encryption differs', toHex(await encryptForRecipient(sender, recipient, m)) !== toHex(c), true);
      const flip = FLIP.exec(String(v.description));
      if (flip) {
        const t = c.slice();
        t[Number(flip[1])]! ^= parseInt(flip[2]!, 16);
        await expectSdkError(`byte ${flip[1]} flipped`, 'DECRYPT_FAILED', () => decryptIncoming(recipientSk, t));
      }
    });
  }
}

// spec/identity-envelope.md §3.7 (ONS lookups and push notifications)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyServicePayloads(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'other_decrypt_functions').entries()) {
    await rec.vector(`other_decrypt_functions #${i + 1}`, () => {
      const { input, expected } = v;
      if (input.lowercase_name !== undefined) {
        const ct = hex(input.ciphertext);
        const nonce = hex(input.nonce);
        expectEqual('session_id', decryptOnsResponse(input.lowercase_name, ct, nonce), expected.session_id);
        // ONS names are case-insensitive: the key is derived from the lowercase form.
        expectEqual('session_id (upper-case name)', decryptOnsResponse(String(input.lowercase_name).toUpperCase(), ct, nonce), expected.session_id);
      } else {
        const pt = decryptPushNotification(hex(input.payload), hex(input.enc_key));
        expectEqual('plaintext_hex', toHex(pt), expected.plaintext_hex);
        expectEqual('plaintext_utf8', new TextDecoder().decode(pt), expected.plaintext_utf8);
      }
    });
  }
}

// spec/identity-envelope.md §3.4 (libsession padding out; libsession and legacy desktop padding in)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyPadding(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'padding').entries()) {
    await rec.vector(`padding #${i + 1}`, () => {
      const { input, expected } = v;
      const m = hex(input.plaintext_hex);
      expectEqual('plaintext_len', m.length, input.plaintext_len);
      const padded = hex(expected.padded_hex);
      expectEqual('padded_len', padded.length, expected.padded_len);
      // The SDK pads only in libsession's form; the legacy desktop form is accepted on input.
      if (!String(v.description).startsWith('LEGACY')) expectEqual('padMessage', toHex(padMessage(m)), expected.padded_hex);
      expectEqual('unpadMessage', toHex(unpadMessage(padded)), input.plaintext_hex);
      expectEqual('unpadMessage (strict)', toHex(unpadMessage(padded, { strict: true })), input.plaintext_hex);
    });
  }
}

// spec/identity-envelope.md §3.5 (padding → encryption → Envelope → WebSocketMessage, and back)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyFraming(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'envelope_framing').entries()) {
    await rec.vector(`envelope_framing #${i + 1}`, async () => {
      const { input, expected } = v;
      const sk = hex(input.sender_ed25519_sk64);
      const padded = padMessage(hex(input.plaintext_content_hex));
      expectEqual('padded_plaintext', toHex(padded), expected.padded_plaintext);
      const content = await encryptForRecipientDeterministic(sk, input.recipient_session_id, padded);
      expectEqual('content_ciphertext', toHex(content), expected.content_ciphertext);
      const env = { type: 'SESSION_MESSAGE' as const, timestamp: input.sent_timestamp_ms, sourceDevice: 1, content };
      expectEqual('envelope_protobuf', toHex(encodeEnvelope(env)), expected.envelope_protobuf);
      expectEqual('websocket_message_protobuf', toHex(encodeWebSocketMessage(hex(expected.envelope_protobuf))), expected.websocket_message_protobuf);
      expectEqual('wrapForSwarm', toHex(wrapForSwarm(env)), expected.websocket_message_protobuf);
      // The recipient's direction: unwrap, decrypt, unpad.
      const back = unwrapFromSwarm(hex(expected.websocket_message_protobuf));
      expectEqual('unwrapped type', back.type, 'SESSION_MESSAGE');
      expectEqual('unwrapped timestamp', back.timestamp, input.sent_timestamp_ms);
      expectEqual('unwrapped sourceDevice', back.sourceDevice, 1);
      expectEqual('unwrapped content', back.content && toHex(back.content), expected.content_ciphertext);
      const out = await decryptIncoming(requireKey(fileRecipientKey(doc)), hex(expected.content_ciphertext));
      expectEqual('decrypted content', toHex(unpadMessage(out.plaintext)), input.plaintext_content_hex);
      expectEqual('sender ed25519 pk', toHex(out.senderEd25519PublicKey), ed25519PublicKeyOf(sk));
    });
  }
}

/** Verifier of session-encrypt.json. */
export const sessionEncrypt: FileVerifier = async (doc, rec) => {
  await verifyDeterministic(doc, rec);
  await verifyRandomised(doc, rec);
  await verifyServicePayloads(doc, rec);
  await verifyPadding(doc, rec);
  await verifyFraming(doc, rec);
  skipOtherSections(doc, ['deterministic_encrypt', 'randomised_encrypt_properties', 'other_decrypt_functions', 'padding', 'envelope_framing'], rec);
};

/** The blinded ID of `sk` on `server` with the prefix (`15`/`25`) of `like`. */
function blindedIdLike(like: string, sk: Uint8Array, server: string): string {
  return like.startsWith('25') ? '25' + toHex(blind25KeyPair(sk, server).publicKey) : '15' + toHex(blind15KeyPair(sk, server).publicKey);
}

/**
 * The `blinded_dm` section of blinding.json (spec/identity-envelope.md §4.6): fixed-nonce
 * encryption, both blinded IDs, decryption by recipient and sender, and the shared key.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function verifyBlindedDms(doc: any, rec: FileRecorder): Promise<void> {
  for (const [i, v] of list(doc, 'blinded_dm').entries()) {
    await rec.vector(`blinded_dm #${i + 1}`, async () => {
      const { input, expected } = v;
      const sk = hex(input.sender_ed25519_sk64);
      const rk = hex(input.recipient_ed25519_sk64_for_decrypt);
      const rid = String(input.recipient_blinded_id);
      const msg = utf8(input.message_utf8);
      const ct = await encryptForBlindedRecipient(sk, input.server_pk, rid, msg, { nonce: hex(input.nonce) });
      expectEqual('ciphertext', toHex(ct), expected.ciphertext);
      expectEqual('ciphertext_len', ct.length, expected.ciphertext_len);
      // The 32-byte seed is the same key, and blinded IDs are case-insensitive hex.
      const again = await encryptForBlindedRecipient(sk.subarray(0, 32), input.server_pk, rid.toUpperCase(), msg, { nonce: hex(input.nonce) });
      expectEqual('ciphertext (seed, upper-case ID)', toHex(again), expected.ciphertext);
      expectEqual('sender_blinded_id', blindedIdLike(rid, sk, input.server_pk), expected.sender_blinded_id);
      expectEqual('recipient_blinded_id (of the recipient key)', blindedIdLike(rid, rk, input.server_pk), rid);
      const senderPk = ed25519PublicKeyOf(sk);
      // Both ends can read a blinded DM: the recipient, and the sender from its own outbox.
      for (const [who, key] of [['recipient', rk], ['sender', sk], ['recipient seed', rk.subarray(0, 32)]] as const) {
        const out = await decryptFromBlindedRecipient(key, input.server_pk, expected.sender_blinded_id, rid, hex(expected.ciphertext));
        expectEqual(`plaintext (${who})`, toHex(out.plaintext), toHex(msg));
        expectEqual(`decrypt_sender_session_id (${who})`, out.senderSessionId, expected.decrypt_sender_session_id);
        expectEqual(`sender ed25519 pk (${who})`, toHex(out.senderEd25519PublicKey), senderPk);
      }
      // The SDK keeps the shared key internal; the vector's key must open the AEAD body
      // (0x00 ‖ body ‖ nonce) to message ‖ sender Ed25519 key.
      const wire = hex(expected.ciphertext);
      const aead = xchacha20poly1305(hex(expected.shared_key), wire.subarray(wire.length - 24));
      let inner: Uint8Array;
      try {
        inner = aead.decrypt(wire.subarray(1, wire.length - 24));
      } catch {
        throw new VectorMismatch('shared_key: does not open the ciphertext');
      }
      expectEqual('shared_key opens to message ‖ sender pk', toHex(inner), toHex(msg) + senderPk);
    });
  }
}
