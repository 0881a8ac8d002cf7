// UserGroups (spec/config.md §3.4) contract tests for the paths the vector suite leaves out:
// validation errors and their codes, optional key material, community and legacy-group entries,
// per-entry settings and erase results. Round trips go through dump() so the stored form is read back.
import { describe, expect, it } from 'vitest';
import { UserGroupsConfig, type UserCommunity, type UserGroupV2, type UserLegacyGroup } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { toHex } from '../helpers/vectors.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(7);
const fresh = () => new UserGroupsConfig({ ed25519SecretKey: account });
const reload = (ug: UserGroupsConfig) => new UserGroupsConfig({ ed25519SecretKey: account, dump: ug.dump() });

const groupSeed = new Uint8Array(32).fill(9);
const groupPair = ed25519KeyPairFromSeed(groupSeed);
const groupId = '03' + toHex(groupPair.publicKey);
const otherGroupId = '03' + 'ab'.repeat(32);
const legacyId = '05' + '22'.repeat(32);
const m1 = '05' + '33'.repeat(32);
const m2 = '05' + '44'.repeat(32);
const serverPk = 'a0'.repeat(32);

describe('UserGroups v2 groups', () => {
  it('bad group IDs are INVALID_SESSION_ID / INVALID_PREFIX everywhere', () => {
    const ug = fresh();
    expect(() => ug.getGroup('03abc')).toThrow(code('INVALID_SESSION_ID'));
    expect(() => ug.getGroup('zz'.repeat(33))).toThrow(code('INVALID_SESSION_ID'));
    expect(() => ug.getGroup('05' + '00'.repeat(32))).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.getOrConstructGroup('05' + '00'.repeat(32))).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.eraseGroup('05' + '00'.repeat(32))).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.setGroup({ ...ug.getOrConstructGroup(otherGroupId), groupId: '03' })).toThrow(code('INVALID_SESSION_ID'));
    expect(ug.needsPush()).toBe(false);
  });

  it('getOrConstructGroup gives lower-case defaults without storing anything', () => {
    const ug = fresh();
    const g = ug.getOrConstructGroup(otherGroupId.toUpperCase().replace('0X', '0x'));
    expect(g).toEqual({ priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false, groupId: otherGroupId, name: '', removedStatus: 0 });
    expect(ug.getGroup(otherGroupId)).toBeUndefined();
    expect(ug.groups()).toEqual([]);
    expect(ug.needsPush()).toBe(false);
  });

  it('setGroup validation: name length, key and auth-data sizes, integer fields', () => {
    const ug = fresh();
    const base = ug.getOrConstructGroup(otherGroupId);
    expect(() => ug.setGroup({ ...base, name: 'x'.repeat(101) })).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setGroup({ ...base, secretKey: new Uint8Array(33) })).toThrow(code('INVALID_KEY'));
    expect(() => ug.setGroup({ ...base, authData: new Uint8Array(99) })).toThrow(code('INVALID_LENGTH'));
    expect(() => ug.setGroup({ ...base, priority: 1.5 })).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setGroup({ ...base, notifications: 'loud' as never })).toThrow(code('INVALID_INPUT'));
    expect(ug.groups()).toEqual([]);
  });

  it('an admin secret key matching the ID is stored (64-byte form returned), auth data is not', () => {
    const ug = fresh();
    const sk64 = new Uint8Array([...groupSeed, ...groupPair.publicKey]);
    ug.setGroup({ ...ug.getOrConstructGroup(groupId), name: 'Admins', secretKey: groupSeed, authData: new Uint8Array(100).fill(1) });
    const g = reload(ug).getGroup(groupId.toUpperCase())!;
    expect(g.name).toBe('Admins');
    expect(g.secretKey).toEqual(sk64);
    expect(g.authData).toBeUndefined();
    // The 64-byte form is accepted as input too.
    ug.setGroup({ ...g, secretKey: sk64 });
    expect(ug.getGroup(groupId)!.secretKey).toEqual(sk64);
  });

  it('a secret key that does not match the ID is dropped; member auth data is kept', () => {
    const ug = fresh();
    const auth = new Uint8Array(100).fill(5);
    ug.setGroup({ ...ug.getOrConstructGroup(otherGroupId), secretKey: groupSeed, authData: auth });
    const g = reload(ug).getGroup(otherGroupId)!;
    expect(g.secretKey).toBeUndefined();
    expect(g.authData).toEqual(auth);
  });

  it('priority (pinned/hidden), joinedAt, notifications, mute, invited and removed status round-trip', () => {
    const ug = fresh();
    const want: UserGroupV2 = {
      groupId: otherGroupId, name: 'Pinned', priority: 3, joinedAt: 1_700_000_000, notifications: 'mentions',
      muteUntil: 1_800_000_000, invited: true, removedStatus: 2,
    };
    ug.setGroup(want);
    ug.setGroup({ ...ug.getOrConstructGroup(groupId), priority: -1, notifications: 'disabled' });
    const r = reload(ug);
    expect(r.getGroup(otherGroupId)).toEqual(want);
    expect(r.getGroup(groupId)).toMatchObject({ priority: -1, notifications: 'disabled', invited: false, removedStatus: 0, name: '' });
    // groups() is ordered by group ID.
    expect(r.groups().map((g) => g.groupId)).toEqual([groupId, otherGroupId].sort());
  });

  it('eraseGroup reports whether the entry existed', () => {
    const ug = fresh();
    expect(ug.eraseGroup(otherGroupId)).toBe(false);
    ug.setGroup(ug.getOrConstructGroup(otherGroupId));
    expect(ug.eraseGroup(otherGroupId.toUpperCase())).toBe(true);
    expect(ug.getGroup(otherGroupId)).toBeUndefined();
    expect(ug.eraseGroup(otherGroupId)).toBe(false);
  });
});

