// The envelope module's exported constants, each tied to the behaviour it names and to its source:
// the identity-backup format markers and import cost ceiling, the portable envelope's version and
// suggested kinds, the replay guard's default capacity, and the Session Protocol v1 overhead
// (upstream libsession lengths, and libsodium's sealed box as the oracle for its parts).
import { Decoder, Encoder } from 'cbor-x';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodePortableEnvelope,
  decryptIncoming,
  encodePortableEnvelope,
  encryptForRecipient,
  encryptForRecipientDeterministic,
  exportIdentityBackup,
  IDENTITY_BACKUP_DEFAULT_KDF,
  IDENTITY_BACKUP_FORMAT,
  IDENTITY_BACKUP_MAX_KDF,
  IDENTITY_BACKUP_VERSION,
  importIdentityBackup,
  padMessage,
  PORTABLE_ENVELOPE_VERSION,
  PortableEnvelopeKind,
  REPLAY_GUARD_DEFAULT_MAX_ENTRIES,
  ReplayGuard,
  SESSION_PROTOCOL_MAX_CIPHERTEXT,
  SESSION_PROTOCOL_MAX_PLAINTEXT,
  SESSION_PROTOCOL_OVERHEAD,
} from '../../src/envelope/index.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

// Same options as the SDK's canonical encoder, so a crafted file differs from a real one only in
// the fields a test changes (the importer re-encodes and compares bytes).
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true, pack: false });
const decode = (b: Uint8Array) => new Decoder({ useRecords: false, mapsAsObjects: true }).decode(b) as Record<string, unknown>;

/** A well-formed backup file with arbitrary header fields and a random (wrong) ciphertext. */
function backupFile(fields: { format?: string; version?: number; t?: number; m?: number; p?: number }): Uint8Array {
  return new Uint8Array(
    cbor.encode({
      format: fields.format ?? IDENTITY_BACKUP_FORMAT,
      version: fields.version ?? IDENTITY_BACKUP_VERSION,
      kdf: 'argon2id',
      t: fields.t ?? 1,
      m: fields.m ?? 64,
      p: fields.p ?? 1,
      salt: new Uint8Array(16).fill(1),
      nonce: new Uint8Array(24).fill(2),
      ciphertext: new Uint8Array(48).fill(3),
    }),
  );
}

describe('identity backup: format marker, version, import cost ceiling', () => {
  const SEED = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('IDENTITY_BACKUP_FORMAT and IDENTITY_BACKUP_VERSION are the first two fields of every exported file', async () => {
    const file = await exportIdentityBackup(SEED, 'pw', { kdf: { t: 1, m: 64, p: 1 } });
    const o = decode(file);
    expect(Object.keys(o).slice(0, 2)).toEqual(['format', 'version']);
    expect(o.format).toBe(IDENTITY_BACKUP_FORMAT);
    expect(IDENTITY_BACKUP_FORMAT).toBe('session-sdk/identity-backup');
    expect(o.version).toBe(IDENTITY_BACKUP_VERSION);
    expect(IDENTITY_BACKUP_VERSION).toBe(1);
    expect((await importIdentityBackup(file, 'pw')).seed).toEqual(SEED);
  });

  it('another format marker is INVALID_ENCODING, another version UNSUPPORTED_VERSION (both before any KDF work)', async () => {
    for (const format of ['session-sdk/identity-backup2', 'Session-sdk/identity-backup', 'session-sdk/portable-envelope', '']) {
      expect(await codeOf(importIdentityBackup(backupFile({ format }), 'pw'))).toBe('INVALID_ENCODING');
    }
    for (const version of [0, IDENTITY_BACKUP_VERSION + 1, 255]) {
      expect(await codeOf(importIdentityBackup(backupFile({ version }), 'pw'))).toBe('UNSUPPORTED_VERSION');
    }
    // The crafted file with the right markers gets as far as the AEAD (its ciphertext is junk).
    expect(await codeOf(importIdentityBackup(backupFile({}), 'pw'))).toBe('BAD_PASSWORD');
  });

  it('IDENTITY_BACKUP_MAX_KDF: each of t, m, p is accepted at the maximum and TOO_LARGE one above it', async () => {
    const max = IDENTITY_BACKUP_MAX_KDF;
    expect(max).toEqual({ t: 16, m: 262_144, p: 8 }); // 16 passes, 256 MiB, 8 lanes
    expect(Object.isFrozen(max)).toBe(true);
    // The cost check runs before the password is even read, so an empty password tells "cost
    // accepted" (INVALID_INPUT for the password) from "cost refused" (TOO_LARGE) without running
    // a 256 MiB Argon2.
    const verdict = (f: Parameters<typeof backupFile>[0], opts?: Parameters<typeof importIdentityBackup>[2]) =>
      codeOf(importIdentityBackup(backupFile(f), '', opts));
    expect(await verdict({ t: max.t })).toBe('INVALID_INPUT');
    expect(await verdict({ t: max.t + 1 })).toBe('TOO_LARGE');
    expect(await verdict({ m: max.m })).toBe('INVALID_INPUT');
    expect(await verdict({ m: max.m + 1 })).toBe('TOO_LARGE');
    expect(await verdict({ p: max.p, m: 8 * max.p })).toBe('INVALID_INPUT');
    expect(await verdict({ p: max.p + 1, m: 8 * (max.p + 1) })).toBe('TOO_LARGE');
    // The ceiling is the default of opts.maxKdf: raising one field admits exactly that much more.
    expect(await verdict({ m: max.m + 1 }, { maxKdf: { m: max.m + 1 } })).toBe('INVALID_INPUT');
    expect(await verdict({ m: max.m + 2 }, { maxKdf: { m: max.m + 1 } })).toBe('TOO_LARGE');
    // At the time ceiling Argon2 really runs (16 cheap passes) and only then the AEAD refuses.
    expect(await codeOf(importIdentityBackup(backupFile({ t: max.t }), 'pw'))).toBe('BAD_PASSWORD');
  });

  it('the default cost of new backups is inside the import ceiling', () => {
    for (const k of ['t', 'm', 'p'] as const) expect(IDENTITY_BACKUP_DEFAULT_KDF[k]).toBeLessThanOrEqual(IDENTITY_BACKUP_MAX_KDF[k]);
  });
});

