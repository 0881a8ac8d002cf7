// The threat → test matrix of spec/security.md §2, one named test per threat, through the public
// API (src/index.ts). Attackers are simulated with libsodium (crafting sealed boxes) and, for group
// members who legitimately hold group keys, with the keyring's internal accessors. Each test
// asserts the specific SessionSdkError code the SDK promises.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GroupInfoConfig,
  GroupNamespace,
  ReplayGuard,
  SESSION_PROTOCOL_MAX_CIPHERTEXT,
  classifyOnionLayer,
  configDecrypt,
  configEncrypt,
  createGroupKeys,
  decodeDirectMessage,
  decryptFromBlindedRecipient,
  decryptGroupMessage,
  decryptIncoming,
  decryptOnionResponse,
  ed25519PublicKeyToX25519,
  encodeDirectMessage,
  encryptForBlindedRecipient,
  encryptForRecipient,
  encryptGroupMessage,
  encryptWithHopKey,
  deriveHopKey,
  formatSessionId,
  generateIdentity,
  blind15Ids,
  blind15KeyPair,
  buildOnionRequest,
  encodeSnodeRequest,
  isSessionSdkError,
  loadKeyMessage,
  mnemonicDecode,
  mnemonicEncode,
  mnemonicWordList,
  openOnionLayer,
  parseSessionId,
  rekey,
  replayMessageId,
  verifyEd25519,
  wrapForSwarm,
  zstdCompress,
  zstdDecompressBounded,
  type GroupKeys,
  type Identity,
  type SnodeKeys,
} from '../../src/index.js';
import { MNEMONIC_GERMAN, MNEMONIC_SPANISH } from '../../src/mnemonic-languages.js';
import { ed25519KeyPairFromSeed, ed25519SignSync, x25519PublicKeySync } from '../../src/crypto/noble.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';
import { aeadDecrypt, aeadEncrypt } from '../../src/groups/primitives.js';
import { concatBytes, randomBytes } from '../../src/util/bytes.js';
import { bencode } from '../../src/util/bencode.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

/** The code of the SessionSdkError thrown by `f` ('ok' if none); any other throw fails the test. */
async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isSessionSdkError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a rejection');
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
const leBytes = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

/** Opens a v1 message with libsodium the way any recipient can: returns M, A and the signature. */
async function openV1(recipient: Identity, ct: Uint8Array) {
  const s = await loadSodium();
  const p = s.crypto_box_seal_open(ct, recipient.x25519PublicKey, recipient.x25519SecretKey);
  const n = p.length - 96;
  return { m: p.slice(0, n), a: p.slice(n, n + 32), sig: p.slice(n + 32) };
}
/** Seals `M ‖ A ‖ SIG` to `to` with a fresh ephemeral key (what a re-sealing attacker does). */
async function sealV1(to: Identity | Uint8Array, m: Uint8Array, a: Uint8Array, sig: Uint8Array) {
  const s = await loadSodium();
  return s.crypto_box_seal(concatBytes(m, a, sig), to instanceof Uint8Array ? to : to.x25519PublicKey);
}

const [alice, bob, carol, mallory] = [generateIdentity(), generateIdentity(), generateIdentity(), generateIdentity()];

