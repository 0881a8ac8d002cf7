// groups-v2 keys messages against test-vectors/groups/groups-v2-keys.json (spec/groups.md §2.2–2.6).
import { describe, expect, it } from 'vitest';
import { identityFromSeed } from '../../src/identity/keys.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import {
  createGroupKeys,
  decodeKeysMessage,
  keySupplement,
  loadKeyMessage,
  rekey,
  type GroupKeys,
} from '../../src/groups/index.js';
import { blake2bKeyed, groupSeedHash, randombytesBufDeterministic } from '../../src/groups/primitives.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('groups/groups-v2-keys.json');
const byName = (n: string) => V.vectors.find((v: { name: string }) => v.name === n);
const ids = byName('test_identities');
const groupSeed = hex(ids.inputs.group_ed25519_seed);
const group = ed25519KeyPairFromSeed(groupSeed);
const users: Record<string, ReturnType<typeof identityFromSeed>> = Object.fromEntries(
  Object.entries(ids.inputs.users as Record<string, string>).map(([k, s]) => [k, identityFromSeed(hex(s))]),
);
const bySid = (sid: string) => Object.values(users).find((u) => u.sessionId === sid)!;

function adminKeys(): GroupKeys {
  return createGroupKeys({
    userEd25519SecretKey: users.admin1!.ed25519SecretKey,
    groupEd25519PublicKey: group.publicKey,
    groupEd25519SecretKey: group.secretKey,
  });
}
function memberKeys(name: string): GroupKeys {
  return createGroupKeys({ userEd25519SecretKey: users[name]!.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
}

describe('groups-v2-keys.json: identities and seed hashes (upstream + derived)', () => {
  it('test_identities (upstream): session ids and group id', () => {
    expect(toHex(group.publicKey)).toBe(ids.outputs.group_ed25519_pk);
    expect(adminKeys().groupId).toBe(ids.outputs.group_id);
    for (const [name, u] of Object.entries(ids.outputs.users as Record<string, Record<string, string>>)) {
      const id = users[name]!;
      expect(id.sessionId, name).toBe(u.session_id);
      expect(toHex(id.ed25519PublicKey)).toBe(u.ed25519_pk);
      expect(memberKeys(name).userSessionId).toBe(u.session_id);
    }
  });

  it('group_seed_hashes (derived)', () => {
    const v = byName('group_seed_hashes');
    expect(toHex(adminKeys().groupX25519PublicKey)).toBe(v.outputs.group_x25519_pk);
    for (const label of ['SessionGroupKeySeed', 'SessionGroupKeyAdminKey', 'SessionGroupSubaccountMask']) {
      expect(toHex(groupSeedHash(groupSeed, label)), label).toBe(v.outputs[label]);
    }
  });
});

describeEachProvider('groups-v2-keys.json: rekey (derived)', () => {
  // Replays the upstream test's history: gen0 (no members), gen1 (5), gen2 (3).
  const steps = ['rekey_gen0_no_members', 'rekey_gen1_five_members', 'rekey_gen2_three_members'];
  const baseTs = [1680064058000, 1680064059000, 1680064060000];

  it('reproduces all three keys messages byte for byte and every member loads them', async () => {
    const admin = adminKeys();
    for (let i = 0; i < steps.length; i++) {
      const v = byName(steps[i]!);
      expect(admin.confirmedGeneration + 1).toBe(v.inputs.generation);
      // reverse the order on purpose: the SDK sorts
      const msg = await rekey(admin, [...v.inputs.member_session_ids_sorted].reverse());
      expect(msg.length).toBe(v.outputs.keys_message_len);
      expect(toHex(msg)).toBe(v.outputs.keys_message);
      expect(toHex(admin.encryptionKey())).toBe(v.outputs.group_enc_key); // pending
      expect(admin.pendingConfig()).toEqual(msg);
      expect(await loadKeyMessage(admin, msg, baseTs[i]!)).toBe(true);
      expect(admin.pendingConfig()).toBeUndefined();
      expect(admin.generation).toBe(v.inputs.generation);

      const d = decodeKeysMessage(msg);
      expect(d.kind).toBe('full');
      if (d.kind !== 'full') return;
      expect(toHex(d.nonce)).toBe(v.outputs.nonce);
      expect(toHex(d.adminKey)).toBe(v.outputs.K_admin_ciphertext);
      expect(d.signedData.length).toBe(v.outputs.signed_prefix_len);
      expect(toHex(d.signature)).toBe(v.outputs.signature);
      expect(d.memberKeys.length).toBe(v.outputs.members.length + v.outputs.n_junk);
      v.outputs.members.forEach((m: { ciphertext: string }, j: number) => expect(toHex(d.memberKeys[j]!)).toBe(m.ciphertext));

      for (const m of v.outputs.members as { session_id: string }[]) {
        const u = bySid(m.session_id);
        const name = Object.keys(users).find((n) => users[n] === u)!;
        if (name === 'admin1') continue;
        const mk = memberKeys(name);
        expect(await loadKeyMessage(mk, msg, baseTs[i]!), name).toBe(true);
        expect(toHex(mk.encryptionKey())).toBe(v.outputs.group_enc_key);
      }
    }
  });

  it('removed members (member3, member4) cannot load gen2', async () => {
    const v = byName('rekey_gen2_three_members');
    const msg = hex(v.outputs.keys_message);
    for (const name of ['member3', 'member4', 'admin2']) {
      const mk = memberKeys(name);
      expect(await loadKeyMessage(mk, msg, 1)).toBe(false);
      expect(mk.size).toBe(0);
    }
  });

  it('H1, junk seed and junk bytes match the intermediates', () => {
    const v = byName('rekey_gen1_five_members');
    const h2 = groupSeedHash(groupSeed, 'SessionGroupKeySeed');
    expect(toHex(h2)).toBe(v.outputs.seed_hash_SessionGroupKeySeed);
    const enc = new TextEncoder();
    const h1 = blake2bKeyed(56, 'SessionGroupKeyGen', ...v.inputs.member_session_ids_sorted.map((s: string) => enc.encode(s)), enc.encode('1'), h2);
    expect(toHex(h1)).toBe(v.outputs.h1_56);
    const seed = blake2bKeyed(32, 'SessionGroupJunkMembers', h1, group.secretKey);
    expect(toHex(seed)).toBe(v.outputs.junk_rng_seed);
    const d = decodeKeysMessage(hex(v.outputs.keys_message));
    if (d.kind !== 'full') throw new Error('expected full');
    const junk = randombytesBufDeterministic(48 * v.outputs.n_junk, seed);
    expect(toHex(junk)).toBe(d.memberKeys.slice(5).map(toHex).join(''));
  });
});

describeEachProvider('groups-v2-keys.json: key supplement (derived)', () => {
  it('reproduces the supplement and both new members obtain gen1 and gen2', async () => {
    const v = byName('key_supplement_two_new_members');
    const admin = adminKeys();
    // the admin holds exactly gen1 and gen2 (loaded from the swarm at the vector's timestamps)
    expect(await loadKeyMessage(admin, hex(byName('rekey_gen1_five_members').outputs.keys_message), v.inputs.keys[0].t)).toBe(true);
    expect(await loadKeyMessage(admin, hex(byName('rekey_gen2_three_members').outputs.keys_message), v.inputs.keys[1].t)).toBe(true);
    expect(admin.knownKeys().map((k) => ({ g: k.generation, k: toHex(k.key), t: k.timestampMs }))).toEqual(v.inputs.keys);

    const supp = await keySupplement(admin, v.inputs.recipient_session_ids);
    expect(toHex(supp)).toBe(v.outputs.supplement_message);
    const d = decodeKeysMessage(supp);
    expect(d.kind).toBe('supplement');
    if (d.kind !== 'supplement') return;
    expect(toHex(d.nonce)).toBe(v.outputs.nonce);
    expect(d.generation).toBe(v.outputs.G);
    expect(d.entries.map(toHex)).toEqual(v.outputs.ciphertexts);
    expect(toHex(d.signature)).toBe(v.outputs.signature);

    for (const name of ['member3b', 'member4b']) {
      const mk = memberKeys(name);
      expect(await loadKeyMessage(mk, supp, 1680064070000)).toBe(true);
      expect(mk.knownKeys().map((k) => ({ g: k.generation, k: toHex(k.key), t: k.timestampMs }))).toEqual(v.inputs.keys);
      expect(toHex(mk.encryptionKey())).toBe(v.inputs.keys[1].k);
    }
    // a non-recipient gets nothing, an admin ignores supplements
    expect(await loadKeyMessage(memberKeys('member1'), supp, 1)).toBe(false);
    expect(await loadKeyMessage(adminKeys(), supp, 1)).toBe(false);
  });
});

describe('rekey properties', () => {
  const pool = Array.from({ length: 8 }, (_, i) => identityFromSeed(new Uint8Array(32).fill(100 + i)));
  it('order- and case-independent, deterministic, and exactly the listed members can load it', async () => {
    const fc = (await import('fast-check')).default;
    await fc.assert(
      fc.asyncProperty(fc.subarray(pool.map((_, i) => i)), fc.integer({ min: 0, max: 1000 }), async (idx, salt) => {
        const a = adminKeys();
        const b = adminKeys();
        const ids = idx.map((i) => pool[i]!.sessionId);
        const shuffled = [...ids].sort(() => ((salt = (salt * 7919 + 13) % 1009) % 3) - 1).map((s, j) => (j % 2 ? s.toUpperCase() : s));
        const m1 = await rekey(a, ids);
        const m2 = await rekey(b, [...shuffled, ...shuffled]);
        expect(m2).toEqual(m1);
        const d = decodeKeysMessage(m1);
        expect(d.kind === 'full' && d.memberKeys.length).toBe(75);
        for (const [i, u] of pool.entries()) {
          const mk = createGroupKeys({ userEd25519SecretKey: u.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
          expect(await loadKeyMessage(mk, m1, 1)).toBe(idx.includes(i));
        }
      }),
      { seed: 42, numRuns: 6 },
    );
  });
});
