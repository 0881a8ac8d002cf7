// Restore and sync in-process (issue 5): a fake swarm store implementing ConfigSwarm. The same
// flows run over the loopback onion network in sync-loopback.test.ts.
import { describe, expect, it } from 'vitest';
import {
  ContactsConfig,
  GroupInfoConfig,
  GroupMembersConfig,
  UserProfileConfig,
  createUserConfigs,
  restoreUserConfigs,
  syncConfig,
  type ConfigIncoming,
  type ConfigSwarm,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { generateIdentity, identityFromSeed } from '../../src/identity/keys.js';
import { mnemonicDecode, mnemonicEncode } from '../../src/identity/mnemonic.js';
import { toHex } from '../helpers/vectors.js';

/** In-memory swarm: namespace → (hash → data), with a store/delete log. */
export class FakeSwarm implements ConfigSwarm {
  private n = 0;
  readonly ns = new Map<number, Map<string, Uint8Array>>();
  readonly log: string[] = [];
  async retrieve(namespace: number): Promise<ConfigIncoming[]> {
    return [...(this.ns.get(namespace) ?? [])].map(([hash, data]) => ({ hash, data }));
  }
  async store(namespace: number, data: Uint8Array): Promise<string> {
    const h = `ns${namespace}-${++this.n}`;
    if (!this.ns.has(namespace)) this.ns.set(namespace, new Map());
    this.ns.get(namespace)!.set(h, data.slice());
    this.log.push(`store ${h}`);
    return h;
  }
  async delete(hashes: string[]): Promise<void> {
    for (const m of this.ns.values()) for (const h of hashes) m.delete(h);
    this.log.push(`delete ${hashes.join(',')}`);
  }
}

const bob = '05' + '11'.repeat(32);
const carol = '05' + '22'.repeat(32);

describe('restore and sync (in-process swarm)', () => {
  it('restores Alice on a second device from her recovery phrase', async () => {
    const swarm = new FakeSwarm();
    const alice = generateIdentity({ seedBytes: 16 });
    const phrase = mnemonicEncode(alice.seed.subarray(0, 16));
    const first = createUserConfigs(alice.ed25519SecretKey);
    first.profile.setName('Alice');
    first.profile.setProfilePicture({ url: 'https://example.org/a.png', key: new Uint8Array(32).fill(3) });
    first.contacts.set({ ...first.contacts.getOrConstruct(bob), name: 'Bob', approved: true });
    first.convoInfo.set({ kind: 'one-to-one', id: bob, lastRead: Date.now(), unread: true });
    first.userGroups.setCommunity({
      baseUrl: 'https://open.getsession.org',
      room: 'session',
      pubkey: 'a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238',
      priority: 0,
      joinedAt: 1_700_000_000,
      notifications: 'default',
      muteUntil: 0,
      invited: false,
    });
    for (const c of Object.values(first)) expect((await syncConfig(c, swarm)).pushed?.seqno).toBe(1);

    const restoredId = identityFromSeed(mnemonicDecode(phrase));
    expect(restoredId.sessionId).toBe(alice.sessionId);
    const second = await restoreUserConfigs(restoredId.ed25519SecretKey, swarm);
    expect(second.profile.getName()).toBe('Alice');
    expect(second.profile.getProfilePicture()?.url).toBe('https://example.org/a.png');
    expect(second.contacts.all().map((c) => [c.sessionId, c.name, c.approved])).toEqual([[bob, 'Bob', true]]);
    expect(second.convoInfo.get({ kind: 'one-to-one', id: bob })?.unread).toBe(true);
    expect(second.userGroups.communities()[0]?.room).toBe('session');
    for (const c of Object.values(second)) expect(c.needsPush()).toBe(false);
    // someone else's key cannot read any of it
    const mallory = await restoreUserConfigs(generateIdentity().ed25519SecretKey, swarm);
    expect(mallory.profile.getName()).toBeUndefined();
    expect(mallory.contacts.all()).toEqual([]);
  });

  it('two devices edit concurrently and converge; obsolete messages are deleted', async () => {
    const swarm = new FakeSwarm();
    const alice = generateIdentity();
    const a = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const b = new ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    a.set({ ...a.getOrConstruct(bob), name: 'Bob' });
    await syncConfig(a, swarm);
    await syncConfig(b, swarm);
    // concurrent: both edit before seeing each other
    a.set({ ...a.get(bob)!, nickname: 'Bobby' });
    b.set({ ...b.getOrConstruct(carol), name: 'Carol' });
    const ra = await syncConfig(a, swarm); // pushes seqno 2
    const rb = await syncConfig(b, swarm); // sees a's 2 and its own 2: merges into 3
    expect(ra.pushed?.seqno).toBe(2);
    expect(rb.pushed?.seqno).toBe(3);
    await syncConfig(a, swarm);
    for (const d of [a, b]) {
      expect(d.all().map((c) => [c.name, c.nickname])).toEqual([
        ['Bob', 'Bobby'],
        ['Carol', undefined],
      ]);
      expect(d.seqno).toBe(3);
      expect(d.needsPush()).toBe(false);
    }
    expect(swarm.ns.get(3)!.size).toBe(1); // only the merged version remains
  });

  it('group Info: admin pushes, a member restores read-only, a forged push is ignored', async () => {
    const swarm = new FakeSwarm();
    const seed = new Uint8Array(32).fill(9);
    const { publicKey } = ed25519KeyPairFromSeed(seed);
    const keys = [new Uint8Array(32).fill(1)];
    const admin = new GroupInfoConfig({ groupEd25519PublicKey: publicKey, groupEd25519SecretKey: seed, keys });
    admin.setName('Book club');
    await syncConfig(admin, swarm);
    const members = new GroupMembersConfig({ groupEd25519PublicKey: publicKey, groupEd25519SecretKey: seed, keys });
    members.set({ ...members.getOrConstruct(bob), name: 'Bob', inviteStatus: 1 });
    await syncConfig(members, swarm);

    // an attacker with the encryption key but not the group key pushes its own signed version
    const forgerSeed = new Uint8Array(32).fill(8);
    const forger = new GroupInfoConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(forgerSeed).publicKey, groupEd25519SecretKey: forgerSeed, keys });
    await forger.merge(await swarm.retrieve(13)); // cannot verify: stays empty
    forger.setName('Hacked');
    forger.setName('Hacked!');
    await swarm.store(13, (await forger.push()).data);

    const member = new GroupInfoConfig({ groupEd25519PublicKey: publicKey, keys });
    const r = await syncConfig(member, swarm);
    expect(member.getName()).toBe('Book club');
    expect(r.accepted.length).toBe(1);
    expect(r.pushed).toBeUndefined();
    const m2 = new GroupMembersConfig({ groupEd25519PublicKey: publicKey, keys });
    await syncConfig(m2, swarm);
    expect(m2.all().map((m) => [m.sessionId, m.name, m.inviteStatus])).toEqual([[bob, 'Bob', 1]]);
    expect(toHex(publicKey)).not.toBe(toHex(ed25519KeyPairFromSeed(forgerSeed).publicKey));
  });

  it('a store that returns no hash is a typed error; nothing is confirmed', async () => {
    const alice = generateIdentity();
    const p = new UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    p.setName('x');
    const bad: ConfigSwarm = { retrieve: async () => [], store: async () => '' };
    await expect(syncConfig(p, bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(p.needsPush()).toBe(true);
  });
});
