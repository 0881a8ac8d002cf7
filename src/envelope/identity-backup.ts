/**
 * Password-protected identity backup ("app password"): the account seed encrypted with
 * XChaCha20-Poly1305 under a key stretched from the password with Argon2id (RFC 9106, version
 * 0x13), in a versioned CBOR file. session-sdk's own format, not a Session one (Session apps keep
 * the recovery phrase inside their SQLCipher database; spec/identity-envelope.md §7).
 *
 * File, version 1 — one canonical CBOR map with text keys, in this order:
 *
 * | key          | type        | meaning                                                    |
 * |--------------|-------------|------------------------------------------------------------|
 * | `format`     | text        | `"session-sdk/identity-backup"`                            |
 * | `version`    | uint, = 1   |                                                            |
 * | `kdf`        | text        | `"argon2id"`                                               |
 * | `t`, `m`, `p`| uint        | Argon2id passes, memory in KiB, lanes                      |
 * | `salt`       | 16 bytes    | random                                                     |
 * | `nonce`      | 24 bytes    | random                                                     |
 * | `ciphertext` | 48 bytes    | XChaCha20-Poly1305(seed32), AD = the map without `ciphertext` |
 *
 * The associated data binds every header field (KDF parameters included) to the ciphertext, and the
 * decoder accepts only the canonical encoding (as the portable envelope does). Imports refuse KDF
 * parameters above a memory/time budget before running Argon2, so a hostile file cannot make the
 * importer allocate gigabytes.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { Decoder, Encoder } from 'cbor-x';
import { SessionSdkError } from '../errors.js';
import { identityFromSeed, type Identity } from '../identity/keys.js';
import { assertBytes, equalBytes, randomBytes, utf8, wipe } from '../util/bytes.js';

/**
 * The `format` marker of an identity backup file.
 *
 * @example
 * ```ts
 * const { format } = decode(file) as { format: string }; // decode from cbor-x: a backup is one CBOR map
 * format === IDENTITY_BACKUP_FORMAT; // true
 * ```
 */
export const IDENTITY_BACKUP_FORMAT = 'session-sdk/identity-backup';
/**
 * The only backup version this release reads and writes.
 *
 * @example
 * ```ts
 * IDENTITY_BACKUP_VERSION; // 1: importIdentityBackup throws UNSUPPORTED_VERSION for any other
 * ```
 */
export const IDENTITY_BACKUP_VERSION = 1;

/**
 * Argon2id cost parameters: passes, memory in KiB, lanes.
 *
 * @example
 * ```ts
 * const cheap: Argon2idParams = { t: 1, m: 1024, p: 1 }; // tests only: fast, weak
 * const file = await exportIdentityBackup(identity, 'pw', { kdf: cheap });
 * ```
 */
export interface Argon2idParams {
  /** Passes over memory (time cost). */
  t: number;
  /** Memory in KiB. */
  m: number;
  /** Lanes (parallelism). */
  p: number;
}

/**
 * Default cost for new backups: 3 passes over 64 MiB, one lane (RFC 9106 §4's second recommended
 * option, with p = 1 because a JavaScript implementation runs lanes sequentially anyway).
 *
 * @example
 * ```ts
 * const file = await exportIdentityBackup(identity, password, { kdf: { ...IDENTITY_BACKUP_DEFAULT_KDF, t: 4 } });
 * ```
 */
export const IDENTITY_BACKUP_DEFAULT_KDF: Readonly<Argon2idParams> = Object.freeze({ t: 3, m: 65_536, p: 1 });

/**
 * Largest cost an import accepts unless the caller raises it: 256 MiB, 16 passes, 8 lanes.
 *
 * @example
 * ```ts
 * const id = await importIdentityBackup(file, password, { maxKdf: { ...IDENTITY_BACKUP_MAX_KDF, m: 1_048_576 } }); // allow 1 GiB
 * ```
 */
export const IDENTITY_BACKUP_MAX_KDF: Readonly<Argon2idParams> = Object.freeze({ t: 16, m: 262_144, p: 8 });

const MAX_FILE = 4096;
const SEED_LEN = 32;
const KEYS = ['format', 'version', 'kdf', 't', 'm', 'p', 'salt', 'nonce', 'ciphertext'];

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true, pack: false });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

