// The groups module's exported constants, each tied to the behaviour it names and to its source:
// the BLAKE2b labels (recomputed with libsodium against the groups-v2 vectors), the keys-message
// sizes and padding multiple (spec/groups.md §2.4–2.6, libsession keys.cpp), the multi-encrypt
// tag (upstream test_multi_encrypt.cpp) and the group-message overhead and size limit
// (libsession GROUPS_MAX_PLAINTEXT_MESSAGE_SIZE = 1'000'000).
import { ed25519 } from '@noble/curves/ed25519.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import {
  createGroupKeys,
  decodeKeysMessage,
  decryptForMultiple,
  decryptGroupMessage,
  encryptForMultiple,
  encryptGroupMessage,
  GROUP_KEY_LABELS,
  GROUP_MESSAGE_MAX_PLAINTEXT,
  GROUP_MESSAGE_OVERHEAD,
  keySupplement,
  loadKeyMessage,
  makeKickedNotice,
  MESSAGE_KEY_MULTIPLE,
  MIN_SUPPLEMENT_ENTRY_BYTES,
  MULTI_ENCRYPT_OVERHEAD,
  openGroupMessageInner,
  rekey,
  signableDict,
  WRAPPED_KEY_BYTES,
  zstdCompress,
} from '../../src/groups/index.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { sessionIdToPublicKey } from '../../src/identity/session-id.js';
import { bencode } from '../../src/util/bencode.js';
import { concatBytes } from '../../src/util/bytes.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const keysVectors = loadVectors('groups/groups-v2-keys.json').vectors;
const kv = (name: string) => keysVectors.find((x: { name: string }) => x.name === name);
const GROUP_SEED = hex(kv('test_identities').inputs.group_ed25519_seed);
const group = ed25519KeyPairFromSeed(GROUP_SEED);

/** An admin keyring of the vectors' group, with one key loaded (so it can encrypt). */
async function adminWithKey(memberIds: string[] = []) {
  const admin = identityFromSeed(new Uint8Array(32).fill(0x41));
  const keys = createGroupKeys({ userEd25519SecretKey: admin.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: GROUP_SEED });
  await loadKeyMessage(keys, await rekey(keys, [admin.sessionId, ...memberIds]), 1_700_000_000_000);
  return { admin, keys };
}

/** A structurally valid keys message (the signature is not checked by decodeKeysMessage). */
const craft = (fields: Record<string, Parameters<typeof bencode>[0]>) => signableDict(fields).finish(new Uint8Array(64));

describe('GROUP_KEY_LABELS: the BLAKE2b keys of spec/groups.md §2.2, recomputed with libsodium', () => {
  const h = (len: number, msg: Uint8Array, label: string) => sodium.crypto_generichash(len, msg, utf8(label));

  it('has exactly the seven labels of libsession keys.cpp (its code, not its header comment) and the kicked notice', () => {
    expect(GROUP_KEY_LABELS).toEqual({
      seed: 'SessionGroupKeySeed',
      gen: 'SessionGroupKeyGen',
      admin: 'SessionGroupKeyAdminKey', // header comment says "SessionGroupKeyAdmin": code wins
      member: 'SessionGroupKeyMemberKey', // header comment says "SessionGroupKeyMember"
      junk: 'SessionGroupJunkMembers',
      subaccountMask: 'SessionGroupSubaccountMask',
      kicked: 'SessionGroupKickedMessage',
    });
    for (const label of Object.values(GROUP_KEY_LABELS)) expect(utf8(label).length).toBeLessThanOrEqual(64); // a BLAKE2b key
  });

  it('seed, admin and subaccountMask: seed_hash(label) = BLAKE2b-32(key = label, group seed)', () => {
    const out = kv('group_seed_hashes').outputs;
    expect(toHex(h(32, GROUP_SEED, GROUP_KEY_LABELS.seed))).toBe(out.SessionGroupKeySeed);
    expect(toHex(h(32, GROUP_SEED, GROUP_KEY_LABELS.admin))).toBe(out.SessionGroupKeyAdminKey);
    expect(toHex(h(32, GROUP_SEED, GROUP_KEY_LABELS.subaccountMask))).toBe(out.SessionGroupSubaccountMask);
  });

  it('gen, junk and member reproduce a five-member rekey; the SDK\'s rekey gives the same message', async () => {
    const v = kv('rekey_gen1_five_members');
    const o = v.outputs;
    const sids: string[] = v.inputs.member_session_ids_sorted;
    const h2 = hex(o.seed_hash_SessionGroupKeySeed);
    const h1 = h(56, concatBytes(...sids.map(utf8), utf8(String(v.inputs.generation)), h2), GROUP_KEY_LABELS.gen);
    expect(toHex(h1)).toBe(o.h1_56);
    const groupSk64 = concatBytes(GROUP_SEED, group.publicKey);
    expect(toHex(h(32, concatBytes(h1, groupSk64), GROUP_KEY_LABELS.junk))).toBe(o.junk_rng_seed);
    // Member wrap key: BLAKE2b-32(key = member label, DH(a', X) ‖ A' ‖ X), group X25519 key first.
    const groupXsk = sodium.crypto_sign_ed25519_sk_to_curve25519(groupSk64);
    const groupXpk = sodium.crypto_sign_ed25519_pk_to_curve25519(group.publicKey);
    for (const m of o.members as { session_id: string; member_outer_key: string; ciphertext: string }[]) {
      const x = sessionIdToPublicKey(m.session_id);
      const wrap = h(32, concatBytes(sodium.crypto_scalarmult(groupXsk, x), groupXpk, x), GROUP_KEY_LABELS.member);
      expect(toHex(wrap)).toBe(m.member_outer_key);
      const key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, hex(m.ciphertext), null, hex(o.nonce), wrap);
      expect(toHex(key)).toBe(o.group_enc_key);
    }
  });

  it('kicked: makeKickedNotice under this label reproduces the kicked-notice vector', async () => {
    const v = loadVectors('groups/multi-encrypt.json').vectors.find((x: { name: string }) => x.name === 'group_kicked_notice');
    expect(v.inputs.domain).toBe(GROUP_KEY_LABELS.kicked);
    const { keys } = await adminWithKey();
    const notice = await makeKickedNotice(keys, v.inputs.recipients_session_ids, v.inputs.current_generation, { nonce: hex(v.inputs.nonce) });
    expect(toHex(notice)).toBe(v.outputs.encoded);
  });
});

