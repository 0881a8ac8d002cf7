// Group configs over the loopback onion network: two admin devices of a groups-v2 group store
// and retrieve Info (namespace 13) in the group's swarm, authenticated by the group key, edit
// concurrently and converge. (Members read with subaccount tokens, which the loopback nodes do
// not implement; the member side is covered in-process in sync.test.ts.)
import { describe, expect, it } from 'vitest';
import { GroupInfoConfig, onionConfigSwarm, syncConfig } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { randomBytes, toHex } from '../../src/util/bytes.js';
import { useLoopbackNetwork } from '../loopback/fixture.js';

const { net: loopback, client } = useLoopbackNetwork();

describe('group Info over the loopback onion network', () => {
  it('two admins converge through the group swarm', async () => {
    const seed = randomBytes(32);
    const { publicKey, secretKey } = ed25519KeyPairFromSeed(seed);
    const groupId = '03' + toHex(publicKey);
    const keys = [randomBytes(32)];
    const auth = { pubkey: groupId, ed25519SecretKey: secretKey };
    const swarmA = onionConfigSwarm(await client(), auth, { deleteObsolete: false });
    const swarmB = onionConfigSwarm(await client(), auth, { deleteObsolete: false });
    const a = new GroupInfoConfig({ groupEd25519PublicKey: publicKey, groupEd25519SecretKey: seed, keys });
    const b = new GroupInfoConfig({ groupEd25519PublicKey: publicKey, groupEd25519SecretKey: seed, keys });
    a.setName('Book club');
    expect((await syncConfig(a, swarmA)).pushed?.seqno).toBe(1);
    await syncConfig(b, swarmB);
    expect(b.getName()).toBe('Book club');
    a.setName('Book club 2');
    b.setDescription('We read.');
    await syncConfig(a, swarmA);
    expect((await syncConfig(b, swarmB)).pushed?.seqno).toBe(3);
    await syncConfig(a, swarmA);
    for (const x of [a, b]) {
      expect([x.getName(), x.getDescription(), x.seqno, x.needsPush()]).toEqual(['Book club 2', 'We read.', 3, false]);
    }
  }, 30_000);
});