interface Header extends Argon2idParams {
  salt: Uint8Array;
  nonce: Uint8Array;
}

const plain = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

function encodeHeader(h: Header, ciphertext?: Uint8Array): Uint8Array {
  const obj: Record<string, unknown> = {
    format: IDENTITY_BACKUP_FORMAT,
    version: IDENTITY_BACKUP_VERSION,
    kdf: 'argon2id',
    t: h.t,
    m: h.m,
    p: h.p,
    salt: plain(h.salt),
    nonce: plain(h.nonce),
  };
  if (ciphertext) obj.ciphertext = plain(ciphertext);
  return new Uint8Array(encoder.encode(obj));
}

function passwordBytes(password: string | Uint8Array): Uint8Array {
  // NFC so that the same typed password gives the same bytes on every platform and keyboard.
  const b = typeof password === 'string' ? utf8(password.normalize('NFC')) : password instanceof Uint8Array ? password.slice() : undefined;
  if (!b) throw new SessionSdkError('INVALID_INPUT', 'password must be a string or Uint8Array');
  if (b.length === 0) throw new SessionSdkError('INVALID_INPUT', 'password must not be empty');
  return b;
}

function checkParams(k: Argon2idParams, max: Argon2idParams, code: 'INVALID_INPUT' | 'INVALID_ENCODING'): void {
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  if (!int(k.t) || !int(k.m) || !int(k.p) || k.t < 1 || k.p < 1 || k.m < 8 * k.p) {
    throw new SessionSdkError(code, 'Argon2id parameters must be integers with t ≥ 1, p ≥ 1 and m ≥ 8·p KiB');
  }
  if (k.t > max.t || k.m > max.m || k.p > max.p) {
    throw new SessionSdkError('TOO_LARGE', `Argon2id cost t=${k.t}, m=${k.m} KiB, p=${k.p} exceeds the allowed maximum`);
  }
}

async function deriveKey(password: Uint8Array, h: Header): Promise<Uint8Array> {
  return argon2idAsync(password, h.salt, { t: h.t, m: h.m, p: h.p, dkLen: 32, maxmem: h.m * 1024 + 1024 * 1024 });
}

/**
 * Encrypts an identity's seed under a password. Accepts an {@link Identity} or a seed (16 or 32
 * bytes, or a 64-byte libsodium secret key). `opts.kdf` sets the Argon2id cost (default
 * {@link IDENTITY_BACKUP_DEFAULT_KDF}; lower it only for tests). `opts.salt` (16 bytes) and
 * `opts.nonce` (24 bytes) pin the random values for reproducible test vectors only.
 *
 * @example
 * ```ts
 * const file = await exportIdentityBackup(identity, 'correct horse battery staple');
 * const same = await importIdentityBackup(file, 'correct horse battery staple');
 * ```
 */
export async function exportIdentityBackup(
  identityOrSeed: Identity | Uint8Array,
  password: string | Uint8Array,
  opts: { kdf?: Partial<Argon2idParams>; salt?: Uint8Array; nonce?: Uint8Array } = {},
): Promise<Uint8Array> {
  const seedSource = identityOrSeed instanceof Uint8Array ? identityOrSeed : identityOrSeed?.seed;
  assertBytes(seedSource, 'seed', [16, 32, 64]);
  const id = identityFromSeed(seedSource); // normalises to the 32-byte seed and checks a 64-byte key
  const kdf = { ...IDENTITY_BACKUP_DEFAULT_KDF, ...opts.kdf };
  checkParams(kdf, { t: Number.MAX_SAFE_INTEGER, m: 4 * 1024 * 1024, p: 255 }, 'INVALID_INPUT');
  if (opts.salt !== undefined) assertBytes(opts.salt, 'salt', 16);
  if (opts.nonce !== undefined) assertBytes(opts.nonce, 'nonce', 24);
  const header: Header = { ...kdf, salt: opts.salt?.slice() ?? randomBytes(16), nonce: opts.nonce?.slice() ?? randomBytes(24) };
  const pw = passwordBytes(password);
  let key: Uint8Array | undefined;
  try {
    key = await deriveKey(pw, header);
    const ciphertext = xchacha20poly1305(key, header.nonce, encodeHeader(header)).encrypt(id.seed);
    return encodeHeader(header, ciphertext);
  } finally {
    wipe(pw, key, id.seed, id.ed25519SecretKey, id.x25519SecretKey);
  }
}

