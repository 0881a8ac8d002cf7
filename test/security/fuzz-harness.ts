// Shared fuzz harness (spec/security.md §2.2 "Oversized or hostile input"): every public decoder and
// decrypt function, fed random bytes/strings/JSON and mutations of valid inputs. A call passes if it
// returns, or throws a SessionSdkError, within the time box. Used by test/security/fuzz.test.ts
// (fixed seed, CI) and scripts/fuzz.ts (random seed, many iterations, for humans).
// No vitest import here, so the script can run it with plain tsx.
import fc from 'fast-check';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import * as sdk from '../../src/index.js';
import { ed25519KeyPairFromSeed, ed25519SignSync, x25519PublicKeySync } from '../../src/crypto/noble.js';
import { bdecode, bencode } from '../../src/util/bencode.js';
import { concatBytes, randomBytes, toHex } from '../../src/util/bytes.js';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export type FuzzInputKind = 'bytes' | 'string' | 'json';
export interface FuzzTarget {
  /** Export name(s) exercised, e.g. `decryptIncoming` or `ContactsConfig.merge`. */
  name: string;
  /** Other exports this target covers (wrappers run through it). */
  covers?: string[];
  kind: FuzzInputKind;
  /** Valid inputs to mutate (bytes for 'bytes', strings for 'string', JSON values for 'json'). */
  seeds: unknown[];
  call: (input: never) => unknown;
}
export interface FuzzFailure {
  target: string;
  index: number;
  kind: 'crash' | 'hang';
  error: string;
  input: string;
}
export interface FuzzStats {
  seed: number;
  targets: number;
  iterations: number;
  perTarget: Record<string, { runs: number; ok: number; typedErrors: number; maxMs: number }>;
  failures: FuzzFailure[];
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const T0 = 1_700_000_000_000;

/** Builds every target with real keys and valid seed inputs (deterministic except for key material). */
export async function buildFuzzTargets(): Promise<FuzzTarget[]> {
  const alice = sdk.generateIdentity();
  const bob = sdk.generateIdentity();
  const server = (() => {
    const sk = new Uint8Array(32).fill(9);
    return { sk, pk: x25519PublicKeySync(sk) };
  })();
  const group = ed25519KeyPairFromSeed(new Uint8Array(32).fill(3));
  const admin = sdk.createGroupKeys({ userEd25519SecretKey: alice.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey });
  const member = sdk.createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: group.publicKey });
  const keysMsg = await sdk.rekey(admin, [alice.sessionId, bob.sessionId]);
  await sdk.loadKeyMessage(admin, keysMsg, T0);
  await sdk.loadKeyMessage(member, keysMsg, T0);
  const supplement = await sdk.keySupplement(admin, [bob.sessionId]);
  const groupMsg = await sdk.encryptGroupMessage(admin, utf8('hello group'));
  const groupMsgZ = await sdk.encryptGroupMessage(admin, new Uint8Array(600).fill(65));
  const content = sdk.encodeContent({ dataMessage: { body: 'hi', timestamp: T0 }, sigTimestamp: T0 });
  const envelopeBytes = sdk.encodeEnvelope({ type: 'CLOSED_GROUP_MESSAGE', timestamp: T0, sourceDevice: 1, content: sdk.padMessage(content), source: sdk.formatSessionId(0x03, group.publicKey) });
  const groupContent = await sdk.encryptGroupMessage(admin, envelopeBytes);
  const kicked = await sdk.makeKickedNotice(admin, [bob.sessionId], 1);
  const dm = await sdk.encodeDirectMessage(alice.ed25519SecretKey, bob.sessionId, { dataMessage: { body: 'hi', timestamp: T0 }, sigTimestamp: T0 }, T0);
  const sealed = await sdk.encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, sdk.padMessage(content));
  const envelope = sdk.unwrapFromSwarm(dm);
  const blindedA = '15' + toHex(sdk.blind15KeyPair(alice.ed25519SecretKey, server.pk).publicKey);
  const blindedB = '15' + toHex(sdk.blind15KeyPair(bob.ed25519SecretKey, server.pk).publicKey);
  const blindedCt = await sdk.encryptForBlindedRecipient(alice.ed25519SecretKey, server.pk, blindedB, utf8('psst'));
  const portable = sdk.encodePortableEnvelope({ kind: 'chat/text', sentAt: T0, payload: utf8('x') });
  const backup = await sdk.exportIdentityBackup(alice, 'pw', { kdf: { t: 1, m: 8, p: 1 } });
  const att = await sdk.encryptAttachment(alice.seed, utf8('attachment body'));
  // Three chunks (32 768-byte pieces): truncations past a chunk boundary only exist here. The key is
  // derived from the content, so this seed needs its own target (and key).
  const attMulti = await sdk.encryptAttachment(alice.seed, new Uint8Array(70_000).map((_, i) => i * 31));
  const legacyAtt = await sdk.encryptLegacyAttachment(utf8('legacy attachment'));
  const pushKey = new Uint8Array(32).fill(5);
  const pushNonce = new Uint8Array(24).fill(6);
  const push = concatBytes(pushNonce, xchacha20poly1305(pushKey, pushNonce).encrypt(utf8('{"k":1}')));
  const multiSimple = await sdk.encryptForMultipleSimple([utf8('m1'), utf8('m2')], [bob.x25519PublicKey, alice.x25519PublicKey], { x25519SecretKey: alice.x25519SecretKey, x25519PublicKey: alice.x25519PublicKey }, 'fuzz');
  const multiNonce = new Uint8Array(24).fill(1);
  const [multiEntry] = (await sdk.decodeMultiSimple(multiSimple)).entries;
  const legacyKp = sdk.generateLegacyEncryptionKeyPair();
  const legacyMsg = await sdk.encryptLegacyGroupMessage(alice.ed25519SecretKey, legacyKp.publicKey, sdk.padLegacyDesktopMessage(content));
  const legacyWrappers = await sdk.makeLegacyKeyPairWrappers(alice.ed25519SecretKey, [bob.sessionId], legacyKp);
  const legacyCtrl = sdk.encodeLegacyControlMessage({ type: sdk.LegacyControlType.ENCRYPTION_KEY_PAIR, wrappers: legacyWrappers } as never);
  const keyBase = new Uint8Array(32).fill(7);
  const configCt = sdk.configEncrypt(utf8('d1:#i1e1:&de1:<le1:=dee'), keyBase, 'UserProfile');
  const configMsg = sdk.serializeConfigMessage(sdk.emptyConfigMessage());
  // real config pushes for the merge targets
  const profile = new sdk.UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
  profile.setName('fuzz');
  const profilePush = (await profile.push()).data;
  const contacts = new sdk.ContactsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
  const convo = new sdk.ConvoInfoVolatileConfig({ ed25519SecretKey: alice.ed25519SecretKey });
  const ugroups = new sdk.UserGroupsConfig({ ed25519SecretKey: alice.ed25519SecretKey });
  const groupKeyList = [new Uint8Array(32).fill(8)];
  const ginfo = new sdk.GroupInfoConfig({ groupEd25519PublicKey: group.publicKey, groupEd25519SecretKey: group.secretKey, keys: groupKeyList });
  ginfo.setName('fuzz group');
  const ginfoPush = (await ginfo.push()).data;
  const gmembers = new sdk.GroupMembersConfig({ groupEd25519PublicKey: group.publicKey, keys: groupKeyList });
  const wrappedUser = await sdk.wrapUserConfig(alice.seed, profilePush, 1, 2);
  const dump = admin.dump();
  // onion
  const node = () => {
    const sk = randomBytes(32);
    return { ed25519PublicKey: ed25519KeyPairFromSeed(randomBytes(32)).publicKey, x25519PublicKey: x25519PublicKeySync(sk), x25519SecretKey: sk };
  };
  const guard = node();
  const dest = node();
  const req = await sdk.buildOnionRequest({ encType: 'xchacha20', path: [guard], destination: { type: 'snode', ...dest }, payload: sdk.encodeSnodeRequest('info', {}) });
  const replyKey = await sdk.deriveHopKey('xchacha20', dest.x25519SecretKey, dest.x25519PublicKey, req.finalEphemeral.publicKey, true);
  const replyJson = utf8('{"status":200,"body":"{\\"ok\\":true}"}');
  const reply = await sdk.encryptWithHopKey('xchacha20', replyKey, replyJson);
  const replyB64 = utf8(b64(reply));
  const v4res = sdk.encodeV4Response({ status: 200, headers: { a: 'b' } }, utf8('body'));
  const v4req = sdk.encodeV4Request({ method: 'GET', endpoint: '/room/x', headers: {} } as never);
  const serverReq = await sdk.buildOnionRequest({ encType: 'xchacha20', path: [guard], destination: { type: 'server', host: 'example.org', target: '/oxen/v4/lsrpc', protocol: 'https', x25519PublicKey: dest.x25519PublicKey }, payload: v4req });
  const serverKey = await sdk.deriveHopKey('xchacha20', dest.x25519SecretKey, dest.x25519PublicKey, serverReq.finalEphemeral.publicKey, true);
  const serverReply = await sdk.encryptWithHopKey('xchacha20', serverKey, v4res);
  const hopCt = await sdk.hopEncrypt('xchacha20', alice.x25519SecretKey, bob.x25519PublicKey, utf8('hop'));
  const snodeEntry = { public_ip: '1.2.3.4', storage_port: 22021, pubkey_ed25519: 'aa'.repeat(32), pubkey_x25519: 'bb'.repeat(32), swarm_id: 5 };
  const subVal = await sdk.makeSubaccount(admin, bob.sessionId);
  const subSig = sdk.subaccountSign(member, utf8('req'), subVal);
  const adminSig = await sdk.signAsGroupAdmin(admin, utf8('data'));

  const onsName = utf8('fuzz');
  const onsKey = blake2b(onsName, { dkLen: 32, key: blake2b(onsName, { dkLen: 32 }) });
  const onsNonce = new Uint8Array(24).fill(2);
  const ons = concatBytes(onsNonce, xchacha20poly1305(onsKey, onsNonce).encrypt(concatBytes(Uint8Array.of(5), bob.x25519PublicKey)));
  const innerBody = utf8('x');
  const inner = bencode({ '': 1, a: alice.ed25519PublicKey, d: innerBody, s: ed25519SignSync(alice.ed25519SecretKey.subarray(0, 32), concatBytes(innerBody, group.publicKey)) });
  // non-Uint8Array inputs (type-confusion runs) are passed through unchanged to every part
  const split = (b: Uint8Array, n: number) =>
    b instanceof Uint8Array ? ([b.subarray(0, Math.min(n, b.length)), b.subarray(Math.min(n, b.length))] as const) : ([b, b] as const);
  const mnemonic = sdk.mnemonicEncode(alice.seed);
  const bip = sdk.bip39Encode(alice.seed);
  type B = Uint8Array;
  const t = (name: string, kind: FuzzInputKind, seeds: unknown[], call: (x: never) => unknown, covers?: string[]): FuzzTarget => ({ name, kind, seeds, call, covers });
  const drain = async (g: AsyncIterable<Uint8Array>) => {
    for await (const piece of g) void piece;
  };

  return [
    // ---- identity
    t('parseSessionId', 'string', [alice.sessionId, sdk.formatSessionId(0x03, group.publicKey), blindedA], (s: string) => sdk.parseSessionId(s)),
    t('sessionIdToPublicKey', 'string', [alice.sessionId], (s: string) => sdk.sessionIdToPublicKey(s)),
    t('mnemonicDecode', 'string', [mnemonic, sdk.mnemonicEncode(alice.seed.subarray(0, 16))], (s: string) => sdk.mnemonicDecode(s)),
    t('bip39Decode', 'string', [bip], (s: string) => sdk.bip39Decode(s)),
    t('sessionIdMatchesBlindedId', 'string', [blindedA], (s: string) => sdk.sessionIdMatchesBlindedId(alice.sessionId, s, server.pk)),
    t('blind15Ids', 'string', [alice.sessionId], (s: string) => sdk.blind15Ids(s, server.pk), ['blind25Id']),
    t('ed25519PublicKeyToX25519', 'bytes', [alice.ed25519PublicKey], (b: B) => sdk.ed25519PublicKeyToX25519(b)),
    t('x25519PublicKeyToEd25519', 'bytes', [alice.x25519PublicKey], (b: B) => sdk.x25519PublicKeyToEd25519(b)),
    t('verifyEd25519', 'bytes', [concatBytes(adminSig, group.publicKey, utf8('data'))], (b: B) => {
      const [sig, rest] = split(b, 64);
      const [pk, msg] = split(rest, 32);
      return sdk.verifyEd25519(sig, msg, pk);
    }),
    // ---- envelope
    t('decryptIncoming', 'bytes', [sealed], (b: B) => sdk.decryptIncoming(bob.ed25519SecretKey, b)),
    t('decodeDirectMessage', 'bytes', [dm], (b: B) => sdk.decodeDirectMessage(bob.ed25519SecretKey, b)),
    t('decodeDirectMessage(base64)', 'string', [b64(dm)], (s: string) => sdk.decodeDirectMessage(bob.ed25519SecretKey, s), ['swarmBase64ToBytes']),
    t('sessionMessageVersion', 'bytes', [dm, Uint8Array.of(0, 2, 1)], (b: B) => sdk.sessionMessageVersion(b)),
    t('unwrapFromSwarm', 'bytes', [dm], (b: B) => sdk.unwrapFromSwarm(b)),
    t('swarmBase64ToBytes', 'string', [b64(dm)], (s: string) => sdk.swarmBase64ToBytes(s)),
    t('decodeWebSocketMessage', 'bytes', [dm], (b: B) => sdk.decodeWebSocketMessage(b)),
    t('decodeEnvelope', 'bytes', [sdk.encodeEnvelope(envelope), envelopeBytes], (b: B) => sdk.decodeEnvelope(b)),
    t('decodeContent', 'bytes', [content], (b: B) => sdk.decodeContent(b)),
    t('unpadMessage', 'bytes', [sdk.padMessage(content)], (b: B) => sdk.unpadMessage(b)),
    t('decodePortableEnvelope', 'bytes', [portable], (b: B) => sdk.decodePortableEnvelope(b)),
    t('decryptFromBlindedRecipient', 'bytes', [blindedCt], (b: B) => sdk.decryptFromBlindedRecipient(bob.ed25519SecretKey, server.pk, blindedA, blindedB, b)),
    t('importIdentityBackup', 'bytes', [backup], (b: B) => sdk.importIdentityBackup(b, 'pw', { maxKdf: { t: 2, m: 64, p: 1 } })),
    t('decryptOnsResponse', 'bytes', [ons], (b: B) => {
      const [nonce, ct] = split(b, 24);
      return sdk.decryptOnsResponse('fuzz', ct, nonce);
    }),
    t('decryptPushNotification', 'bytes', [push], (b: B) => sdk.decryptPushNotification(b, pushKey)),
    t('decryptAttachment', 'bytes', [att.ciphertext], (b: B) => sdk.decryptAttachment(b, att.key)),
    t('decryptAttachment(multi-chunk)', 'bytes', [attMulti.ciphertext], (b: B) => sdk.decryptAttachment(b, attMulti.key)),
    t('decryptAttachmentStream', 'bytes', [att.ciphertext], (b: B) => drain(sdk.decryptAttachmentStream(b instanceof Uint8Array ? [b.subarray(0, 7), b.subarray(7)] : [b], att.key))),
    t('decryptLegacyAttachment', 'bytes', [legacyAtt.ciphertext], (b: B) => sdk.decryptLegacyAttachment(b, legacyAtt.key, legacyAtt.digest)),
    t('decryptLegacyAttachmentStream', 'bytes', [legacyAtt.ciphertext], (b: B) => drain(sdk.decryptLegacyAttachmentStream([b], legacyAtt.key, legacyAtt.digest))),
    // ---- onion
    t('decodeOnionFrame', 'bytes', [req.wire], (b: B) => sdk.decodeOnionFrame(b)),
    t('parseOnionFrame', 'bytes', [req.wire], (b: B) => sdk.parseOnionFrame(b)),
    t('openOnionLayer', 'bytes', [req.wire], (b: B) => sdk.openOnionLayer(guard.x25519SecretKey, b)),
    t('classifyOnionLayer', 'bytes', [utf8('\u0002\u0000\u0000\u0000{}{"headers":""}')], (b: B) => sdk.classifyOnionLayer(b)),
    t('hopDecrypt', 'bytes', [hopCt], (b: B) => sdk.hopDecrypt('xchacha20', bob.x25519SecretKey, alice.x25519PublicKey, b)),
    t('decryptWithHopKey', 'bytes', [reply], (b: B) => sdk.decryptWithHopKey('xchacha20', replyKey, b)),
    t('decryptOnionResponse', 'bytes', [reply], (b: B) => sdk.decryptOnionResponse('xchacha20', req.finalEphemeral, req.destinationX25519PublicKey, b)),
    t('decodeV3ResponseBody', 'bytes', [replyB64, utf8(`{"result":"${b64(reply)}"}`)], (b: B) => sdk.decodeV3ResponseBody(b)),
    t('parseV3ResponsePlaintext', 'bytes', [replyJson], (b: B) => sdk.parseV3ResponsePlaintext(b)),
    t('decodeV4Request', 'bytes', [v4req], (b: B) => sdk.decodeV4Request(b)),
    t('decodeV4Response', 'bytes', [v4res], (b: B) => sdk.decodeV4Response(b)),
    t('readSnodeResponse', 'bytes', [replyB64], (b: B) => sdk.readSnodeResponse(req, 200, b)),
    t('readSnodeResponse(error status)', 'bytes', [replyB64], (b: B) => sdk.readSnodeResponse(req, 502, b).catch((e: unknown) => {
      if (!(e instanceof sdk.OnionRelayError)) throw e; // the expected outcome of a 502
    })),
    t('readServerResponse', 'bytes', [serverReply], (b: B) => sdk.readServerResponse(serverReq, 200, b)),
    t('readEncryptedRelayError', 'bytes', [replyB64], (b: B) => sdk.readEncryptedRelayError(req, b)),
    t('parseEncType', 'json', ['xchacha20', 'aes-gcm'], (v: unknown) => sdk.parseEncType(v)),
    t('decodeStorageData', 'string', [b64(dm)], (s: string) => sdk.decodeStorageData(s)),
    t('parseRetrieveResponse', 'json', [{ messages: [{ hash: 'h', timestamp: T0, expiry: T0 + 1, data: b64(dm) }], more: false, t: T0 }], (v: unknown) => sdk.parseRetrieveResponse(v)),
    t('parseStoreResponse', 'json', [{ swarm: { [toHex(dest.ed25519PublicKey)]: { hash: 'abc', signature: 'AAAA', t: T0 } }, hash: 'abc' }], (v: unknown) => sdk.parseStoreResponse(v)),
    t('parseServiceNodeList', 'json', [{ result: { service_node_states: [snodeEntry] } }], (v: unknown) => sdk.parseServiceNodeList(v)),
    t('parseServiceNodeListJson', 'string', [JSON.stringify({ result: { service_node_states: [snodeEntry] } })], (s: string) => sdk.parseServiceNodeListJson(s)),
    t('serviceNodeFromEntry', 'json', [snodeEntry], (v: unknown) => sdk.serviceNodeFromEntry(v)),
    // ---- groups
    t('decodeKeysMessage', 'bytes', [keysMsg, supplement], (b: B) => sdk.decodeKeysMessage(b)),
    t('loadKeyMessage', 'bytes', [keysMsg, supplement], (b: B) => sdk.loadKeyMessage(member, b, T0 + 1)),
    t('decryptGroupMessage', 'bytes', [groupMsg, groupMsgZ], (b: B) => sdk.decryptGroupMessage(member, b)),
    t('decryptGroupContent', 'bytes', [groupContent], (b: B) => sdk.decryptGroupContent(member, b)),
    t('openGroupMessageInner', 'bytes', [inner], (b: B) => sdk.openGroupMessageInner(b, group.publicKey)),
    t('openKickedNotice', 'bytes', [kicked], (b: B) => sdk.openKickedNotice(member, b)),
    t('decodeMultiSimple', 'bytes', [multiSimple], (b: B) => sdk.decodeMultiSimple(b)),
    t('decryptForMultipleSimple', 'bytes', [multiSimple], (b: B) => sdk.decryptForMultipleSimple(b, { x25519SecretKey: bob.x25519SecretKey, x25519PublicKey: bob.x25519PublicKey }, alice.x25519PublicKey, 'fuzz')),
    t('decryptForMultiple', 'bytes', [multiEntry ?? new Uint8Array(18)], (b: B) => sdk.decryptForMultiple([b], multiNonce, bob.x25519SecretKey, bob.x25519PublicKey, alice.x25519PublicKey, 'fuzz')),
    t('decodeLegacyControlMessage', 'bytes', [legacyCtrl], (b: B) => sdk.decodeLegacyControlMessage(b)),
    t('decodeLegacyKeyPair', 'bytes', [sdk.encodeLegacyKeyPair(legacyKp)], (b: B) => sdk.decodeLegacyKeyPair(b)),
    t('openWithLegacyKeyPair', 'bytes', [legacyMsg], (b: B) => sdk.openWithLegacyKeyPair(legacyKp, b)),
    t('decryptLegacyGroupMessage', 'bytes', [legacyMsg], (b: B) => sdk.decryptLegacyGroupMessage([legacyKp], b)),
    t('openLegacyKeyPairWrappers', 'bytes', [legacyWrappers[0]!.encryptedKeyPair], (b: B) => sdk.openLegacyKeyPairWrappers(bob.ed25519SecretKey, [{ publicKey: bob.x25519PublicKey, encryptedKeyPair: b }], [alice.sessionId])),
    t('zstdDecompressBounded', 'bytes', [sdk.zstdCompress(new Uint8Array(3000).fill(1)), sdk.zstdCompress(utf8('hello hello hello hello'))], (b: B) => sdk.zstdDecompressBounded(b, 1_000_000)),
    t('verifySubaccount', 'bytes', [subVal], (b: B) => sdk.verifySubaccount(admin, b)),
    t('verifySubaccountAuth', 'bytes', [concatBytes(subSig.subaccount, subSig.subaccountSig, subSig.signature)], (b: B) => {
      const [subaccount, r1] = split(b, 36);
      const [subaccountSig, signature] = split(r1, 64);
      return sdk.verifySubaccountAuth(group.publicKey, utf8('req'), { subaccount, subaccountSig, signature });
    }),
    t('verifyGroupAdminSignature', 'bytes', [adminSig], (b: B) => sdk.verifyGroupAdminSignature(group.publicKey, utf8('data'), b)),
    t('createGroupKeys({ dump })', 'bytes', [dump], (b: B) => sdk.createGroupKeys({ userEd25519SecretKey: alice.ed25519SecretKey, groupEd25519PublicKey: group.publicKey, dump: b })),
    // ---- config
    t('configDecrypt', 'bytes', [configCt], (b: B) => sdk.configDecrypt(b, keyBase, 'UserProfile')),
    t('parseConfigMessage', 'bytes', [configMsg, sdk.serializeConfigMessage(sdk.incrementConfigMessage(sdk.emptyConfigMessage()))], (b: B) => sdk.parseConfigMessage(b)),
    t('decodeConfigPayload', 'bytes', [sdk.encodeConfigPayload(configMsg), sdk.encodeConfigPayload(configMsg, sdk.zstdCompress)], (b: B) => sdk.decodeConfigPayload(b)),
    t('unwrapUserConfig', 'bytes', [wrappedUser], (b: B) => sdk.unwrapUserConfig(alice.seed, b, 2)),
    t('UserProfileConfig.merge', 'bytes', [profilePush], (b: B) => profile.merge([{ hash: 'h1', data: b }])),
    t('ContactsConfig.merge', 'bytes', [profilePush], (b: B) => contacts.merge([{ hash: 'h1', data: b }])),
    t('ConvoInfoVolatileConfig.merge', 'bytes', [profilePush], (b: B) => convo.merge([{ hash: 'h1', data: b }])),
    t('UserGroupsConfig.merge', 'bytes', [profilePush], (b: B) => ugroups.merge([{ hash: 'h1', data: b }])),
    t('GroupInfoConfig.merge', 'bytes', [ginfoPush], (b: B) => ginfo.merge([{ hash: 'h1', data: b }])),
    t('GroupMembersConfig.merge', 'bytes', [ginfoPush], (b: B) => gmembers.merge([{ hash: 'h1', data: b }])),
    t('UserProfileConfig({ dump })', 'bytes', [profile.dump()], (b: B) => new sdk.UserProfileConfig({ ed25519SecretKey: alice.ed25519SecretKey, dump: b })),
    t('bdecode (internal)', 'bytes', [keysMsg, configMsg], (b: B) => bdecode(b)),
  ];
}