// ---------------------------------------------------------------------------------------------
describe('§2.1 identity', () => {
  it('threat: Session ID spoofing via encoding — non-canonical and small-order X25519 keys are not IDs', async () => {
    const x = loadVectors('wycheproof/x25519_test.json').testGroups.flatMap((g: { tests: unknown[] }) => g.tests) as { public: string; flags: string[] }[];
    const lowOrder = [...new Set(x.filter((t) => t.flags.includes('LowOrderPublic')).map((t) => t.public))];
    const nonCanonical = [...new Set(x.filter((t) => t.flags.includes('NonCanonicalPublic')).map((t) => t.public))];
    expect(lowOrder.length).toBeGreaterThan(5);
    expect(nonCanonical.length).toBeGreaterThan(3);
    for (const pk of [...lowOrder, ...nonCanonical]) {
      expect(await codeOf(() => parseSessionId('05' + pk)), pk).toBe('INVALID_SESSION_ID');
      expect(await codeOf(encryptForRecipient(alice.ed25519SecretKey, '05' + pk, utf8('hi'))), pk).toBe('INVALID_SESSION_ID');
    }
    // one key, one string: upper case parses to the same lower-case ID
    expect(parseSessionId(bob.sessionId.toUpperCase()).publicKey).toEqual(bob.x25519PublicKey);
  });

  it('threat: weak seed / low entropy — 32-byte seeds by default, 16 only on request, no collisions', () => {
    expect(generateIdentity().seed.length).toBe(32);
    expect(generateIdentity({ seedBytes: 16 }).seed.subarray(16)).toEqual(new Uint8Array(16));
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(toHex(randomBytes(32)));
    const ids = new Set(Array.from({ length: 300 }, () => generateIdentity().sessionId));
    expect(seen.size).toBe(2000);
    expect(ids.size).toBe(300);
  });

  it('threat: prefix / key-type confusion — a DM to a 03 group ID or a 15 blinded ID is refused', async () => {
    const g = ed25519KeyPairFromSeed(randomBytes(32));
    const groupId = formatSessionId(0x03, g.publicKey);
    expect(await codeOf(encryptForRecipient(alice.ed25519SecretKey, groupId, utf8('x')))).toBe('INVALID_PREFIX');
    const [blinded] = blind15Ids(bob.sessionId, x25519PublicKeySync(randomBytes(32)));
    expect(blinded.startsWith('15')).toBe(true);
    expect(await codeOf(encryptForRecipient(alice.ed25519SecretKey, blinded, utf8('x')))).toBe('INVALID_PREFIX');
  });

  it('threat: Ed↔X conversion ambiguity — small-order and non-canonical Ed25519 keys do not convert', async () => {
    const identity = new Uint8Array(32);
    identity[0] = 1; // the neutral point
    const nonCanonical = new Uint8Array(32).fill(0xff);
    nonCanonical[31] = 0x7f; // y = 2^255 − 1 ≥ p
    expect(await codeOf(() => ed25519PublicKeyToX25519(identity))).toBe('SMALL_ORDER_KEY');
    expect(await codeOf(() => ed25519PublicKeyToX25519(nonCanonical))).toBe('INVALID_KEY');
    // the sender ID a message reports is derived from the key that signed it
    const got = await decryptIncoming(bob.ed25519SecretKey, await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('x')));
    expect(got.senderSessionId).toBe(alice.sessionId);
  });
});

