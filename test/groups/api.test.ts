// API-level behaviour and negatives for the groups exports not covered by the vector files:
// multi-encrypt inputs, signableDict, subaccount misuse, admin-signed control strings, the kicked
// notice and the removal plan.
import { describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { verifyEd25519 } from '../../src/identity/verify.js';
import {
  createGroupKeys,
  decryptForMultiple,
  encryptForMultiple,
  encryptForMultipleSimple,
  groupAdminSignedData,
  groupPromotionSeed,
  makeKickedNotice,
  makeSubaccount,
  planMemberRemoval,
  signAsGroupAdmin,
  signableDict,
  subaccountSign,
  subaccountToken,
  verifyGroupAdminSignature,
  verifySubaccount,
  verifySubaccountAuth,
  groupStorageAuth,
} from '../../src/groups/index.js';
import { buildRetrieveRequest, buildStoreRequest, storageSignatureMessage } from '../../src/onion/storage.js';

const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(21));
const adminId = identityFromSeed(new Uint8Array(32).fill(22));
const bob = identityFromSeed(new Uint8Array(32).fill(23));
const admin = () => createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
const member = () => createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
const code = (...c: string[]) => (e: unknown) => isSessionSdkError(e, ...(c as never[]));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('multi-encrypt inputs', () => {
  const x = new Uint8Array(32).fill(1);
  it('rejects mismatched message counts, bad sizes and small-order recipients', async () => {
    await expect(encryptForMultiple([utf8('a'), utf8('b')], [bob.x25519PublicKey], new Uint8Array(24), x, x, 'd')).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(encryptForMultiple([utf8('a')], [bob.x25519PublicKey], new Uint8Array(23), x, x, 'd')).rejects.toSatisfy(code('INVALID_LENGTH'));
    await expect(encryptForMultiple([utf8('a')], [new Uint8Array(31)], new Uint8Array(24), x, x, 'd')).rejects.toSatisfy(code('INVALID_LENGTH'));
    await expect(encryptForMultiple([utf8('a')], [new Uint8Array(32)], new Uint8Array(24), x, x, 'd')).rejects.toSatisfy(code('SMALL_ORDER_KEY'));
    // ignoreInvalid skips such a recipient (as group keys do) and keeps the others in order
    const out = await encryptForMultiple([utf8('a')], [new Uint8Array(32), bob.x25519PublicKey], new Uint8Array(24), x, x, 'd', { ignoreInvalid: true });
    expect(out.length).toBe(1);
    await expect(decryptForMultiple([], new Uint8Array(24), x, x, new Uint8Array(32), 'd')).rejects.toSatisfy(code('SMALL_ORDER_KEY'));
    await expect(encryptForMultipleSimple([utf8('a')], [bob.x25519PublicKey], adminId.ed25519SecretKey, 'd', { pad: -1 })).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(encryptForMultipleSimple([utf8('a')], [bob.x25519PublicKey], new Uint8Array(33), 'd')).rejects.toSatisfy(code('INVALID_LENGTH'));
  });

  it('a random nonce by default (two encryptions differ)', async () => {
    const a = await encryptForMultipleSimple([utf8('a')], [bob.x25519PublicKey], adminId.ed25519SecretKey, 'd');
    const b = await encryptForMultipleSimple([utf8('a')], [bob.x25519PublicKey], adminId.ed25519SecretKey, 'd');
    expect(a).not.toEqual(b);
  });
});

