// ConvoInfoVolatile (spec/config.md §3.3) and Contacts (§3.2) contract tests: slot validation,
// libsession's 30-day write cut-off and 45-day push pruning, community entries, erase results,
// and every optional contact field absent/present. Time is injected, so results are deterministic.
import { describe, expect, it } from 'vitest';
import {
  CONVO_PRUNE_HIGH_MS,
  CONVO_PRUNE_LOW_MS,
  ContactsConfig,
  ConvoInfoVolatileConfig,
  type Contact,
} from '../../src/config/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(5);
const NOW = 1_750_000_000_000;
const DAY = 86_400_000;
const civ = (dump?: Uint8Array) => new ConvoInfoVolatileConfig({ ed25519SecretKey: account, now: () => NOW, ...(dump ? { dump } : {}) });
const bob = '05' + '11'.repeat(32);
const grp = '03' + '22'.repeat(32);
const legacy = '05' + '33'.repeat(32);
const pk = 'c0'.repeat(32);

describe('ConvoInfoVolatile', () => {
  it('slot validation: community fields, unknown kinds, IDs, lastRead and pubkey', () => {
    const c = civ();
    expect(() => c.get({ kind: 'community', baseUrl: 'https://x.org' })).toThrow(code('INVALID_INPUT'));
    expect(() => c.erase({ kind: 'community', room: 'r' })).toThrow(code('INVALID_INPUT'));
    expect(() => c.get({ kind: 'channel' as never, id: bob })).toThrow(code('INVALID_INPUT'));
    expect(() => c.get({ kind: 'group', id: bob })).toThrow(code('INVALID_PREFIX'));
    expect(() => c.get({ kind: 'one-to-one' })).toThrow(code('INVALID_SESSION_ID'));
    expect(() => c.set({ kind: 'one-to-one', id: bob, lastRead: 1.5, unread: false })).toThrow(code('INVALID_INPUT'));
    const room = { kind: 'community' as const, baseUrl: 'https://x.org', room: 'R', lastRead: NOW, unread: false };
    expect(() => c.set(room)).toThrow(code('INVALID_KEY'));
    expect(() => c.set({ ...room, pubkey: 'c0'.repeat(31) })).toThrow(code('INVALID_KEY'));
    expect(() => c.set({ ...room, pubkey: 'not hex' })).toThrow(code('INVALID_KEY'));
    expect(c.all()).toEqual([]);
    expect(c.needsPush()).toBe(false);
  });

  it('every kind round-trips; all() lists 1:1, groups, legacy groups, then communities', () => {
    const c = civ();
    c.set({ kind: 'community', baseUrl: 'HTTPS://Chat.Example.org/', room: 'Lobby', pubkey: pk, lastRead: NOW - 5, unread: true });
    c.set({ kind: 'legacy-group', id: legacy, lastRead: NOW - 3, unread: false });
    c.set({ kind: 'group', id: grp.toUpperCase(), lastRead: NOW - 2, unread: true });
    c.set({ kind: 'one-to-one', id: bob, lastRead: NOW - 1, unread: false });
    const r = civ(c.dump());
    expect(r.get({ kind: 'group', id: grp })).toEqual({ kind: 'group', id: grp, lastRead: NOW - 2, unread: true });
    expect(r.get({ kind: 'community', baseUrl: 'https://chat.example.org', room: 'LOBBY' })).toEqual({
      kind: 'community', baseUrl: 'https://chat.example.org', room: 'lobby', pubkey: pk, lastRead: NOW - 5, unread: true,
    });
    expect(r.get({ kind: 'one-to-one', id: legacy })).toBeUndefined();
    expect(r.all().map((x) => x.kind)).toEqual(['one-to-one', 'group', 'legacy-group', 'community']);
  });

  it('a last-read older than 30 days is written only when it lowers the stored value', () => {
    const c = civ();
    const old = NOW - CONVO_PRUNE_LOW_MS - DAY;
    c.set({ kind: 'one-to-one', id: bob, lastRead: old, unread: true });
    expect(c.get({ kind: 'one-to-one', id: bob })).toEqual({ kind: 'one-to-one', id: bob, lastRead: 0, unread: true });
    c.set({ kind: 'one-to-one', id: bob, lastRead: NOW - DAY, unread: false });
    expect(c.get({ kind: 'one-to-one', id: bob })!.lastRead).toBe(NOW - DAY);
    c.set({ kind: 'one-to-one', id: bob, lastRead: old, unread: false }); // lowers: written
    expect(c.get({ kind: 'one-to-one', id: bob })!.lastRead).toBe(old);
    c.set({ kind: 'one-to-one', id: bob, lastRead: old + 1, unread: false }); // old and higher: ignored
    expect(c.get({ kind: 'one-to-one', id: bob })!.lastRead).toBe(old);
  });

  it('push drops entries read over 45 days ago unless marked unread', async () => {
    let now = NOW;
    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: account, now: () => now });
    c.set({ kind: 'one-to-one', id: bob, lastRead: NOW, unread: false });
    c.set({ kind: 'group', id: grp, lastRead: NOW, unread: true });
    c.set({ kind: 'community', baseUrl: 'https://x.org', room: 'r', pubkey: pk, lastRead: NOW, unread: false });
    c.set({ kind: 'legacy-group', id: legacy, lastRead: NOW + 2 * DAY, unread: false });
    now = NOW + CONVO_PRUNE_HIGH_MS + DAY;
    await c.push();
    expect(c.all().map((x) => x.kind)).toEqual(['group', 'legacy-group']);
    // Nothing stale left: a second push changes nothing.
    const before = c.all();
    await c.push();
    expect(c.all()).toEqual(before);
  });

  it('erase reports whether the conversation existed', () => {
    const c = civ();
    const room = { kind: 'community' as const, baseUrl: 'https://x.org', room: 'r' };
    expect(c.erase({ kind: 'group', id: grp })).toBe(false);
    expect(c.erase(room)).toBe(false);
    c.set({ kind: 'group', id: grp, lastRead: NOW, unread: false });
    c.set({ ...room, pubkey: pk, lastRead: NOW, unread: false });
    expect(c.erase({ kind: 'group', id: grp })).toBe(true);
    expect(c.erase({ ...room, room: 'R' })).toBe(true);
    expect(c.erase(room)).toBe(false);
    expect(c.all()).toEqual([]);
  });
});