// ---------------------------------------------------------------------------------------------
describe('§2.2 envelopes (Session Protocol v1)', () => {
  it('threat: forged sender — any flipped byte of the embedded sender key or signature is BAD_SIGNATURE', async () => {
    const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('pay mallory'));
    const { m, a, sig } = await openV1(bob, ct);
    for (let i = 0; i < 96; i += 5) {
      const [a2, s2] = [a.slice(), sig.slice()];
      if (i < 32) a2[i]! ^= 0x01;
      else s2[i - 32]! ^= 0x01;
      const forged = await sealV1(bob, m, a2, s2);
      expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, forged)), `byte ${i}`).toBe('BAD_SIGNATURE');
    }
    // Mallory claims to be Alice (Alice's key) but can only sign with her own key
    const bySelf = ed25519SignSync(mallory.ed25519SecretKey.subarray(0, 32), concatBytes(m, alice.ed25519PublicKey, bob.x25519PublicKey));
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, await sealV1(bob, m, alice.ed25519PublicKey, bySelf)))).toBe('BAD_SIGNATURE');
  });

  it('threat: key substitution — another user\'s key with a valid signature over different content is BAD_SIGNATURE', async () => {
    const m = utf8('original');
    const sigOther = ed25519SignSync(mallory.ed25519SecretKey.subarray(0, 32), concatBytes(utf8('different'), mallory.ed25519PublicKey, bob.x25519PublicKey));
    expect(verifyEd25519(sigOther, concatBytes(utf8('different'), mallory.ed25519PublicKey, bob.x25519PublicKey), mallory.ed25519PublicKey)).toBe(true);
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, await sealV1(bob, m, mallory.ed25519PublicKey, sigOther)))).toBe('BAD_SIGNATURE');
  });

  it('threat: re-sealing to another recipient (surreptitious forwarding) — Carol rejects what Bob re-sealed', async () => {
    const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('for Bob only'));
    const { m, a, sig } = await openV1(bob, ct);
    const forwarded = await sealV1(carol, m, a, sig);
    expect(await codeOf(decryptIncoming(carol.ed25519SecretKey, forwarded))).toBe('BAD_SIGNATURE');
    // and the original, sealed to Bob, does not open for Carol at all
    expect(await codeOf(decryptIncoming(carol.ed25519SecretKey, ct))).toBe('DECRYPT_FAILED');
  });

  it('threat: replay — same ciphertext twice, a re-encrypted copy, and an out-of-window timestamp are all refused by the replay guard', async () => {
    const now = 1_760_000_000_000;
    const clock = { t: now };
    const guard = new ReplayGuard({ now: () => clock.t });
    const receive = async (data: Uint8Array) => {
      const msg = await decodeDirectMessage(bob.ed25519SecretKey, data);
      guard.accept(replayMessageId({ sender: msg.senderSessionId, payload: msg.contentBytes }), msg.content.sigTimestamp ?? msg.envelope.timestamp);
      return msg;
    };
    const data = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'hi', timestamp: now }, sigTimestamp: now }, now);
    expect((await receive(data)).content.dataMessage?.body).toBe('hi');
    expect(await codeOf(receive(data))).toBe('REPLAY');
    // a storage node or Alice re-encrypts the same signed payload under a fresh ephemeral key
    const env = await decodeDirectMessage(bob.ed25519SecretKey, data);
    const { m, a, sig } = await openV1(bob, env.envelope.content!);
    const again = wrapForSwarm({ ...env.envelope, content: await sealV1(bob, m, a, sig) });
    expect(toHex(again)).not.toBe(toHex(data));
    expect(await codeOf(receive(again))).toBe('REPLAY');
    // an old message (outside the window) is flagged even the first time it is seen
    const old = now - 15 * 86_400_000;
    const stale = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'old', timestamp: old }, sigTimestamp: old }, old);
    expect(await codeOf(receive(stale))).toBe('REPLAY');
    const future = now + 3_600_000;
    const ahead = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'f', timestamp: future }, sigTimestamp: future }, future);
    expect(await codeOf(receive(ahead))).toBe('CLOCK_SKEW');
  });

  it('threat: small-order ephemeral or recipient keys — sealed boxes with a small-order ephemeral key fail to open', async () => {
    const lowOrder = ['0000000000000000000000000000000000000000000000000000000000000000', '0100000000000000000000000000000000000000000000000000000000000000', 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'];
    const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('x'));
    for (const pk of lowOrder) {
      const evil = ct.slice();
      evil.set(hex(pk), 0);
      expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, evil)), pk).toBe('DECRYPT_FAILED');
      expect(await codeOf(encryptForRecipient(alice.ed25519SecretKey, '05' + pk, utf8('x'))), pk).toBe('INVALID_SESSION_ID');
    }
  });

  it('threat: malleability — every single-byte flip of a short message fails; S + L is rejected', async () => {
    const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('short'));
    const codes = new Set<string>();
    for (let i = 0; i < ct.length; i++) {
      const t = ct.slice();
      t[i]! ^= 0x80;
      codes.add(await codeOf(decryptIncoming(bob.ed25519SecretKey, t)));
    }
    expect([...codes]).toEqual(['DECRYPT_FAILED']);
    const { m, a, sig } = await openV1(bob, ct);
    const s = le(sig.subarray(32)) + L;
    expect(s < 2n ** 256n).toBe(true);
    const malleated = concatBytes(sig.subarray(0, 32), leBytes(s));
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, await sealV1(bob, m, a, malleated)))).toBe('BAD_SIGNATURE');
  });

  it('threat: padding oracle / truncation — every failure mode of the box gives one code and one message', async () => {
    const ct = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('hello'));
    const modes = [
      ct.slice(0, ct.length - 1), // truncated tag
      ct.slice(0, 48 + 96), // only the box header and part of the body
      (() => {
        const t = ct.slice();
        t[ct.length - 1]! ^= 1;
        return t;
      })(), // tag flip
      (() => {
        const t = ct.slice();
        t[40]! ^= 1;
        return t;
      })(), // body flip
      await sealV1(carol, utf8('hello'), alice.ed25519PublicKey, new Uint8Array(64)), // sealed to someone else
    ];
    const errs = await Promise.all(modes.map((c) => errorOf(decryptIncoming(bob.ed25519SecretKey, c))));
    expect(new Set(errs.map((e) => e.code))).toEqual(new Set(['DECRYPT_FAILED']));
    // the too-short check is a length check on public data; the AEAD failures share one message
    expect(new Set(errs.slice(2).map((e) => e.message)).size).toBe(1);
    // a box that opens but lacks a signature tail is a signature failure, never partial plaintext
    const s = await loadSodium();
    const noTail = s.crypto_box_seal(new Uint8Array(200), bob.x25519PublicKey);
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, noTail))).toBe('BAD_SIGNATURE');
    // an all-zero (unpaddable) signed plaintext is BAD_PADDING at the message layer
    const zeros = wrapForSwarm({ type: 'SESSION_MESSAGE', timestamp: 1, sourceDevice: 1, content: await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, new Uint8Array(160)) });
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, zeros))).toBe('BAD_PADDING');
  });

  it('threat: V2 downgrade / unknown protocol version — a 00 02 message is UNSUPPORTED_VERSION, never parsed as v1', async () => {
    const v2 = concatBytes(Uint8Array.of(0, 2), randomBytes(1534));
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, v2))).toBe('UNSUPPORTED_VERSION');
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, concatBytes(Uint8Array.of(0, 9), randomBytes(100))))).toBe('INVALID_ENCODING');
  });

  it('threat: oversized or hostile input — ciphertext above the cap is TOO_LARGE before any crypto; zstd bombs stop at the limit (INVALID_ENCODING, as documented)', async () => {
    const big = new Uint8Array(SESSION_PROTOCOL_MAX_CIPHERTEXT + 1);
    expect(await codeOf(decryptIncoming(bob.ed25519SecretKey, big))).toBe('TOO_LARGE');
    const bomb = zstdCompress(new Uint8Array(2_000_000));
    expect(bomb.length).toBeLessThan(1000);
    expect(await codeOf(() => zstdDecompressBounded(bomb, 1_000_000))).toBe('INVALID_ENCODING');
    expect(zstdDecompressBounded(bomb, 2_000_000).length).toBe(2_000_000);
  });
});