function toHexPlain(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// ---------------------------------------------------------------------------------------------
// Input generation: random values, and valid seeds with 1–6 mutations (bit flip, byte set,
// truncation, extension, deletion, duplication, insertion of interesting bytes).

type Mut = { op: number; pos: number; len: number; val: number; bytes: Uint8Array };
const mutArb: fc.Arbitrary<Mut> = fc.record({
  op: fc.integer({ min: 0, max: 6 }),
  pos: fc.nat(),
  len: fc.integer({ min: 1, max: 64 }),
  val: fc.integer({ min: 0, max: 255 }),
  bytes: fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.constantFrom(Uint8Array.of(0), Uint8Array.of(0xff, 0xff, 0xff, 0x7f), Uint8Array.of(0x80), utf8('i-1e'), utf8('d'), utf8('e'), utf8('l'), utf8('99999999999:'), Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f))),
});

/**
 * Where op 2 cuts. Uniform cuts almost never hit the few bytes where length checks go wrong in a
 * large input, so half land in the last 64 bytes (a tag or final piece cut short), 3/8 within 64
 * bytes past one of the two largest powers of two up to the length (the usual buffer and chunk
 * sizes: the k-th attachment chunk ends 25 + 17k bytes past k·2^15, spec/identity-envelope.md §6.2)
 * and 1/8 anywhere. `m.val` picks the mode; op 2 does not use it otherwise.
 */