/**
 * Decrypts a backup made by {@link exportIdentityBackup} and returns the full identity.
 * Throws `BAD_PASSWORD` when the password is wrong or the file was altered (the two are
 * indistinguishable by design), `UNSUPPORTED_VERSION` for another format version,
 * `INVALID_ENCODING` for a malformed file, and `TOO_LARGE` when its Argon2id cost exceeds
 * `opts.maxKdf` (default {@link IDENTITY_BACKUP_MAX_KDF}) — checked before any work is done.
 *
 * @example
 * ```ts
 * try { identity = await importIdentityBackup(file, password); }
 * catch (e) { if (isSessionSdkError(e, 'BAD_PASSWORD')) askAgain(); else throw e; }
 * ```
 */
export async function importIdentityBackup(
  bytes: Uint8Array,
  password: string | Uint8Array,
  opts: { maxKdf?: Partial<Argon2idParams> } = {},
): Promise<Identity> {
  const header = parseBackup(bytes);
  checkParams(header, { ...IDENTITY_BACKUP_MAX_KDF, ...opts.maxKdf }, 'INVALID_ENCODING');
  const pw = passwordBytes(password);
  let key: Uint8Array | undefined;
  let seed: Uint8Array | undefined;
  try {
    key = await deriveKey(pw, header);
    try {
      seed = xchacha20poly1305(key, header.nonce, encodeHeader(header)).decrypt(header.ciphertext);
    } catch {
      throw new SessionSdkError('BAD_PASSWORD', 'wrong password, or the backup file is corrupted');
    }
    return identityFromSeed(seed);
  } finally {
    wipe(pw, key, seed);
  }
}

/** Strict parse of the file: canonical CBOR, exact fields and types (no cryptography). */
function parseBackup(bytes: Uint8Array): Header & { ciphertext: Uint8Array } {
  assertBytes(bytes, 'identity backup');
  if (bytes.length > MAX_FILE) throw new SessionSdkError('TOO_LARGE', 'identity backup file is too large');
  const invalid = (msg: string): never => {
    throw new SessionSdkError('INVALID_ENCODING', `identity backup: ${msg}`);
  };
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    throw new SessionSdkError('INVALID_ENCODING', 'identity backup is not valid CBOR', { cause: e });
  }
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) invalid('not a CBOR map');
  const o = raw as Record<string, unknown>;
  if (o.format !== IDENTITY_BACKUP_FORMAT) invalid('not an identity backup');
  if (typeof o.version !== 'number' && typeof o.version !== 'bigint') invalid('missing version');
  if (o.version !== IDENTITY_BACKUP_VERSION) {
    throw new SessionSdkError('UNSUPPORTED_VERSION', `identity backup version ${String(o.version)} is not supported`);
  }
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) invalid(`unexpected field "${k.slice(0, 32)}"`);
  if (o.kdf !== 'argon2id') invalid('kdf must be argon2id');
  const bytesField = (v: unknown, len: number, name: string): Uint8Array => {
    if (!(v instanceof Uint8Array) || v.length !== len) invalid(`${name} must be ${len} bytes`);
    return new Uint8Array(v as Uint8Array);
  };
  for (const k of ['t', 'm', 'p'] as const) if (typeof o[k] !== 'number') invalid(`${k} must be an unsigned integer`);
  const parsed = {
    t: o.t as number,
    m: o.m as number,
    p: o.p as number,
    salt: bytesField(o.salt, 16, 'salt'),
    nonce: bytesField(o.nonce, 24, 'nonce'),
    ciphertext: bytesField(o.ciphertext, SEED_LEN + 16, 'ciphertext'),
  };
  checkParams(parsed, { t: Number.MAX_SAFE_INTEGER, m: Number.MAX_SAFE_INTEGER, p: Number.MAX_SAFE_INTEGER }, 'INVALID_ENCODING');
  if (!equalBytes(encodeHeader(parsed, parsed.ciphertext), bytes)) invalid('not in canonical form');
  return parsed;
}