// ---------------------------------------------------------------------------------------------
describe('§2.2 blinded community DMs', () => {
  it('threat: forged sender / tampering on blinded DMs — flips fail authentication, a wrong claimed sender is refused', async () => {
    const serverPk = x25519PublicKeySync(randomBytes(32));
    const aBlind = toHex(blind15KeyPair(alice.ed25519SecretKey, serverPk).publicKey);
    const bBlind = toHex(blind15KeyPair(bob.ed25519SecretKey, serverPk).publicKey);
    const [aId, bId] = ['15' + aBlind, '15' + bBlind];
    const ct = await encryptForBlindedRecipient(alice.ed25519SecretKey, serverPk, bId, utf8('psst'));
    expect((await decryptFromBlindedRecipient(bob.ed25519SecretKey, serverPk, aId, bId, ct)).senderSessionId).toBe(alice.sessionId);
    const flipped = ct.slice();
    flipped[5]! ^= 1;
    expect(await codeOf(decryptFromBlindedRecipient(bob.ed25519SecretKey, serverPk, aId, bId, flipped))).toBe('DECRYPT_FAILED');
    const cBlind = '15' + toHex(blind15KeyPair(carol.ed25519SecretKey, serverPk).publicKey);
    expect(await codeOf(decryptFromBlindedRecipient(bob.ed25519SecretKey, serverPk, cBlind, bId, ct))).toBe('DECRYPT_FAILED');
  });
});