function truncationPoint(length: number, m: Mut, uniform: number): number {
  if (m.val < 128) return Math.max(0, length - (m.pos % 65));
  if (m.val < 224 && length > 1) {
    const k = Math.max(0, Math.floor(Math.log2(length)) - (m.pos % 2));
    return Math.min(length, 2 ** k + m.len - 1);
  }
  return uniform;
}

export function mutate(seed: Uint8Array, muts: Mut[]): Uint8Array {
  let b: Uint8Array = seed.slice();
  for (const m of muts) {
    const p = b.length ? m.pos % (b.length + 1) : 0;
    switch (m.op) {
      case 0:
        if (b.length) b[p % b.length]! ^= 1 << (m.val & 7);
        break;
      case 1:
        if (b.length) b[p % b.length] = m.val;
        break;
      case 2:
        b = b.slice(0, truncationPoint(b.length, m, p));
        break;
      case 3:
        b = concatBytes(b, m.bytes);
        break;
      case 4:
        b = concatBytes(b.subarray(0, p), b.subarray(Math.min(b.length, p + m.len)));
        break;
      case 5:
        b = concatBytes(b.subarray(0, p), b.subarray(p, p + m.len), b.subarray(p));
        break;
      default:
        b = concatBytes(b.subarray(0, p), m.bytes, b.subarray(p));
    }
  }
  return b;
}

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

