// Session Protocol v1 (spec/identity-envelope.md §3): upstream vectors, libsodium cross-checks and
// the negative cases of spec/security.md §2.2, under both crypto providers.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptIncoming,
  encryptForRecipient,
  encryptForRecipientDeterministic,
  SESSION_PROTOCOL_MAX_CIPHERTEXT,
  SESSION_PROTOCOL_MAX_PLAINTEXT,
} from '../../src/envelope/session-protocol.js';
import { setCryptoProvider } from '../../src/crypto/provider.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { loadSodium } from '../helpers/sodium.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const V = loadVectors('identity-envelope/session-encrypt.json');
const det = V.deterministic_encrypt[0];
const rnd0 = V.randomised_encrypt_properties[0];
const rnd1 = V.randomised_encrypt_properties[1];
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// The upstream recipient of every vector (tests/test_session_encrypt.cpp): its Ed25519 secret key.
const RECIPIENT_SK = hex((rnd0.expected.decrypt_with as string).replace('recipient ed25519 sk ', ''));

/** libsodium's composition of the same protocol: the differential oracle. */
function sodiumEncrypt(senderSk64: Uint8Array, recipientX: Uint8Array, m: Uint8Array): Uint8Array {
  const a = senderSk64.subarray(32);
  const sig = sodium.crypto_sign_detached(new Uint8Array([...m, ...a, ...recipientX]), senderSk64);
  return sodium.crypto_box_seal(new Uint8Array([...m, ...a, ...sig]), recipientX);
}

/** Seals an arbitrary inner payload `P` to a recipient (for forged-sender cases). */
function sealRaw(p: Uint8Array, recipientX: Uint8Array): Uint8Array {
  return sodium.crypto_box_seal(p, recipientX);
}

describe('vector fixtures', () => {
  it('the upstream recipient key matches the vector Session ID', () => {
    const r = identityFromSeed(RECIPIENT_SK.subarray(0, 32));
    expect(r.sessionId).toBe(det.input.recipient_session_id);
    expect(toHex(r.x25519SecretKey)).toBe(det.input.recipient_x25519_sk_for_decrypt);
  });
});