describe('portable envelope: version and suggested kinds', () => {
  it('PORTABLE_ENVELOPE_VERSION is written first and is the only version read', () => {
    const bytes = encodePortableEnvelope({ kind: 'x', sentAt: 1, payload: new Uint8Array(1) });
    // a4 (map of 4: no expiresAt) 67 "version" 01
    expect(toHex(bytes.subarray(0, 10))).toBe('a467' + toHex(new TextEncoder().encode('version')) + '01');
    expect(PORTABLE_ENVELOPE_VERSION).toBe(1);
    expect(decodePortableEnvelope(bytes).version).toBe(PORTABLE_ENVELOPE_VERSION);
    expect(toHex(encodePortableEnvelope({ version: PORTABLE_ENVELOPE_VERSION, kind: 'x', sentAt: 1, payload: new Uint8Array(1) }))).toBe(toHex(bytes));
  });

  it('any other version is UNSUPPORTED_VERSION, on encode and on decode', async () => {
    for (const version of [0, 2, PORTABLE_ENVELOPE_VERSION + 100]) {
      expect(await codeOf(() => encodePortableEnvelope({ version, kind: 'x', sentAt: 1, payload: new Uint8Array(1) }))).toBe('UNSUPPORTED_VERSION');
      const crafted = new Uint8Array(cbor.encode({ version, kind: 'x', sentAt: 1, payload: new Uint8Array(1) }));
      expect(await codeOf(() => decodePortableEnvelope(crafted))).toBe('UNSUPPORTED_VERSION');
    }
  });

  it('PortableEnvelopeKind: exactly three suggested kinds, each valid and round-tripping', () => {
    expect(PortableEnvelopeKind).toEqual({ SESSION_V1: 'session-v1', BLINDED_DM: 'blinded-dm', GROUP_MESSAGE: 'group-message' });
    for (const kind of Object.values(PortableEnvelopeKind)) {
      expect(decodePortableEnvelope(encodePortableEnvelope({ kind, sentAt: 5, payload: Uint8Array.of(1, 2) })).kind).toBe(kind);
    }
  });

  it('PortableEnvelopeKind.SESSION_V1 carries an encryptForRecipient box that still decrypts', async () => {
    const alice = identityFromSeed(new Uint8Array(32).fill(1));
    const bob = identityFromSeed(new Uint8Array(32).fill(2));
    const box = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, padMessage(Uint8Array.of(9)));
    const env = decodePortableEnvelope(encodePortableEnvelope({ kind: PortableEnvelopeKind.SESSION_V1, sentAt: 1_700_000_000_000, payload: box }));
    expect(env.kind).toBe('session-v1');
    expect((await decryptIncoming(bob.ed25519SecretKey, env.payload)).senderSessionId).toBe(alice.sessionId);
  });

  it('a kind outside the documented pattern is refused with INVALID_INPUT, so the suggested ones are not special-cased', async () => {
    for (const kind of ['Session-V1', 'session v1', '', 'x'.repeat(65)]) {
      expect(await codeOf(() => encodePortableEnvelope({ kind, sentAt: 1, payload: new Uint8Array(0) }))).toBe('INVALID_INPUT');
    }
  });
});

