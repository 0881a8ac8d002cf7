// Groups v2 over the loopback onion network: keys messages (namespace 12), group messages (11)
// and the kicked notice (−11) stored in and retrieved from the group's swarm through 3-hop onion
// paths, with the swarm's storage timestamps feeding loadKeyMessage. Two admin devices rekey
// concurrently and converge. (Members authenticate with subaccounts, which the loopback nodes do
// not verify; the member side runs in process in multiparty.test.ts, and the subaccount request
// signatures are checked with verifySubaccountAuth in api.test.ts.)
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { generateIdentity } from '../../src/identity/keys.js';
import { OnionClient } from '../../src/onion/onion-client.js';
import { buildRetrieveRequest, buildStoreRequest, parseRetrieveResponse } from '../../src/onion/storage.js';
import { randomBytes } from '../../src/util/bytes.js';
import {
  GroupNamespace,
  createGroupKeys,
  decryptGroupMessage,
  encryptGroupMessage,
  groupStorageAuth,
  loadKeyMessage,
  openKickedNotice,
  planMemberRemoval,
  rekey,
  type GroupKeys,
} from '../../src/groups/index.js';
import { useLoopbackNetwork } from '../loopback/fixture.js';

const { net: loopback, client } = useLoopbackNetwork();

/** One admin device: its keyring, its onion client, and what it has already loaded. */
class Device {
  private seen = new Set<string>();
  constructor(
    readonly keys: GroupKeys,
    private readonly c: OnionClient,
  ) {}
  async store(namespace: number, data: Uint8Array): Promise<void> {
    const req = await buildStoreRequest({ auth: groupStorageAuth(this.keys), namespace, data, ttlMs: 86_400_000, timestamp: loopback().now() });
    await this.c.swarmRequest(this.keys.groupId, req.method, req.params);
  }
  async retrieve(namespace: number) {
    const req = await buildRetrieveRequest({ auth: groupStorageAuth(this.keys), namespace, timestamp: loopback().now() });
    const res = await this.c.swarmRequest(this.keys.groupId, req.method, req.params);
    return parseRetrieveResponse(res.body).messages;
  }
  /** Polls namespace 12 and loads new keys messages with their storage timestamps. */
  async pollKeys(): Promise<number> {
    let n = 0;
    for (const m of await this.retrieve(GroupNamespace.keys)) {
      if (this.seen.has(m.hash)) continue;
      this.seen.add(m.hash);
      if (await loadKeyMessage(this.keys, m.data, m.timestampMs, { hash: m.hash })) n++;
    }
    return n;
  }
}

describe('groups v2 over the loopback onion network', () => {
  it('two admin devices: rekeys, messages, a concurrent rekey that converges, a removal', async () => {
    const g = ed25519KeyPairFromSeed(randomBytes(32));
    const me = generateIdentity();
    const co = generateIdentity();
    const alice = generateIdentity();
    const mallory = generateIdentity();
    const dev = (id: typeof me) => createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
    const a = new Device(dev(me), await client());
    const b = new Device(dev(co), await client());
    const everyone = [me, co, alice, mallory].map((i) => i.sessionId);

    await a.store(GroupNamespace.keys, await rekey(a.keys, everyone));
    expect(await a.pollKeys()).toBe(1);
    expect(await b.pollKeys()).toBe(1);
    expect(b.keys.encryptionKey()).toEqual(a.keys.encryptionKey());
    expect(a.keys.activeHashes().size).toBe(1);

    await a.store(GroupNamespace.messages, await encryptGroupMessage(a.keys, new TextEncoder().encode('hello from a')));
    const got = await b.retrieve(GroupNamespace.messages);
    const opened = await decryptGroupMessage(b.keys, got[0]!.data);
    expect(new TextDecoder().decode(opened.plaintext)).toBe('hello from a');
    expect(opened.senderSessionId).toBe(me.sessionId);

    // concurrent rekeys with different member lists → same generation, two keys → needsRekey
    await a.store(GroupNamespace.keys, await rekey(a.keys, everyone.slice(0, 3)));
    await b.store(GroupNamespace.keys, await rekey(b.keys, [...everyone, generateIdentity().sessionId]));
    await a.pollKeys();
    await b.pollKeys();
    expect(a.keys.needsRekey).toBe(true);
    expect(b.keys.needsRekey).toBe(true);
    await b.store(GroupNamespace.keys, await rekey(b.keys, everyone));
    await a.pollKeys();
    await b.pollKeys();
    expect(a.keys.needsRekey || b.keys.needsRekey).toBe(false);
    expect(a.keys.encryptionKey()).toEqual(b.keys.encryptionKey());
    expect(a.keys.generation).toBe(2);

    // removal: keys and kicked notice through the swarm
    const plan = await planMemberRemoval(a.keys, everyone.filter((s) => s !== mallory.sessionId), [mallory.sessionId], { timestampMs: loopback().now() });
    for (const p of plan.pushes) await a.store(p.namespace, p.data);
    await a.pollKeys();
    await b.pollKeys();
    expect(b.keys.generation).toBe(3);
    expect(b.keys.encryptionKey()).toEqual(a.keys.encryptionKey());
    const notice = (await b.retrieve(GroupNamespace.revokedRetrievable))[0]!.data;
    const m = createGroupKeys({ userEd25519SecretKey: mallory.ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
    expect(await openKickedNotice(m, notice)).toEqual({ generation: 3 });
  }, 60_000);
});
