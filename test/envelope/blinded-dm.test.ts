// Blinded community DMs (spec/identity-envelope.md §4.6): the derived fixed-nonce vectors,
// libsodium differential round trips, every tampering/truncation/misattribution we can think of,
// and fast-check properties. Run under both crypto providers (outputs must be identical).
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import type _sodium from 'libsodium-wrappers-sumo';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';
import { makeReference } from '../identity/blinding-reference.js';
import { decryptFromBlindedRecipient, encryptForBlindedRecipient } from '../../src/envelope/index.js';
import { blind15Ids, blind15KeyPair, blind25Id, blind25KeyPair, identityFromSeed } from '../../src/identity/index.js';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V = loadVectors<any>('identity-envelope/blinding.json');
// SESSION_SDK_SLOW=1 runs the randomized checks at full size.
const SLOW = !!process.env.SESSION_SDK_SLOW;
const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

async function expectCode(p: Promise<unknown>, ...codes: string[]): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, `expected SessionSdkError ${codes.join('|')}`).toBeInstanceOf(SessionSdkError);
  expect(codes).toContain((err as SessionSdkError).code);
}

let sodium: typeof _sodium;
let ref: ReturnType<typeof makeReference>;
beforeAll(async () => {
  sodium = await loadSodium();
  ref = makeReference(sodium);
});

const vectors = V.blinded_dm as {
  origin: string;
  input: {
    sender_ed25519_sk64: string;
    recipient_ed25519_sk64_for_decrypt: string;
    server_pk: string;
    recipient_blinded_id: string;
    message_utf8: string;
    nonce: string;
  };
  expected: { sender_blinded_id: string; shared_key: string; ciphertext: string; ciphertext_len: number; decrypt_sender_session_id: string };
}[];

// Four parties: Alice → Bob; Carol is a bystander with her own key.
const SERVER = vectors[0]!.input.server_pk;
const alice = hex(vectors[0]!.input.sender_ed25519_sk64);
const bob = hex(vectors[0]!.input.recipient_ed25519_sk64_for_decrypt);
const carol = identityFromSeed(new Uint8Array(32).fill(0xc4)).ed25519SecretKey;

function ids(sk: Uint8Array, server: string | Uint8Array = SERVER) {
  return {
    b15: '15' + toHex(blind15KeyPair(sk, server).publicKey),
    b25: '25' + toHex(blind25KeyPair(sk, server).publicKey),
  };
}