describe('replay guard: default capacity', () => {
  it('REPLAY_GUARD_DEFAULT_MAX_ENTRIES IDs are remembered; one more evicts the oldest and raises the floor', () => {
    const now = 1_800_000_000_000;
    const guard = new ReplayGuard({ now: () => now });
    expect(guard.maxEntries).toBe(REPLAY_GUARD_DEFAULT_MAX_ENTRIES);
    expect(REPLAY_GUARD_DEFAULT_MAX_ENTRIES).toBe(100_000);
    const N = REPLAY_GUARD_DEFAULT_MAX_ENTRIES;
    const ts = (i: number) => now - N + i; // distinct, ascending, all inside the 14-day window
    for (let i = 0; i < N; i++) guard.check(`m${i}`, ts(i));
    expect(guard.size).toBe(N);
    expect(guard.has('m0')).toBe(true); // full, nothing forgotten yet
    expect(guard.check('m0', ts(0))).toBe('duplicate');
    expect(guard.check('one-more', ts(N))).toBe('fresh');
    // Over capacity: the oldest tenth went, and the floor makes their replays "expired", never "fresh".
    expect(guard.size).toBe(N + 1 - N / 10);
    expect(guard.has('m0')).toBe(false);
    expect(guard.check('m0', ts(0))).toBe('expired');
    expect(guard.check(`m${N / 10 - 1}`, ts(N / 10 - 1))).toBe('expired');
    expect(guard.check(`m${N / 10}`, ts(N / 10))).toBe('duplicate');
  });
});

describe('Session Protocol v1 overhead', () => {
  const se = loadVectors('identity-envelope/session-encrypt.json');

  it('SESSION_PROTOCOL_OVERHEAD = ciphertext − plaintext length in libsession\'s own (upstream) vectors', async () => {
    expect(SESSION_PROTOCOL_OVERHEAD).toBe(144);
    const det = se.deterministic_encrypt[0];
    expect(det.origin).toBe('upstream');
    const ct = await encryptForRecipientDeterministic(hex(det.input.sender_ed25519_sk64), det.input.recipient_session_id, hex(det.input.message_hex));
    expect(toHex(ct)).toBe(det.expected.ciphertext);
    expect(det.expected.ciphertext_len - hex(det.input.message_hex).length).toBe(SESSION_PROTOCOL_OVERHEAD);
    for (const r of se.randomised_encrypt_properties) {
      expect(r.origin).toBe('upstream');
      expect(r.expected.ciphertext_len - new TextEncoder().encode(r.input.message_utf8).length).toBe(SESSION_PROTOCOL_OVERHEAD);
    }
  });

  it('holds for real encryptForRecipient output of padded plaintexts, and splits as A(32) + SIG(64) + libsodium sealed box', async () => {
    const alice = identityFromSeed(new Uint8Array(32).fill(3));
    const bob = identityFromSeed(new Uint8Array(32).fill(4));
    for (const len of [0, 1, 159, 500]) {
      const padded = padMessage(new Uint8Array(len).fill(0x41));
      const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, padded);
      expect(ct.length - padded.length).toBe(SESSION_PROTOCOL_OVERHEAD);
      // libsodium opens the sealed box: what is inside is M ‖ A ‖ SIG, i.e. 96 bytes more than M.
      const inner = sodium.crypto_box_seal_open(ct, bob.x25519PublicKey, bob.x25519SecretKey);
      expect(inner.length).toBe(padded.length + 32 + 64);
      expect(ct.length - inner.length).toBe(sodium.crypto_box_SEALBYTES);
      expect(toHex(inner.subarray(padded.length, padded.length + 32))).toBe(toHex(alice.ed25519PublicKey));
    }
    // An empty message is exactly the overhead long, and still authenticates.
    const empty = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, new Uint8Array(0));
    expect(empty.length).toBe(SESSION_PROTOCOL_OVERHEAD);
    expect((await decryptIncoming(bob.ed25519SecretKey, empty)).plaintext.length).toBe(0);
  });

  it('fewer than SESSION_PROTOCOL_OVERHEAD bytes is DECRYPT_FAILED; the limits differ by exactly the overhead', async () => {
    const bob = identityFromSeed(new Uint8Array(32).fill(4));
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, new Uint8Array(SESSION_PROTOCOL_OVERHEAD - 1)))).toBe('DECRYPT_FAILED');
    // Same length, but not a box for Bob: still DECRYPT_FAILED, now from the AEAD rather than the length check.
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, new Uint8Array(SESSION_PROTOCOL_OVERHEAD)))).toBe('DECRYPT_FAILED');
    expect(SESSION_PROTOCOL_MAX_CIPHERTEXT - SESSION_PROTOCOL_MAX_PLAINTEXT).toBe(SESSION_PROTOCOL_OVERHEAD);
  });
});
