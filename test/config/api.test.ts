// Negative and life-cycle tests for the public config API: every entry point rejects bad input
// with a typed SessionSdkError and leaves the state untouched.
import { describe, expect, it } from 'vitest';
import {
  ConfigSet,
  ContactsConfig,
  ConvoInfoVolatileConfig,
  GroupInfoConfig,
  GroupMembersConfig,
  UserGroupsConfig,
  UserProfileConfig,
  canonicalCommunityUrl,
  communityRoomKey,
  configPaddedSize,
  createConfigMessage,
  encodeConfigPayload,
  unwrapUserConfig,
  wrapUserConfig,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { generateIdentity } from '../../src/identity/keys.js';

const code = (c: string) => expect.objectContaining({ code: c });
const alice = generateIdentity();
const bob = '05' + '11'.repeat(32);

describe('config API: negative cases', () => {
  it('constructors validate keys', () => {
    expect(() => new UserProfileConfig({ ed25519SecretKey: new Uint8Array(31) })).toThrow(code('INVALID_KEY'));
    expect(() => new UserProfileConfig({ ed25519SecretKey: 'x' as never })).toThrow(code('INVALID_INPUT'));
    expect(() => new GroupInfoConfig({ groupEd25519PublicKey: new Uint8Array(31), keys: [] })).toThrow(code('INVALID_KEY'));
    expect(() => new GroupInfoConfig({ groupEd25519PublicKey: new Uint8Array(32), keys: [new Uint8Array(16)] })).toThrow(code('INVALID_KEY'));
    expect(() => new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey, dump: new Uint8Array([1, 2]) })).toThrow(code('INVALID_ENCODING'));
  });

  it('push and merge need a key; bad incoming shapes are rejected', async () => {
    const seed = new Uint8Array(32).fill(4);
    const g = new GroupInfoConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, groupEd25519SecretKey: seed, keys: [] });
    g.setName('x');
    await expect(g.push()).rejects.toMatchObject({ code: 'NO_KEY' });
    await expect(g.merge([])).rejects.toMatchObject({ code: 'NO_KEY' });
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    await expect(p.merge([{ hash: 1 as never, data: new Uint8Array(1) }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(p.merge([{ hash: 'h', data: 'x' as never }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await p.merge([])).toEqual([]);
    expect(() => p.confirmPushed(0, 5 as never)).toThrow(code('INVALID_INPUT'));
  });

  it('setters validate and leave the state untouched on error', () => {
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    expect(() => p.setName('é'.repeat(51))).toThrow(code('INVALID_INPUT'));
    expect(() => p.setNoteToSelfPriority(1.5)).toThrow(code('INVALID_INPUT'));
    expect(() => p.setProfilePicture({ url: 'x'.repeat(224), key: new Uint8Array(32) })).toThrow(code('INVALID_INPUT'));
    expect(p.needsPush()).toBe(false);
    p.setProfilePicture({ url: 'http://x', key: new Uint8Array(31) }); // invalid pair: cleared, nothing to change
    expect(p.needsPush()).toBe(false);

    const u = new UserGroupsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const gid = '03' + '22'.repeat(32);
    expect(() => u.setGroup({ ...u.getOrConstructGroup(gid), authData: new Uint8Array(99) })).toThrow(code('INVALID_LENGTH'));
    expect(() => u.getGroup(bob)).toThrow(code('INVALID_PREFIX'));
    expect(() => u.setCommunity({ ...u.getOrConstructGroup(gid), baseUrl: 'ftp://x', room: 'r', pubkey: '00'.repeat(32) })).toThrow(code('INVALID_INPUT'));
    expect(() => u.setCommunity({ ...u.getOrConstructGroup(gid), baseUrl: 'http://x', room: 'r', pubkey: '00' })).toThrow(code('INVALID_KEY'));
    expect(u.needsPush()).toBe(false);

    const c = new ConvoInfoVolatileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    expect(() => c.set({ kind: 'bogus' as never, id: bob, lastRead: 1, unread: false })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ kind: 'community', lastRead: 1, unread: false })).toThrow(code('INVALID_INPUT'));
    expect(() => c.set({ kind: 'one-to-one', id: bob, lastRead: 0.5, unread: false })).toThrow(code('INVALID_INPUT'));

    const seed = new Uint8Array(32).fill(4);
    const m = new GroupMembersConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, groupEd25519SecretKey: seed, keys: [new Uint8Array(32)] });
    expect(() => m.set({ ...m.getOrConstruct(bob), inviteStatus: 4 as never })).toThrow(code('INVALID_INPUT'));
    expect(() => m.set({ ...m.getOrConstruct(bob), removedStatus: -1 as never })).toThrow(code('INVALID_INPUT'));
    expect(m.needsPush()).toBe(false);
  });

  it('community URLs and rooms', () => {
    expect(canonicalCommunityUrl('HTTPS://Open.GetSession.org:443/')).toBe('https://open.getsession.org');
    expect(canonicalCommunityUrl('http://example.org:8080')).toBe('http://example.org:8080');
    for (const bad of ['example.org', 'http://', 'http://x/path', 'http://x:0', 'http://x:99999', 5 as never]) {
      expect(() => canonicalCommunityUrl(bad)).toThrow(expect.objectContaining({ name: 'SessionSdkError' }));
    }
    expect(communityRoomKey('SudokuRoom')).toBe('sudokuroom');
    expect(() => communityRoomKey('a b')).toThrow(code('INVALID_INPUT'));
  });

  it('message layer inputs', () => {
    expect(() => createConfigMessage({ seqno: 1.5 })).toThrow(code('INVALID_INPUT'));
    expect(() => new ConfigSet([1.5 as never])).toThrow(code('INVALID_INPUT'));
    expect(() => new ConfigSet([2n ** 63n])).toThrow(code('INVALID_INPUT'));
    expect(() => configPaddedSize(-1)).toThrow(code('INVALID_INPUT'));
    expect(() => encodeConfigPayload('x' as never)).toThrow(code('INVALID_INPUT'));
  });

  it('protobuf wrapping: round trip, wrong account, wrong kind, garbage', async () => {
    const ct = new Uint8Array(256).fill(1);
    const w = await wrapUserConfig(alice.seed, ct, 7, 3);
    expect(await unwrapUserConfig(alice.ed25519SecretKey, w, 3)).toEqual(ct);
    await expect(unwrapUserConfig(alice.seed, w, 2)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(unwrapUserConfig(generateIdentity().seed, w, 3)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
    await expect(unwrapUserConfig(alice.seed, ct, 3)).rejects.toMatchObject({ code: 'INVALID_ENCODING' });
    await expect(wrapUserConfig(alice.seed, ct, 1, 13)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('config life cycle', () => {
  it('clean → dirty → waiting → clean; stale confirmations are ignored; edits while waiting start a new seqno', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    expect(c.status).toBe('clean');
    c.set({ ...c.getOrConstruct(bob), name: 'Bob' });
    expect([c.status, c.seqno]).toEqual(['dirty', 1]);
    c.set({ ...c.get(bob)!, nickname: 'B' }); // same seqno while dirty
    expect(c.seqno).toBe(1);
    const p = await c.push();
    expect(c.status).toBe('waiting');
    c.set({ ...c.get(bob)!, blocked: true }); // edit while waiting
    expect([c.status, c.seqno]).toEqual(['dirty', 2]);
    c.confirmPushed(p.seqno, 'h1'); // stale: ignored
    expect(c.status).toBe('dirty');
    const p2 = await c.push();
    c.confirmPushed(p2.seqno, 'h2');
    expect([c.status, c.currentHashes()]).toEqual(['clean', ['h2']]);
    c.set({ ...c.get(bob)!, blocked: false });
    expect((await c.push()).obsoleteHashes).toEqual(['h2']);
    expect(c.needsDump()).toBe(true);
    c.dump();
    expect(c.needsDump()).toBe(false);
  });

  it('unknown keys written by newer clients survive our edits', async () => {
    const a = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    // inject a future key through the raw edit path, as a newer client would have written it
    (a as unknown as { edit: (f: (d: Map<string, unknown>) => void) => void }).edit((d) => d.set('t', 1_700_000_000n));
    const b = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    await b.merge([{ hash: 'h', data: (await a.push()).data }]);
    b.setName('Alice');
    const c = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    await c.merge([{ hash: 'h2', data: (await b.push()).data }]);
    expect(c.getName()).toBe('Alice');
    expect((c as unknown as { data: () => Map<string, unknown> }).data().get('t')).toBe(1_700_000_000n);
  });

  it('an edit made while a push or merge is awaiting is never lost', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    c.set({ ...c.getOrConstruct(bob), name: 'Bob' });
    const pending = c.push(); // wrapping awaits the envelope module
    c.set({ ...c.get(bob)!, nickname: 'During push' });
    const p = await pending;
    expect(c.status).toBe('dirty'); // the push lacks the nickname
    c.confirmPushed(p.seqno, 'h1'); // ignored
    expect(c.needsPush()).toBe(true);
    const other = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    await other.merge([{ hash: 'h2', data: (await c.push()).data }]);
    expect(other.get(bob)?.nickname).toBe('During push');

    const merging = other.merge([{ hash: 'h1', data: p.data }]);
    other.set({ ...other.get(bob)!, blocked: true }); // lands before the merge's synchronous part
    await merging;
    expect(other.get(bob)?.blocked).toBe(true);
    expect(other.get(bob)?.nickname).toBe('During push');
  });

  it('a config too large to store is a TOO_LARGE error, and the state stays dirty', async () => {
    const c = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    for (let i = 0; i < 800; i++) c.set({ ...c.getOrConstruct('05' + i.toString(16).padStart(4, '0').repeat(16)), name: `Contact number ${i}` });
    await expect(c.push()).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(c.status).toBe('dirty');
  });

  it('dispose wipes keys', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    p.dispose();
    expect(() => p.keys()).toThrow(expect.objectContaining({ code: 'DESTROYED' }));
    await expect(p.push()).rejects.toMatchObject({ code: 'DESTROYED' });
  });
});
