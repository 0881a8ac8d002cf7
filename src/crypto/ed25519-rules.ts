/**
 * The encoding checks that make an Ed25519 verifier accept exactly what libsodium's
 * `crypto_sign_verify_detached` accepts (spec/security.md §3). They are byte-level, so the noble
 * and WebCrypto verifiers share them and only the final cofactorless equation differs in engine.
 * @module
 */

/** Group order L, little-endian, for the `S < L` check. */
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/**
 * Encodings (bit 255 ignored) of every small-order point, canonical or not: the identity, the
 * order-2 point, the two order-4 y's and order-8 y's, and the non-canonical p and p+1 (libsodium
 * `ge25519_has_small_order`).
 */
const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16)));

/** True when the 32-byte little-endian scalar is `< L` (canonical). Public data: not constant time. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_LE[i]!) return true;
    if (s[i]! > L_LE[i]!) return false;
  }
  return false; // s == L
}

/** True when `p` (32 bytes) encodes a small-order point, ignoring the sign bit. */
export function hasSmallOrder(p: Uint8Array): boolean {
  outer: for (const bad of SMALL_ORDER_ENCODINGS) {
    for (let i = 0; i < 31; i++) if (p[i] !== bad[i]) continue outer;
    if ((p[31]! & 0x7f) === bad[31]) return true;
  }
  return false;
}

/** True when the y coordinate (sign bit ignored) is `< p` (libsodium `ge25519_is_canonical`). */
export function isCanonicalPointEncoding(p: Uint8Array): boolean {
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

/**
 * The libsodium pre-checks on a detached signature and key: lengths, `S < L`, `R` not small
 * order, `A` canonical and not small order. The caller still checks that `A` decodes and that the
 * cofactorless equation holds with an exact byte comparison against `R`.
 */
export function passesLibsodiumPrechecks(sig: Uint8Array, pk: Uint8Array): boolean {
  if (!(sig instanceof Uint8Array) || !(pk instanceof Uint8Array)) return false;
  if (sig.length !== 64 || pk.length !== 32) return false;
  if (!isCanonicalScalar(sig.subarray(32))) return false;
  if (hasSmallOrder(sig.subarray(0, 32))) return false;
  if (!isCanonicalPointEncoding(pk) || hasSmallOrder(pk)) return false;
  return true;
}