/** The input arbitrary for a target. */
export function inputArb(target: FuzzTarget): fc.Arbitrary<unknown> {
  const muts = fc.array(mutArb, { minLength: 1, maxLength: 6 });
  if (target.kind === 'bytes') {
    const seeds = target.seeds as Uint8Array[];
    return fc.oneof(
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...seeds), muts).map(([s, m]) => mutate(s, m)) },
    );
  }
  if (target.kind === 'string') {
    const seeds = target.seeds as string[];
    return fc.oneof(
      { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...seeds), muts).map(([s, m]) => latin1(mutate(utf8(s), m))) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...seeds), muts).map(([s, m]) => new TextDecoder().decode(mutate(utf8(s), m))) },
    );
  }
  const seeds = target.seeds;
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...seeds), muts).map(([s, m]) => {
        const text = new TextDecoder().decode(mutate(utf8(JSON.stringify(s)), m));
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      }),
    },
  );
}

function describeInput(x: unknown): string {
  if (x instanceof Uint8Array) return 'hex:' + toHexPlain(x.subarray(0, 400)) + (x.length > 400 ? `…(${x.length} bytes)` : '');
  try {
    return 'json:' + JSON.stringify(x).slice(0, 800);
  } catch {
    return String(x).slice(0, 800);
  }
}