// ---------------------------------------------------------------------------------------------
describe('§2.3 onion requests', () => {
  const node = (): SnodeKeys & { x25519SecretKey: Uint8Array } => {
    const sk = randomBytes(32);
    return { ed25519PublicKey: ed25519KeyPairFromSeed(randomBytes(32)).publicKey, x25519PublicKey: x25519PublicKeySync(sk), x25519SecretKey: sk };
  };

  it('threat: onion layer tampering and a hop learning more than its neighbours', async () => {
    const path = [node(), node(), node()];
    const dest = node();
    const req = await buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
    // each hop's key opens exactly its own layer, learns the next hop and an opaque blob
    let frame = req.wire;
    const chain = [...path, dest];
    for (let i = 0; i < chain.length; i++) {
      for (let j = 0; j < chain.length; j++) {
        if (j !== i) expect(await codeOf(openOnionLayer(chain[j]!.x25519SecretKey, frame)), `hop ${j} on layer ${i}`).toBe('DECRYPT_FAILED');
      }
      const opened = await openOnionLayer(chain[i]!.x25519SecretKey, frame);
      const action = classifyOnionLayer(opened.plaintext);
      if (i < chain.length - 1) {
        expect(action.type).toBe('relay_to_snode');
        if (action.type !== 'relay_to_snode') return;
        expect(action.destination).toBe(toHex(chain[i + 1]!.ed25519PublicKey));
        const f = concatBytes(new Uint8Array(new Uint32Array([action.ciphertext.length]).buffer), action.ciphertext, utf8(JSON.stringify({ ephemeral_key: toHex(action.ephemeralKey), enc_type: action.encType })));
        // tampering with the relayed blob is detected by the next hop
        const t = f.slice();
        t[10]! ^= 1;
        expect(await codeOf(openOnionLayer(chain[i + 1]!.x25519SecretKey, t))).toBe('DECRYPT_FAILED');
        frame = f;
      } else {
        expect(action.type).toBe('final_destination');
      }
    }
    // tampering with the guard's layer
    const t = req.wire.slice();
    t[20]! ^= 1;
    expect(await codeOf(openOnionLayer(path[0]!.x25519SecretKey, t))).toBe('DECRYPT_FAILED');
  });

  it('threat: response tampering — flipped, truncated, extended or foreign responses are DECRYPT_FAILED', async () => {
    const dest = node();
    const req = await buildOnionRequest({ encType: 'xchacha20', path: [node()], destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
    const key = await deriveHopKey('xchacha20', dest.x25519SecretKey, dest.x25519PublicKey, req.finalEphemeral.publicKey, true);
    const reply = await encryptWithHopKey('xchacha20', key, utf8('{"ok":true}'));
    const open = (b: Uint8Array, eph = req.finalEphemeral) => decryptOnionResponse('xchacha20', eph, req.destinationX25519PublicKey, b);
    expect(new TextDecoder().decode(await open(reply))).toBe('{"ok":true}');
    const flip = reply.slice();
    flip[30]! ^= 1;
    for (const bad of [flip, reply.slice(0, -1), concatBytes(reply, Uint8Array.of(0)), reply.slice(0, 10)]) {
      expect(await codeOf(open(bad))).toBe('DECRYPT_FAILED');
    }
    const other = await buildOnionRequest({ encType: 'xchacha20', path: [node()], destination: { type: 'snode', ...dest }, payload: encodeSnodeRequest('info', {}) });
    expect(await codeOf(open(reply, other.finalEphemeral))).toBe('DECRYPT_FAILED');
  });

  it('threat: reused ephemeral keys and nonce reuse — fresh per hop and per request', async () => {
    const path = [node(), node(), node()];
    const dest = node();
    const eph = new Set<string>();
    let layers = 0;
    for (let i = 0; i < 40; i++) {
      const req = await buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...dest }, payload: utf8('{}') });
      for (const l of req.layerKeys) {
        eph.add(toHex(l.ephemeralPublicKey));
        layers++;
      }
    }
    expect(eph.size).toBe(layers);
    const nonces = new Set<string>();
    const key = randomBytes(32);
    for (let i = 0; i < 20_000; i++) nonces.add(toHex((await encryptWithHopKey('xchacha20', key, new Uint8Array(0))).subarray(0, 24)));
    expect(nonces.size).toBe(20_000);
    const ivs = new Set<string>();
    for (let i = 0; i < 5_000; i++) ivs.add(toHex((await encryptWithHopKey('aes-gcm', key, new Uint8Array(0))).subarray(0, 12)));
    expect(ivs.size).toBe(5_000);
  });
});

// ---------------------------------------------------------------------------------------------
interface Member {
  id: Identity;
  keys: GroupKeys;
}
function makeGroup(n: number) {
  const g = ed25519KeyPairFromSeed(randomBytes(32));
  const adminId = generateIdentity();
  const admin: Member = { id: adminId, keys: createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey }) };
  const join = (id: Identity = generateIdentity()): Member => ({ id, keys: createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: g.publicKey }) });
  const members = Array.from({ length: n }, () => join());
  return { g, admin, members, join };
}
async function distribute(admin: Member, to: Member[], include: Member[], ts: number): Promise<Uint8Array> {
  const msg = await rekey(admin.keys, include.map((m) => m.id.sessionId));
  await loadKeyMessage(admin.keys, msg, ts);
  for (const m of to) await loadKeyMessage(m.keys, msg, ts);
  return msg;
}

