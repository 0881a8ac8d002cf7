// Wire framing (spec/identity-envelope.md §3.5): the envelope_framing vector end to end,
// hand-computed protobuf bytes for Content, validation, and fuzzing of every decoder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padMessage, unpadMessage } from '../../src/envelope/padding.js';
import { decryptIncoming, encryptForRecipientDeterministic } from '../../src/envelope/session-protocol.js';
import {
  decodeContent,
  decodeEnvelope,
  decodeWebSocketMessage,
  encodeContent,
  encodeEnvelope,
  encodeWebSocketMessage,
  unwrapFromSwarm,
  WIRE_MAX_SIZE,
  wrapForSwarm,
  type SessionContent,
} from '../../src/envelope/wire.js';
import { isSessionSdkError } from '../../src/errors.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('identity-envelope/session-encrypt.json');
const fr = V.envelope_framing[0];
const RECIPIENT_SK = hex((V.randomised_encrypt_properties[0].expected.decrypt_with as string).replace('recipient ed25519 sk ', ''));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected an error');
}

describeEachProvider('envelope_framing vector', () => {
  it('padding → deterministic encryption → Envelope → WebSocketMessage reproduces every stage', async () => {
    const padded = padMessage(hex(fr.input.plaintext_content_hex));
    expect(toHex(padded)).toBe(fr.expected.padded_plaintext);
    const content = await encryptForRecipientDeterministic(hex(fr.input.sender_ed25519_sk64), fr.input.recipient_session_id, padded);
    expect(toHex(content)).toBe(fr.expected.content_ciphertext);
    const env = { type: 'SESSION_MESSAGE' as const, timestamp: fr.input.sent_timestamp_ms as number, sourceDevice: 1, content };
    expect(toHex(encodeEnvelope(env))).toBe(fr.expected.envelope_protobuf);
    expect(toHex(encodeWebSocketMessage(hex(fr.expected.envelope_protobuf)))).toBe(fr.expected.websocket_message_protobuf);
    expect(toHex(wrapForSwarm(env))).toBe(fr.expected.websocket_message_protobuf);
  });

  it('the recipient unwraps, decrypts and unpads back to the content', async () => {
    const stored = hex(fr.expected.websocket_message_protobuf);
    for (const input of [stored, Buffer.from(stored).toString('base64'), Buffer.from(stored).toString('base64').replace(/=+$/, '')]) {
      const env = unwrapFromSwarm(input);
      expect(env).toEqual({ type: 'SESSION_MESSAGE', timestamp: fr.input.sent_timestamp_ms, sourceDevice: 1, content: hex(fr.expected.content_ciphertext) });
      const { plaintext, senderSessionId } = await decryptIncoming(RECIPIENT_SK, env.content!);
      expect(toHex(unpadMessage(plaintext))).toBe(fr.input.plaintext_content_hex);
      expect(senderSessionId).toBe(V.deterministic_encrypt[0].expected.decrypt_sender_session_id);
    }
    const frame = decodeWebSocketMessage(stored);
    expect(frame.type).toBe('REQUEST');
    expect(frame.request).toEqual({ verb: '', path: '', body: hex(fr.expected.envelope_protobuf), requestId: 0n, headers: [] });
  });
});

