// groups::Info and groups::Members (spec/config.md §3.5–§3.6) contract tests: every setter's
// validation code, optional fields absent/present, removal by empty/≤0 values, read-only members,
// and the member status table. Round trips go through dump() so the stored form is read back.
import { describe, expect, it } from 'vitest';
import { GroupInfoConfig, GroupMembersConfig, groupMemberStatus, type GroupMember } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';

const code = (c: string) => expect.objectContaining({ code: c });
const seed = new Uint8Array(32).fill(3);
const { publicKey } = ed25519KeyPairFromSeed(seed);
const keys = [new Uint8Array(32).fill(4)];
const admin = { groupEd25519PublicKey: publicKey, groupEd25519SecretKey: seed, keys };
const memberOpts = { groupEd25519PublicKey: publicKey, keys };

describe('GroupInfoConfig', () => {
  it('a fresh group has no optional fields and is not destroyed', () => {
    const info = new GroupInfoConfig(admin);
    expect(info.getName()).toBeUndefined();
    expect(info.getDescription()).toBeUndefined();
    expect(info.getProfilePicture()).toBeUndefined();
    expect(info.getExpiryTimerSeconds()).toBeUndefined();
    expect(info.getCreated()).toBeUndefined();
    expect(info.getDeleteBefore()).toBeUndefined();
    expect(info.getDeleteAttachmentsBefore()).toBeUndefined();
    expect(info.isDestroyed()).toBe(false);
  });

  it('every field round-trips through a dump, and destroyGroup is recorded', () => {
    const info = new GroupInfoConfig(admin);
    const pic = { url: 'https://files.example/abc', key: new Uint8Array(32).fill(8) };
    info.setName('Book club');
    info.setDescription('Monthly reads');
    info.setProfilePicture(pic);
    info.setExpiryTimerSeconds(86400);
    info.setCreated(1_700_000_000);
    info.setDeleteBefore(1_700_000_100);
    info.setDeleteAttachmentsBefore(1_700_000_200);
    info.destroyGroup();
    const r = new GroupInfoConfig({ ...admin, dump: info.dump() });
    expect(r.getName()).toBe('Book club');
    expect(r.getDescription()).toBe('Monthly reads');
    expect(r.getProfilePicture()).toEqual(pic);
    expect(r.getExpiryTimerSeconds()).toBe(86400);
    expect(r.getCreated()).toBe(1_700_000_000);
    expect(r.getDeleteBefore()).toBe(1_700_000_100);
    expect(r.getDeleteAttachmentsBefore()).toBe(1_700_000_200);
    expect(r.isDestroyed()).toBe(true);
  });

  it('empty/undefined text, ≤ 0 numbers and incomplete pictures remove the field', () => {
    const info = new GroupInfoConfig(admin);
    info.setName('n');
    info.setDescription('d');
    info.setProfilePicture({ url: 'u', key: new Uint8Array(32) });
    info.setExpiryTimerSeconds(10);
    info.setCreated(10);
    info.setDeleteBefore(10);
    info.setDeleteAttachmentsBefore(10);
    info.setName('');
    info.setDescription(undefined);
    info.setProfilePicture({ url: 'u', key: new Uint8Array(31) });
    info.setExpiryTimerSeconds(0);
    info.setCreated(-1);
    info.setDeleteBefore(undefined);
    info.setDeleteAttachmentsBefore(0);
    expect([info.getName(), info.getDescription(), info.getProfilePicture(), info.getExpiryTimerSeconds()]).toEqual([undefined, undefined, undefined, undefined]);
    expect([info.getCreated(), info.getDeleteBefore(), info.getDeleteAttachmentsBefore()]).toEqual([undefined, undefined, undefined]);
    info.setProfilePicture({ url: 'u', key: new Uint8Array(32) });
    info.setProfilePicture({ url: '', key: new Uint8Array(32) });
    expect(info.getProfilePicture()).toBeUndefined();
  });

  it('setters reject over-long text, non-integers and malformed pictures with INVALID_INPUT', () => {
    const info = new GroupInfoConfig(admin);
    expect(() => info.setName('x'.repeat(101))).toThrow(code('INVALID_INPUT'));
    expect(() => info.setDescription('x'.repeat(2001))).toThrow(code('INVALID_INPUT'));
    info.setDescription('x'.repeat(2000)); // the limit itself is allowed
    expect(info.getDescription()!.length).toBe(2000);
    expect(() => info.setProfilePicture({ url: 'x'.repeat(224), key: new Uint8Array(32) })).toThrow(code('INVALID_INPUT'));
    expect(() => info.setProfilePicture({ url: 'u', key: 'k' } as never)).toThrow(code('INVALID_INPUT'));
    expect(() => info.setExpiryTimerSeconds(1.5)).toThrow(code('INVALID_INPUT'));
    expect(() => info.setCreated(Number.MAX_SAFE_INTEGER + 2)).toThrow(code('INVALID_INPUT'));
    expect(() => info.setDeleteBefore(Number.NaN)).toThrow(code('INVALID_INPUT'));
    expect(() => info.setDeleteAttachmentsBefore(Infinity)).toThrow(code('INVALID_INPUT'));
  });

  it('a member (no secret key) can read but every setter is NOT_ADMIN', () => {
    const info = new GroupInfoConfig(memberOpts);
    expect(info.isReadOnly).toBe(true);
    expect(info.getName()).toBeUndefined();
    for (const f of [
      () => info.setName('x'), () => info.setDescription('x'), () => info.setProfilePicture(undefined),
      () => info.setExpiryTimerSeconds(1), () => info.setCreated(1), () => info.setDeleteBefore(1),
      () => info.setDeleteAttachmentsBefore(1), () => info.destroyGroup(),
    ]) expect(f).toThrow(code('NOT_ADMIN'));
  });
});

