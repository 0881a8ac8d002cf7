// Untyped (JavaScript) callers may omit optional settings: every setter must then store the
// documented defaults (priority 0, 'default' notifications, 0 = unknown/not muted, no timer)
// rather than throw or write garbage (spec/config.md §3: zero/empty values are not stored).
import { describe, expect, it } from 'vitest';
import { ContactsConfig, GroupMembersConfig, UserGroupsConfig } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';

const account = new Uint8Array(32).fill(2);
const common = { priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false };

describe('setters with omitted optional fields store the defaults', () => {
  it('UserGroups: v2 group, community and legacy group', () => {
    const ug = new UserGroupsConfig({ ed25519SecretKey: account });
    const gid = '03' + '5a'.repeat(32);
    const lid = '05' + '5b'.repeat(32);
    ug.setGroup({ groupId: gid } as never);
    ug.setCommunity({ baseUrl: 'https://c.org', room: 'r', pubkey: 'aa'.repeat(32) } as never);
    ug.setLegacyGroup({ sessionId: lid } as never);
    const r = new UserGroupsConfig({ ed25519SecretKey: account, dump: ug.dump() });
    expect(r.getGroup(gid)).toEqual({ ...common, groupId: gid, name: '', removedStatus: 0 });
    expect(r.getCommunity('https://c.org', 'r')).toEqual({ ...common, baseUrl: 'https://c.org', room: 'r', pubkey: 'aa'.repeat(32) });
    expect(r.getLegacyGroup(lid)).toEqual({ ...common, sessionId: lid, name: '', members: {}, disappearingTimerSeconds: 0 });
  });

  it('Contacts', () => {
    const c = new ContactsConfig({ ed25519SecretKey: account });
    const id = '05' + '5c'.repeat(32);
    c.set({ sessionId: id } as never);
    expect(c.get(id)).toEqual({
      sessionId: id, name: '', approved: false, approvedMe: false, blocked: false, priority: 0, notifications: 'default',
      muteUntil: 0, expirationMode: 'none', expirationTimerSeconds: 0, createdAt: 0,
    });
  });

  it('GroupMembers', () => {
    const seed = new Uint8Array(32).fill(4);
    const m = new GroupMembersConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, groupEd25519SecretKey: seed, keys: [new Uint8Array(32)] });
    const id = '05' + '5d'.repeat(32);
    m.set({ sessionId: id } as never);
    expect(m.get(id)).toEqual({ sessionId: id, name: '', admin: false, inviteStatus: 0, supplement: false, promotionStatus: 0, removedStatus: 0 });
  });
});