describe('Envelope', () => {
  it('round-trips every field, including proSig and serverTimestamp', () => {
    const env = {
      type: 'CLOSED_GROUP_MESSAGE' as const,
      timestamp: 1_700_000_000_123,
      source: '03' + 'ab'.repeat(32),
      sourceDevice: 1,
      content: Uint8Array.from([1, 2, 3]),
      serverTimestamp: 1_700_000_000_999,
      proSig: new Uint8Array(64).fill(7),
    };
    expect(decodeEnvelope(encodeEnvelope(env))).toEqual(env);
  });

  it('matches hand-computed bytes and keeps an explicitly empty content', () => {
    // type=6 (08 06), timestamp=1 (28 01), content="" (42 00)
    expect(toHex(encodeEnvelope({ type: 'SESSION_MESSAGE', timestamp: 1, content: new Uint8Array(0) }))).toBe('0806280142' + '00');
    expect(decodeEnvelope(hex('08062801'))).toEqual({ type: 'SESSION_MESSAGE', timestamp: 1 });
  });

  it('rejects missing required fields and unknown types with INVALID_ENCODING', () => {
    expect(codeOf(() => decodeEnvelope(hex('2801')))).toBe('INVALID_ENCODING'); // no type
    expect(codeOf(() => decodeEnvelope(hex('0806')))).toBe('INVALID_ENCODING'); // no timestamp
    expect(codeOf(() => decodeEnvelope(hex('08052801')))).toBe('INVALID_ENCODING'); // type 5
    expect(codeOf(() => decodeEnvelope(hex('0806288080808080808080800201')))).toBe('INVALID_ENCODING'); // varint overflow
    expect(codeOf(() => decodeEnvelope(hex('080628ffffffffffffffff01')))).toBe('INVALID_ENCODING'); // timestamp ≥ 2^53
    expect(codeOf(() => decodeEnvelope(hex('4205010203')))).toBe('INVALID_ENCODING'); // truncated bytes field
    expect(codeOf(() => decodeEnvelope(new Uint8Array(WIRE_MAX_SIZE + 1)))).toBe('TOO_LARGE');
    expect(codeOf(() => decodeEnvelope('0806' as unknown as Uint8Array))).toBe('INVALID_INPUT');
  });

  it('rejects ill-typed envelopes on encode with INVALID_INPUT', () => {
    const ok = { type: 'SESSION_MESSAGE' as const, timestamp: 1 };
    const bad: unknown[] = [
      null,
      { ...ok, type: 'X' },
      { ...ok, type: 'toString' },
      { ...ok, type: '__proto__' },
      { ...ok, timestamp: -1 },
      { ...ok, timestamp: 1.5 },
      { ...ok, timestamp: 2 ** 53 },
      { ...ok, sourceDevice: 2 ** 32 },
      { ...ok, content: [1] },
      { ...ok, source: 5 },
      { ...ok, proSig: 'x' },
    ];
    for (const b of bad) expect(codeOf(() => encodeEnvelope(b as never)), JSON.stringify(b)).toBe('INVALID_INPUT');
  });
});

describe('WebSocketMessage / swarm', () => {
  it('rejects frames that do not carry an envelope', () => {
    expect(codeOf(() => unwrapFromSwarm(hex('0802')))).toBe('INVALID_ENCODING'); // RESPONSE, no request
    // libsession ignores WebSocketMessage.type: a request body is all that counts.
    expect(unwrapFromSwarm(hex('1206' + '1a04' + '08062801'))).toEqual({ type: 'SESSION_MESSAGE', timestamp: 1 });
    expect(codeOf(() => unwrapFromSwarm(hex('08011200')))).toBe('INVALID_ENCODING'); // request without body
    expect(codeOf(() => unwrapFromSwarm(encodeWebSocketMessage(hex('0806'))))).toBe('INVALID_ENCODING'); // bad envelope
    for (const s of ['!!!!', 'CAE=x', 'C', 'CA==CA==', ' CAE=', 'CAF=', 'CB==', 'CA=', '====']) expect(codeOf(() => unwrapFromSwarm(s)), s).toBe('INVALID_ENCODING');
    expect(decodeWebSocketMessage(hex('')).type).toBe('UNKNOWN');
  });
});