describe('§2.4 groups v2', () => {
  it('threat: removed group member — cannot open the new key or new messages; can still read old ones (documented non-goal)', async () => {
    const { admin, members } = makeGroup(3);
    const [m1, m2, removed] = members as [Member, Member, Member];
    const t0 = 1_700_000_000_000;
    await distribute(admin, [m1, m2, removed], [admin, m1, m2, removed], t0);
    const before = await encryptGroupMessage(m1.keys, utf8('before'));
    const msg = await rekey(admin.keys, [admin, m1, m2].map((m) => m.id.sessionId));
    await loadKeyMessage(admin.keys, msg, t0 + 1000);
    expect(await loadKeyMessage(m2.keys, msg, t0 + 1000)).toBe(true);
    expect(await loadKeyMessage(removed.keys, msg, t0 + 1000)).toBe(false);
    const after = await encryptGroupMessage(admin.keys, utf8('after'));
    expect(await codeOf(decryptGroupMessage(removed.keys, after))).toBe('DECRYPT_FAILED');
    expect(new TextDecoder().decode((await decryptGroupMessage(m2.keys, after)).plaintext)).toBe('after');
    expect(new TextDecoder().decode((await decryptGroupMessage(removed.keys, before)).plaintext)).toBe('before');
  });

  it('threat: rollback / withheld rekey — reloading an old keys message never lowers the sending generation', async () => {
    const { admin, members } = makeGroup(1);
    const m = members[0]!;
    const t0 = 1_700_000_000_000;
    const first = await distribute(admin, [m], [admin, m], t0);
    await distribute(admin, [m], [admin, m], t0 + 1000);
    const gen = m.keys.generation;
    await loadKeyMessage(m.keys, first, t0 + 5000);
    expect(m.keys.generation).toBe(gen);
    const sent = await encryptGroupMessage(m.keys, utf8('x'));
    // the message is under the newest key: a keyring that only knows the first key cannot open it
    const stale = createGroupKeys({ userEd25519SecretKey: m.id.ed25519SecretKey, groupEd25519PublicKey: admin.keys.groupEd25519PublicKey });
    await loadKeyMessage(stale, first, t0);
    expect(await codeOf(decryptGroupMessage(stale, sent))).toBe('DECRYPT_FAILED');
  });

  it('threat: admin forgery — a keys message signed by anyone but the group key is BAD_SIGNATURE and changes nothing', async () => {
    const a = makeGroup(1);
    const b = makeGroup(0);
    const victim = a.members[0]!;
    await distribute(a.admin, [victim], [a.admin, victim], 1_700_000_000_000);
    const gen = victim.keys.generation;
    // Mallory is admin of her own group and addresses a keys message to the victim
    const forged = await rekey(b.admin.keys, [b.admin.id.sessionId, victim.id.sessionId]);
    expect(await codeOf(loadKeyMessage(victim.keys, forged, 1_700_000_100_000))).toBe('BAD_SIGNATURE');
    expect(victim.keys.generation).toBe(gen);
  });

  it('threat: a member signing as another member — author/signature mismatch is BAD_SIGNATURE', async () => {
    const { admin, members } = makeGroup(2);
    const [m1, m2] = members as [Member, Member];
    await distribute(admin, [m1, m2], [admin, m1, m2], 1_700_000_000_000);
    const key = await keyringInternals(m1.keys, 'test').encryptionKey();
    const body = utf8('I am m2');
    const sig = ed25519SignSync(m1.id.ed25519SecretKey.subarray(0, 32), concatBytes(body, admin.keys.groupEd25519PublicKey));
    const nonce = randomBytes(24);
    const wire = concatBytes(nonce, aeadEncrypt(key, nonce, bencode({ '': 1, a: m2.id.ed25519PublicKey, d: body, s: sig })));
    expect(await codeOf(decryptGroupMessage(admin.keys, wire))).toBe('BAD_SIGNATURE');
  });

  it('threat: cross-group replay — a message re-encrypted into group B by a member of both is BAD_SIGNATURE', async () => {
    const A = makeGroup(0);
    const B = makeGroup(0);
    const both = generateIdentity();
    const inA = A.join(both);
    const inB = B.join(both);
    const reader = B.join();
    await distribute(A.admin, [inA], [A.admin, inA], 1_700_000_000_000);
    await distribute(B.admin, [inB, reader], [B.admin, inB, reader], 1_700_000_000_000);
    const wireA = await encryptGroupMessage(A.admin.keys, utf8('admin of A says hi'), { compress: false });
    // the member opens it with A's key and re-encrypts the signed inner dict under B's key
    const keyA = await keyringInternals(inA.keys, 'test').encryptionKey();
    const keyB = await keyringInternals(inB.keys, 'test').encryptionKey();
    const inner = aeadDecrypt(keyA, wireA.subarray(0, 24), wireA.subarray(24))!;
    expect(inner).toBeDefined();
    const nonce = randomBytes(24);
    const replayed = concatBytes(nonce, aeadEncrypt(keyB, nonce, inner));
    expect(await codeOf(decryptGroupMessage(reader.keys, replayed))).toBe('BAD_SIGNATURE');
    // keys of another group (same member) do not open A's message at all
    expect(await codeOf(decryptGroupMessage(inB.keys, wireA))).toBe('DECRYPT_FAILED');
  });

  it('threat: pre-PR #21 body-only group signature (cross-group re-post) — BAD_SIGNATURE unless explicitly allowed', async () => {
    const { admin, members } = makeGroup(1);
    const m = members[0]!;
    await distribute(admin, [m], [admin, m], 1_700_000_000_000);
    const key = await keyringInternals(admin.keys, 'test').encryptionKey();
    const body = utf8('old style');
    const sig = ed25519SignSync(admin.id.ed25519SecretKey.subarray(0, 32), body);
    const nonce = randomBytes(24);
    const wire = concatBytes(nonce, aeadEncrypt(key, nonce, bencode({ '': 1, a: admin.id.ed25519PublicKey, d: body, s: sig })));
    expect(await codeOf(decryptGroupMessage(m.keys, wire))).toBe('BAD_SIGNATURE');
    const legacy = await decryptGroupMessage(m.keys, wire, { allowOldSignature: true });
    expect(legacy.oldSignature).toBe(true);
  });

  it('threat: decompression bomb — a group message whose zstd body expands past 1 MB is refused without inflating it', async () => {
    const { admin, members } = makeGroup(1);
    const m = members[0]!;
    await distribute(admin, [m], [admin, m], 1_700_000_000_000);
    const key = await keyringInternals(admin.keys, 'test').encryptionKey();
    const z = zstdCompress(new Uint8Array(1_500_000));
    const sig = ed25519SignSync(admin.id.ed25519SecretKey.subarray(0, 32), concatBytes(z, admin.keys.groupEd25519PublicKey));
    const nonce = randomBytes(24);
    const wire = concatBytes(nonce, aeadEncrypt(key, nonce, bencode({ '': 1, a: admin.id.ed25519PublicKey, s: sig, z })));
    // zstdDecompressBounded reports an over-limit frame as INVALID_ENCODING (its documented code)
    await expect(decryptGroupMessage(m.keys, wire)).rejects.toMatchObject({ code: 'INVALID_ENCODING', message: expect.stringMatching(/limit/) });
  });

  it('threat: admin forgery of group Info — a config signed by another key is ignored by merge (libsession semantics: no error, nothing applied)', async () => {
    const g = ed25519KeyPairFromSeed(randomBytes(32));
    const evil = ed25519KeyPairFromSeed(randomBytes(32));
    const keys = [randomBytes(32)];
    const honest = new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys });
    honest.setName('real');
    const real = await honest.push();
    const forger = new GroupInfoConfig({ groupEd25519PublicKey: evil.publicKey, groupEd25519SecretKey: evil.secretKey, keys });
    forger.setName('pwned');
    const forged = await forger.push();
    const member = new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, keys });
    expect(await member.merge([{ hash: 'forged', data: forged.data }])).toEqual([]);
    expect(member.getName()).toBeUndefined();
    expect(await member.merge([{ hash: 'real', data: real.data }])).toEqual(['real']);
    expect(member.getName()).toBe('real');
    // a read-only member cannot produce a push at all
    expect(await codeOf(() => member.setName('x'))).toBe('NOT_ADMIN');
  });

  it('threat: group config tampering — a config message encrypted under the group key does not decrypt once altered', async () => {
    const keyBase = randomBytes(32);
    const ct = configEncrypt(utf8('d1:#i1ee'), keyBase, 'groupInfo');
    const t = ct.slice();
    t[3]! ^= 1;
    expect(await codeOf(() => configDecrypt(t, keyBase, 'groupInfo'))).toBe('DECRYPT_FAILED');
    expect(await codeOf(() => configDecrypt(ct, keyBase, 'groupMembers'))).toBe('DECRYPT_FAILED');
    expect(GroupNamespace.info).toBe(13);
  });
});