describe('signableDict', () => {
  it('signs the prefix and appends ~ last', () => {
    const { toSign, finish } = signableDict({ b: 1, a: 'x' });
    expect(new TextDecoder().decode(toSign)).toBe('d1:a1:x1:bi1e');
    const msg = finish(new Uint8Array(64).fill(0x41));
    expect(new TextDecoder().decode(msg)).toBe(`d1:a1:x1:bi1e1:~64:${'A'.repeat(64)}e`);
    expect(() => signableDict({ '~': 1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => finish(new Uint8Array(63))).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
  });
});

describe('subaccounts: misuse', () => {
  it('typed errors and false verdicts', async () => {
    await expect(makeSubaccount(member(), bob.sessionId)).rejects.toSatisfy(code('NOT_ADMIN'));
    await expect(makeSubaccount(admin(), '05' + 'zz'.repeat(32))).rejects.toSatisfy(code('INVALID_SESSION_ID'));
    await expect(makeSubaccount(admin(), '03' + bob.sessionId.slice(2))).rejects.toSatisfy(code('INVALID_SESSION_ID', 'INVALID_PREFIX'));
    expect(() => subaccountToken(member(), bob.sessionId)).toThrow(expect.objectContaining({ code: 'NOT_ADMIN' }));
    expect(() => subaccountSign(member(), utf8('x'), new Uint8Array(99))).toThrow(expect.objectContaining({ code: 'INVALID_LENGTH' }));
    expect(await verifySubaccount(member(), new Uint8Array(99))).toBe(false);
    // upper-case IDs are accepted and give the same value
    expect(await makeSubaccount(admin(), bob.sessionId.toUpperCase())).toEqual(await makeSubaccount(admin(), bob.sessionId));
    // delete permission when asked for
    const sv = await makeSubaccount(admin(), bob.sessionId, false, true);
    expect(sv[1]).toBe(0b0101);
    expect(await verifySubaccount(member(), sv, false, true)).toBe(true);
    expect(await verifySubaccount(member(), sv, true)).toBe(false);
  });
});

describe('admin-signed control data (spec/groups.md §2.9)', () => {
  it('exact strings, signature by the group key, verification', async () => {
    const ts = 1700000000123;
    expect(new TextDecoder().decode(groupAdminSignedData.invite(bob.sessionId.toUpperCase(), ts))).toBe(`INVITE${bob.sessionId}${ts}`);
    expect(new TextDecoder().decode(groupAdminSignedData.infoChange(2, ts))).toBe(`INFO_CHANGE2${ts}`);
    expect(new TextDecoder().decode(groupAdminSignedData.memberChange(1, ts))).toBe(`MEMBER_CHANGE1${ts}`);
    expect(new TextDecoder().decode(groupAdminSignedData.deleteContent(ts, [bob.sessionId, adminId.sessionId], ['h1', 'h2']))).toBe(
      `DELETE_CONTENT${ts}${bob.sessionId}${adminId.sessionId}h1h2`,
    );
    const data = groupAdminSignedData.invite(bob.sessionId, ts);
    const sig = await signAsGroupAdmin(admin(), data);
    expect(verifyEd25519(sig, data, g.publicKey)).toBe(true);
    expect(await verifyGroupAdminSignature(g.publicKey, data, sig)).toBe(true);
    expect(await verifyGroupAdminSignature(g.publicKey, groupAdminSignedData.invite(bob.sessionId, ts + 1), sig)).toBe(false);
    expect(await verifyGroupAdminSignature(g.publicKey, data, sig.subarray(1))).toBe(false);
    await expect(signAsGroupAdmin(member(), data)).rejects.toSatisfy(code('NOT_ADMIN'));
    expect(() => groupAdminSignedData.invite('05nothex', ts)).toThrow(expect.objectContaining({ code: 'INVALID_SESSION_ID' }));
    expect(() => groupAdminSignedData.infoChange(1, -5)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('promotion: the seed makes a member an admin of this group only', () => {
    const seed = groupPromotionSeed(admin());
    expect(seed.length).toBe(32);
    const m = member();
    m.loadAdminKey(seed);
    expect(m.isAdmin).toBe(true);
    const other = createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: ed25519KeyPairFromSeed(new Uint8Array(32).fill(5)).publicKey });
    expect(() => other.loadAdminKey(seed)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => groupPromotionSeed(member())).toThrow(expect.objectContaining({ code: 'NOT_ADMIN' }));
  });
});

describe('kicked notice and removal plan: negatives', () => {
  it('typed errors', async () => {
    await expect(makeKickedNotice(member(), [bob.sessionId], 1)).rejects.toSatisfy(code('NOT_ADMIN'));
    await expect(makeKickedNotice(admin(), [], 1)).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(makeKickedNotice(admin(), [bob.sessionId], -1)).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(planMemberRemoval(member(), [], [bob.sessionId])).rejects.toSatisfy(code('NOT_ADMIN'));
    await expect(planMemberRemoval(admin(), [adminId.sessionId], [])).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(planMemberRemoval(admin(), [adminId.sessionId, bob.sessionId], [bob.sessionId.toUpperCase()])).rejects.toSatisfy(code('INVALID_INPUT'));
    await expect(planMemberRemoval(admin(), [adminId.sessionId], ['05zz'])).rejects.toSatisfy(code('INVALID_SESSION_ID'));
  });

  it('the revoke request is signed by the group over "revoke_subaccount" ‖ timestamp ‖ tokens', async () => {
    const a = admin();
    const plan = await planMemberRemoval(a, [adminId.sessionId], [bob.sessionId], { timestampMs: 1700000000000 });
    expect(plan.configsIncluded).toBe(false);
    const token = subaccountToken(a, bob.sessionId);
    expect(plan.revoke.method).toBe('revoke_subaccount');
    expect(plan.revoke.params.pubkey).toBe(a.groupId);
    expect(plan.revoke.params.timestamp).toBe(1700000000000);
    expect(plan.revoke.params.revoke).toEqual([Buffer.from(token).toString('base64')]);
    const signed = new Uint8Array([...utf8('revoke_subaccount1700000000000'), ...token]);
    expect(verifyEd25519(Uint8Array.from(Buffer.from(plan.revoke.params.signature as string, 'base64')), signed, g.publicKey)).toBe(true);
    expect(plan.pushes.map((p) => p.kind)).toEqual(['keys', 'kicked']);
  });
});

describe('groupStorageAuth', () => {
  const b64 = (s: unknown) => Uint8Array.from(Buffer.from(s as string, 'base64'));
  it('members sign retrieve/store as their subaccount; a verifier accepts it; admins sign with the group key', async () => {
    const authData = await makeSubaccount(admin(), bob.sessionId);
    const m = member();
    const req = await buildRetrieveRequest({ auth: groupStorageAuth(m, authData), namespace: 12, timestamp: 1700000000000 });
    expect(req.params.pubkey).toBe(m.groupId);
    const auth = { subaccount: b64(req.params.subaccount), subaccountSig: b64(req.params.subaccount_sig), signature: b64(req.params.signature) };
    const msg = storageSignatureMessage({ method: 'retrieve', namespace: 12, timestamp: 1700000000000 });
    expect(await verifySubaccountAuth(g.publicKey, msg, auth)).toBe(true);
    const st = await buildStoreRequest({ auth: groupStorageAuth(m, authData), namespace: 11, data: utf8('x'), ttlMs: 86_400_000, timestamp: 1700000000000 });
    const stAuth = { subaccount: b64(st.params.subaccount), subaccountSig: b64(st.params.subaccount_sig), signature: b64(st.params.signature) };
    expect(await verifySubaccountAuth(g.publicKey, storageSignatureMessage({ method: 'store', namespace: 11, timestamp: st.params.sig_timestamp as number ?? 1700000000000 }), stAuth, { write: true })).toBe(true);

    const ar = await buildRetrieveRequest({ auth: groupStorageAuth(admin()), namespace: 12, timestamp: 1700000000000 });
    expect(ar.params.subaccount).toBeUndefined();
    expect(verifyEd25519(b64(ar.params.signature), msg, g.publicKey)).toBe(true);
    expect(() => groupStorageAuth(member())).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