describe('Content', () => {
  it('matches hand-computed protobuf bytes', () => {
    const c: SessionContent = { dataMessage: { body: 'hi', timestamp: 1 }, expirationType: 'DELETE_AFTER_SEND', expirationTimer: 60, sigTimestamp: 1 };
    const expected = '0a060a0268693801' + '6002' + '683c' + '7801';
    expect(toHex(encodeContent(c))).toBe(expected);
    expect(decodeContent(hex(expected))).toEqual(c);
    // profile (field 101, tag aa 06) with displayName "A"; attachment id fixed64 (tag 09).
    const p = encodeContent({ dataMessage: { attachments: [{ id: 0x0102030405060708n, size: 3 }], profile: { displayName: 'A' } } });
    expect(toHex(p)).toBe('0a' + '13' + '12' + '0b' + '09' + '0807060504030201' + '2003' + 'aa06' + '03' + '0a0141');
  });

  it('round-trips a full content', () => {
    const c: SessionContent = {
      dataMessage: {
        body: 'héllo 👋',
        attachments: [
          { id: 123n, contentType: 'image/png', key: new Uint8Array(64).fill(1), size: 1000, digest: new Uint8Array(32).fill(2), fileName: 'a.png', flags: 1, width: 10, height: 20, caption: 'c', url: 'http://x/123', thumbnail: new Uint8Array(3) },
          { id: 0xffffffffffffffffn },
        ],
        flags: 2,
        profileKey: new Uint8Array(32).fill(3),
        timestamp: 1_700_000_000_000,
        profile: { displayName: 'Alice', profilePicture: 'http://x/p', lastUpdateSeconds: 1_700_000_000 },
        syncTarget: '05' + '11'.repeat(32),
      },
      receiptMessage: { type: 'READ', timestamps: [1, 2, 3] },
      typingMessage: { timestamp: 5, action: 'STOPPED' },
      unsendRequest: { timestamp: 6, author: '05' + '22'.repeat(32) },
      expirationType: 'DELETE_AFTER_READ',
      expirationTimer: 86400,
      sigTimestamp: 1_700_000_000_000,
    };
    expect(decodeContent(encodeContent(c))).toEqual(c);
    expect(decodeContent(encodeContent({}))).toEqual({});
  });

  it('accepts packed repeated timestamps and ignores unknown fields', () => {
    // receiptMessage{type=READ, timestamp=[1,2] packed} + unknown field 17 (bytes)
    expect(decodeContent(hex('2a06' + '0801' + '12020102' + '8a0100'))).toEqual({ receiptMessage: { type: 'READ', timestamps: [1, 2] } });
  });

  it('rejects sub-messages missing upstream-required fields', () => {
    expect(codeOf(() => decodeContent(hex('0a03' + '1201' + '00')))).toBe('INVALID_ENCODING'); // field number 0 inside an attachment
    expect(codeOf(() => decodeContent(hex('0a02' + '1200')))).toBe('INVALID_ENCODING'); // attachment pointer without id
    expect(codeOf(() => decodeContent(hex('32020801')))).toBe('INVALID_ENCODING'); // typing without action
    expect(codeOf(() => decodeContent(hex('4a020801')))).toBe('INVALID_ENCODING'); // unsend without author
    expect(codeOf(() => decodeContent(hex('2a021001')))).toBe('INVALID_ENCODING'); // receipt without type
  });

  it('rejects ill-typed content on encode with INVALID_INPUT', () => {
    const bad: unknown[] = [
      null,
      { expirationType: 'NEVER' },
      { expirationType: 'constructor' },
      { expirationTimer: -1 },
      { dataMessage: { body: 1 } },
      { dataMessage: { attachments: [{ id: 1 }] } },
      { dataMessage: { attachments: [{ id: -1n }] } },
      { dataMessage: { attachments: {} } },
      { dataMessage: { profile: { displayName: 3 } } },
      { receiptMessage: { type: 'SEEN', timestamps: [] } },
      { receiptMessage: { type: 'READ', timestamps: [-1] } },
      { typingMessage: { timestamp: 1, action: 'TYPING' } },
      { unsendRequest: { timestamp: 1 } },
    ];
    for (const b of bad) expect(codeOf(() => encodeContent(b as never)), String(JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))).toBe('INVALID_INPUT');
  });
});

describe('decoder fuzzing: only SessionSdkError escapes', () => {
  const seeds = [
    hex(fr.expected.websocket_message_protobuf),
    hex(fr.expected.envelope_protobuf),
    encodeContent({ dataMessage: { body: 'hello', attachments: [{ id: 1n, key: new Uint8Array(32) }], profile: { displayName: 'x' }, timestamp: 5 }, receiptMessage: { type: 'READ', timestamps: [1] }, expirationType: 'DELETE_AFTER_READ', expirationTimer: 3 }),
  ];
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat()).map(([s, edits, cut]) => {
    const q = s.slice(0, s.length - (cut % 4 === 0 ? cut % s.length : 0));
    for (const [i, b] of edits) if (q.length) q[i % q.length] = b;
    return q;
  });
  const input = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated);
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['decodeEnvelope', decodeEnvelope],
    ['decodeWebSocketMessage', decodeWebSocketMessage],
    ['unwrapFromSwarm', unwrapFromSwarm],
    ['decodeContent', decodeContent],
  ];
  for (const [name, f] of decoders) {
    it(name, () => {
      fc.assert(
        fc.property(input, (b) => {
          try {
            f(b);
          } catch (e) {
            expect(isSessionSdkError(e, 'INVALID_ENCODING', 'TOO_LARGE'), String(e)).toBe(true);
          }
        }),
        { seed: 42, numRuns: 400 },
      );
    });
  }

  it('deeply nested groups in unknown fields are a typed error, not a crash', () => {
    const deep = new Uint8Array(200_000).fill(0x0b); // field 1, start-group, repeated
    for (const [, f] of decoders) {
      try {
        f(deep);
      } catch (e) {
        expect(isSessionSdkError(e, 'INVALID_ENCODING')).toBe(true);
      }
    }
  });
});