// ---------------------------------------------------------------------------------------------
describe('§2.5 recovery phrase', () => {
  it('threat: mnemonic typos — a wrong checksum word, unknown words and wrong lengths are rejected; single-word substitutions are caught ≈11 in 12', () => {
    const words = mnemonicWordList();
    const seed = hex('00112233445566778899aabbccddeeff');
    const phrase = mnemonicEncode(seed).split(' ');
    expect(phrase.length).toBe(13);
    const badChecksum = [...phrase];
    badChecksum[12] = phrase[phrase[12] === phrase[0] ? 1 : 0]!;
    if (badChecksum[12] !== phrase[12]) expect(codeSync(() => mnemonicDecode(badChecksum.join(' ')))).toBe('BAD_MNEMONIC_CHECKSUM');
    expect(codeSync(() => mnemonicDecode([...phrase.slice(0, 12), 'zzzzzz'].join(' ')))).toBe('UNKNOWN_MNEMONIC_WORD');
    expect(codeSync(() => mnemonicDecode(phrase.slice(0, 11).join(' ')))).toBe('INVALID_MNEMONIC_LENGTH');
    // substitute one data word at a time across a sample of seeds and count what slips through
    let tried = 0;
    let undetected = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: words.length - 1 }), (s, pos, w) => {
        const p = mnemonicEncode(s).split(' ');
        if (p[pos]!.slice(0, 3) === words[w]!.slice(0, 3)) return;
        p[pos] = words[w]!;
        tried++;
        const c = codeSync(() => mnemonicDecode(p.join(' ')));
        if (c === 'ok') undetected++;
        else expect(['BAD_MNEMONIC_CHECKSUM', 'INVALID_MNEMONIC']).toContain(c);
      }),
      { seed: 42, numRuns: 3000 },
    );
    const rate = undetected / tried;
    // documented weakness (spec/security.md §1): the checksum repeats a data word, ≈1/12 slip through
    expect(rate).toBeGreaterThan(0.04);
    expect(rate).toBeLessThan(0.13);
  });

  it('threat: wrong list / language confusion — a phrase is read against one list only', () => {
    const seed = randomBytes(16);
    const german = mnemonicEncode(seed, { language: MNEMONIC_GERMAN });
    expect(mnemonicDecode(german, { language: MNEMONIC_GERMAN })).toEqual(seed);
    // the default (English) list does not silently accept it, and the wrong explicit list fails too
    expect(['UNKNOWN_MNEMONIC_WORD', 'BAD_MNEMONIC_CHECKSUM']).toContain(codeSync(() => mnemonicDecode(german)));
    expect(['UNKNOWN_MNEMONIC_WORD', 'BAD_MNEMONIC_CHECKSUM']).toContain(codeSync(() => mnemonicDecode(german, { language: MNEMONIC_SPANISH })));
    // mixing lists inside one phrase is refused
    const english = mnemonicEncode(seed).split(' ');
    const mixed = [...german.split(' ').slice(0, 6), ...english.slice(6)].join(' ');
    expect(['UNKNOWN_MNEMONIC_WORD', 'BAD_MNEMONIC_CHECKSUM']).toContain(codeSync(() => mnemonicDecode(mixed)));
    expect(codeSync(() => mnemonicDecode(english.join(' '), { language: 'klingon' }))).toBe('UNKNOWN_LANGUAGE');
  });

  it('threat: length confusion — 13- and 25-word phrases of related seeds never decode to the same seed', () => {
    const s16 = randomBytes(16);
    const s32 = concatBytes(s16, new Uint8Array(16));
    const a = mnemonicDecode(mnemonicEncode(s16));
    const b = mnemonicDecode(mnemonicEncode(s32));
    expect(a.length).toBe(16);
    expect(b.length).toBe(32);
    expect(mnemonicEncode(s16).split(' ').length).toBe(13);
    expect(mnemonicEncode(s32).split(' ').length).toBe(25);
  });
});

function codeSync(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!isSessionSdkError(e)) throw e;
    return e.code;
  }
}