describeEachProvider('session protocol v1', () => {
  it('deterministic_encrypt: reproduces the upstream ciphertext exactly (sk64, seed, every recipient form)', async () => {
    const m = hex(det.input.message_hex);
    const id: string = det.input.recipient_session_id;
    const forms: (string | Uint8Array)[] = [id, id.toUpperCase(), hex(id), hex(id).subarray(1)];
    for (const sk of [hex(det.input.sender_ed25519_sk64), hex(det.input.sender_ed25519_seed)]) {
      for (const r of forms) {
        const c = await encryptForRecipientDeterministic(sk, r, m);
        expect(toHex(c)).toBe(det.expected.ciphertext);
      }
    }
    expect(hex(det.expected.ciphertext).length).toBe(det.expected.ciphertext_len);
    // Derived intermediates: E and the inner plaintext.
    const c = hex(det.expected.ciphertext);
    expect(toHex(c.subarray(0, 32))).toBe(det.intermediates_derived.ephemeral_x25519_pk);
    const inner = sodium.crypto_box_seal_open(c, hex(id).subarray(1), hex(det.input.recipient_x25519_sk_for_decrypt));
    expect(toHex(inner)).toBe(det.intermediates_derived.inner_plaintext_M_A_SIG);
  });

  it('deterministic_encrypt: decrypts to the upstream plaintext, sender key and Session ID', async () => {
    const out = await decryptIncoming(RECIPIENT_SK, hex(det.expected.ciphertext));
    expect(toHex(out.plaintext)).toBe(det.expected.decrypt_plaintext_hex);
    expect(toHex(out.senderEd25519PublicKey)).toBe(det.expected.decrypt_sender_ed25519_pk);
    expect(out.senderSessionId).toBe(det.expected.decrypt_sender_session_id);
    // The 32-byte seed works as the recipient key too.
    const out2 = await decryptIncoming(RECIPIENT_SK.slice(0, 32), hex(det.expected.ciphertext));
    expect(out2.senderSessionId).toBe(det.expected.decrypt_sender_session_id);
  });

  it('randomised_encrypt_properties[0]: length, round trip, sender cannot open, byte-2 flip fails', async () => {
    const sk = hex(rnd0.input.sender_ed25519_sk64);
    const m = utf8(rnd0.input.message_utf8);
    const c = await encryptForRecipient(sk, rnd0.input.recipient_session_id, m);
    expect(c.length).toBe(rnd0.expected.ciphertext_len);
    const out = await decryptIncoming(RECIPIENT_SK, c);
    expect(new TextDecoder().decode(out.plaintext)).toBe(rnd0.input.message_utf8);
    expect(toHex(out.senderEd25519PublicKey)).toBe(rnd0.expected.decrypt_sender_ed25519_pk);
    expect(await codeOf(decryptIncoming(sk, c))).toBe('DECRYPT_FAILED');
    const t = c.slice();
    t[2]! ^= 0x02;
    expect(await codeOf(decryptIncoming(RECIPIENT_SK, t))).toBe('DECRYPT_FAILED');
    // Two encryptions of the same message differ (fresh ephemeral key).
    expect(toHex(await encryptForRecipient(sk, rnd0.input.recipient_session_id, m))).not.toBe(toHex(c));
  });

  it('randomised_encrypt_properties[1]: seed sender, bare 32-byte recipient, long message, byte-14 flip fails', async () => {
    const m = utf8(rnd1.input.message_utf8);
    const c = await encryptForRecipient(hex(rnd1.input.sender_ed25519_seed), hex(rnd1.input.recipient_x25519_pk), m);
    expect(c.length).toBe(rnd1.expected.ciphertext_len);
    const out = await decryptIncoming(RECIPIENT_SK, c);
    expect(toHex(out.plaintext)).toBe(toHex(m));
    expect(toHex(out.senderEd25519PublicKey)).toBe(rnd1.expected.decrypt_sender_ed25519_pk);
    const t = c.slice();
    t[14]! ^= 0x80;
    expect(await codeOf(decryptIncoming(RECIPIENT_SK, t))).toBe('DECRYPT_FAILED');
  });

  it('interoperates with the same protocol composed from libsodium, on random inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 400 }), async (s1, s2, m) => {
        const alice = sodium.crypto_sign_seed_keypair(s1);
        const bob = sodium.crypto_sign_seed_keypair(s2);
        const bobX = sodium.crypto_sign_ed25519_pk_to_curve25519(bob.publicKey);
        const bobXsk = sodium.crypto_sign_ed25519_sk_to_curve25519(bob.privateKey);
        // ours → libsodium
        const c = await encryptForRecipient(alice.privateKey, bobX, m);
        const p = sodium.crypto_box_seal_open(c, bobX, bobXsk);
        const n = p.length - 96;
        expect(toHex(p.subarray(0, n))).toBe(toHex(m));
        expect(toHex(p.subarray(n, n + 32))).toBe(toHex(alice.publicKey));
        const signed = new Uint8Array([...p.subarray(0, n + 32), ...bobX]);
        expect(sodium.crypto_sign_verify_detached(p.subarray(n + 32), signed, alice.publicKey)).toBe(true);
        // libsodium → ours
        const out = await decryptIncoming(bob.privateKey, sodiumEncrypt(alice.privateKey, bobX, m));
        expect(toHex(out.plaintext)).toBe(toHex(m));
        expect(out.senderSessionId).toBe('05' + toHex(sodium.crypto_sign_ed25519_pk_to_curve25519(alice.publicKey)));
      }),
      { seed: 42, numRuns: 12 },
    );
  });

  it('an injected ephemeral key gives reproducible output whose E is X25519(e, basepoint)', async () => {
    const sk = hex(det.input.sender_ed25519_sk64);
    const e = sodium.randombytes_buf(32);
    const c1 = await encryptForRecipient(sk, det.input.recipient_session_id, utf8('x'), { ephemeralSecretKey: e });
    const c2 = await encryptForRecipient(sk, det.input.recipient_session_id, utf8('x'), { ephemeralSecretKey: e });
    expect(toHex(c1)).toBe(toHex(c2));
    expect(toHex(c1.subarray(0, 32))).toBe(toHex(sodium.crypto_scalarmult_base(e)));
    // With e = the deterministic ephemeral secret, the two APIs agree byte for byte.
    const ephSk = hex(det.intermediates_derived.ephemeral_x25519_sk);
    const c3 = await encryptForRecipient(sk, det.input.recipient_session_id, hex(det.input.message_hex), { ephemeralSecretKey: ephSk });
    expect(toHex(c3)).toBe(det.expected.ciphertext);
  });

  it('zero-length plaintext round-trips (libsession allows it)', async () => {
    const sk = hex(det.input.sender_ed25519_sk64);
    const c = await encryptForRecipient(sk, det.input.recipient_session_id, new Uint8Array(0));
    expect(c.length).toBe(144);
    const out = await decryptIncoming(RECIPIENT_SK, c);
    expect(out.plaintext.length).toBe(0);
    expect(out.senderSessionId).toBe(det.expected.decrypt_sender_session_id);
  });

  it('every tampered byte and every truncation is rejected with DECRYPT_FAILED', async () => {
    const c = hex(det.expected.ciphertext);
    for (let i = 0; i < c.length; i++) {
      const t = c.slice();
      t[i]! ^= 1 << (i % 8);
      expect(await codeOf(decryptIncoming(RECIPIENT_SK, t))).toBe('DECRYPT_FAILED');
    }
    for (const n of [0, 1, 48, 100, 143, 144, c.length - 1]) {
      expect(await codeOf(decryptIncoming(RECIPIENT_SK, c.subarray(0, n)))).toBe('DECRYPT_FAILED');
    }
    const extended = new Uint8Array([...c, 0]);
    expect(await codeOf(decryptIncoming(RECIPIENT_SK, extended))).toBe('DECRYPT_FAILED');
  });

  it('random and mutated ciphertexts only ever yield DECRYPT_FAILED', async () => {
    const c = hex(det.expected.ciphertext);
    const mutated = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat({ max: 60 })).map(([edits, cut]) => {
      const q = c.slice(0, c.length - cut);
      for (const [i, b] of edits) q[i % q.length] = b;
      return q;
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated), async (b) => {
        if (toHex(b) === det.expected.ciphertext) return;
        expect(await codeOf(decryptIncoming(RECIPIENT_SK, b))).toBe('DECRYPT_FAILED');
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('a message for someone else does not open (wrong recipient)', async () => {
    const other = identityFromSeed(new Uint8Array(32).fill(7));
    expect(await codeOf(decryptIncoming(other.ed25519SecretKey, hex(det.expected.ciphertext)))).toBe('DECRYPT_FAILED');
  });

  it('forged, swapped and re-sealed sender keys fail with BAD_SIGNATURE', async () => {
    const alice = identityFromSeed(new Uint8Array(32).fill(1));
    const mallory = identityFromSeed(new Uint8Array(32).fill(2));
    const bob = identityFromSeed(RECIPIENT_SK.subarray(0, 32));
    const carol = identityFromSeed(new Uint8Array(32).fill(3));
    const m = utf8('transfer 100');
    const sigOver = (sk: Uint8Array, parts: Uint8Array[]): Uint8Array =>
      sodium.crypto_sign_detached(new Uint8Array(parts.flatMap((p) => [...p])), sk);
    const inner = (a: Uint8Array, sig: Uint8Array): Uint8Array => new Uint8Array([...m, ...a, ...sig]);
    const cases: [string, Uint8Array][] = [
      // Mallory signs but claims to be Alice.
      ['claimed key differs from signer', inner(alice.ed25519PublicKey, sigOver(mallory.ed25519SecretKey, [m, alice.ed25519PublicKey, bob.x25519PublicKey]))],
      // Alice's signature, Mallory's key.
      ['swapped sender key', inner(mallory.ed25519PublicKey, sigOver(alice.ed25519SecretKey, [m, alice.ed25519PublicKey, bob.x25519PublicKey]))],
      // Signed for Carol, sealed to Bob (surreptitious forwarding).
      ['signature bound to another recipient', inner(alice.ed25519PublicKey, sigOver(alice.ed25519SecretKey, [m, alice.ed25519PublicKey, carol.x25519PublicKey]))],
      // Signature without the recipient key.
      ['signature without Y', inner(alice.ed25519PublicKey, sigOver(alice.ed25519SecretKey, [m, alice.ed25519PublicKey]))],
      ['all-zero signature', inner(alice.ed25519PublicKey, new Uint8Array(64))],
      ['small-order sender key', inner(new Uint8Array(32), new Uint8Array(64))],
      // Keys with y = 2…9 (some are not curve points at all) under a signature made by Alice.
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((y): [string, Uint8Array] => {
        const a = new Uint8Array(32);
        a[0] = y;
        return [`sender key with y = ${y}`, inner(a, sigOver(alice.ed25519SecretKey, [m, a, bob.x25519PublicKey]))];
      }),
      ['non-canonical sender key (y = p)', inner(hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), new Uint8Array(64))],
    ];
    for (const [name, p] of cases) {
      expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, sealRaw(p, bob.x25519PublicKey))), name).toBe('BAD_SIGNATURE');
    }
    // Bob opens Alice's genuine message and re-seals its inner payload to Carol.
    const genuine = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m);
    const p = sodium.crypto_box_seal_open(genuine, bob.x25519PublicKey, bob.x25519SecretKey);
    expect(await codeOf(decryptIncoming(carol.ed25519SecretKey, sealRaw(p, carol.x25519PublicKey)))).toBe('BAD_SIGNATURE');
    // A flipped bit in A or SIG inside a validly sealed box.
    for (const off of [m.length, m.length + 31, m.length + 32, m.length + 95]) {
      const q = p.slice();
      q[off]! ^= 0x01;
      expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, sealRaw(q, bob.x25519PublicKey)))).toBe('BAD_SIGNATURE');
    }
  });

  it('mixed-order sender keys whose signature passes the cofactorless check are still rejected', async () => {
    // A' = aB + T with T of order 2, 4 or 8. SIG = (R, r + k·a) verifies against A' whenever
    // ord(T) | k, since then k·T vanishes; libsodium's verify accepts it, but its Ed→X conversion
    // (crypto_sign_ed25519_pk_to_curve25519) refuses A', and so must we.
    const bob = identityFromSeed(RECIPIENT_SK.subarray(0, 32));
    const P = ed25519.Point;
    const L = P.Fn.ORDER;
    const torsion: [bigint, string][] = [
      [2n, 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'],
      [4n, '0000000000000000000000000000000000000000000000000000000000000000'],
      [4n, '0000000000000000000000000000000000000000000000000000000000000080'],
      [8n, 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
      [8n, '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85'],
    ];
    const le = (b: Uint8Array): bigint => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const toLe = (n: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));
    for (const [order, tHex] of torsion) {
      const T = P.fromHex(tHex);
      expect(T.multiplyUnsafe(order).is0()).toBe(true);
      const a = 123456789n + order;
      const A2 = P.BASE.multiply(a).add(T).toBytes();
      expect(() => sodium.crypto_sign_ed25519_pk_to_curve25519(A2)).toThrow();
      let p: Uint8Array | undefined;
      for (let i = 0; i < 512 && !p; i++) {
        const m = utf8(`msg ${i}`);
        const r = 987654321n + BigInt(i);
        const R = P.BASE.multiply(r).toBytes();
        const k = le(sha512(new Uint8Array([...R, ...A2, ...m, ...A2, ...bob.x25519PublicKey]))) % L;
        if (k % order !== 0n) continue;
        const sig = new Uint8Array([...R, ...toLe((r + k * a) % L)]);
        expect(sodium.crypto_sign_verify_detached(sig, new Uint8Array([...m, ...A2, ...bob.x25519PublicKey]), A2)).toBe(true);
        p = new Uint8Array([...m, ...A2, ...sig]);
      }
      expect(p, `order ${order}`).toBeDefined();
      expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, sealRaw(p!, bob.x25519PublicKey))), `order ${order}`).toBe('BAD_SIGNATURE');
    }
  });

  it('derives the sender Session ID exactly as libsodium does for many fresh senders', async () => {
    const bob = identityFromSeed(RECIPIENT_SK.subarray(0, 32));
    for (let i = 0; i < 16; i++) {
      const s = sodium.crypto_sign_seed_keypair(sodium.randombytes_buf(32));
      const out = await decryptIncoming(bob.ed25519SecretKey, sodiumEncrypt(s.privateKey, bob.x25519PublicKey, utf8('hi')));
      expect(out.senderSessionId).toBe('05' + toHex(sodium.crypto_sign_ed25519_pk_to_curve25519(s.publicKey)));
    }
  });
});

