// Groups-v2 argument and decoder edges (spec/groups.md §2.8–§2.11): keyring type checks, admin
// signed data and kicked notices with non-string IDs, kicked notices whose generation text is not
// canonical, removal-plan arguments (checked before any key rotates), empty compressed data,
// protobuf varint bounds, and legacy control messages without member lists.
import { describe, expect, it } from 'vitest';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import {
  LegacyControlType,
  createGroupKeys,
  decodeLegacyControlMessage,
  encodeLegacyControlMessage,
  groupAdminSignedData,
  loadKeyMessage,
  makeKickedNotice,
  openGroupMessageInner,
  openKickedNotice,
  planMemberRemoval,
  rekey,
} from '../../src/groups/index.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';
import { encryptForMultipleSimple } from '../../src/groups/multi-encrypt.js';
import { protoFields, protoVarint } from '../../src/groups/proto-lite.js';
import { bencode } from '../../src/util/bencode.js';

const group = ed25519KeyPairFromSeed(new Uint8Array(32).fill(0x71));
const adminId = identityFromSeed(new Uint8Array(32).fill(0x72));
const bob = identityFromSeed(new Uint8Array(32).fill(0x73));
const carol = identityFromSeed(new Uint8Array(32).fill(0x74));
const admin = () => createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });
const member = (who = bob) => createGroupKeys({ userEd25519SecretKey: who.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
const T0 = 1_700_000_000_000;
const rejects = async (p: Promise<unknown>, code: string) => expect(p).rejects.toSatisfy((e) => isSessionSdkError(e, code as never));

async function keyedAdmin() {
  const a = admin();
  await loadKeyMessage(a, await rekey(a, [adminId.sessionId, bob.sessionId, carol.sessionId]), T0);
  return a;
}

describe('keyring and ID type checks', () => {
  it('anything but a GroupKeys, including primitives, is INVALID_INPUT', async () => {
    for (const k of [undefined, null, 'keys', 5, {}]) await rejects(rekey(k as never, [adminId.sessionId]), 'INVALID_INPUT');
  });

  it('admin-signed data and kicked notices refuse non-string Session IDs', async () => {
    expect(() => groupAdminSignedData.invite(5 as never, T0)).toThrow(expect.objectContaining({ code: 'INVALID_SESSION_ID' }));
    expect(() => groupAdminSignedData.deleteContent(T0, [bob.sessionId, null as never], [])).toThrow(expect.objectContaining({ code: 'INVALID_SESSION_ID' }));
    await rejects(makeKickedNotice(await keyedAdmin(), [bob.sessionId, {} as never], 1), 'INVALID_SESSION_ID');
  });
});

describe('kicked notices', () => {
  /** An authentic notice (from the group key) carrying `text` as the generation for Bob. */
  async function noticeWith(a: Awaited<ReturnType<typeof keyedAdmin>>, text: string) {
    const m = new Uint8Array([...bob.x25519PublicKey, ...new TextEncoder().encode(text)]);
    const sender = { x25519SecretKey: keyringInternals(a, 'test').adminX25519SecretKey(), x25519PublicKey: a.groupX25519PublicKey };
    return encryptForMultipleSimple([m], [bob.x25519PublicKey], sender, 'SessionGroupKickedMessage');
  }

  it('accepts only a canonical decimal generation of at most 16 digits', async () => {
    const a = await keyedAdmin();
    const b = member();
    expect(await openKickedNotice(b, await noticeWith(a, '7'))).toEqual({ generation: 7 });
    expect(await openKickedNotice(b, await noticeWith(a, '1234567890123456'))).toEqual({ generation: 1234567890123456 });
    for (const bad of ['', '07', '-1', '1e3', '0x10', ' 7', '12345678901234567', '7\u0000']) {
      expect(await openKickedNotice(b, await noticeWith(a, bad))).toBeUndefined();
    }
  });
});

describe('planMemberRemoval arguments', () => {
  it('are checked before any key rotates', async () => {
    const a = await keyedAdmin();
    const gen = a.generation;
    await rejects(planMemberRemoval(a, 'everyone' as never, [carol.sessionId]), 'INVALID_INPUT');
    await rejects(planMemberRemoval(a, [bob.sessionId, 7 as never], [carol.sessionId]), 'INVALID_SESSION_ID');
    await rejects(planMemberRemoval(a, [bob.sessionId], [carol.sessionId], { timestampMs: -1 }), 'INVALID_INPUT');
    await rejects(planMemberRemoval(a, [bob.sessionId], [carol.sessionId], { timestampMs: 1.5 }), 'INVALID_INPUT');
    expect(a.generation).toBe(gen);
    const plan = await planMemberRemoval(a, [adminId.sessionId, bob.sessionId], [carol.sessionId], { timestampMs: T0 });
    expect(plan.generation).toBe(gen + 1);
  });
});

describe('group message inner dict', () => {
  it('compressed data (z) must be non-empty bytes', async () => {
    const base = { '': 1, a: adminId.ed25519PublicKey, s: new Uint8Array(64) };
    for (const z of [new Uint8Array(0), 5, [new Uint8Array(3)]]) {
      await rejects(openGroupMessageInner(bencode({ ...base, z } as never), group.publicKey), 'INVALID_ENCODING');
    }
  });
});

describe('protobuf varints', () => {
  it('encoding refuses negative, fractional and unsafe numbers', () => {
    expect(protoVarint(2 ** 53 - 1)).toHaveLength(8);
    for (const n of [-1, 0.5, 2 ** 53, Number.NaN]) expect(() => protoVarint(n)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('decoding refuses a varint above 2^53 - 1 as INVALID_ENCODING', () => {
    const tag = protoVarint(1 * 8); // field 1, varint
    const ok = new Uint8Array([...tag, ...protoVarint(2 ** 53 - 1)]);
    expect([...protoFields(ok, 'test')]).toEqual([[1, 0, 2 ** 53 - 1]]);
    const big = new Uint8Array([...tag, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]); // 2^56
    expect(() => [...protoFields(big, 'test')]).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }));
  });
});

describe('legacy control messages', () => {
  it('encode without member, admin or wrapper lists (JavaScript callers may omit them) and decode with empty ones', () => {
    const bytes = encodeLegacyControlMessage({ type: LegacyControlType.NAME_CHANGE, name: 'renamed' } as never);
    expect(decodeLegacyControlMessage(bytes)).toMatchObject({ type: LegacyControlType.NAME_CHANGE, name: 'renamed', members: [], admins: [], wrappers: [] });
  });
});

describe('key expiry with two keys of the newest generation', () => {
  it('drops every older generation once the newest generation\'s first key is over 60 days older than the newest key', async () => {
    const DAY = 86_400_000;
    const a1 = admin();
    const first = await rekey(a1, [adminId.sessionId, bob.sessionId]); // generation 0
    await loadKeyMessage(a1, first, T0);
    // A second admin keyring at generation 0 issues a conflicting generation 1 for other members.
    const a2 = admin();
    await loadKeyMessage(a2, first, T0);
    const next = await rekey(a1, [adminId.sessionId, bob.sessionId]);
    const conflicting = await rekey(a2, [adminId.sessionId, bob.sessionId, carol.sessionId]);
    const b = member();
    await loadKeyMessage(b, first, T0);
    await loadKeyMessage(b, next, T0 + DAY);
    expect(b.knownKeys().map((k) => k.generation)).toEqual([0, 1]);
    await loadKeyMessage(b, conflicting, T0 + 62 * DAY);
    expect(b.knownKeys().map((k) => [k.generation, k.timestampMs])).toEqual([
      [1, T0 + DAY],
      [1, T0 + 62 * DAY],
    ]);
  });
});