describe('keys-message sizes', () => {
  it('MESSAGE_KEY_MULTIPLE: full keys messages carry a multiple of 75 member entries (vectors and rekey output)', async () => {
    expect(MESSAGE_KEY_MULTIPLE).toBe(75);
    for (const [name, real] of [['rekey_gen0_no_members', 0], ['rekey_gen1_five_members', 5], ['rekey_gen2_three_members', 3]] as const) {
      const v = kv(name);
      const m = decodeKeysMessage(hex(v.outputs.keys_message));
      if (m.kind !== 'full') throw new Error('expected a full keys message');
      expect(m.memberKeys.length % MESSAGE_KEY_MULTIPLE, name).toBe(0);
      expect(m.memberKeys.length, name).toBe(real === 0 ? 0 : MESSAGE_KEY_MULTIPLE);
      expect(Number(v.outputs.n_junk), name).toBe(real === 0 ? 0 : MESSAGE_KEY_MULTIPLE - real);
    }
    // 76 members need a second block of 75.
    const ids = Array.from({ length: MESSAGE_KEY_MULTIPLE }, (_, i) => identityFromSeed(new Uint8Array(32).fill(i + 100)).sessionId);
    const { keys } = await adminWithKey(ids);
    const m = decodeKeysMessage(await rekey(keys, [...ids, identityFromSeed(new Uint8Array(32).fill(99)).sessionId]));
    expect(m.kind === 'full' && m.memberKeys.length).toBe(2 * MESSAGE_KEY_MULTIPLE);
  });

  it('MESSAGE_KEY_MULTIPLE: a member list one short of or one past a multiple is CONFIG_INVALID, as libsession rejects it', () => {
    const entry = new Uint8Array(WRAPPED_KEY_BYTES);
    const full = (n: number) => craft({ '#': new Uint8Array(24), G: 1, K: entry, k: Array(n).fill(entry) });
    for (const n of [0, MESSAGE_KEY_MULTIPLE, 2 * MESSAGE_KEY_MULTIPLE]) expect(decodeKeysMessage(full(n)).kind).toBe('full');
    for (const n of [1, MESSAGE_KEY_MULTIPLE - 1, MESSAGE_KEY_MULTIPLE + 1]) {
      expect(() => decodeKeysMessage(full(n))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });

  it('WRAPPED_KEY_BYTES: a 32-byte key plus its tag; the vector\'s K opens to the group key with libsodium', () => {
    expect(WRAPPED_KEY_BYTES).toBe(32 + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const o = kv('rekey_gen1_five_members').outputs;
    const K = hex(o.K_admin_ciphertext);
    expect(K.length).toBe(WRAPPED_KEY_BYTES);
    const groupKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, K, null, hex(o.nonce), hex(o.admin_key_SessionGroupKeyAdminKey));
    expect(toHex(groupKey)).toBe(o.group_enc_key);
    const m = decodeKeysMessage(hex(o.keys_message));
    expect(m.kind === 'full' && m.memberKeys.every((e) => e.length === WRAPPED_KEY_BYTES)).toBe(true);
  });

  it('WRAPPED_KEY_BYTES: K or a member entry of any other length is CONFIG_INVALID', () => {
    const ok = new Uint8Array(WRAPPED_KEY_BYTES);
    const entries = (e: Uint8Array) => [e, ...Array(MESSAGE_KEY_MULTIPLE - 1).fill(ok)];
    for (const len of [WRAPPED_KEY_BYTES - 1, WRAPPED_KEY_BYTES + 1, 32]) {
      const bad = new Uint8Array(len);
      expect(() => decodeKeysMessage(craft({ '#': new Uint8Array(24), G: 1, K: bad, k: [] }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
      expect(() => decodeKeysMessage(craft({ '#': new Uint8Array(24), G: 1, K: ok, k: entries(bad) }))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });

  it('MIN_SUPPLEMENT_ENTRY_BYTES: libsession\'s floor (one 52-byte {g,k,t} dict + tag); 67 bytes is CONFIG_INVALID, 68 passes', async () => {
    const oneDict = bencode({ g: 1, k: new Uint8Array(32), t: 0 });
    expect(oneDict.length).toBe(52);
    expect(MIN_SUPPLEMENT_ENTRY_BYTES).toBe(oneDict.length + 16);
    const supp = (len: number) => craft({ '#': new Uint8Array(24), '+': [new Uint8Array(len)], G: 1 });
    expect(decodeKeysMessage(supp(MIN_SUPPLEMENT_ENTRY_BYTES)).kind).toBe('supplement');
    expect(() => decodeKeysMessage(supp(MIN_SUPPLEMENT_ENTRY_BYTES - 1))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    // Real entries encrypt a *list* of such dicts (2 bytes more at least), so they clear the floor.
    expect(bencode([{ g: 1, k: new Uint8Array(32), t: 0 }]).length + 16).toBe(MIN_SUPPLEMENT_ENTRY_BYTES + 2);
    const { keys } = await adminWithKey();
    const m = decodeKeysMessage(await keySupplement(keys, [identityFromSeed(new Uint8Array(32).fill(7)).sessionId]));
    expect(m.kind === 'supplement' && m.entries[0]!.length).toBeGreaterThanOrEqual(MIN_SUPPLEMENT_ENTRY_BYTES + 2);
    const v = kv('key_supplement_two_new_members');
    for (const c of v.outputs.ciphertexts as string[]) {
      expect(hex(c).length - 16).toBe(hex(v.outputs.inner_plaintext_bencoded).length); // entry = inner list + tag
    }
  });
});

describe('MULTI_ENCRYPT_OVERHEAD', () => {
  const mv = loadVectors('groups/multi-encrypt.json').vectors;
  const byName = (n: string) => mv.find((x: { name: string }) => x.name === n);

  it('is the Poly1305 tag: upstream "hello" entries are 5 + 16 bytes, and encryptForMultiple agrees', async () => {
    expect(MULTI_ENCRYPT_OVERHEAD).toBe(sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES);
    const v = byName('multi_encrypt_same_message');
    expect(v.provenance).toMatch(/^upstream/);
    for (const c of v.outputs.ciphertexts as string[]) expect(hex(c).length).toBe(5 + MULTI_ENCRYPT_OVERHEAD);
    const seeds: string[] = byName('multi_encrypt_x25519_keys').inputs.ed25519_seeds;
    const kp = seeds.map((s) => identityFromSeed(hex(s)));
    const out = await encryptForMultiple([utf8(v.inputs.message_utf8)], [1, 2, 3].map((i) => kp[i]!.x25519PublicKey), hex(v.inputs.nonce), kp[0]!.x25519SecretKey, kp[0]!.x25519PublicKey, v.inputs.domain);
    expect(out.map(toHex)).toEqual(v.outputs.ciphertexts);
    for (const msg of [new Uint8Array(0), new Uint8Array(100)]) {
      const [e] = await encryptForMultiple([msg], [kp[1]!.x25519PublicKey], hex(v.inputs.nonce), kp[0]!.x25519SecretKey, kp[0]!.x25519PublicKey, 'd');
      expect(e!.length - msg.length).toBe(MULTI_ENCRYPT_OVERHEAD);
    }
  });

  it('an entry shorter than the overhead can never decrypt (skipped, not an error)', async () => {
    const a = identityFromSeed(new Uint8Array(32).fill(1));
    const b = identityFromSeed(new Uint8Array(32).fill(2));
    const nonce = new Uint8Array(24);
    const [e] = await encryptForMultiple([new Uint8Array(0)], [b.x25519PublicKey], nonce, a.x25519SecretKey, a.x25519PublicKey, 'd');
    expect(e!.length).toBe(MULTI_ENCRYPT_OVERHEAD);
    expect(await decryptForMultiple([e!], nonce, b.x25519SecretKey, b.x25519PublicKey, a.x25519PublicKey, 'd')).toEqual(new Uint8Array(0));
    expect(await decryptForMultiple([e!.subarray(1)], nonce, b.x25519SecretKey, b.x25519PublicKey, a.x25519PublicKey, 'd')).toBeUndefined();
  });
});

describe('GROUP_MESSAGE_OVERHEAD and GROUP_MESSAGE_MAX_PLAINTEXT', () => {
  const gm = loadVectors('groups/group-messages.json').vectors;

  it('GROUP_MESSAGE_OVERHEAD = nonce + tag: the vector ciphertext is the padded inner dict plus 40, opened by libsodium', () => {
    expect(GROUP_MESSAGE_OVERHEAD).toBe(24 + 16);
    const v = gm.find((x: { name: string }) => x.name === 'group_message_v1_uncompressed_current');
    const ct = hex(v.outputs.ciphertext);
    expect(ct.length - Number(v.outputs.padded_inner_len)).toBe(GROUP_MESSAGE_OVERHEAD);
    const inner = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct.subarray(24), null, ct.subarray(0, 24), hex(v.inputs.group_enc_key));
    expect(inner.length).toBe(ct.length - GROUP_MESSAGE_OVERHEAD);
    // Upstream-asserted sizes (tests/test_group_keys.cpp): padding counts the overhead in.
    const sizes = gm.find((x: { name: string }) => x.name === 'group_message_sizes_upstream');
    expect(Number(sizes.outputs.compressed_ciphertext_len) % 256).toBe(0);
    expect(Number(sizes.outputs.uncompressed_ciphertext_len) % 256).toBe(0);
  });

  it('GROUP_MESSAGE_OVERHEAD: fewer bytes is INVALID_LENGTH; exactly that many is no message (DECRYPT_FAILED)', async () => {
    const { keys } = await adminWithKey();
    expect(await codeOf(decryptGroupMessage(keys, new Uint8Array(GROUP_MESSAGE_OVERHEAD - 1)))).toBe('INVALID_LENGTH');
    expect(await codeOf(decryptGroupMessage(keys, new Uint8Array(GROUP_MESSAGE_OVERHEAD)))).toBe('DECRYPT_FAILED');
    const wire = await encryptGroupMessage(keys, utf8('hi'), { padding: 1, compress: false });
    const innerLen = bencode({ '': 1, a: new Uint8Array(32), d: utf8('hi'), s: new Uint8Array(64) }).length;
    expect(wire.length).toBe(innerLen + GROUP_MESSAGE_OVERHEAD);
  });

  it('GROUP_MESSAGE_MAX_PLAINTEXT: the largest plaintext encryptGroupMessage takes; one byte more is TOO_LARGE', async () => {
    expect(GROUP_MESSAGE_MAX_PLAINTEXT).toBe(1_000_000);
    const { admin, keys } = await adminWithKey();
    const max = new Uint8Array(GROUP_MESSAGE_MAX_PLAINTEXT).fill(0x5a);
    const wire = await encryptGroupMessage(keys, max, { compress: false });
    const back = await decryptGroupMessage(keys, wire);
    expect(back.plaintext.length).toBe(GROUP_MESSAGE_MAX_PLAINTEXT);
    expect(back.senderSessionId).toBe(admin.sessionId);
    for (const compress of [false, true]) {
      expect(await codeOf(encryptGroupMessage(keys, new Uint8Array(GROUP_MESSAGE_MAX_PLAINTEXT + 1), { compress }))).toBe('TOO_LARGE');
    }
  });

  it('GROUP_MESSAGE_MAX_PLAINTEXT also bounds decompression: a signed `z` body inflating one byte past it is INVALID_ENCODING', async () => {
    const author = identityFromSeed(new Uint8Array(32).fill(0x51));
    const inner = (size: number) => {
      const z = zstdCompress(new Uint8Array(size));
      const s = ed25519.sign(concatBytes(z, group.publicKey), author.seed);
      return bencode({ '': 1, a: author.ed25519PublicKey, s, z });
    };
    expect((await openGroupMessageInner(inner(GROUP_MESSAGE_MAX_PLAINTEXT), group.publicKey)).plaintext.length).toBe(GROUP_MESSAGE_MAX_PLAINTEXT);
    expect(await codeOf(openGroupMessageInner(inner(GROUP_MESSAGE_MAX_PLAINTEXT + 1), group.publicKey))).toBe('INVALID_ENCODING');
  });
});