describe('session protocol v1: providers agree byte for byte', () => {
  it('noble and WebCrypto give identical ciphertexts for the same inputs and ephemeral key', async () => {
    const prev = setCryptoProvider('noble');
    try {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), async (seed, e, m) => {
          setCryptoProvider('noble');
          const a = await encryptForRecipient(seed, det.input.recipient_session_id, m, { ephemeralSecretKey: e });
          const ad = await encryptForRecipientDeterministic(seed, det.input.recipient_session_id, m);
          const openedA = await decryptIncoming(RECIPIENT_SK, a);
          setCryptoProvider('webcrypto');
          const b = await encryptForRecipient(seed, det.input.recipient_session_id, m, { ephemeralSecretKey: e });
          const bd = await encryptForRecipientDeterministic(seed, det.input.recipient_session_id, m);
          const openedB = await decryptIncoming(RECIPIENT_SK, a);
          expect(toHex(b)).toBe(toHex(a));
          expect(toHex(bd)).toBe(toHex(ad));
          expect(openedB).toEqual(openedA);
        }),
        { seed: 42, numRuns: 10 },
      );
    } finally {
      setCryptoProvider(prev);
    }
  });
});

describe('session protocol v1: input validation', () => {
  const sk = (): Uint8Array => hex(det.input.sender_ed25519_sk64);
  const id: string = det.input.recipient_session_id;

  it('enforces the size limits before any cryptography', async () => {
    expect(await codeOf(encryptForRecipient(sk(), id, new Uint8Array(SESSION_PROTOCOL_MAX_PLAINTEXT + 1)))).toBe('TOO_LARGE');
    expect(await codeOf(encryptForRecipientDeterministic(sk(), id, new Uint8Array(SESSION_PROTOCOL_MAX_PLAINTEXT + 1)))).toBe('TOO_LARGE');
    expect(await codeOf(decryptIncoming(RECIPIENT_SK, new Uint8Array(SESSION_PROTOCOL_MAX_CIPHERTEXT + 1)))).toBe('TOO_LARGE');
    const c = await encryptForRecipient(sk(), id, new Uint8Array(SESSION_PROTOCOL_MAX_PLAINTEXT));
    expect(c.length).toBe(SESSION_PROTOCOL_MAX_CIPHERTEXT);
    expect((await decryptIncoming(RECIPIENT_SK, c)).plaintext.length).toBe(SESSION_PROTOCOL_MAX_PLAINTEXT);
  });

  it('rejects bad sender keys', async () => {
    expect(await codeOf(encryptForRecipient(new Uint8Array(31), id, new Uint8Array(1)))).toBe('INVALID_LENGTH');
    expect(await codeOf(encryptForRecipient(new Uint8Array(16), id, new Uint8Array(1)))).toBe('INVALID_LENGTH');
    const bad = sk();
    bad[63]! ^= 1;
    expect(await codeOf(encryptForRecipient(bad, id, new Uint8Array(1)))).toBe('INVALID_KEY');
    expect(await codeOf(encryptForRecipient('nope' as unknown as Uint8Array, id, new Uint8Array(1)))).toBe('INVALID_INPUT');
    expect(await codeOf(decryptIncoming(new Uint8Array(33), new Uint8Array(200)))).toBe('INVALID_LENGTH');
  });

  it('rejects bad recipients', async () => {
    const cases: [string | Uint8Array, string][] = [
      ['03' + id.slice(2), 'INVALID_PREFIX'],
      ['15' + id.slice(2), 'INVALID_PREFIX'],
      [id.slice(0, 64), 'INVALID_SESSION_ID'],
      ['05' + 'zz'.repeat(32), 'INVALID_SESSION_ID'],
      ['05' + '00'.repeat(32), 'INVALID_SESSION_ID'],
      [new Uint8Array([3, ...hex(id).subarray(1)]), 'INVALID_PREFIX'],
      [new Uint8Array(32), 'INVALID_KEY'],
      [new Uint8Array(32).fill(0xff), 'INVALID_KEY'],
      [new Uint8Array(31), 'INVALID_LENGTH'],
    ];
    for (const [r, code] of cases) expect(await codeOf(encryptForRecipient(sk(), r, new Uint8Array(1))), String(r)).toBe(code);
    expect(await codeOf(encryptForRecipient(sk(), id, new Uint8Array(1), { ephemeralSecretKey: new Uint8Array(31) }))).toBe('INVALID_LENGTH');
  });

  it('never serves stale cached keys after the caller reuses a key buffer', async () => {
    const buf = new Uint8Array(32).fill(1);
    const a = identityFromSeed(buf);
    const c1 = await encryptForRecipient(buf, id, utf8('one'));
    buf.fill(2);
    const b = identityFromSeed(buf);
    const c2 = await encryptForRecipient(buf, id, utf8('two'));
    expect((await decryptIncoming(RECIPIENT_SK, c1)).senderSessionId).toBe(a.sessionId);
    expect((await decryptIncoming(RECIPIENT_SK, c2)).senderSessionId).toBe(b.sessionId);
    // Rewriting the buffer while an encryption is still in flight affects only later calls.
    buf.fill(3);
    const c3 = encryptForRecipient(buf, id, utf8('three'));
    buf.fill(4);
    const c4 = encryptForRecipient(buf, id, utf8('four'));
    expect((await decryptIncoming(RECIPIENT_SK, await c3)).senderSessionId).toBe(identityFromSeed(new Uint8Array(32).fill(3)).sessionId);
    expect((await decryptIncoming(RECIPIENT_SK, await c4)).senderSessionId).toBe(identityFromSeed(new Uint8Array(32).fill(4)).sessionId);
    // Recipient side: the same buffer, rewritten to another identity, no longer opens the box.
    const rk = RECIPIENT_SK.slice();
    await decryptIncoming(rk, c1);
    rk.fill(9);
    expect(await codeOf(decryptIncoming(rk, c1))).toBe('DECRYPT_FAILED');
  });
});
