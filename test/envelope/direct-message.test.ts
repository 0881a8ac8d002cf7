// One-call 1:1 messages: round trips, libsodium-composed equivalence, decoy proSig, negatives.
import { ed25519 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeDirectMessage, decoyProSignature, encodeDirectMessage, sessionMessageVersion } from '../../src/envelope/direct-message.js';
import { padMessage } from '../../src/envelope/padding.js';
import { decodeEnvelope, decodeWebSocketMessage, encodeContent, wrapForSwarm } from '../../src/envelope/wire.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { loadSodium } from '../helpers/sodium.js';
import { describeEachProvider, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const alice = identityFromSeed(new Uint8Array(32).fill(1));
const bob = identityFromSeed(new Uint8Array(32).fill(2));
const NOW = 1_700_000_000_000;

describeEachProvider('direct messages', () => {
  it('round-trips a content through the swarm framing (bytes and base64)', async () => {
    const content = { dataMessage: { body: 'hello bob', timestamp: NOW, profile: { displayName: 'Alice' } }, expirationType: 'DELETE_AFTER_SEND' as const, expirationTimer: 3600, sigTimestamp: NOW };
    const data = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, content, NOW);
    for (const input of [data, Buffer.from(data).toString('base64')]) {
      const msg = await decodeDirectMessage(bob.ed25519SecretKey, input);
      expect(msg.content).toEqual(content);
      expect(msg.senderSessionId).toBe(alice.sessionId);
      expect(toHex(msg.senderEd25519PublicKey)).toBe(toHex(alice.ed25519PublicKey));
      expect(msg.envelope.timestamp).toBe(NOW);
      expect(msg.envelope.sourceDevice).toBe(1);
      expect(msg.envelope.proSig?.length).toBe(64);
      expect(toHex(msg.contentBytes)).toBe(toHex(encodeContent(content)));
    }
    const noPro = decodeEnvelope(decodeWebSocketMessage(await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, content, NOW, { proSig: false })).request!.body!);
    expect(noPro.proSig).toBeUndefined();
  });

  it('opens a message composed from libsodium and the raw framing', async () => {
    const content = encodeContent({ dataMessage: { body: 'from libsodium' } });
    const m = padMessage(content);
    const sig = sodium.crypto_sign_detached(new Uint8Array([...m, ...alice.ed25519PublicKey, ...bob.x25519PublicKey]), alice.ed25519SecretKey);
    const box = sodium.crypto_box_seal(new Uint8Array([...m, ...alice.ed25519PublicKey, ...sig]), bob.x25519PublicKey);
    const data = wrapForSwarm({ type: 'SESSION_MESSAGE', timestamp: NOW, sourceDevice: 1, content: box, source: '' });
    const msg = await decodeDirectMessage(bob.ed25519SecretKey, data);
    expect(msg.content.dataMessage?.body).toBe('from libsodium');
    expect(msg.senderSessionId).toBe(alice.sessionId);
  });

  it('rejects framing violations, bad content and foreign messages with typed errors', async () => {
    const good = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'x' } }, NOW);
    const env = decodeEnvelope(decodeWebSocketMessage(good).request!.body!);
    const cases: [Uint8Array, string][] = [
      [wrapForSwarm({ ...env, content: undefined }), 'INVALID_ENCODING'],
      [wrapForSwarm({ ...env, proSig: new Uint8Array(63) }), 'INVALID_ENCODING'],
      [wrapForSwarm({ ...env, source: '05' }), 'INVALID_ENCODING'],
      [wrapForSwarm({ ...env, content: env.content!.subarray(0, 100) }), 'DECRYPT_FAILED'],
    ];
    for (const [data, code] of cases) expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, data))).toBe(code);
    expect(await codeOf(decodeDirectMessage(alice.ed25519SecretKey, good))).toBe('DECRYPT_FAILED');
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, 'not base64!'))).toBe('INVALID_ENCODING');
    // Valid encryption of something that is not a Content protobuf.
    const notContent = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, Uint8Array.from([0x68, 0x65, 0x6c]), NOW);
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, notContent))).toBe('INVALID_ENCODING');
    expect(await codeOf(encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, {}, -1))).toBe('INVALID_INPUT');
    expect(await codeOf(encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, {}, NOW, { proSig: new Uint8Array(3) }))).toBe('INVALID_LENGTH');
  });
});

describe('sessionMessageVersion', () => {
  it('tells v1 WebSocketMessages from v2 (00 02) data and refuses v2 with UNSUPPORTED_VERSION', async () => {
    const v1 = await encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, {}, NOW);
    expect(sessionMessageVersion(v1)).toBe(1);
    const v2 = new Uint8Array(1536);
    v2[1] = 0x02;
    expect(sessionMessageVersion(v2)).toBe(2);
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, v2))).toBe('UNSUPPORTED_VERSION');
    expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, Buffer.from(v2).toString('base64')))).toBe('UNSUPPORTED_VERSION');
    for (const bad of [new Uint8Array(0), Uint8Array.from([0]), Uint8Array.from([0, 1, 5])]) {
      expect(() => sessionMessageVersion(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
      expect(await codeOf(decodeDirectMessage(bob.ed25519SecretKey, bad))).toBe('INVALID_ENCODING');
    }
  });
});

describe('decoyProSignature', () => {
  it('has a prime-order R and a canonical S, and differs every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const s = decoyProSignature();
      const R = ed25519.Point.fromBytes(s.subarray(0, 32));
      expect(R.isTorsionFree()).toBe(true);
      expect(R.is0()).toBe(false);
      let S = 0n;
      for (let j = 31; j >= 0; j--) S = (S << 8n) | BigInt(s[32 + j]!);
      expect(S < ed25519.Point.Fn.ORDER).toBe(true);
      seen.add(toHex(s));
    }
    expect(seen.size).toBe(8);
  });
});
