// Content / WebSocketMessage edge paths of the wire module (spec/identity-envelope.md, envelope
// protobufs): enum values each way, explicit-but-unknown enum values, input shape checks that must
// throw INVALID_INPUT, and the swarm base64 guards.
import { describe, expect, it } from 'vitest';
import { decodeContent, decodeWebSocketMessage, encodeContent, swarmBase64ToBytes, WIRE_MAX_SIZE, type SessionContent } from '../../src/envelope/wire.js';

describe('encodeContent / decodeContent enum and sub-message round trips', () => {
  it.each<SessionContent>([
    { receiptMessage: { type: 'READ', timestamps: [1, 2] } },
    { receiptMessage: { type: 'DELIVERY', timestamps: [] } },
    { typingMessage: { timestamp: 5, action: 'STOPPED' } },
    { typingMessage: { timestamp: 6, action: 'STARTED' } },
    { expirationType: 'DELETE_AFTER_SEND', expirationTimer: 30 },
    { expirationType: 'DELETE_AFTER_READ' },
    { expirationType: 'UNKNOWN' },
    { unsendRequest: { timestamp: 9, author: '05' + 'ab'.repeat(32) } },
    { dataMessage: { body: 'hi', profile: { displayName: 'Al', profilePicture: 'https://x', lastUpdateSeconds: 3 } } },
    { dataMessage: { attachments: [{ id: 0xffffffffffffffffn, contentType: 'image/png' }] } },
    { dataMessage: { profile: { profilePicture: 'https://y' } } }, // profile without a display name
  ])('round-trips %o', (c) => {
    expect(decodeContent(encodeContent(c))).toEqual(c);
  });

  it.each<[string, unknown]>([
    ['dataMessage null', { dataMessage: null }],
    ['dataMessage not an object', { dataMessage: 'x' }],
    ['attachments not an array', { dataMessage: { attachments: {} } }],
    ['attachment null', { dataMessage: { attachments: [null] } }],
    ['attachment id negative', { dataMessage: { attachments: [{ id: -1n }] } }],
    ['attachment id above uint64', { dataMessage: { attachments: [{ id: 1n << 64n }] } }],
    ['attachment id a number', { dataMessage: { attachments: [{ id: 1 }] } }],
    ['profile null', { dataMessage: { profile: null } }],
    ['profile a string', { dataMessage: { profile: 'bob' } }],
    ['unsendRequest null', { unsendRequest: null }],
    ['receipt with unknown type', { receiptMessage: { type: 'SEEN', timestamps: [] } }],
    ['typing with unknown action', { typingMessage: { timestamp: 1, action: 'PAUSED' } }],
    ['expirationType not a known name', { expirationType: 'NEVER' }],
    ['expirationType an inherited property name', { expirationType: 'toString' }],
  ])('encodeContent rejects %s with INVALID_INPUT', (_why, c) => {
    expect(() => encodeContent(c as SessionContent)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('expirationType 0 on the wire is UNKNOWN; a value the closed proto2 enum lacks is dropped', () => {
    // Content field 12 (expirationType), varint.
    expect(decodeContent(Uint8Array.of(12 << 3, 0))).toEqual({ expirationType: 'UNKNOWN' });
    expect(decodeContent(Uint8Array.of(12 << 3, 7))).toEqual({});
  });
});

describe('decodeWebSocketMessage type field', () => {
  it('absent type and an explicit UNKNOWN (0) both map to UNKNOWN; 2 is RESPONSE', () => {
    expect(decodeWebSocketMessage(new Uint8Array(0)).type).toBe('UNKNOWN');
    expect(decodeWebSocketMessage(Uint8Array.of(0x08, 0x00)).type).toBe('UNKNOWN');
    expect(decodeWebSocketMessage(Uint8Array.of(0x08, 0x02)).type).toBe('RESPONSE');
  });
});

describe('swarmBase64ToBytes guards', () => {
  it('rejects a non-string with INVALID_INPUT and an oversized string with TOO_LARGE before decoding', () => {
    expect(() => swarmBase64ToBytes(42 as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => swarmBase64ToBytes(new Uint8Array(4) as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const tooLong = 'A'.repeat(Math.ceil((WIRE_MAX_SIZE * 4) / 3) + 8);
    expect(() => swarmBase64ToBytes(tooLong)).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it('padding must complete a 4-character group; bare unpadded input is accepted', () => {
    expect(swarmBase64ToBytes('AAE=')).toEqual(Uint8Array.of(0, 1));
    expect(swarmBase64ToBytes('AAE')).toEqual(Uint8Array.of(0, 1));
    expect(swarmBase64ToBytes('AA==')).toEqual(Uint8Array.of(0));
    expect(() => swarmBase64ToBytes('AAE==')).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => swarmBase64ToBytes('A=')).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
    expect(() => swarmBase64ToBytes('AAAAA')).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
  });
});