describeEachProvider('blinded DM', () => {
  it('has the 4 derived fixed-nonce vectors (blind15/blind25 × short/long)', () => {
    expect(vectors).toHaveLength(4);
    expect(vectors.map((v) => v.input.recipient_blinded_id.slice(0, 2)).sort()).toEqual(['15', '15', '25', '25']);
  });

  for (const [i, v] of vectors.entries()) {
    it(`vector #${i + 1} (${v.input.recipient_blinded_id.slice(0, 2)}, ${v.input.message_utf8.length} bytes): encrypt, decrypt as recipient and as sender`, async () => {
      const sk = hex(v.input.sender_ed25519_sk64);
      const rk = hex(v.input.recipient_ed25519_sk64_for_decrypt);
      const msg = utf8(v.input.message_utf8);
      const ct = await encryptForBlindedRecipient(sk, v.input.server_pk, v.input.recipient_blinded_id, msg, { nonce: hex(v.input.nonce) });
      expect(toHex(ct)).toBe(v.expected.ciphertext);
      expect(ct.length).toBe(v.expected.ciphertext_len);
      // 64-byte and 32-byte secret keys are equivalent; the recipient ID may be upper case.
      const ct2 = await encryptForBlindedRecipient(sk.subarray(0, 32), hex(v.input.server_pk), v.input.recipient_blinded_id.toUpperCase(), msg, {
        nonce: hex(v.input.nonce),
      });
      expect(toHex(ct2)).toBe(v.expected.ciphertext);
      // The sender's blinded ID is the one matching the recipient's prefix.
      const mine = ids(sk, v.input.server_pk);
      expect(v.input.recipient_blinded_id.startsWith('15') ? mine.b15 : mine.b25).toBe(v.expected.sender_blinded_id);
      expect(ids(rk, v.input.server_pk)[v.input.recipient_blinded_id.startsWith('15') ? 'b15' : 'b25']).toBe(v.input.recipient_blinded_id);

      for (const who of [rk, sk, rk.subarray(0, 32)]) {
        const out = await decryptFromBlindedRecipient(who, v.input.server_pk, v.expected.sender_blinded_id, v.input.recipient_blinded_id, ct);
        expect(fromUtf8(out.plaintext)).toBe(v.input.message_utf8);
        expect(out.senderSessionId).toBe(v.expected.decrypt_sender_session_id);
        expect(toHex(out.senderEd25519PublicKey)).toBe(toHex(sk.subarray(32)));
      }
      // The vector's shared key opens the AEAD with libsodium: inner = message ‖ sender Ed25519 key.
      const inner = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct.subarray(1, ct.length - 24), null, ct.subarray(ct.length - 24), hex(v.expected.shared_key));
      expect(toHex(inner)).toBe(toHex(new Uint8Array([...msg, ...sk.subarray(32)])));
    });
  }

  it('matches the libsodium composition on random keys, messages and nonces, both prefixes, both roles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        fc.boolean(),
        async (s1, s2, server, msg, nonce, use25) => {
          const a = sodium.crypto_sign_seed_keypair(s1).privateKey;
          const b = sodium.crypto_sign_seed_keypair(s2).privateKey;
          let rid: string;
          try {
            rid = use25 ? ids(b, server).b25 : ids(b, server).b15;
          } catch (e) {
            expect(isSessionSdkError(e, 'SMALL_ORDER_KEY')).toBe(true); // a random small-order server key
            return;
          }
          const want = ref.encryptDm(a, server, hex(rid), msg, nonce);
          const got = await encryptForBlindedRecipient(a, server, rid, msg, { nonce });
          expect(toHex(got)).toBe(toHex(want.wire));
          const sid = toHex(want.senderBlinded);
          for (const who of [b, a]) {
            const out = await decryptFromBlindedRecipient(who, server, sid, rid, want.wire);
            expect(toHex(out.plaintext)).toBe(toHex(msg));
            expect(out.senderSessionId).toBe('05' + toHex(sodium.crypto_sign_ed25519_pk_to_curve25519(a.subarray(32))));
          }
        },
      ),
      { seed: 42, numRuns: SLOW ? 300 : 12 },
    );
  });

  it('works between keys of either sign, and the recipient ID derived from a Session ID', async () => {
    // seed2 has a negative Ed25519 key (test_keys.seed2_note); seed1 a positive one.
    const neg = hex(V.test_keys.seed2_ed25519_sk64);
    const pos = hex(V.test_keys.seed1_ed25519_sk64);
    for (const [from, to, toSid] of [
      [neg, pos, V.test_keys.seed1_session_id],
      [pos, neg, V.test_keys.seed2_session_id],
      [neg, neg, V.test_keys.seed2_session_id],
    ] as [Uint8Array, Uint8Array, string][]) {
      const r25 = blind25Id(toSid, SERVER);
      const [c0, c1] = blind15Ids(toSid, SERVER);
      const r15 = (to[63]! & 0x80 ? c1 : c0)!;
      for (const rid of [r15, r25]) {
        const ct = await encryptForBlindedRecipient(from, SERVER, rid, utf8('hi'));
        const sid = rid.startsWith('15') ? ids(from).b15 : ids(from).b25;
        expect((await decryptFromBlindedRecipient(to, SERVER, sid, rid, ct)).plaintext).toEqual(utf8('hi'));
        expect((await decryptFromBlindedRecipient(from, SERVER, sid, rid, ct)).plaintext).toEqual(utf8('hi'));
      }
    }
  });

  it('a fresh random nonce per message', async () => {
    const rid = ids(bob).b15;
    const x = await encryptForBlindedRecipient(alice, SERVER, rid, utf8('same'));
    const y = await encryptForBlindedRecipient(alice, SERVER, rid, utf8('same'));
    expect(toHex(x.subarray(x.length - 24))).not.toBe(toHex(y.subarray(y.length - 24)));
    expect(toHex(x)).not.toBe(toHex(y));
  });

  for (const prefix of ['b15', 'b25'] as const) {
    it(`${prefix}: every flipped byte, truncation and extension fails with a typed error`, async () => {
      const A = ids(alice);
      const B = ids(bob);
      const ct = await encryptForBlindedRecipient(alice, SERVER, B[prefix], utf8('hello'));
      const snapshot = toHex(ct);
      for (let i = 0; i < ct.length; i++) {
        const t = ct.slice();
        t[i]! ^= 1 << (i % 8);
        await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], t), i === 0 ? 'UNSUPPORTED_VERSION' : 'DECRYPT_FAILED');
      }
      for (let n = 0; n < ct.length; n++) {
        await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], ct.slice(0, n)), 'DECRYPT_FAILED');
      }
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], new Uint8Array([...ct, 0])), 'DECRYPT_FAILED');
      expect(toHex(ct)).toBe(snapshot); // inputs are never modified
    });

    it(`${prefix}: wrong server, wrong recipient, wrong or swapped IDs are refused`, async () => {
      const A = ids(alice);
      const B = ids(bob);
      const C = ids(carol);
      const ct = await encryptForBlindedRecipient(alice, SERVER, B[prefix], utf8('secret'));
      const other = '00cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
      await expectCode(decryptFromBlindedRecipient(bob, other, A[prefix], B[prefix], ct), 'DECRYPT_FAILED');
      await expectCode(decryptFromBlindedRecipient(carol, SERVER, A[prefix], B[prefix], ct), 'DECRYPT_FAILED'); // not the recipient
      await expectCode(decryptFromBlindedRecipient(carol, SERVER, A[prefix], C[prefix], ct), 'DECRYPT_FAILED');
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, C[prefix], B[prefix], ct), 'DECRYPT_FAILED'); // claimed sender is Carol
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, B[prefix], A[prefix], ct), 'DECRYPT_FAILED'); // roles swapped
      await expectCode(decryptFromBlindedRecipient(alice, SERVER, B[prefix], A[prefix], ct), 'DECRYPT_FAILED');
      const twin = A[prefix].slice(0, 64) + (parseInt(A[prefix].slice(64), 16) ^ 0x80).toString(16).padStart(2, '0');
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, twin, B[prefix], ct), 'DECRYPT_FAILED'); // sign-flipped sender
    });

    it(`${prefix}: an authentic ciphertext whose inner sender key is not the claimed sender is refused`, async () => {
      const A = ids(alice);
      const B = ids(bob);
      const server = hex(SERVER);
      const nonce = new Uint8Array(24).fill(1);
      const carolPk = carol.subarray(32);
      // Alice encrypts with her key but puts Carol's Ed25519 key inside (a forged attribution).
      const forged = ref.encryptDm(alice, server, hex(B[prefix]), utf8('hi'), nonce, new Uint8Array([...utf8('hi'), ...carolPk])).wire;
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], forged), 'DECRYPT_FAILED');
      // Invalid inner keys: small order, off-curve.
      for (const bad of ['0100000000000000000000000000000000000000000000000000000000000000', '02' + '00'.repeat(31)]) {
        const w = ref.encryptDm(alice, server, hex(B[prefix]), utf8(''), nonce, hex(bad)).wire;
        await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], w), 'DECRYPT_FAILED');
      }
      // Inner shorter than the 32-byte sender key.
      const short = ref.encryptDm(alice, server, hex(B[prefix]), utf8(''), nonce, new Uint8Array(31)).wire;
      await expectCode(decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], short), 'DECRYPT_FAILED');
      // Control: the same construction with Alice's real key decrypts.
      const ok = ref.encryptDm(alice, server, hex(B[prefix]), utf8('hi'), nonce).wire;
      expect((await decryptFromBlindedRecipient(bob, SERVER, A[prefix], B[prefix], ok)).plaintext).toEqual(utf8('hi'));
    });
  }

  it('malformed arguments throw typed errors', async () => {
    const A = ids(alice);
    const B = ids(bob);
    const ct = await encryptForBlindedRecipient(alice, SERVER, B.b15, utf8('x'));
    await expectCode(decryptFromBlindedRecipient(bob, SERVER, A.b25, B.b15, ct), 'INVALID_PREFIX');
    await expectCode(decryptFromBlindedRecipient(bob, SERVER, '05' + A.b15.slice(2), B.b15, ct), 'INVALID_PREFIX', 'INVALID_SESSION_ID');
    await expectCode(decryptFromBlindedRecipient(bob, SERVER, A.b15, B.b15.slice(0, 64), ct), 'INVALID_SESSION_ID');
    await expectCode(decryptFromBlindedRecipient(bob, SERVER, A.b15, '15' + '01' + '00'.repeat(31), ct), 'INVALID_SESSION_ID'); // identity point
    await expectCode(decryptFromBlindedRecipient(bob, SERVER.slice(2), A.b15, B.b15, ct), 'INVALID_LENGTH');
    await expectCode(decryptFromBlindedRecipient(bob, '00'.repeat(32), A.b15, B.b15, ct), 'SMALL_ORDER_KEY');
    await expectCode(decryptFromBlindedRecipient(bob.subarray(0, 20), SERVER, A.b15, B.b15, ct), 'INVALID_LENGTH');
    await expectCode(decryptFromBlindedRecipient(bob, SERVER, A.b15, B.b15, Array.from(ct) as unknown as Uint8Array), 'INVALID_INPUT');

    await expectCode(encryptForBlindedRecipient(alice, SERVER, '05' + B.b15.slice(2), utf8('x')), 'INVALID_PREFIX', 'INVALID_SESSION_ID');
    await expectCode(encryptForBlindedRecipient(alice, SERVER, '00' + B.b15.slice(2), utf8('x')), 'INVALID_PREFIX');
    await expectCode(encryptForBlindedRecipient(alice, SERVER, 'zz' + B.b15.slice(2), utf8('x')), 'INVALID_SESSION_ID');
    await expectCode(encryptForBlindedRecipient(alice, SERVER, '15' + 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', utf8('x')), 'INVALID_SESSION_ID');
    await expectCode(encryptForBlindedRecipient(alice, SERVER, B.b15, 'x' as unknown as Uint8Array), 'INVALID_INPUT');
    await expectCode(encryptForBlindedRecipient(alice, SERVER, B.b15, utf8('x'), { nonce: new Uint8Array(12) }), 'INVALID_LENGTH');
    await expectCode(encryptForBlindedRecipient(new Uint8Array(63), SERVER, B.b15, utf8('x')), 'INVALID_LENGTH');
    const inconsistent = alice.slice();
    inconsistent[50]! ^= 4;
    await expectCode(encryptForBlindedRecipient(inconsistent, SERVER, B.b15, utf8('x')), 'INVALID_KEY');
  });

  it('a blinded ID that is a valid point outside the prime-order subgroup is refused (libsodium noclamp rule)', async () => {
    // kB + T8: canonical, on the curve, not small order, but not in the main subgroup.
    const kB = blind15KeyPair(bob, SERVER).publicKey;
    const mixed = sodium.crypto_core_ed25519_add(kB, hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'));
    await expectCode(encryptForBlindedRecipient(alice, SERVER, '15' + toHex(mixed), utf8('x')), 'INVALID_SESSION_ID');
  });

  it('property: random messages round-trip for random identities (both prefixes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (seed, msg, use25) => {
        const me = identityFromSeed(seed).ed25519SecretKey;
        const key = use25 ? 'b25' : 'b15';
        const rid = ids(bob)[key];
        const ct = await encryptForBlindedRecipient(me, SERVER, rid, msg);
        expect(ct.length).toBe(1 + msg.length + 32 + 16 + 24);
        const out = await decryptFromBlindedRecipient(bob, SERVER, ids(me)[key], rid, ct);
        expect(toHex(out.plaintext)).toBe(toHex(msg));
        expect(out.senderSessionId).toBe(identityFromSeed(seed).sessionId);
      }),
      { seed: 42, numRuns: SLOW ? 200 : 8 },
    );
  });

  it('property: random and mutated ciphertexts only ever throw SessionSdkError', async () => {
    const A = ids(alice);
    const B = ids(bob);
    const valid = await encryptForBlindedRecipient(alice, SERVER, B.b25, utf8('property'));
    const mutated = fc
      .tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.nat({ max: valid.length + 4 }))
      .map(([i, x, cut]) => {
        const t = valid.slice(0, Math.max(cut, 1));
        if (i < t.length) t[i]! ^= x;
        return t;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 120 }), mutated), async (bytes) => {
        try {
          await decryptFromBlindedRecipient(bob, SERVER, A.b25, B.b25, bytes);
          expect(toHex(bytes)).toBe(toHex(valid)); // only the untouched message may decrypt
        } catch (e) {
          expect(isSessionSdkError(e, 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION')).toBe(true);
        }
      }),
      { seed: 42, numRuns: SLOW ? 2000 : 150 },
    );
  });
});