describe('Contacts', () => {
  const contacts = () => new ContactsConfig({ ed25519SecretKey: account });

  it('bad IDs, names, notification and expiration modes are rejected; nothing stored', () => {
    const c = contacts();
    const base = c.getOrConstruct(bob);
    expect(() => c.get('03' + '11'.repeat(32))).toThrow(code('INVALID_PREFIX'));
    expect(() => c.erase('05')).toThrow(code('INVALID_SESSION_ID'));
    expect(() => c.set({ ...base, name: 'x'.repeat(101) })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ ...base, nickname: 'x'.repeat(101) })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ ...base, notifications: 'loud' as never })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ ...base, expirationMode: 'forever' as never })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ ...base, createdAt: 0.5 })).toThrow(code('INVALID_INPUT'));
    expect(c.all()).toEqual([]);
    expect(c.needsPush()).toBe(false);
  });

  it('all optional fields round-trip; mentions-only is stored as "all" (contacts have no mentions mode)', () => {
    const c = contacts();
    const full: Contact = {
      ...c.getOrConstruct(bob), name: 'Bob', nickname: 'Bobby', profilePicture: { url: 'https://p', key: new Uint8Array(32).fill(1) },
      approved: true, approvedMe: true, blocked: true, priority: -1, notifications: 'disabled', muteUntil: 99,
      expirationMode: 'after-read', expirationTimerSeconds: 300, createdAt: 1_700_000_000,
    };
    c.set(full);
    expect(new ContactsConfig({ ed25519SecretKey: account, dump: c.dump() }).get(bob)).toEqual(full);
    c.set({ ...full, notifications: 'mentions' });
    expect(c.get(bob)!.notifications).toBe('all');
  });

  it('an expiration mode without a positive integer timer is stored as none; clearing optional fields', () => {
    const c = contacts();
    const base = c.getOrConstruct(bob);
    c.set({ ...base, expirationMode: 'after-send', expirationTimerSeconds: 0 });
    expect(c.get(bob)).toMatchObject({ expirationMode: 'none', expirationTimerSeconds: 0 });
    c.set({ ...base, expirationMode: 'after-send', expirationTimerSeconds: 2.5 });
    expect(c.get(bob)).toMatchObject({ expirationMode: 'none', expirationTimerSeconds: 0 });
    c.set({ ...base, expirationMode: 'after-send', expirationTimerSeconds: 60, nickname: 'N', profilePicture: { url: 'u', key: new Uint8Array(32) } });
    expect(c.get(bob)).toMatchObject({ expirationMode: 'after-send', expirationTimerSeconds: 60, nickname: 'N' });
    c.set({ ...base, nickname: '' });
    const got = c.get(bob)!;
    expect(got.nickname).toBeUndefined();
    expect(got.profilePicture).toBeUndefined();
    expect(got.expirationMode).toBe('none');
  });

  it('getOrConstruct stores nothing; the entry stays with an empty name; erase reports existence', () => {
    const c = contacts();
    expect(c.getOrConstruct(bob.toUpperCase()).sessionId).toBe(bob);
    expect(c.get(bob)).toBeUndefined();
    expect(c.erase(bob)).toBe(false);
    c.set(c.getOrConstruct(bob)); // all defaults: still an entry (name always written)
    expect(c.all().map((x) => x.sessionId)).toEqual([bob]);
    expect(c.erase(bob)).toBe(true);
    expect(c.all()).toEqual([]);
  });
});
