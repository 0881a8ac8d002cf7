// Community blinding and blinded DMs against the same work composed from libsodium-wrappers-sumo
// (crypto_generichash, crypto_core_ed25519_scalar_*, crypto_scalarmult_ed25519_*noclamp,
// crypto_aead_xchacha20poly1305_ietf_*; see test/identity/blinding-reference.ts). No target is
// set in spec/performance.md; these are informational. Ed25519 point arithmetic here is noble's
// (the provider has no Edwards scalar multiplication), so the ratio reflects pure JS vs WASM.
import _sodium from 'libsodium-wrappers-sumo';
import { decryptFromBlindedRecipient, encryptForBlindedRecipient } from '../src/envelope/blinded-dm.js';
import { blind15KeyPair, blind25Id, blind25KeyPair, blind15Sign } from '../src/identity/index.js';
import { identityFromSeed } from '../src/identity/keys.js';
import { sogsRequestHeaders } from '../src/identity/sogs-auth.js';
import { makeReference } from '../test/identity/blinding-reference.js';
import { compare } from './harness.js';

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const ref = makeReference(sodium);
  const alice = identityFromSeed(sodium.randombytes_buf(32));
  const bob = identityFromSeed(sodium.randombytes_buf(32));
  const server = sodium.randombytes_buf(32);
  const m = sodium.randombytes_buf(1024);
  const nonce = sodium.randombytes_buf(24);
  const toHex = (b: Uint8Array) => sodium.to_hex(b);
  const bob15 = '15' + toHex(blind15KeyPair(bob.ed25519SecretKey, server).publicKey);
  const bob25 = '25' + toHex(blind25KeyPair(bob.ed25519SecretKey, server).publicKey);
  const alice15 = '15' + toHex(blind15KeyPair(alice.ed25519SecretKey, server).publicKey);
  const alice25 = '25' + toHex(blind25KeyPair(alice.ed25519SecretKey, server).publicKey);

  // libsodium decrypt as the recipient: shared key, AEAD open, re-derive and compare the sender ID.
  const sodiumDecrypt = (wire: Uint8Array, sender: Uint8Array, is25: boolean): Uint8Array => {
    const kp = is25 ? ref.blind25KeyPair(bob.ed25519SecretKey, server) : ref.blind15KeyPair(bob.ed25519SecretKey, server);
    const s = sodium.crypto_scalarmult_ed25519_noclamp(is25 ? kp.secretKey : kp.a, sender.subarray(1));
    const key = sodium.crypto_generichash(32, new Uint8Array([...s, ...sender.subarray(1), ...kp.publicKey]), null);
    const inner = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wire.subarray(1, wire.length - 24), null, wire.subarray(wire.length - 24), key);
    const A = inner.subarray(inner.length - 32);
    const ids = ref.idsFromEd(A, server);
    const derived = is25 ? ids.b25 : ids.b15;
    if (sodium.to_hex(derived) !== sodium.to_hex(sender.subarray(1))) throw new Error('sender mismatch');
    return inner.subarray(0, inner.length - 32);
  };

  for (const [rid, sid, is25] of [
    [bob15, alice15, false],
    [bob25, alice25, true],
  ] as const) {
    const ours = await encryptForBlindedRecipient(alice.ed25519SecretKey, server, rid, m, { nonce });
    const theirs = ref.encryptDm(alice.ed25519SecretKey, server, sodium.from_hex(rid), m, nonce).wire;
    if (toHex(ours) !== toHex(theirs)) throw new Error('cross-check failed');
    if (toHex(sodiumDecrypt(ours, sodium.from_hex(sid), is25)) !== toHex(m)) throw new Error('cross-check failed');
    const tag = is25 ? '25' : '15';
    await compare(
      'blinding',
      `encryptForBlindedRecipient 1 KB (${tag})`,
      () => encryptForBlindedRecipient(alice.ed25519SecretKey, server, rid, m),
      () => ref.encryptDm(alice.ed25519SecretKey, server, sodium.from_hex(rid), m, sodium.randombytes_buf(24)),
      'libsodium',
    );
    await compare(
      'blinding',
      `decryptFromBlindedRecipient 1 KB (${tag})`,
      () => decryptFromBlindedRecipient(bob.ed25519SecretKey, server, sid, rid, ours),
      () => sodiumDecrypt(theirs, sodium.from_hex(sid), is25),
      'libsodium',
    );
  }
  await compare('blinding', 'blind15KeyPair', () => blind15KeyPair(alice.ed25519SecretKey, server), () => ref.blind15KeyPair(alice.ed25519SecretKey, server), 'libsodium');
  await compare('blinding', 'blind25Id (from Session ID)', () => blind25Id(alice.sessionId, server), () => ref.idsFromEd(alice.ed25519PublicKey, server).b25, 'libsodium');
  const msg = sodium.randombytes_buf(100);
  await compare('blinding', 'blind15Sign 100 B', () => blind15Sign(alice.ed25519SecretKey, server, msg), () => ref.blind15Sign(alice.ed25519SecretKey, server, msg), 'libsodium');
  await compare(
    'blinding',
    'sogsRequestHeaders (blind15, no body)',
    () => sogsRequestHeaders(alice.ed25519SecretKey, server, { method: 'GET', path: '/room/x/messages/recent?limit=25' }),
    () => ref.blind15Sign(alice.ed25519SecretKey, server, msg),
    'libsodium blind15 sign',
  );
}
