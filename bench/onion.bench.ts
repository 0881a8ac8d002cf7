// Onion requests: a 3-hop buildOnionRequest (1.5 KB body, snode destination = 4 layers) and the
// reply decryption, against the same work composed from libsodium-wrappers-sumo
// (crypto_box_keypair + crypto_scalarmult + BLAKE2b(shared‖A‖B) +
// crypto_aead_xchacha20poly1305_ietf_encrypt, with the same framing and routing JSON).
// Target: ratio ≤ 1.0.
import { createCipheriv, createHmac } from 'node:crypto';
import _sodium from 'libsodium-wrappers-sumo';
import { getCryptoProvider, setCryptoProvider } from '../src/crypto/provider.js';
import { hopEncrypt } from '../src/onion/hop.js';
import { buildOnionRequest, type SnodeKeys } from '../src/onion/onion-request.js';
import { decryptOnionResponse } from '../src/onion/onion-response.js';
import { openOnionLayer } from '../src/onion/relay.js';
import { compare } from './harness.js';

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const provider = getCryptoProvider().name;
  const nodes = Array.from({ length: 4 }, () => {
    const ed = sodium.crypto_sign_keypair();
    return { ed25519PublicKey: ed.publicKey, x25519PublicKey: sodium.crypto_sign_ed25519_pk_to_curve25519(ed.publicKey), x25519SecretKey: sodium.crypto_sign_ed25519_sk_to_curve25519(ed.privateKey) };
  });
  const path: SnodeKeys[] = nodes.slice(0, 3);
  const dest = nodes[3]!;
  const body = sodium.randombytes_buf(1536);
  const enc = new TextEncoder();

  const frame = (blob: Uint8Array, json: Uint8Array): Uint8Array => {
    const out = new Uint8Array(4 + blob.length + json.length);
    new DataView(out.buffer).setUint32(0, blob.length, true);
    out.set(blob, 4);
    out.set(json, 4 + blob.length);
    return out;
  };
  const seal = (pk: Uint8Array, plain: Uint8Array): { blob: Uint8Array; eph: Uint8Array; sk: Uint8Array } => {
    const kp = sodium.crypto_box_keypair();
    const shared = sodium.crypto_scalarmult(kp.privateKey, pk);
    const h = new Uint8Array(96);
    h.set(shared, 0);
    h.set(kp.publicKey, 32);
    h.set(pk, 64);
    const key = sodium.crypto_generichash(32, h, null);
    const nonce = sodium.randombytes_buf(24);
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, null, null, nonce, key);
    const blob = new Uint8Array(24 + ct.length);
    blob.set(nonce, 0);
    blob.set(ct, 24);
    return { blob, eph: kp.publicKey, sk: kp.privateKey };
  };
  const sodiumBuild = (): { wire: Uint8Array; sk: Uint8Array } => {
    const inner = seal(dest.x25519PublicKey, frame(body, enc.encode('{"headers":""}')));
    let blob = inner.blob;
    let route = `{"destination":"${sodium.to_hex(dest.ed25519PublicKey)}","enc_type":"xchacha20","ephemeral_key":"${sodium.to_hex(inner.eph)}"}`;
    let eph = inner.eph;
    for (let i = path.length - 1; i >= 0; i--) {
      const l = seal(path[i]!.x25519PublicKey, frame(blob, enc.encode(route)));
      blob = l.blob;
      eph = l.eph;
      route = `{"destination":"${sodium.to_hex(path[i]!.ed25519PublicKey)}","enc_type":"xchacha20","ephemeral_key":"${sodium.to_hex(l.eph)}"}`;
    }
    return { wire: frame(blob, enc.encode(`{"enc_type":"xchacha20","ephemeral_key":"${sodium.to_hex(eph)}"}`)), sk: inner.sk };
  };

  // Cross-check: the guard opens both builds.
  const ours = await buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...dest }, payload: body });
  await openOnionLayer(nodes[0]!.x25519SecretKey, ours.wire);
  await openOnionLayer(nodes[0]!.x25519SecretKey, sodiumBuild().wire);

  await compare(
    'onion',
    `buildOnionRequest 3-hop xchacha20 1.5 KB [${provider}]`,
    () => buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...dest }, payload: body }),
    sodiumBuild,
    'libsodium',
    1.0,
  );

  // Reply: a 1 KB JSON body encrypted by the destination to the innermost ephemeral key.
  const reply = await hopEncrypt('xchacha20', dest.x25519SecretKey, ours.finalEphemeral.publicKey, sodium.randombytes_buf(1024), { server: true });
  const sodiumDecrypt = (): Uint8Array => {
    const shared = sodium.crypto_scalarmult(ours.finalEphemeral.secretKey, dest.x25519PublicKey);
    const h = new Uint8Array(96);
    h.set(shared, 0);
    h.set(ours.finalEphemeral.publicKey, 32);
    h.set(dest.x25519PublicKey, 64);
    const key = sodium.crypto_generichash(32, h, null);
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, reply.subarray(24), null, reply.subarray(0, 24), key);
  };
  sodiumDecrypt();
  await compare(
    'onion',
    `decryptOnionResponse xchacha20 1 KB [${provider}]`,
    () => decryptOnionResponse('xchacha20', ours.finalEphemeral, dest.x25519PublicKey, reply),
    sodiumDecrypt,
    'libsodium',
    1.0,
  );

  // aes-gcm (session-desktop's cipher): libsodium key agreement + node:crypto HMAC and AES-GCM.
  const gcmSeal = (pk: Uint8Array, plain: Uint8Array): { blob: Uint8Array; eph: Uint8Array } => {
    const kp = sodium.crypto_box_keypair();
    const key = createHmac('sha256', 'LOKI').update(sodium.crypto_scalarmult(kp.privateKey, pk)).digest();
    const iv = sodium.randombytes_buf(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const blob = Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
    return { blob, eph: kp.publicKey };
  };
  const gcmBuild = (): Uint8Array => {
    const inner = gcmSeal(dest.x25519PublicKey, frame(body, enc.encode('{"headers":""}')));
    let blob = inner.blob;
    let route = `{"destination":"${sodium.to_hex(dest.ed25519PublicKey)}","enc_type":"aes-gcm","ephemeral_key":"${sodium.to_hex(inner.eph)}"}`;
    let eph = inner.eph;
    for (let i = path.length - 1; i >= 0; i--) {
      const l = gcmSeal(path[i]!.x25519PublicKey, frame(blob, enc.encode(route)));
      blob = l.blob;
      eph = l.eph;
      route = `{"destination":"${sodium.to_hex(path[i]!.ed25519PublicKey)}","enc_type":"aes-gcm","ephemeral_key":"${sodium.to_hex(l.eph)}"}`;
    }
    return frame(blob, enc.encode(`{"enc_type":"aes-gcm","ephemeral_key":"${sodium.to_hex(eph)}"}`));
  };
  await openOnionLayer(nodes[0]!.x25519SecretKey, gcmBuild());
  await compare(
    'onion',
    `buildOnionRequest 3-hop aes-gcm 1.5 KB [${provider}]`,
    () => buildOnionRequest({ encType: 'aes-gcm', path, destination: { type: 'snode', ...dest }, payload: body }),
    gcmBuild,
    'libsodium+node:crypto',
    1.0,
  );

  // For information: the pure-JS provider on the same build (no target; native is the default).
  const prev = setCryptoProvider('noble');
  try {
    await compare('onion', 'buildOnionRequest 3-hop xchacha20 1.5 KB [noble]', () => buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...dest }, payload: body }), sodiumBuild, 'libsodium', undefined, { runs: 3 });
  } finally {
    setCryptoProvider(prev);
  }
}