describe('UserGroups communities', () => {
  const room = (over: Partial<UserCommunity> = {}): UserCommunity => ({
    baseUrl: 'HTTPS://Open.Example.ORG:443/', room: 'SudokuRoom', pubkey: serverPk,
    priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false, ...over,
  });

  it('invalid URL, room token and server key are rejected with their codes', () => {
    const ug = fresh();
    expect(() => ug.setCommunity(room({ baseUrl: 'ftp://x.org' }))).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setCommunity(room({ room: 'bad room' }))).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setCommunity(room({ pubkey: 'zz' }))).toThrow(code('INVALID_KEY'));
    expect(() => ug.setCommunity(room({ pubkey: 'aa'.repeat(31) }))).toThrow(code('INVALID_KEY'));
    expect(() => ug.setCommunity(room({ pubkey: undefined as never }))).toThrow(code('INVALID_KEY'));
    expect(() => ug.getCommunity('not a url', 'r')).toThrow(code('INVALID_INPUT'));
    expect(() => ug.eraseCommunity('https://x.org', '')).toThrow(code('INVALID_INPUT'));
    expect(ug.communities()).toEqual([]);
    expect(ug.needsPush()).toBe(false);
  });

  it('canonical URL, case-insensitive room lookup, stored capitalisation and settings', () => {
    const ug = fresh();
    ug.setCommunity(room({ priority: 2, notifications: 'all', muteUntil: 5, joinedAt: 9, invited: true }));
    ug.setCommunity(room({ room: 'Alpha' }));
    ug.setCommunity(room({ baseUrl: 'http://b.example.org:8080', room: 'x' }));
    const r = reload(ug);
    expect(r.getCommunity('https://open.example.org', 'sudokuroom')).toEqual({
      baseUrl: 'https://open.example.org', room: 'SudokuRoom', pubkey: serverPk,
      priority: 2, joinedAt: 9, notifications: 'all', muteUntil: 5, invited: true,
    });
    expect(r.getCommunity('https://open.example.org', 'missing')).toBeUndefined();
    expect(r.getCommunity('https://unknown.example.org', 'x')).toBeUndefined();
    expect(r.communities().map((c) => `${c.baseUrl}/${c.room}`)).toEqual([
      'http://b.example.org:8080/x', 'https://open.example.org/Alpha', 'https://open.example.org/SudokuRoom',
    ]);
  });

  it('eraseCommunity removes the room, and the server with its last room', () => {
    const ug = fresh();
    expect(ug.eraseCommunity('https://open.example.org', 'SudokuRoom')).toBe(false);
    ug.setCommunity(room());
    ug.setCommunity(room({ room: 'Alpha' }));
    expect(ug.eraseCommunity('https://open.example.org', 'SUDOKUROOM')).toBe(true);
    expect(ug.eraseCommunity('https://open.example.org', 'SudokuRoom')).toBe(false);
    expect(ug.communities().map((c) => c.room)).toEqual(['Alpha']);
    expect(ug.eraseCommunity('https://open.example.org', 'alpha')).toBe(true);
    expect(ug.communities()).toEqual([]);
    // The server entry went with its last room: re-adding a room stores its key afresh.
    ug.setCommunity(room({ room: 'Beta', pubkey: 'b1'.repeat(32) }));
    expect(ug.getCommunity('https://open.example.org', 'beta')!.pubkey).toBe('b1'.repeat(32));
  });
});

