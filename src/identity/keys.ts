/**
 * Seeds, key pairs and Session IDs (spec/identity-envelope.md §1.1).
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes, randomBytes, toHex } from '../util/bytes.js';
import {
  ed25519KeyPairFromSeed,
  ed25519PkToX25519Sync,
  ed25519SeedToX25519Secret,
  x25519PublicKeySync,
} from '../crypto/noble.js';

/**
 * A Session account's key material. All byte fields are owned by the caller; see {@link destroyIdentity}.
 *
 * @example
 * ```ts
 * const id: Identity = identityFromSeed(mnemonicDecode(phrase));
 * console.log(id.sessionId); // '05…'
 * destroyIdentity(id); // wipe the secrets when done
 * ```
 */
export interface Identity {
  /** 32-byte Ed25519 seed (a 16-byte account seed is zero-padded). */
  seed: Uint8Array;
  /** 32-byte Ed25519 public key. */
  ed25519PublicKey: Uint8Array;
  /** 64-byte libsodium secret key, `seed ‖ ed25519PublicKey`. */
  ed25519SecretKey: Uint8Array;
  /** 32-byte X25519 public key (the Session ID without its prefix). */
  x25519PublicKey: Uint8Array;
  /** 32-byte clamped X25519 secret key. */
  x25519SecretKey: Uint8Array;
  /** `05` + hex X25519 public key, 66 lowercase hex characters. */
  sessionId: string;
}

/**
 * Derives the full identity from a seed: 16 bytes (13-word accounts, zero-padded to 32),
 * 32 bytes, or a 64-byte libsodium secret key (its first 32 bytes are the seed).
 *
 * @example
 * ```ts
 * const id = identityFromSeed(mnemonicDecode(phrase));
 * console.log(id.sessionId); // 05…
 * ```
 */
export function identityFromSeed(seed: Uint8Array): Identity {
  assertBytes(seed, 'seed', [16, 32, 64]);
  const full = new Uint8Array(32);
  full.set(seed.subarray(0, Math.min(32, seed.length)));
  const { publicKey, secretKey } = ed25519KeyPairFromSeed(full);
  if (seed.length === 64 && !seed.subarray(32).every((b, i) => b === publicKey[i])) {
    throw new SessionSdkError('INVALID_KEY', '64-byte secret key does not end with the public key of its seed');
  }
  const x25519SecretKey = ed25519SeedToX25519Secret(full);
  const x25519PublicKey = x25519PublicKeySync(x25519SecretKey);
  return {
    seed: full,
    ed25519PublicKey: publicKey,
    ed25519SecretKey: secretKey,
    x25519PublicKey,
    x25519SecretKey,
    sessionId: '05' + toHex(x25519PublicKey),
  };
}

/**
 * A new random identity. 32 seed bytes (25-word phrase) by default; `seedBytes: 16` gives a
 * 13-word phrase that today's Session apps can restore.
 *
 * @example
 * ```ts
 * const alice = generateIdentity();
 * const phrase = mnemonicEncode(alice.seed); // 25 words
 * ```
 */
export function generateIdentity(opts: { seedBytes?: 16 | 32 } = {}): Identity {
  const n = opts.seedBytes ?? 32;
  if (n !== 16 && n !== 32) throw new SessionSdkError('INVALID_INPUT', 'seedBytes must be 16 or 32');
  const seed = randomBytes(n);
  try {
    return identityFromSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/**
 * The 16 bytes a 13-word phrase encodes, when the seed's last 16 bytes are zero; otherwise the
 * whole 32-byte seed. Use it to show the shortest phrase that restores an identity.
 *
 * @example
 * ```ts
 * mnemonicEncode(seedForPhrase(id.seed)); // 13 words for legacy accounts, 25 otherwise
 * ```
 */
export function seedForPhrase(seed: Uint8Array): Uint8Array {
  assertBytes(seed, 'seed', [16, 32]);
  return seed.length === 32 && seed.subarray(16).every((b) => b === 0) ? seed.slice(0, 16) : seed.slice();
}

/**
 * libsodium `crypto_sign_ed25519_pk_to_curve25519`. Rejects non-canonical, off-curve,
 * small-order and mixed-order points with `INVALID_KEY` / `SMALL_ORDER_KEY`.
 *
 * @example
 * ```ts
 * const x = ed25519PublicKeyToX25519(id.ed25519PublicKey); // equals id.x25519PublicKey
 * ```
 */
export function ed25519PublicKeyToX25519(pk: Uint8Array): Uint8Array {
  assertBytes(pk, 'Ed25519 public key', 32);
  return ed25519PkToX25519Sync(pk);
}

/**
 * libsodium `crypto_sign_ed25519_sk_to_curve25519`: the clamped X25519 secret of a 32-byte seed
 * or 64-byte secret key.
 *
 * @example
 * ```ts
 * const xsk = ed25519SecretKeyToX25519(id.ed25519SecretKey); // equals id.x25519SecretKey
 * ```
 */
export function ed25519SecretKeyToX25519(sk: Uint8Array): Uint8Array {
  assertBytes(sk, 'Ed25519 secret key', [32, 64]);
  return ed25519SeedToX25519Secret(sk);
}

/**
 * XEd25519 `pubkey(x)`: the Ed25519 key with sign bit 0 whose Montgomery form is `u`,
 * y = (u − 1)/(u + 1) (spec/identity-envelope.md §1.1 item 5). A Session ID fixes the Ed25519 key
 * only up to this sign: the real key may be this value with bit 255 set.
 *
 * @example
 * ```ts
 * const absEd = x25519PublicKeyToEd25519(parseSessionId(sid).publicKey);
 * ```
 */
export function x25519PublicKeyToEd25519(u: Uint8Array): Uint8Array {
  assertBytes(u, 'X25519 public key', 32);
  const Fp = ed25519.Point.Fp;
  const uu = Fp.create(bytesToNumberLE(u) & ((1n << 255n) - 1n));
  if (Fp.eql(Fp.add(uu, Fp.ONE), Fp.ZERO)) throw new SessionSdkError('INVALID_KEY', 'X25519 public key u = −1 has no Ed25519 form');
  const y = Fp.div(Fp.sub(uu, Fp.ONE), Fp.add(uu, Fp.ONE));
  const out = new Uint8Array(32);
  let v = y;
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function bytesToNumberLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/**
 * Wipes every secret buffer of an identity (best effort, spec/security.md §5).
 *
 * @example
 * ```ts
 * destroyIdentity(id); // id.seed, id.ed25519SecretKey, id.x25519SecretKey are now zero
 * ```
 */
export function destroyIdentity(id: Identity): void {
  id.seed.fill(0);
  id.ed25519SecretKey.fill(0);
  id.x25519SecretKey.fill(0);
}
