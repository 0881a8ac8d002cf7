// Secrets stay out of errors, and key-holding objects wipe what they hold (spec/security.md §5).
//  1. Decrypt / sign / derive functions are fed wrong-but-plausible inputs next to real secrets;
//     no thrown object (message, String(), own enumerable properties, nested objects, byte arrays,
//     the cause chain) contains any secret in hex (either case), base64 or base64url, nor any
//     8-byte window of it in hex, nor the raw bytes.
//  2. GroupKeys.destroy(), destroyIdentity() and ConfigState.dispose() zero their buffers, and
//     later use throws a typed error.
import { describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import { keyringInternals } from '../../src/groups/keyring-internal.js';
import { ed25519KeyPairFromSeed, x25519PublicKeySync } from '../../src/crypto/noble.js';
import { concatBytes } from '../../src/util/bytes.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Every string form of `secret` we look for, plus 8-byte hex windows (partial leaks). */
function needles(secret: Uint8Array): string[] {
  const out = new Set<string>();
  const h = hexOf(secret);
  out.add(h);
  out.add(h.toUpperCase());
  const s = b64(secret);
  out.add(s.replace(/=+$/, ''));
  out.add(s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  for (let i = 0; i + 8 <= secret.length; i += 4) {
    const w = hexOf(secret.subarray(i, i + 8));
    out.add(w);
    out.add(w.toUpperCase());
  }
  return [...out];
}

function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length < 8) return false;
  const n = needle.subarray(0, 8);
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

/** Collects every string and byte array reachable from a thrown value (not its stack). */
function reachable(e: unknown): { strings: string[]; bytes: Uint8Array[] } {
  const strings: string[] = [];
  const bytes: Uint8Array[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number) => {
    if (depth > 6 || v === null || v === undefined) return;
    if (typeof v === 'string') return void strings.push(v);
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return void strings.push(String(v));
    if (typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Uint8Array) return void bytes.push(v);
    if (v instanceof Error) {
      strings.push(v.message, String(v), v.name);
      walk(v.cause, depth + 1);
    }
    for (const k of Object.keys(v)) {
      if (k === 'stack') continue;
      strings.push(k);
      walk((v as Record<string, unknown>)[k], depth + 1);
    }
    if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
  };
  walk(e, 0);
  try {
    strings.push(JSON.stringify(e));
  } catch {
    /* cyclic: the walk above covered it */
  }
  return { strings, bytes };
}

interface Case {
  name: string;
  secrets: Uint8Array[];
  run: () => unknown;
}

describe('secrets never appear in thrown errors', () => {
  it('decrypt / sign / derive functions with wrong-but-plausible inputs', async () => {
    const alice = sdk.generateIdentity();
    const bob = sdk.generateIdentity();
    const carol = sdk.generateIdentity();
    const idSecrets = (i: sdk.Identity) => [i.seed, i.ed25519SecretKey, i.x25519SecretKey];
    const serverSk = new Uint8Array(32).fill(0x5a);
    const serverPk = x25519PublicKeySync(serverSk);
    const group = ed25519KeyPairFromSeed(crypto.getRandomValues(new Uint8Array(32)));
    const otherGroup = ed25519KeyPairFromSeed(crypto.getRandomValues(new Uint8Array(32)));
    const admin = sdk.createGroupKeys({ userEd25519SecretKey: alice.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });
    const member = sdk.createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
    const km = await sdk.rekey(admin, [alice.sessionId, bob.sessionId]);
    await sdk.loadKeyMessage(admin, km, 1_700_000_000_000);
    await sdk.loadKeyMessage(member, km, 1_700_000_000_000);
    const groupKey = (await keyringInternals(admin, 't').encryptionKey()).slice();
    const outsider = sdk.createGroupKeys({ userEd25519SecretKey: carol.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
    const toBob = await sdk.encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, utf8('hello'));
    const keyBase = crypto.getRandomValues(new Uint8Array(32));
    const wrongKeyBase = crypto.getRandomValues(new Uint8Array(32));
    const configCt = sdk.configEncrypt(utf8('d1:#i1ee'), keyBase, 'UserProfile');
    const att = await sdk.encryptAttachment(alice.seed, utf8('attachment'));
    const wrongAttKey = crypto.getRandomValues(new Uint8Array(32));
    const legacy = await sdk.encryptLegacyAttachment(utf8('legacy'));
    const wrongLegacyKey = crypto.getRandomValues(new Uint8Array(64));
    const password = utf8('correct horse battery staple');
    const backup = await sdk.exportIdentityBackup(alice, password, { kdf: { t: 1, m: 8, p: 1 } });
    const hopKey = crypto.getRandomValues(new Uint8Array(32));
    const otherHopKey = crypto.getRandomValues(new Uint8Array(32));
    const hopBlob = await sdk.encryptWithHopKey('xchacha20', hopKey, utf8('layer'));
    const groupMsg = await sdk.encryptGroupMessage(admin, utf8('group'));
    const pushKey = crypto.getRandomValues(new Uint8Array(32));
    const bBlind = '15' + hexOf(sdk.blind15KeyPair(bob.ed25519SecretKey, serverPk).publicKey);
    const aBlind = '15' + hexOf(sdk.blind15KeyPair(alice.ed25519SecretKey, serverPk).publicKey);
    const blindCt = await sdk.encryptForBlindedRecipient(alice.ed25519SecretKey, serverPk, bBlind, utf8('x'));
    const sub = await sdk.makeSubaccount(admin, bob.sessionId);
    const all = [...idSecrets(alice), ...idSecrets(bob), ...idSecrets(carol), group.secretKey, group.secretKey.subarray(0, 32), groupKey, keyBase, wrongKeyBase, att.key, wrongAttKey, legacy.key, wrongLegacyKey, password, hopKey, otherHopKey, pushKey, serverSk];
    const flip = (b: Uint8Array, i = 3) => {
      const c = b.slice();
      c[i]! ^= 1;
      return c;
    };
    const cases: Case[] = [
      { name: 'decryptIncoming, message for someone else', secrets: all, run: () => sdk.decryptIncoming(carol.ed25519SecretKey, toBob) },
      { name: 'decryptIncoming, wrong-length secret key', secrets: all, run: () => sdk.decryptIncoming(bob.ed25519SecretKey.subarray(0, 31), toBob) },
      { name: 'decryptIncoming, 64-byte key with a wrong public half', secrets: all, run: () => sdk.decryptIncoming(concatBytes(bob.ed25519SecretKey.subarray(0, 32), alice.ed25519PublicKey), toBob) },
      { name: 'decryptIncoming, tampered', secrets: all, run: () => sdk.decryptIncoming(bob.ed25519SecretKey, flip(toBob, 60)) },
      { name: 'encryptForRecipient, bad recipient', secrets: all, run: () => sdk.encryptForRecipient(alice.ed25519SecretKey, '05' + 'zz'.repeat(32), utf8('x')) },
      { name: 'encryptForRecipient, 33-byte secret key', secrets: all, run: () => sdk.encryptForRecipient(concatBytes(alice.seed, Uint8Array.of(1)), bob.sessionId, utf8('x')) },
      { name: 'decryptFromBlindedRecipient, wrong recipient key', secrets: all, run: () => sdk.decryptFromBlindedRecipient(carol.ed25519SecretKey, serverPk, aBlind, bBlind, blindCt) },
      { name: 'identityFromSeed, 31 bytes', secrets: [alice.seed.subarray(0, 31)], run: () => sdk.identityFromSeed(alice.seed.subarray(0, 31)) },
      { name: 'identityFromSeed, 64-byte key with a wrong public half', secrets: all, run: () => sdk.identityFromSeed(concatBytes(alice.seed, bob.ed25519PublicKey)) },
      { name: 'ed25519SecretKeyToX25519, 33 bytes', secrets: all, run: () => sdk.ed25519SecretKeyToX25519(concatBytes(alice.seed, Uint8Array.of(0))) },
      { name: 'blind15KeyPair, bad server key', secrets: all, run: () => sdk.blind15KeyPair(alice.ed25519SecretKey, 'nothex') },
      { name: 'blind25Sign, short secret key', secrets: all, run: () => sdk.blind25Sign(alice.ed25519SecretKey.subarray(0, 20), serverPk, utf8('m')) },
      { name: 'sogsRequestHeaders, bad mode', secrets: all, run: () => sdk.sogsRequestHeaders(alice.ed25519SecretKey, serverPk, { method: 'GET', path: '/' } as never, { mode: 'x' as never }) },
      { name: 'signStorageRequest, 31-byte key', secrets: all, run: () => sdk.signStorageRequest(alice.seed.subarray(0, 31), { method: 'retrieve', namespace: 0, timestamp: 1 } as never) },
      { name: 'configDecrypt, wrong key base', secrets: all, run: () => sdk.configDecrypt(configCt, wrongKeyBase, 'UserProfile') },
      { name: 'configDecrypt, wrong domain', secrets: all, run: () => sdk.configDecrypt(configCt, keyBase, 'Contacts') },
      { name: 'configEncrypt, 31-byte key base', secrets: all, run: () => sdk.configEncrypt(utf8('x'), keyBase.subarray(0, 31), 'UserProfile') },
      { name: 'UserProfileConfig, 33-byte key', secrets: all, run: () => new sdk.UserProfileConfig({ ed25519SecretKey: concatBytes(alice.seed, Uint8Array.of(1)) }) },
      { name: 'GroupInfoConfig, mismatched group secret key', secrets: all, run: () => new sdk.GroupInfoConfig({ groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: otherGroup.secretKey, keys: [groupKey] }) },
      { name: 'createGroupKeys, mismatched admin key', secrets: [...all, otherGroup.secretKey], run: () => sdk.createGroupKeys({ userEd25519SecretKey: alice.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: otherGroup.secretKey }) },
      { name: 'createGroupKeys, user key with a wrong public half', secrets: all, run: () => sdk.createGroupKeys({ userEd25519SecretKey: concatBytes(alice.seed, bob.ed25519PublicKey), groupEd25519PublicKey: group.publicKey }) },
      { name: 'decryptGroupMessage, non-member', secrets: all, run: () => sdk.decryptGroupMessage(outsider, groupMsg) },
      { name: 'decryptGroupMessage, tampered', secrets: all, run: () => sdk.decryptGroupMessage(member, flip(groupMsg, 40)) },
      { name: 'encryptGroupMessage, no key yet', secrets: all, run: () => sdk.encryptGroupMessage(outsider, utf8('x')) },
      { name: 'rekey as a member', secrets: all, run: () => sdk.rekey(member, [alice.sessionId]) },
      { name: 'subaccountSign with a flipped signing value', secrets: all, run: () => sdk.subaccountSign(member, utf8('m'), flip(sub, 10)) },
      { name: 'decryptAttachment, wrong key', secrets: all, run: () => sdk.decryptAttachment(att.ciphertext, wrongAttKey) },
      { name: 'decryptLegacyAttachment, wrong key', secrets: all, run: () => sdk.decryptLegacyAttachment(legacy.ciphertext, wrongLegacyKey, legacy.digest) },
      { name: 'decryptLegacyAttachment, wrong digest', secrets: all, run: () => sdk.decryptLegacyAttachment(legacy.ciphertext, legacy.key, flip(legacy.digest)) },
      { name: 'importIdentityBackup, wrong password', secrets: all, run: () => sdk.importIdentityBackup(backup, utf8('correct horse battery stapl3')) },
      { name: 'importIdentityBackup, tampered', secrets: all, run: () => sdk.importIdentityBackup(flip(backup, backup.length - 3), password) },
      { name: 'decryptWithHopKey, wrong key', secrets: all, run: () => sdk.decryptWithHopKey('xchacha20', otherHopKey, hopBlob) },
      { name: 'decryptWithHopKey, aes-gcm with a wrong key', secrets: all, run: () => sdk.decryptWithHopKey('aes-gcm', otherHopKey, hopBlob) },
      // (wrong-length hop keys throw untyped errors today: see test/security/typed-errors.test.ts)
      { name: 'hopDecrypt, wrong keys', secrets: all, run: () => sdk.hopDecrypt('xchacha20', carol.x25519SecretKey, alice.x25519PublicKey, hopBlob) },
      { name: 'decryptPushNotification, wrong key', secrets: all, run: () => sdk.decryptPushNotification(hopBlob, pushKey) },
      { name: 'mnemonicDecode, checksum typo', secrets: [alice.seed], run: () => sdk.mnemonicDecode(sdk.mnemonicEncode(alice.seed).split(' ').reverse().join(' ')) },
    ];
    let threw = 0;
    for (const c of cases) {
      let err: unknown;
      try {
        await c.run();
      } catch (e) {
        err = e;
      }
      if (err === undefined) continue; // e.g. a result of `undefined`; nothing to inspect
      threw++;
      expect(sdk.isSessionSdkError(err), `${c.name}: ${String(err)}`).toBe(true);
      const { strings, bytes } = reachable(err);
      const text = strings.join('\n').toLowerCase();
      for (const s of c.secrets) {
        for (const n of needles(s)) expect(text.includes(n.toLowerCase()), `${c.name}: error text contains a secret (${n.slice(0, 8)}…)`).toBe(false);
        for (const b of bytes) expect(containsBytes(b, s), `${c.name}: error holds secret bytes`).toBe(false);
      }
    }
    expect(threw).toBeGreaterThanOrEqual(cases.length - 2);
  });

  it('the mnemonic decoder never echoes words of the phrase', () => {
    const seed = crypto.getRandomValues(new Uint8Array(16));
    const words = sdk.mnemonicEncode(seed).split(' ');
    const variants = [
      [...words.slice(0, 12), words[0]!], // checksum typo (unless it collides)
      [...words.slice(0, 5), 'notaword', ...words.slice(6)],
      words.slice(0, 10),
    ];
    for (const v of variants) {
      try {
        sdk.mnemonicDecode(v.join(' '));
      } catch (e) {
        expect(sdk.isSessionSdkError(e)).toBe(true);
        const msg = (e as Error).message.toLowerCase();
        for (const w of words) expect(msg.includes(w.toLowerCase()), `error mentions "${w}"`).toBe(false);
      }
    }
  });
});

describe('key-holding objects wipe their buffers', () => {
  it('GroupKeys.destroy() zeroes every secret it holds and every later call throws DESTROYED', async () => {
    const alice = sdk.generateIdentity();
    const bob = sdk.generateIdentity();
    const g = ed25519KeyPairFromSeed(crypto.getRandomValues(new Uint8Array(32)));
    const keys = sdk.createGroupKeys({ userEd25519SecretKey: alice.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
    const km = await sdk.rekey(keys, [alice.sessionId, bob.sessionId]);
    await sdk.loadKeyMessage(keys, km, 1_700_000_000_000);
    const km2 = await sdk.rekey(keys, [alice.sessionId, bob.sessionId]); // leaves a pending key
    const ki = keyringInternals(keys, 'test');
    const held = [ki.userEd25519SecretKey, ki.userX25519SecretKey, ki.adminSecretKey(), ki.adminX25519SecretKey(), ...ki.decryptionKeys(), await ki.memberWrapKey()];
    expect(held.length).toBeGreaterThanOrEqual(7);
    for (const b of held) expect(b.some((x) => x !== 0)).toBe(true);
    const msg = await sdk.encryptGroupMessage(keys, utf8('before'));
    keys.destroy();
    await new Promise((r) => setTimeout(r, 0)); // the wrap key is wiped once its promise settles
    expect(keys.destroyed).toBe(true);
    for (const b of held) expect(b.every((x) => x === 0)).toBe(true);
    // the caller's own buffers are not touched
    expect(alice.ed25519SecretKey.some((x) => x !== 0)).toBe(true);
    const calls: [string, () => unknown][] = [
      ['encryptGroupMessage', () => sdk.encryptGroupMessage(keys, utf8('x'))],
      ['decryptGroupMessage', () => sdk.decryptGroupMessage(keys, msg)],
      ['loadKeyMessage', () => sdk.loadKeyMessage(keys, km2, 1_700_000_001_000)],
      ['rekey', () => sdk.rekey(keys, [alice.sessionId])],
      ['keySupplement', () => sdk.keySupplement(keys, [bob.sessionId])],
      ['dump', () => keys.dump()],
      ['makeSubaccount', () => sdk.makeSubaccount(keys, bob.sessionId)],
      ['signAsGroupAdmin', () => sdk.signAsGroupAdmin(keys, utf8('x'))],
      ['groupPromotionSeed', () => sdk.groupPromotionSeed(keys)],
      ['makeKickedNotice', () => sdk.makeKickedNotice(keys, [bob.sessionId], 1)],
    ];
    for (const [name, f] of calls) {
      let code = 'ok';
      try {
        await f();
      } catch (e) {
        code = sdk.isSessionSdkError(e) ? e.code : String(e);
      }
      expect(code, name).toBe('DESTROYED');
    }
    keys.destroy(); // idempotent
  });

  it('destroyIdentity() zeroes the seed and both secret keys', () => {
    const id = sdk.generateIdentity();
    const bufs = [id.seed, id.ed25519SecretKey, id.x25519SecretKey];
    sdk.destroyIdentity(id);
    for (const b of bufs) expect(b.every((x) => x === 0)).toBe(true);
  });

  it('ConfigState.dispose() zeroes its keys and seeds; push and merge then throw DESTROYED', async () => {
    const alice = sdk.generateIdentity();
    const g = ed25519KeyPairFromSeed(crypto.getRandomValues(new Uint8Array(32)));
    const groupKey = crypto.getRandomValues(new Uint8Array(32));
    const profile = new sdk.UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
    const info = new sdk.GroupInfoConfig({ groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey, keys: [groupKey] });
    profile.setName('x');
    info.setName('y');
    const pushed = await profile.push();
    for (const c of [profile, info] as sdk.ConfigState[]) {
      const inner = c as unknown as { keyList: Uint8Array[]; secrets: Uint8Array[] };
      const held = [...inner.keyList, ...inner.secrets];
      expect(held.length).toBeGreaterThan(0);
      for (const b of held) expect(b.some((x) => x !== 0)).toBe(true);
      c.dispose();
      for (const b of held) expect(b.every((x) => x === 0)).toBe(true);
      await expect(c.push()).rejects.toMatchObject({ code: 'DESTROYED' });
      await expect(c.merge([{ hash: 'h', data: pushed.data }])).rejects.toMatchObject({ code: 'DESTROYED' });
    }
    // the caller's buffers are untouched
    expect(alice.ed25519SecretKey.some((x) => x !== 0)).toBe(true);
    expect(groupKey.some((x) => x !== 0)).toBe(true);
  });

  // spec/security.md §5: "every method throws" after destroy.
  it('ConfigState after dispose(): every method throws DESTROYED', async () => {
    const profile = new sdk.UserProfileConfig({ ed25519SecretKey: sdk.generateIdentity().ed25519SecretKey });
    profile.dispose();
    expect(() => profile.dump()).toThrow(expect.objectContaining({ code: 'DESTROYED' }));
    expect(() => profile.setName('z')).toThrow(expect.objectContaining({ code: 'DESTROYED' }));
    await expect(profile.push()).rejects.toMatchObject({ code: 'DESTROYED' });
  });
});
