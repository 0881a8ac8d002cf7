// Multi-party groups-v2 scenarios in process, with an in-memory group swarm (namespaces 11, 12,
// −11): creation and messaging among 5, removal, supplements for history, concurrent admin
// rekeys and their convergence, key expiry.
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { generateIdentity, type Identity } from '../../src/identity/keys.js';
import { isSessionSdkError } from '../../src/errors.js';
import { randomBytes } from '../../src/util/bytes.js';
import {
  GROUP_KEY_EXPIRY_MS,
  GroupNamespace,
  createGroupKeys,
  decryptGroupMessage,
  encryptGroupMessage,
  groupPromotionSeed,
  keySupplement,
  loadKeyMessage,
  makeSubaccount,
  openKickedNotice,
  planMemberRemoval,
  rekey,
  verifySubaccount,
  type GroupKeys,
} from '../../src/groups/index.js';
import { describeEachProvider } from '../helpers/vectors.js';
import { GroupInfoConfig } from '../../src/config/group-info.js';
import { GroupMembersConfig } from '../../src/config/group-members.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const DAY = 86_400_000;

/** A group swarm: per-namespace message lists with storage timestamps and hashes. */
class Swarm {
  private n = 0;
  now = 1_700_000_000_000;
  readonly ns = new Map<number, { hash: string; ts: number; data: Uint8Array }[]>();
  store(namespace: number, data: Uint8Array): void {
    const list = this.ns.get(namespace) ?? [];
    list.push({ hash: `h${this.n++}`, ts: (this.now += 1000), data });
    this.ns.set(namespace, list);
  }
  get(namespace: number) {
    return this.ns.get(namespace) ?? [];
  }
}

/** A participant that polls namespace 12 and remembers what it has seen. */
class Participant {
  private seen = new Set<string>();
  constructor(
    readonly id: Identity,
    readonly keys: GroupKeys,
  ) {}
  async pollKeys(swarm: Swarm): Promise<number> {
    let got = 0;
    for (const m of swarm.get(GroupNamespace.keys)) {
      if (this.seen.has(m.hash)) continue;
      this.seen.add(m.hash);
      if (await loadKeyMessage(this.keys, m.data, m.ts, { hash: m.hash })) got++;
    }
    return got;
  }
}

function newGroup() {
  const g = ed25519KeyPairFromSeed(randomBytes(32));
  const adminId = generateIdentity();
  const admin = new Participant(adminId, createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey }));
  const member = (id = generateIdentity()) => new Participant(id, createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: g.publicKey }));
  return { g, admin, member };
}

