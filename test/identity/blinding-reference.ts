// Reference implementation of spec/identity-envelope.md §4 composed only from libsodium
// (libsodium-wrappers-sumo) primitives: the differential oracle for the blinding and blinded-DM tests.
import type _sodium from 'libsodium-wrappers-sumo';

type Sodium = typeof _sodium;

const enc = new TextEncoder();
const cat = (...p: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(p.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of p) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};

export function makeReference(s: Sodium) {
  const blind15Factor = (server: Uint8Array) => s.crypto_core_ed25519_scalar_reduce(s.crypto_generichash(64, server, null));
  const blind25Factor = (x: Uint8Array, server: Uint8Array) =>
    s.crypto_core_ed25519_scalar_reduce(s.crypto_generichash(64, cat(Uint8Array.of(5), x, server), null));

  function blind15KeyPair(sk64: Uint8Array, server: Uint8Array) {
    const a = s.crypto_sign_ed25519_sk_to_curve25519(sk64);
    const ka = s.crypto_core_ed25519_scalar_mul(blind15Factor(server), a);
    return { publicKey: s.crypto_scalarmult_ed25519_base_noclamp(ka), secretKey: ka, a };
  }

  function blind25KeyPair(sk64: Uint8Array, server: Uint8Array) {
    const x = s.crypto_sign_ed25519_pk_to_curve25519(sk64.subarray(32));
    let k = blind25Factor(x, server);
    if (sk64[63]! & 0x80) k = s.crypto_core_ed25519_scalar_negate(k);
    const a = s.crypto_sign_ed25519_sk_to_curve25519(sk64);
    const ka = s.crypto_core_ed25519_scalar_mul(k, a);
    return { publicKey: s.crypto_scalarmult_ed25519_base_noclamp(ka), secretKey: ka, a };
  }

  function sign(R_scalar: Uint8Array, ka: Uint8Array, kA: Uint8Array, msg: Uint8Array): Uint8Array {
    const R = s.crypto_scalarmult_ed25519_base_noclamp(R_scalar);
    const h = s.crypto_core_ed25519_scalar_reduce(s.crypto_hash_sha512(cat(R, kA, msg)));
    return cat(R, s.crypto_core_ed25519_scalar_add(R_scalar, s.crypto_core_ed25519_scalar_mul(h, ka)));
  }

  function blind15Sign(sk64: Uint8Array, server: Uint8Array, msg: Uint8Array, variant: 'libsession' | 'desktop' = 'libsession') {
    const { publicKey, secretKey } = blind15KeyPair(sk64, server);
    const hrh = s.crypto_hash_sha512(variant === 'libsession' ? sk64 : sk64.subarray(0, 32)).subarray(32);
    const r = s.crypto_core_ed25519_scalar_reduce(s.crypto_hash_sha512(cat(hrh, publicKey, msg)));
    return sign(r, secretKey, publicKey, msg);
  }

  function blind25Sign(sk64: Uint8Array, server: Uint8Array, msg: Uint8Array) {
    const { publicKey, secretKey } = blind25KeyPair(sk64, server);
    const seedhash = s.crypto_generichash(32, sk64.subarray(0, 32), enc.encode('SessCommBlind25_seed'));
    const r = s.crypto_core_ed25519_scalar_reduce(s.crypto_generichash(64, cat(seedhash, publicKey, msg), enc.encode('SessCommBlind25_sig')));
    return sign(r, secretKey, publicKey, msg);
  }

  /** The two blind15 candidates and the blind25 key of an X25519 Session ID key, via XEd25519 from Ed25519 keys. */
  function idsFromEd(edPk: Uint8Array, server: Uint8Array) {
    const x = s.crypto_sign_ed25519_pk_to_curve25519(edPk);
    const pos = edPk.slice();
    pos[31]! &= 0x7f;
    const b15 = s.crypto_scalarmult_ed25519_noclamp(blind15Factor(server), edPk);
    const b25 = s.crypto_scalarmult_ed25519_noclamp(blind25Factor(x, server), pos);
    return { x, b15, b25 };
  }

  /** libsession encrypt_for_blinded_recipient with an explicit nonce. */
  function encryptDm(sk64: Uint8Array, server: Uint8Array, recipient: Uint8Array /*33*/, msg: Uint8Array, nonce: Uint8Array, innerOverride?: Uint8Array) {
    const is25 = recipient[0] === 0x25;
    const kp = is25 ? blind25KeyPair(sk64, server) : blind15KeyPair(sk64, server);
    const scalar = is25 ? kp.secretKey : kp.a;
    const shared = s.crypto_scalarmult_ed25519_noclamp(scalar, recipient.subarray(1));
    const key = s.crypto_generichash(32, cat(shared, kp.publicKey, recipient.subarray(1)), null);
    const inner = innerOverride ?? cat(msg, sk64.subarray(32));
    const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(inner, null, null, nonce, key);
    return { wire: cat(Uint8Array.of(0), ct, nonce), key, senderBlinded: cat(Uint8Array.of(is25 ? 0x25 : 0x15), kp.publicKey) };
  }

  return { blind15Factor, blind25Factor, blind15KeyPair, blind25KeyPair, blind15Sign, blind25Sign, idsFromEd, encryptDm };
}