describe('UserGroups legacy groups', () => {
  const legacy = (over: Partial<UserLegacyGroup> = {}): UserLegacyGroup => ({
    sessionId: legacyId, name: 'Old group', members: { [m1]: true, [m2]: false }, disappearingTimerSeconds: 0,
    priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false, ...over,
  });

  it('bad group or member IDs, long names and bad numbers are rejected; nothing is stored', () => {
    const ug = fresh();
    expect(() => ug.setLegacyGroup(legacy({ sessionId: otherGroupId }))).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.setLegacyGroup(legacy({ members: { [otherGroupId]: false } }))).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.setLegacyGroup(legacy({ members: { '05': true } }))).toThrow(code('INVALID_SESSION_ID'));
    expect(() => ug.setLegacyGroup(legacy({ name: 'é'.repeat(51) }))).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setLegacyGroup(legacy({ disappearingTimerSeconds: 0.5 }))).toThrow(code('INVALID_INPUT'));
    expect(() => ug.getLegacyGroup(groupId)).toThrow(code('INVALID_PREFIX'));
    expect(() => ug.eraseLegacyGroup('05')).toThrow(code('INVALID_SESSION_ID'));
    expect(ug.legacyGroups()).toEqual([]);
    expect(ug.needsPush()).toBe(false);
  });

  it('members/admins, key pair, timer and settings round-trip', () => {
    const ug = fresh();
    const encPublicKey = new Uint8Array(32).fill(1);
    const encSecretKey = new Uint8Array(32).fill(2);
    const want = legacy({ encPublicKey, encSecretKey, disappearingTimerSeconds: 3600, priority: 1, muteUntil: 77, notifications: 'disabled' });
    ug.setLegacyGroup(want);
    expect(reload(ug).getLegacyGroup(legacyId.toUpperCase())).toEqual(want);
  });

  it('a half key pair is not stored and a rewrite without keys removes them; timer ≤ 0 is off', () => {
    const ug = fresh();
    ug.setLegacyGroup(legacy({ encPublicKey: new Uint8Array(32), encSecretKey: new Uint8Array(31) }));
    let g = ug.getLegacyGroup(legacyId)!;
    expect(g.encPublicKey).toBeUndefined();
    expect(g.encSecretKey).toBeUndefined();
    ug.setLegacyGroup(legacy({ encPublicKey: new Uint8Array(32).fill(3), encSecretKey: new Uint8Array(32).fill(4), disappearingTimerSeconds: 60 }));
    expect(ug.getLegacyGroup(legacyId)!.encSecretKey).toEqual(new Uint8Array(32).fill(4));
    ug.setLegacyGroup(legacy({ members: {}, disappearingTimerSeconds: -5 }));
    g = reload(ug).getLegacyGroup(legacyId)!;
    expect(g.encPublicKey).toBeUndefined();
    expect(g.encSecretKey).toBeUndefined();
    expect(g.members).toEqual({});
    expect(g.disappearingTimerSeconds).toBe(0);
  });

  it('legacyGroups() lists in Session-ID order; eraseLegacyGroup reports existence', () => {
    const ug = fresh();
    const second = '05' + '01'.repeat(32);
    expect(ug.eraseLegacyGroup(legacyId)).toBe(false);
    ug.setLegacyGroup(legacy());
    ug.setLegacyGroup(legacy({ sessionId: second, name: '' }));
    expect(ug.legacyGroups().map((g) => [g.sessionId, g.name])).toEqual([[second, ''], [legacyId, 'Old group']]);
    expect(ug.eraseLegacyGroup(legacyId)).toBe(true);
    expect(ug.getLegacyGroup(legacyId)).toBeUndefined();
    expect(ug.legacyGroups().map((g) => g.sessionId)).toEqual([second]);
  });
});