describeEachProvider('groups v2, multi-party', () => {
  it('an admin creates a group of 5; members load keys, info and members; everyone reads everyone', async () => {
    const swarm = new Swarm();
    const { g, admin, member } = newGroup();
    const members = [member(), member(), member(), member()];
    const all = [admin, ...members];
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, all.map((p) => p.id.sessionId)));
    for (const p of all) expect(await p.pollKeys(swarm)).toBe(1);
    const key = admin.keys.encryptionKey();
    for (const p of all) expect(p.keys.encryptionKey()).toEqual(key);
    expect(admin.keys.pendingConfig()).toBeUndefined();

    // Info and Members, pushed by the admin under the group key, read by every member
    const info = new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys: admin.keys.decryptionKeys() });
    const roster = new GroupMembersConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys: admin.keys.decryptionKeys() });
    info.setName('Five of us');
    for (const [i, p] of all.entries()) roster.set({ ...roster.getOrConstruct(p.id.sessionId), name: `member ${i}`, admin: i === 0 });
    for (const c of [info, roster]) swarm.store(c.namespace, (await c.push()).data);
    for (const p of members) {
      const ri = new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, keys: p.keys.decryptionKeys() });
      const rm = new GroupMembersConfig({ groupEd25519PublicKey: g.publicKey, keys: p.keys.decryptionKeys() });
      await ri.merge(swarm.get(GroupNamespace.info).map((m) => ({ hash: m.hash, data: m.data })));
      await rm.merge(swarm.get(GroupNamespace.members).map((m) => ({ hash: m.hash, data: m.data })));
      expect(ri.getName()).toBe('Five of us');
      expect(rm.all().length).toBe(5);
      expect(rm.get(admin.id.sessionId)?.admin).toBe(true);
    }

    for (const [i, p] of all.entries()) swarm.store(GroupNamespace.messages, await encryptGroupMessage(p.keys, utf8(`hi from ${i}`)));
    for (const p of all) {
      const got = await Promise.all(swarm.get(GroupNamespace.messages).map((m) => decryptGroupMessage(p.keys, m.data)));
      expect(got.map((g) => text(g.plaintext))).toEqual(all.map((_, i) => `hi from ${i}`));
      expect(got.map((g) => g.senderSessionId)).toEqual(all.map((q) => q.id.sessionId));
    }
    // every ciphertext is padded to a multiple of 256
    for (const m of swarm.get(GroupNamespace.messages)) expect(m.data.length % 256).toBe(0);
  });

  it('a removed member cannot read new messages, the others can; it sees the kicked notice', async () => {
    const swarm = new Swarm();
    const { admin, member } = newGroup();
    const [alice, bob, carol, mallory] = [member(), member(), member(), member()];
    const all = [admin, alice!, bob!, carol!, mallory!];
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, all.map((p) => p.id.sessionId)));
    for (const p of all) await p.pollKeys(swarm);
    const before = await encryptGroupMessage(alice!.keys, utf8('before'));

    const remaining = [admin, alice!, bob!, carol!];
    const plan = await planMemberRemoval(
      admin.keys,
      remaining.map((p) => p.id.sessionId),
      [mallory!.id.sessionId],
      { rekeyConfigs: () => ({ info: utf8('info under new key'), members: utf8('members under new key') }), timestampMs: swarm.now },
    );
    expect(plan.pushes.map((p) => [p.kind, p.namespace])).toEqual([
      ['keys', 12],
      ['info', 13],
      ['members', 14],
      ['kicked', -11],
    ]);
    expect(plan.generation).toBe(1);
    expect(plan.revoke.params.revoke).toHaveLength(1);
    expect(plan.revoke.params.pubkey).toBe(admin.keys.groupId);
    for (const p of plan.pushes) swarm.store(p.namespace, p.data);

    for (const p of [admin, ...remaining.slice(1)]) expect(await p.pollKeys(swarm)).toBe(1);
    expect(await mallory!.pollKeys(swarm)).toBe(0);
    expect(await openKickedNotice(mallory!.keys, plan.kickedNotice.data)).toEqual({ generation: 1 });
    expect(await openKickedNotice(alice!.keys, plan.kickedNotice.data)).toBeUndefined();

    const after = await encryptGroupMessage(bob!.keys, utf8('after'));
    for (const p of remaining) expect(text((await decryptGroupMessage(p.keys, after)).plaintext)).toBe('after');
    await expect(decryptGroupMessage(mallory!.keys, after)).rejects.toSatisfy((e) => isSessionSdkError(e, 'DECRYPT_FAILED'));
    // the documented limit: old messages stay readable to the removed member
    expect(text((await decryptGroupMessage(mallory!.keys, before)).plaintext)).toBe('before');
  });

  it('removal with the real Info/Members configs: remaining members read the re-keyed configs, the removed one cannot', async () => {
    const swarm = new Swarm();
    const { g, admin, member } = newGroup();
    const [alice, mallory] = [member(), member()];
    const all = [admin, alice!, mallory!];
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, all.map((p) => p.id.sessionId)));
    for (const p of all) await p.pollKeys(swarm);
    const adminCfg = {
      info: new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys: admin.keys.decryptionKeys() }),
      members: new GroupMembersConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys: admin.keys.decryptionKeys() }),
    };
    adminCfg.info.setName('Book club');
    for (const p of all) adminCfg.members.set({ ...adminCfg.members.getOrConstruct(p.id.sessionId), name: `m${all.indexOf(p)}` });
    for (const c of [adminCfg.info, adminCfg.members]) {
      const push = await c.push();
      swarm.store(push.namespace, push.data);
      c.confirmPushed(push.seqno, swarm.get(push.namespace).at(-1)!.hash);
    }

    const plan = await planMemberRemoval(admin.keys, [admin.id.sessionId, alice!.id.sessionId], [mallory!.id.sessionId], { configs: adminCfg });
    expect(plan.configsIncluded).toBe(true);
    expect(plan.rekeyPushes.map((p) => p.kind)).toEqual(['keys', 'info', 'members']);
    for (const p of plan.pushes) swarm.store(p.namespace, p.data);
    await admin.pollKeys(swarm);

    // readers: load keys first (namespace 12), then configs with every key they hold
    const readerConfigs = async (p: Participant) => {
      await p.pollKeys(swarm);
      const keys = p.keys.decryptionKeys();
      const info = new GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, keys });
      const members = new GroupMembersConfig({ groupEd25519PublicKey: g.publicKey, keys });
      const latest = (ns: number) => swarm.get(ns).slice(-1).map((m) => ({ hash: m.hash, data: m.data }));
      await info.merge(latest(GroupNamespace.info));
      await members.merge(latest(GroupNamespace.members));
      return { info, members };
    };
    const a = await readerConfigs(alice!);
    expect(a.info.getName()).toBe('Book club');
    expect(a.members.all().map((m) => m.sessionId).sort()).toEqual([admin.id.sessionId, alice!.id.sessionId].sort());
    const m = await readerConfigs(mallory!);
    expect(m.info.getName()).toBeUndefined(); // the re-keyed Info does not decrypt for mallory
    expect(m.members.all()).toEqual([]);
  });

  it('a supplement lets a new member read history; a rekey-add does not', async () => {
    const swarm = new Swarm();
    const { admin, member } = newGroup();
    const alice = member();
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, [admin.id.sessionId, alice.id.sessionId]));
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    const old0 = await encryptGroupMessage(alice.keys, utf8('gen0 history'));
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, [admin.id.sessionId, alice.id.sessionId]));
    // same members, next generation: a different key
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    expect(admin.keys.generation).toBe(1);
    const old1 = await encryptGroupMessage(admin.keys, utf8('gen1 history'));

    const dave = member();
    const authData = await makeSubaccount(admin.keys, dave.id.sessionId);
    expect(await verifySubaccount(dave.keys, authData, true)).toBe(true);
    swarm.store(GroupNamespace.keys, await keySupplement(admin.keys, [dave.id.sessionId]));
    expect(await dave.pollKeys(swarm)).toBe(1);
    expect(dave.keys.knownKeys().map((k) => k.generation)).toEqual([0, 1]);
    expect(text((await decryptGroupMessage(dave.keys, old0)).plaintext)).toBe('gen0 history');
    expect(text((await decryptGroupMessage(dave.keys, old1)).plaintext)).toBe('gen1 history');
    // others are unaffected by the supplement
    expect(await alice.pollKeys(swarm)).toBe(0);

    // erin is added without history: a rekey that includes her
    const erin = member();
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, [admin, alice, dave, erin].map((p) => p.id.sessionId)));
    for (const p of [admin, alice, dave]) expect(await p.pollKeys(swarm)).toBe(1);
    expect(await erin.pollKeys(swarm)).toBe(1);
    expect(erin.keys.knownKeys().map((k) => k.generation)).toEqual([2]);
    await expect(decryptGroupMessage(erin.keys, old1)).rejects.toSatisfy((e) => isSessionSdkError(e, 'DECRYPT_FAILED'));
    const now = await encryptGroupMessage(erin.keys, utf8('hello all'));
    for (const p of [admin, alice, dave]) expect((await decryptGroupMessage(p.keys, now)).senderSessionId).toBe(erin.id.sessionId);
  });

  it('two admins rekey concurrently, then converge with one more rekey', async () => {
    const swarm = new Swarm();
    const { admin: a1, member } = newGroup();
    const a2 = member();
    a2.keys.loadAdminKey(groupPromotionSeed(a1.keys)); // promotion
    expect(a2.keys.isAdmin).toBe(true);
    const m = member();
    const x = member();
    const y = member();
    const base = [a1, a2, m].map((p) => p.id.sessionId);
    swarm.store(GroupNamespace.keys, await rekey(a1.keys, base));
    for (const p of [a1, a2, m]) await p.pollKeys(swarm);
    expect(a2.keys.encryptionKey()).toEqual(a1.keys.encryptionKey());

    // concurrent: a1 adds x, a2 adds y — both at generation 1 with different keys
    const r1 = await rekey(a1.keys, [...base, x.id.sessionId]);
    const r2 = await rekey(a2.keys, [...base, y.id.sessionId]);
    expect(a1.keys.generation).toBe(1);
    expect(a2.keys.generation).toBe(1);
    expect(a1.keys.encryptionKey()).not.toEqual(a2.keys.encryptionKey());
    // each sends a message with its pending key before seeing the other's rekey
    const msg1 = await encryptGroupMessage(a1.keys, utf8('from a1'));
    const msg2 = await encryptGroupMessage(a2.keys, utf8('from a2'));
    swarm.store(GroupNamespace.keys, r1);
    swarm.store(GroupNamespace.keys, r2);
    for (const p of [a1, a2, m, x, y]) await p.pollKeys(swarm);
    expect(a1.keys.needsRekey).toBe(true);
    expect(a2.keys.needsRekey).toBe(true);
    expect(m.keys.needsRekey).toBe(false); // only admins act on it
    // m saw both gen-1 keys and reads both messages
    expect(text((await decryptGroupMessage(m.keys, msg1)).plaintext)).toBe('from a1');
    expect(text((await decryptGroupMessage(m.keys, msg2)).plaintext)).toBe('from a2');
    // both admins now agree on the encryption key (the same sorted last key)
    expect(a1.keys.encryptionKey()).toEqual(a2.keys.encryptionKey());

    // one admin fixes it; the union of members gets generation 2
    const everyone = [...base, x.id.sessionId, y.id.sessionId];
    swarm.store(GroupNamespace.keys, await rekey(a2.keys, everyone));
    for (const p of [a1, a2, m, x, y]) await p.pollKeys(swarm);
    for (const p of [a1, a2]) expect(p.keys.needsRekey).toBe(false);
    const k = a1.keys.encryptionKey();
    for (const p of [a2, m, x, y]) expect(p.keys.encryptionKey()).toEqual(k);
    expect(a1.keys.generation).toBe(2);

    // the same change made twice yields the same key: deterministic, no conflict
    const d1 = await rekey(a1.keys, everyone);
    const d2 = await rekey(a2.keys, everyone);
    expect(d1).toEqual(d2);
    swarm.store(GroupNamespace.keys, d1);
    swarm.store(GroupNamespace.keys, d2);
    for (const p of [a1, a2]) await p.pollKeys(swarm);
    expect(a1.keys.needsRekey).toBe(false);
  });

  it('old generations expire 60 days (swarm time) after a newer one appears', async () => {
    const swarm = new Swarm();
    const { admin, member } = newGroup();
    const alice = member();
    const ids = [admin.id.sessionId, alice.id.sessionId];
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, ids));
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    const old = await encryptGroupMessage(admin.keys, utf8('old'));
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, ids));
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    expect(alice.keys.knownKeys().length).toBe(2);
    expect(alice.keys.activeHashes().size).toBe(2);
    swarm.now += GROUP_KEY_EXPIRY_MS - 10 * DAY;
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, ids));
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    expect(alice.keys.knownKeys().map((k) => k.generation)).toEqual([0, 1, 2]);
    swarm.now += 11 * DAY;
    swarm.store(GroupNamespace.keys, await rekey(admin.keys, ids));
    await admin.pollKeys(swarm);
    await alice.pollKeys(swarm);
    // gen 1 appeared > 60 days before gen 3: gen 0 is gone; gen 2 appeared < 60 days before: gen 1 stays
    expect(alice.keys.knownKeys().map((k) => k.generation)).toEqual([1, 2, 3]);
    expect(alice.keys.activeHashes().size).toBe(3);
    await expect(decryptGroupMessage(alice.keys, old)).rejects.toSatisfy((e) => isSessionSdkError(e, 'DECRYPT_FAILED'));
    // a late copy of the expired generation is not re-added (it decrypts, so libsession reports true)
    expect(await loadKeyMessage(alice.keys, swarm.get(GroupNamespace.keys)[0]!.data, swarm.get(GroupNamespace.keys)[0]!.ts)).toBe(true);
    expect(alice.keys.knownKeys().map((k) => k.generation)).toEqual([1, 2, 3]);
  });

  it('dump() / createGroupKeys({ dump }) restores keys, pending rekey and active hashes', async () => {
    const swarm = new Swarm();
    const { g, admin, member } = newGroup();
    const alice = member();
    const ids = [admin.id.sessionId, alice.id.sessionId];
    for (let i = 0; i < 3; i++) {
      swarm.store(GroupNamespace.keys, await rekey(admin.keys, ids));
      await admin.pollKeys(swarm);
      await alice.pollKeys(swarm);
    }
    const pendingMsg = await rekey(admin.keys, ids); // not yet confirmed
    const restore = (p: Participant, admin: boolean) =>
      createGroupKeys({
        userEd25519SecretKey: p.id.ed25519SecretKey,
        groupEd25519PublicKey: g.publicKey,
        groupEd25519SecretKey: admin ? g.secretKey : undefined,
        dump: p.keys.dump(),
      });
    const a2 = restore(admin, true);
    expect(a2.knownKeys()).toEqual(admin.keys.knownKeys());
    expect(a2.pendingConfig()).toEqual(pendingMsg);
    expect(a2.encryptionKey()).toEqual(admin.keys.encryptionKey());
    expect(a2.activeHashes()).toEqual(admin.keys.activeHashes());
    expect(a2.dump()).toEqual(admin.keys.dump());
    const al2 = restore(alice, false);
    expect(al2.knownKeys()).toEqual(alice.keys.knownKeys());
    const m = await encryptGroupMessage(alice.keys, utf8('persisted'));
    expect(text((await decryptGroupMessage(al2, m)).plaintext)).toBe('persisted');
    // loading the pending message back confirms it on the restored admin too
    expect(await loadKeyMessage(a2, pendingMsg, swarm.now + 1)).toBe(true);
    expect(a2.pendingConfig()).toBeUndefined();
  });

  it('destroy() wipes the keyring and later use throws DESTROYED', async () => {
    const { admin } = newGroup();
    await rekey(admin.keys, [admin.id.sessionId]);
    const copy = admin.keys.encryptionKey();
    const internal = keyringInternals(admin.keys, 'test');
    const held = [internal.encryptionKey(), internal.userEd25519SecretKey, internal.userX25519SecretKey, internal.adminSecretKey(), internal.adminX25519SecretKey()];
    // nothing secret is an own property of the public object
    expect(Object.keys(admin.keys).sort()).toEqual(['groupEd25519PublicKey', 'groupX25519PublicKey', 'userEd25519PublicKey', 'userX25519PublicKey']);
    admin.keys.destroy();
    for (const b of held) expect(b.every((x) => x === 0)).toBe(true);
    expect(copy.some((x) => x !== 0)).toBe(true); // copies handed out belong to the caller
    expect(admin.keys.destroyed).toBe(true);
    expect(admin.keys.isAdmin).toBe(false);
    await expect(encryptGroupMessage(admin.keys, utf8('x'))).rejects.toSatisfy((e) => isSessionSdkError(e, 'DESTROYED'));
    await expect(rekey(admin.keys, [])).rejects.toSatisfy((e) => isSessionSdkError(e, 'DESTROYED', 'NOT_ADMIN'));
  });
});

describe('multi-party sanity', () => {
  it('an unknown participant cannot load a key', async () => {
    const { admin, member } = newGroup();
    const stranger = member();
    const msg = await rekey(admin.keys, [admin.id.sessionId]);
    expect(await loadKeyMessage(stranger.keys, msg, 1)).toBe(false);
    expect(stranger.keys.size).toBe(0);
    await expect(encryptGroupMessage(stranger.keys, utf8('x'))).rejects.toSatisfy((e) => isSessionSdkError(e, 'NO_KEY'));
  });
});