describe('GroupMembersConfig', () => {
  const bob = '05' + '11'.repeat(32);
  const carol = '05' + '0a'.repeat(32);

  it('bad IDs and out-of-range statuses are rejected, nothing stored', () => {
    const m = new GroupMembersConfig(admin);
    const base = m.getOrConstruct(bob);
    expect(() => m.get('03' + '11'.repeat(32))).toThrow(code('INVALID_PREFIX'));
    expect(() => m.erase('05')).toThrow(code('INVALID_SESSION_ID'));
    expect(() => m.set({ ...base, name: 'x'.repeat(101) })).toThrow(code('INVALID_INPUT'));
    expect(() => m.set({ ...base, inviteStatus: 4 as never })).toThrow(code('INVALID_INPUT'));
    expect(() => m.set({ ...base, promotionStatus: -1 as never })).toThrow(code('INVALID_INPUT'));
    expect(() => m.set({ ...base, removedStatus: 3 as never })).toThrow(code('INVALID_INPUT'));
    expect(() => m.set({ ...base, inviteStatus: 1.5 as never })).toThrow(code('INVALID_INPUT'));
    expect(m.all()).toEqual([]);
    expect(m.needsPush()).toBe(false);
  });

  it('members round-trip; admins never keep an invite status; erase reports existence', () => {
    const m = new GroupMembersConfig(admin);
    const pic = { url: 'https://p', key: new Uint8Array(32).fill(2) };
    const b: GroupMember = { ...m.getOrConstruct(bob.toUpperCase()), name: 'Bob', profilePicture: pic, inviteStatus: 2, supplement: true };
    expect(b.sessionId).toBe(bob);
    m.set(b);
    m.set({ ...m.getOrConstruct(carol), admin: true, inviteStatus: 1, promotionStatus: 3 });
    const r = new GroupMembersConfig({ ...admin, dump: m.dump() });
    expect(r.get(bob)).toEqual(b);
    expect(r.get(carol)).toMatchObject({ admin: true, inviteStatus: 0, promotionStatus: 3 });
    expect(r.get(carol)!.profilePicture).toBeUndefined();
    expect(r.all().map((x) => x.sessionId)).toEqual([carol, bob]);
    expect(m.erase(carol)).toBe(true);
    expect(m.erase(carol)).toBe(false);
    expect(m.get(carol)).toBeUndefined();
  });

  it('a read-only member list refuses set and erase with NOT_ADMIN', () => {
    const m = new GroupMembersConfig(memberOpts);
    expect(() => m.set(m.getOrConstruct(bob))).toThrow(code('NOT_ADMIN'));
    expect(() => m.erase(bob)).toThrow(code('NOT_ADMIN'));
  });

  it('groupMemberStatus: removal beats admin, admin/promotion beats invite', () => {
    const base: GroupMember = { sessionId: bob, name: '', admin: false, inviteStatus: 0, supplement: false, promotionStatus: 0, removedStatus: 0 };
    expect(groupMemberStatus({ ...base, admin: true, removedStatus: 1 })).toBe('removed');
    expect(groupMemberStatus({ ...base, removedStatus: 2 })).toBe('removed-with-messages');
    expect(groupMemberStatus({ ...base, admin: true, inviteStatus: 1 })).toBe('admin');
    expect(groupMemberStatus({ ...base, admin: true, promotionStatus: 1 })).toBe('promotion-sent');
    expect(groupMemberStatus({ ...base, admin: true, promotionStatus: 2 })).toBe('promotion-failed');
    expect(groupMemberStatus({ ...base, admin: true, promotionStatus: 3 })).toBe('promotion-not-sent');
    expect(groupMemberStatus(base)).toBe('joined');
    expect(groupMemberStatus({ ...base, inviteStatus: 1 })).toBe('invite-sent');
    expect(groupMemberStatus({ ...base, inviteStatus: 2 })).toBe('invite-failed');
    expect(groupMemberStatus({ ...base, inviteStatus: 3 })).toBe('invite-not-sent');
  });
});
