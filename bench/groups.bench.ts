// Groups v2 (spec/groups.md §2.4, §2.6, §2.8; performance targets in the issue):
// - rekey for 100 and 1000 members (targets ≤ 1.0× and ≤ 1.5×),
// - a member's load of a 1000-member keys message plus decryption of one group message,
// each against the same work composed from libsodium-wrappers-sumo: crypto_scalarmult +
// crypto_generichash + crypto_aead_xchacha20poly1305_ietf_encrypt per member, the junk padding
// (randombytes_buf_deterministic) and one crypto_sign_detached (member side: crypto_sign_verify_
// detached + crypto_scalarmult + crypto_generichash + trial crypto_aead_…_decrypt, then the group
// message's AEAD and signature check).
import _sodium from 'libsodium-wrappers-sumo';
import { getCryptoProvider } from '../src/crypto/provider.js';
import { identityFromSeed } from '../src/identity/keys.js';
import { bdecode, bencode, type BDict } from '../src/util/bencode.js';
import { createGroupKeys, decryptGroupMessage, encryptGroupMessage, loadKeyMessage, rekey } from '../src/groups/index.js';
import { compare } from './harness.js';

const enc = new TextEncoder();

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const provider = getCryptoProvider().name;
  const g = sodium.crypto_sign_seed_keypair(sodium.randombytes_buf(32));
  const adminId = identityFromSeed(sodium.randombytes_buf(32));
  const admin = createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.privateKey });
  const gxsk = sodium.crypto_sign_ed25519_sk_to_curve25519(g.privateKey);
  const gxpk = sodium.crypto_sign_ed25519_pk_to_curve25519(g.publicKey);
  const seed = g.privateKey.subarray(0, 32);
  const label = (s: string) => enc.encode(s);

  /** Members: random X25519 keys as Session IDs (what rekey consumes). */
  const sidsOf = (n: number) => Array.from({ length: n }, () => '05' + sodium.to_hex(sodium.crypto_box_keypair().publicKey)).sort();

  /** libsodium composition of Keys::rekey for sorted `sids`. */
  const sodiumRekey = (sids: string[], gen: number): Uint8Array => {
    const h2 = sodium.crypto_generichash(32, seed, label('SessionGroupKeySeed'));
    const st = sodium.crypto_generichash_init(label('SessionGroupKeyGen'), 56);
    for (const s of sids) sodium.crypto_generichash_update(st, enc.encode(s));
    sodium.crypto_generichash_update(st, enc.encode(String(gen)));
    sodium.crypto_generichash_update(st, h2);
    const h1 = sodium.crypto_generichash_final(st, 56);
    const key = h1.subarray(0, 32);
    const nonce = h1.subarray(32);
    const K = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(key, null, null, nonce, sodium.crypto_generichash(32, seed, label('SessionGroupKeyAdminKey')));
    const entries: Uint8Array[] = [];
    const dom = label('SessionGroupKeyMemberKey');
    const buf = new Uint8Array(96);
    buf.set(gxpk, 32);
    for (const s of sids) {
      const X = sodium.from_hex(s.slice(2));
      buf.set(sodium.crypto_scalarmult(gxsk, X), 0);
      buf.set(X, 64);
      entries.push(sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(key, null, null, nonce, sodium.crypto_generichash(32, buf, dom)));
    }
    const short = entries.length % 75;
    if (short) {
      const js = sodium.crypto_generichash(32, new Uint8Array([...h1, ...g.privateKey]), label('SessionGroupJunkMembers'));
      const junk = sodium.randombytes_buf_deterministic(48 * (75 - short), js);
      for (let i = 0; i < 75 - short; i++) entries.push(junk.subarray(48 * i, 48 * i + 48));
    }
    const body = bencode({ '#': nonce, G: gen, K, k: entries });
    const toSign = body.subarray(0, body.length - 1);
    const sig = sodium.crypto_sign_detached(toSign, g.privateKey);
    return new Uint8Array([...toSign, ...enc.encode('1:~64:'), ...sig, 0x65]);
  };

  for (const n of [100, 1000]) {
    const sids = sidsOf(n);
    const ours = await rekey(admin, sids);
    // same inputs, same bytes: the reference really does the same work
    if (sodium.to_hex(sodiumRekey(sids, 0)) !== sodium.to_hex(ours)) throw new Error('rekey cross-check failed');
    await compare('groups', `rekey ${n} members [${provider}]`, () => rekey(admin, sids), () => sodiumRekey(sids, 0), 'libsodium', n === 100 ? 1.0 : 1.5, n === 1000 ? { runs: 5, targetMs: 400 } : undefined);
  }

  // A member of a 1000-member group whose entry is the last real one (worst case for trial decryption).
  let me = identityFromSeed(sodium.randombytes_buf(32));
  while (!me.sessionId.startsWith('05f')) me = identityFromSeed(sodium.randombytes_buf(32));
  const others = sidsOf(1200).filter((s) => s < me.sessionId).slice(0, 999);
  const keysMsg = await rekey(admin, [...others, me.sessionId]);
  await loadKeyMessage(admin, keysMsg, 1_700_000_000_000);
  const groupMsg = await encryptGroupMessage(admin, sodium.randombytes_buf(1000));
  const member = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: g.publicKey });

  const oursLoad = async () => {
    if (!(await loadKeyMessage(member, keysMsg, 1_700_000_000_000))) throw new Error('no key');
    return decryptGroupMessage(member, groupMsg);
  };
  const sodiumLoad = () => {
    const d = bdecode(keysMsg) as BDict;
    const sigStart = keysMsg.length - 1 - 64 - 6;
    if (!sodium.crypto_sign_verify_detached(keysMsg.subarray(sigStart + 6, sigStart + 70), keysMsg.subarray(0, sigStart), g.publicKey)) throw new Error('sig');
    const nonce = d.get('#') as Uint8Array;
    const buf = new Uint8Array(96);
    buf.set(sodium.crypto_scalarmult(me.x25519SecretKey, gxpk), 0);
    buf.set(gxpk, 32);
    buf.set(me.x25519PublicKey, 64);
    const wk = sodium.crypto_generichash(32, buf, label('SessionGroupKeyMemberKey'));
    let key: Uint8Array | undefined;
    for (const e of d.get('k') as Uint8Array[]) {
      try {
        key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, e, null, nonce, wk);
        break;
      } catch {
        /* not ours */
      }
    }
    if (!key) throw new Error('no key');
    const inner = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, groupMsg.subarray(24), null, groupMsg.subarray(0, 24), key);
    let end = inner.length;
    while (inner[end - 1] === 0) end--;
    const m = bdecode(inner.subarray(0, end)) as BDict;
    const body = m.get('d') as Uint8Array;
    if (!sodium.crypto_sign_verify_detached(m.get('s') as Uint8Array, new Uint8Array([...body, ...g.publicKey]), m.get('a') as Uint8Array)) throw new Error('sig');
    return '05' + sodium.to_hex(sodium.crypto_sign_ed25519_pk_to_curve25519(m.get('a') as Uint8Array));
  };
  if ((await oursLoad()).senderSessionId !== sodiumLoad()) throw new Error('member cross-check failed');
  await compare('groups', `member load 1000-member keys msg + decrypt [${provider}]`, oursLoad, sodiumLoad, 'libsodium');
}
