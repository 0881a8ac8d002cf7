// Config messages (spec/config.md §1.4, §2.2): the hash and the deterministic XChaCha20-Poly1305
// encryption against the same work composed from libsodium-wrappers-sumo (crypto_generichash for
// the key, the nonce and the message hash; crypto_aead_xchacha20poly1305_ietf_*), plus merge and
// parse cost of a 200-contact Contacts conflict (reference: libsodium decryption of the two pushes).
import _sodium from 'libsodium-wrappers-sumo';
import { ContactsConfig, configDecrypt, configEncrypt, configMessageHash, resolveConfigMessages } from '../src/config/index.js';
import { decodeConfigPayload } from '../src/config/payload.js';
import { compare } from './harness.js';

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const key = sodium.randombytes_buf(32);
  const domain = 'Contacts';
  const db = new TextEncoder().encode(domain);
  const nonceKey = new Uint8Array([...new TextEncoder().encode('libsessionutil-config-encrypted-'), ...db]);
  const msg = sodium.randombytes_buf(4096 - 40);
  const sodiumEncrypt = (m: Uint8Array): Uint8Array => {
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(m.length));
    const st = sodium.crypto_generichash_init(null, 32);
    sodium.crypto_generichash_update(st, key);
    sodium.crypto_generichash_update(st, len);
    sodium.crypto_generichash_update(st, db);
    const k = sodium.crypto_generichash_final(st, 32);
    const nonce = sodium.crypto_generichash(24, m, nonceKey);
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(m, null, null, nonce, k);
    const out = new Uint8Array(ct.length + 24);
    out.set(ct);
    out.set(nonce, ct.length);
    return out;
  };
  const sodiumDecrypt = (c: Uint8Array): Uint8Array => {
    const n = c.length - 24;
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(n - 16));
    const st = sodium.crypto_generichash_init(null, 32);
    sodium.crypto_generichash_update(st, key);
    sodium.crypto_generichash_update(st, len);
    sodium.crypto_generichash_update(st, db);
    const k = sodium.crypto_generichash_final(st, 32);
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, c.subarray(0, n), null, c.subarray(n), k);
  };
  const ct = configEncrypt(msg, key, domain);
  await compare('config', 'configMessageHash 8 KiB', () => configMessageHash(msg.subarray(0, 8192)), () => sodium.crypto_generichash(32, msg.subarray(0, 8192), null), 'libsodium');
  await compare('config', 'configEncrypt 4 KiB', () => configEncrypt(msg, key, domain), () => sodiumEncrypt(msg), 'libsodium');
  await compare('config', 'configDecrypt 4 KiB', () => configDecrypt(ct, key, domain), () => sodiumDecrypt(ct), 'libsodium');

  // A 200-contact conflict: two devices edit different contacts, then one resolves both pushes.
  const a = new ContactsConfig({ ed25519SecretKey: key });
  for (let i = 0; i < 200; i++) {
    const id = '05' + i.toString(16).padStart(2, '0').repeat(32);
    a.set({ ...a.getOrConstruct(id), name: `Contact ${i}`, approved: true });
  }
  const base = await a.push();
  const b = new ContactsConfig({ ed25519SecretKey: key });
  await b.merge([{ hash: 'h1', data: base.data }]);
  a.set({ ...a.get('05' + '01'.repeat(32))!, nickname: 'A' });
  b.set({ ...b.get('05' + '02'.repeat(32))!, nickname: 'B' });
  const pa = await a.push();
  const pb = await b.push();
  const raw = [pa.data, pb.data];
  const plain = await Promise.all(raw.map(async (d) => decodeConfigPayload(configDecrypt(await unwrapped(d), key, domain))));
  async function unwrapped(d: Uint8Array): Promise<Uint8Array> {
    const { unwrapUserConfig } = await import('../src/config/protobuf-wrap.js');
    return unwrapUserConfig(key, d, 3);
  }
  const cts = await Promise.all(raw.map(unwrapped));
  await compare('config', 'resolve 2×200-contact conflict (parse+merge)', () => resolveConfigMessages(plain), () => cts.map(sodiumDecrypt), 'libsodium decrypt only');
}