/**
 * Runs `runs` inputs per target (seeded), each call time-boxed to `timeoutMs` (async calls race a
 * timer; sync calls are measured afterwards). Every failure is collected, not just the first.
 */
export async function runFuzz(
  targets: FuzzTarget[],
  opts: { seed: number; runs: number; timeoutMs?: number; log?: (line: string) => void; only?: RegExp },
): Promise<FuzzStats> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const stats: FuzzStats = { seed: opts.seed, targets: 0, iterations: 0, perTarget: {}, failures: [] };
  let ti = 0;
  for (const target of targets) {
    ti++;
    if (opts.only && !opts.only.test(target.name)) continue;
    stats.targets++;
    const st = { runs: 0, ok: 0, typedErrors: 0, maxMs: 0 };
    stats.perTarget[target.name] = st;
    // per-target seed: adding a target does not change the inputs of the others
    const inputs = fc.sample(inputArb(target), { seed: (opts.seed ^ hashName(target.name)) | 0, numRuns: opts.runs });
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      const start = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const r = (target.call as (x: unknown) => unknown)(input);
        if (r instanceof Promise) {
          await Promise.race([
            r,
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new HangError()), timeoutMs);
            }),
          ]);
        }
        st.ok++;
      } catch (e) {
        if (e instanceof HangError) {
          stats.failures.push({ target: target.name, index: i, kind: 'hang', error: `no answer within ${timeoutMs} ms`, input: describeInput(input) });
        } else if (sdk.isSessionSdkError(e)) {
          st.typedErrors++;
        } else {
          stats.failures.push({ target: target.name, index: i, kind: 'crash', error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), input: describeInput(input) });
        }
      } finally {
        if (timer) clearTimeout(timer);
      }
      const ms = performance.now() - start;
      if (ms > st.maxMs) st.maxMs = ms;
      if (ms > timeoutMs && !stats.failures.some((f) => f.target === target.name && f.index === i)) {
        stats.failures.push({ target: target.name, index: i, kind: 'hang', error: `took ${ms.toFixed(0)} ms`, input: describeInput(input) });
      }
      st.runs++;
      stats.iterations++;
    }
    opts.log?.(`[${ti}/${targets.length}] ${target.name}: ${st.runs} runs, ${st.ok} ok, ${st.typedErrors} SessionSdkError, max ${st.maxMs.toFixed(1)} ms`);
  }
  return stats;
}

class HangError extends Error {}

function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Exports that decode or decrypt untrusted input but are fuzzed through another target, or take no
 * untrusted bytes (with the reason). The fuzz test checks that every decoder-like export is either
 * a target, covered by one, or listed here.
 */
export const NOT_FUZZED: Record<string, string> = {
  resolveConfigMessages: 'takes parsed ConfigMessage objects; fuzzed through the *.merge targets',
  restoreUserConfigs: 'drives syncConfig over a swarm; its byte input goes through unwrapUserConfig and merge',
};

/** Decoder-like export names: the fuzz test asserts each is a target, covered, or in NOT_FUZZED. */
export const DECODER_EXPORT_RE = /^(parse|decode|decrypt|unpad|load|read|open|unwrap|import|verify)|^(mnemonicDecode|bip39Decode|zstdDecompressBounded|swarmBase64ToBytes|sessionMessageVersion|classifyOnionLayer|hopDecrypt|configDecrypt|sessionIdToPublicKey|sessionIdMatchesBlindedId)$/;
