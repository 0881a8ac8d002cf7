// Storage RPC signing (spec/onion.md §8): signature-string vectors (desktop test keys), message
// hashes (derived + upstream regression), request builders, namespace/TTL rules, server clock,
// libsodium verification, negative and property tests.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';
import { fromBase64, toBase64 } from '../../src/onion/base64.js';
import { encodeSnodeRequest } from '../../src/onion/onion-request.js';
import {
  assertStorageTtl,
  buildBatchRequest,
  buildDeleteAllRequest,
  buildDeleteBeforeRequest,
  buildDeleteRequest,
  buildExpireAllRequest,
  buildExpireRequest,
  buildGetExpiriesRequest,
  buildRetrieveRequest,
  buildRevokeSubaccountRequest,
  buildStoreRequest,
  decodeStorageData,
  isPublicInboxNamespace,
  isPublicOutboxNamespace,
  maxTtlForNamespace,
  parseRetrieveResponse,
  parseStoreResponse,
  retrieveRequiresSignature,
  ServerClock,
  signStorageRequest,
  storageMessageHash,
  storageSignatureMessage,
  STORAGE_MAX_TTL_PRIVATE_MS,
  STORAGE_MAX_TTL_PUBLIC_MS,
  type StorageAuth,
  type StorageSignatureRequest,
} from '../../src/onion/storage.js';
import { loadSodium } from '../helpers/sodium.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('onion/storage-signatures.json');
const vec = (id: string) => V.vectors.find((v: { id: string }) => v.id === id);
const USER = V.keys.user;
const GROUP = V.keys.group;
const userAuth: StorageAuth = { pubkey: USER.derived_session_id, ed25519SecretKey: hex(USER.ed25519_secret_key_64_hex) };
const groupAuth: StorageAuth = { pubkey: GROUP.group_pubkey_03, ed25519SecretKey: hex(GROUP.ed25519_secret_key_64_hex) };
const enc = new TextEncoder();

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSessionSdkError(e), String(e)).toBe(true);
    expect((e as SessionSdkError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

/** The vector case as our request shape. */
function requestOf(c: any): StorageSignatureRequest {
  switch (c.method) {
    case 'retrieve':
      return { method: 'retrieve', namespace: c.namespace, timestamp: c.timestamp_ms };
    case 'store':
      return { method: 'store', namespace: c.namespace, timestamp: c.sig_timestamp_ms ?? c.timestamp_ms };
    case 'delete':
      return { method: 'delete', messages: c.messages };
    case 'delete_all':
      return { method: 'delete_all', namespace: c.namespace, timestamp: c.timestamp_ms };
    case 'delete_before':
      return { method: 'delete_before', namespace: c.namespace, before: c.before_ms };
    case 'expire_all':
      return { method: 'expire_all', namespace: c.namespace, expiry: c.expiry_ms };
    case 'expire':
      return { method: 'expire', mode: c.shorten_or_extend || undefined, expiry: c.expiry_ms, messages: c.messages };
    case 'get_expiries':
      return { method: 'get_expiries', timestamp: c.timestamp_ms, messages: c.messages };
    default:
      throw new Error(c.method);
  }
}

describeEachProvider('storage signatures (vectors)', () => {
  const cases = vec('storage-rpc-signatures').cases;
  it(`builds the signed string and signature of all ${cases.length} cases`, async () => {
    for (const c of cases) {
      const req = requestOf(c);
      const msg = storageSignatureMessage(req);
      expect(toHex(msg), c.id).toBe(c.message_hex);
      const keys = c.signer === 'user' ? USER : GROUP;
      const sig = await signStorageRequest(hex(keys.ed25519_secret_key_64_hex), req);
      expect(toHex(sig), c.id).toBe(c.expected_signature.hex);
      expect(toBase64(sig)).toBe(c.expected_signature.base64);
      expect(toHex(await signStorageRequest(hex(keys.ed25519_seed_hex), req))).toBe(c.expected_signature.hex);
    }
  });

  it('builders carry the vector signatures and the right auth fields', async () => {
    const r = await buildRetrieveRequest({ auth: userAuth, namespace: 0, timestamp: 1700000000000 });
    expect(r.method).toBe('retrieve');
    expect(r.params).toEqual({
      namespace: 0,
      timestamp: 1700000000000,
      pubkey: USER.derived_session_id,
      pubkey_ed25519: USER.ed25519_pubkey_hex,
      signature: cases.find((c: any) => c.id === 'user-retrieve-ns0').expected_signature.base64,
    });
    const s = await buildStoreRequest({ auth: groupAuth, namespace: 13, data: enc.encode('x'), ttlMs: 86_400_000, timestamp: 1234 });
    expect(s.params.signature).toBe(cases.find((c: any) => c.id === 'desktop-test-group-store-ClosedGroupInfo').expected_signature.base64);
    expect(s.params.pubkey_ed25519).toBeUndefined();
    expect(s.params).toMatchObject({ pubkey: GROUP.group_pubkey_03, namespace: 13, timestamp: 1234, sig_timestamp: 1234, ttl: 86_400_000, data: 'eA==' });
    const d = await buildDeleteRequest({ auth: groupAuth, messages: ['hash4321', 'hash4221'] });
    expect(d.params.signature).toBe(cases.find((c: any) => c.id === 'desktop-test-group-delete').expected_signature.base64);
    const da = await buildDeleteAllRequest({ auth: userAuth, namespace: 'all', timestamp: 1700000000000 });
    expect(da.params.signature).toBe(cases.find((c: any) => c.id === 'user-delete_all-all').expected_signature.base64);
    const db = await buildDeleteBeforeRequest({ auth: userAuth, namespace: 5, beforeMs: 1700000000000 });
    expect(db.params.signature).toBe(cases.find((c: any) => c.id === 'user-delete_before-ns5').expected_signature.base64);
    const clock = new ServerClock({ now: () => 1700000000000 });
    const ex = await buildExpireRequest({ auth: userAuth, messages: ['AbCdEf12345hashOne'], expiryMs: 1700003600000, mode: 'shorten', clock });
    expect(ex.params).toMatchObject({ shorten: true, expiry: 1700003600000, signature: cases.find((c: any) => c.id === 'user-expire-shorten').expected_signature.base64 });
    const ea = await buildExpireAllRequest({ auth: userAuth, namespace: 'all', expiryMs: 1700086400000, clock });
    expect(ea.params.signature).toBe(cases.find((c: any) => c.id === 'user-expire_all-all').expected_signature.base64);
    const ge = await buildGetExpiriesRequest({ auth: userAuth, messages: ['AbCdEf12345hashOne', 'XyZ9876hashTwo'], timestamp: 1700000000000 });
    expect(ge.params.signature).toBe(cases.find((c: any) => c.id === 'user-get_expiries').expected_signature.base64);
    // and the JSON body the snode receives
    expect(new TextDecoder().decode(encodeSnodeRequest(r.method, r.params))).toBe(
      `{"method":"retrieve","params":{"namespace":0,"pubkey":"${USER.derived_session_id}","pubkey_ed25519":"${USER.ed25519_pubkey_hex}","signature":"${r.params.signature}","timestamp":1700000000000}}`,
    );
  });
});

describe('storage signatures verify under libsodium', () => {
  let sodium: Awaited<ReturnType<typeof loadSodium>>;
  beforeAll(async () => {
    sodium = await loadSodium();
  });

  it('revoke/unrevoke, subaccount and custom signers', async () => {
    const token = new Uint8Array(36).fill(7);
    const rv = await buildRevokeSubaccountRequest({ auth: groupAuth, tokens: [token, token], timestamp: 1700000000000 });
    expect(rv.method).toBe('revoke_subaccount');
    expect(rv.params.revoke).toEqual([toBase64(token), toBase64(token)]);
    const msg = new Uint8Array([...enc.encode('revoke_subaccount1700000000000'), ...token, ...token]);
    expect(sodium.crypto_sign_verify_detached(fromBase64(rv.params.signature as string), msg, hex(GROUP.group_pubkey_03.slice(2)))).toBe(true);
    const un = await buildRevokeSubaccountRequest({ auth: groupAuth, tokens: [token], unrevoke: true, timestamp: 5 });
    expect(un.method).toBe('unrevoke_subaccount');
    expect(un.params.unrevoke).toEqual([toBase64(token)]);

    const seen: string[] = [];
    const sub = await buildRetrieveRequest({
      auth: { pubkey: GROUP.group_pubkey_03, sign: (m) => (seen.push(new TextDecoder().decode(m)), { signature: new Uint8Array(64).fill(1), subaccount: token, subaccountSig: new Uint8Array(64).fill(2) }) },
      namespace: 11,
      timestamp: 1234,
    });
    expect(seen).toEqual(['retrieve111234']);
    expect(sub.params).toMatchObject({ subaccount: toBase64(token), subaccount_sig: toBase64(new Uint8Array(64).fill(2)), signature: toBase64(new Uint8Array(64).fill(1)) });

    const custom = await buildRetrieveRequest({
      auth: { pubkey: USER.derived_session_id, ed25519PublicKey: hex(USER.ed25519_pubkey_hex), sign: (m) => ({ signature: sodium.crypto_sign_detached(m, hex(USER.ed25519_secret_key_64_hex)) }) },
      namespace: 2,
      timestamp: 1700000000000,
    });
    expect(custom.params.signature).toBe(vec('storage-rpc-signatures').cases.find((c: any) => c.id === 'user-retrieve-ns2').expected_signature.base64);
  });

  it('property: signatures over random fields verify with crypto_sign_verify_detached', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -32768, max: 32767 }), fc.nat({ max: 2 ** 45 }), async (ns, ts) => {
        const r = await buildRetrieveRequest({ auth: userAuth, namespace: ns, timestamp: ts });
        const msg = enc.encode(`retrieve${ns === 0 ? '' : ns}${ts}`);
        return sodium.crypto_sign_verify_detached(fromBase64(r.params.signature as string), msg, hex(USER.ed25519_pubkey_hex));
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});

describe('message hashes', () => {
  it('match the derived and upstream cases', () => {
    const all = [...vec('message-hash').cases, ...vec('message-hash-upstream').cases];
    expect(all.length).toBe(5);
    for (const c of all) {
      const data = c.data_hex ? hex(c.data_hex) : fromBase64(c.data_base64);
      expect(storageMessageHash(c.pubkey_hex, c.namespace, data)).toBe(c.expected_hash);
      expect(storageMessageHash(c.pubkey_hex.toUpperCase(), c.namespace, data)).toBe(c.expected_hash);
    }
  });
  it('rejects bad input', async () => {
    await expectCode(() => storageMessageHash('05', 0, new Uint8Array()), 'INVALID_INPUT');
    await expectCode(() => storageMessageHash(USER.derived_session_id, 40000, new Uint8Array()), 'INVALID_INPUT');
    await expectCode(() => storageMessageHash(USER.derived_session_id, 0, 'x' as unknown as Uint8Array), 'INVALID_INPUT');
  });
});

describe('namespace and TTL rules', () => {
  it('classifies namespaces', () => {
    expect([0, 10, -30].map(isPublicInboxNamespace)).toEqual([true, true, true]);
    expect([1, 11, -11].map(isPublicInboxNamespace)).toEqual([false, false, false]);
    expect([-1, -21, -41].map(isPublicOutboxNamespace)).toEqual([true, true, true]);
    expect([-11, -20, 1, 21].map(isPublicOutboxNamespace)).toEqual([false, false, false, false]);
    expect([-10, -1, -21].map(retrieveRequiresSignature)).toEqual([false, false, false]);
    expect([0, 2, -11, 11].map(retrieveRequiresSignature)).toEqual([true, true, true, true]);
    expect(maxTtlForNamespace(0)).toBe(STORAGE_MAX_TTL_PUBLIC_MS);
    expect(maxTtlForNamespace(3)).toBe(STORAGE_MAX_TTL_PRIVATE_MS);
  });
  it('enforces TTL bounds 10 s – 14 d public / 30 d private', async () => {
    assertStorageTtl(0, 10_000);
    assertStorageTtl(0, STORAGE_MAX_TTL_PUBLIC_MS);
    assertStorageTtl(3, STORAGE_MAX_TTL_PRIVATE_MS);
    for (const [ns, ttl] of [[0, 9_999], [0, STORAGE_MAX_TTL_PUBLIC_MS + 1], [3, STORAGE_MAX_TTL_PRIVATE_MS + 1], [3, 1.5], [0, NaN]] as const) {
      await expectCode(() => assertStorageTtl(ns, ttl), 'INVALID_INPUT');
    }
    await expectCode(() => isPublicInboxNamespace(32768), 'INVALID_INPUT');
    await expectCode(() => isPublicInboxNamespace(1.5), 'INVALID_INPUT');
  });
});

describe('request builder negatives', () => {
  it('rejects bad requests with typed errors', async () => {
    const data = enc.encode('m');
    await expectCode(buildStoreRequest({ namespace: 3, pubkey: USER.derived_session_id, data, ttlMs: 60_000 }), 'INVALID_INPUT');
    await expectCode(buildStoreRequest({ namespace: 0, pubkey: USER.derived_session_id, data, ttlMs: 5_000 }), 'INVALID_INPUT');
    await expectCode(buildStoreRequest({ namespace: 0, pubkey: USER.derived_session_id, data, ttlMs: 60_000, expiryMs: 1 }), 'INVALID_INPUT');
    await expectCode(buildStoreRequest({ namespace: 0, pubkey: USER.derived_session_id, data: new Uint8Array(76_801), ttlMs: 60_000 }), 'TOO_LARGE');
    await expectCode(buildStoreRequest({ namespace: 0, pubkey: '05ab', data, ttlMs: 60_000 }), 'INVALID_INPUT');
    await expectCode(buildStoreRequest({ namespace: 0, pubkey: USER.derived_session_id, data, expiryMs: 1_005_000, messageTimestamp: 1_000_000 }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ pubkey: USER.derived_session_id, namespace: 0 }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: userAuth, namespace: 0, maxCount: 0 }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: userAuth, namespace: 0, lastHash: 'has space' }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: userAuth, timestamp: -1 }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: { pubkey: USER.derived_session_id, ed25519SecretKey: hex(GROUP.ed25519_secret_key_64_hex) } }), 'INVALID_KEY');
    await expectCode(buildRetrieveRequest({ auth: { pubkey: GROUP.group_pubkey_03, ed25519SecretKey: hex(USER.ed25519_secret_key_64_hex) } }), 'INVALID_KEY');
    await expectCode(buildRetrieveRequest({ auth: { ...userAuth, ed25519SecretKey: new Uint8Array(31) } }), 'INVALID_KEY');
    await expectCode(buildRetrieveRequest({ auth: { pubkey: USER.derived_session_id } }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: { pubkey: USER.derived_session_id, sign: () => ({ signature: new Uint8Array(64) }) } }), 'INVALID_INPUT');
    await expectCode(buildRetrieveRequest({ auth: { pubkey: GROUP.group_pubkey_03, sign: () => ({ signature: new Uint8Array(63) }) } }), 'BAD_SIGNATURE');
    await expectCode(buildDeleteRequest({ auth: userAuth, messages: [] }), 'INVALID_INPUT');
    await expectCode(buildDeleteRequest({ auth: userAuth, messages: ['a,b'] }), 'INVALID_INPUT');
    await expectCode(buildDeleteAllRequest({ auth: userAuth, namespace: 'some' as 'all' }), 'INVALID_INPUT');
    await expectCode(buildExpireRequest({ auth: userAuth, messages: ['h'], expiryMs: Date.now() + STORAGE_MAX_TTL_PRIVATE_MS + 120_000 }), 'INVALID_INPUT');
    await expectCode(buildExpireRequest({ auth: userAuth, messages: ['h'], expiryMs: Date.now(), mode: 'longer' as 'extend' }), 'INVALID_INPUT');
    await expectCode(buildRevokeSubaccountRequest({ auth: groupAuth, tokens: [new Uint8Array(35)] }), 'INVALID_LENGTH');
    await expectCode(buildRevokeSubaccountRequest({ auth: groupAuth, tokens: [] }), 'INVALID_INPUT');
    await expectCode(() => buildBatchRequest([]), 'INVALID_INPUT');
    await expectCode(() => storageSignatureMessage({ method: 'nope' } as unknown as StorageSignatureRequest), 'INVALID_INPUT');
    await expectCode(() => storageSignatureMessage({ method: 'store', namespace: 'all' as unknown as number, timestamp: 1 }), 'INVALID_INPUT');
    await expectCode(signStorageRequest(new Uint8Array(10), { method: 'delete', messages: ['x'] }), 'INVALID_KEY');
  });

  it('public namespaces need no auth; legacy -10 retrieves unsigned; batch wraps requests', async () => {
    const s = await buildStoreRequest({ pubkey: USER.derived_session_id.toUpperCase(), namespace: 0, data: enc.encode('hi'), expiryMs: 1_000_000 + 86_400_000, messageTimestamp: 1_000_000 });
    expect(s.params).toEqual({ pubkey: USER.derived_session_id, namespace: 0, timestamp: 1_000_000, expiry: 87_400_000, data: 'aGk=' });
    const r = await buildRetrieveRequest({ pubkey: USER.derived_session_id, namespace: -10, lastHash: 'abc', maxSize: -5, timestamp: 7 });
    expect(r.params).toEqual({ pubkey: USER.derived_session_id, namespace: -10, timestamp: 7, last_hash: 'abc', max_size: -5 });
    const b = buildBatchRequest([r, s]);
    expect(b).toEqual({ method: 'batch', params: { requests: [r, s] } });
  });
});

describe('ServerClock', () => {
  it('learns the median offset and judges freshness within ±60 s', () => {
    let local = 1_000_000;
    const clock = new ServerClock({ now: () => local, maxSamples: 3 });
    expect(clock.offsetMs).toBe(0);
    expect(clock.now()).toBe(1_000_000);
    clock.observe(1_090_000); // server 90 s ahead
    expect(clock.now()).toBe(1_090_000);
    clock.observe(1_000_000 + 10_000_000); // one liar
    clock.observe(1_080_000);
    expect(clock.offsetMs).toBe(90_000);
    expect(clock.isFresh(local + 90_000 + 59_000)).toBe(true);
    expect(clock.isFresh(local)).toBe(false);
    local += 5_000;
    expect(clock.now()).toBe(1_095_000);
    expect(clock.observeResponse({ t: 2_000_000 }, 1_000_000)).toBe(true);
    expect(clock.observeResponse({ timestamp: 2_000_000 }, 1_000_000)).toBe(true);
    expect(clock.offsetMs).toBe(1_000_000);
    expect(clock.observeResponse({ x: 1 })).toBe(false);
    expect(clock.observeResponse('t')).toBe(false);
    clock.reset();
    expect(clock.offsetMs).toBe(0);
    expect(() => clock.observe(-5)).toThrow(SessionSdkError);
    expect(() => new ServerClock({ maxSamples: 0 })).toThrow(SessionSdkError);
  });

  it('builders sign with the server-corrected time', async () => {
    const clock = new ServerClock({ now: () => 1_700_000_000_000 - 120_000 });
    clock.observe(1_700_000_000_000);
    const r = await buildRetrieveRequest({ auth: userAuth, namespace: 0, clock });
    expect(r.params.timestamp).toBe(1_700_000_000_000);
    expect(r.params.signature).toBe(vec('storage-rpc-signatures').cases.find((c: any) => c.id === 'user-retrieve-ns0').expected_signature.base64);
  });
});

describe('storage decoders: properties', () => {
  it('decodeStorageData round-trips and random strings only throw SessionSdkError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 40 }), (bytes, s) => {
        if (toHex(decodeStorageData(toBase64(bytes))) !== toHex(bytes)) return false;
        if (toHex(decodeStorageData(toBase64(bytes, false))) !== toHex(bytes)) return false;
        try {
          const out = decodeStorageData(s);
          return toBase64(out, false) === s.replace(/=+$/, '');
        } catch (e) {
          return e instanceof SessionSdkError;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('property: storageSignatureMessage equals the documented concatenation', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -32768, max: 32767 }), fc.constant('all' as const)), fc.nat({ max: 2 ** 50 }), (ns, t) => {
        const want = `delete_all${ns === 0 ? '' : ns}${t}`;
        return new TextDecoder().decode(storageSignatureMessage({ method: 'delete_all', namespace: ns, timestamp: t })) === want;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('storage replies', () => {
  it('parseRetrieveResponse decodes messages and server time', () => {
    const body = JSON.stringify({ messages: [{ hash: 'SHaqXsf8cGV+vsWe016ggL0T35hT41UW6XRMvC3U9Wg', timestamp: 5, expiry: 10, data: 'aGk=' }], more: true, t: 1700000000000, hf: [19, 3] });
    const r = parseRetrieveResponse(body);
    expect(r.more).toBe(true);
    expect(r.serverTimeMs).toBe(1700000000000);
    expect(r.messages).toEqual([{ hash: 'SHaqXsf8cGV+vsWe016ggL0T35hT41UW6XRMvC3U9Wg', timestampMs: 5, expiryMs: 10, data: enc.encode('hi') }]);
    expect(parseRetrieveResponse({ messages: [] })).toEqual({ messages: [], more: false, serverTimeMs: undefined });
    for (const bad of ['', '[]', '{}', '{"messages":[1]}', '{"messages":[{"hash":"a b","timestamp":1,"expiry":1,"data":""}]}', '{"messages":[{"hash":"a","timestamp":-1,"expiry":1,"data":""}]}', '{"messages":[{"hash":"a","timestamp":1,"expiry":1,"data":"!"}]}']) {
      expect(() => parseRetrieveResponse(bad)).toThrow(SessionSdkError);
    }
  });

  it('parseStoreResponse verifies each member signature over the hash', async () => {
    const sodium = await loadSodium();
    const hash = storageMessageHash(USER.derived_session_id, 0, enc.encode('hello world'));
    const a = sodium.crypto_sign_keypair();
    const b = sodium.crypto_sign_keypair();
    const c = sodium.crypto_sign_keypair();
    const swarm = {
      [toHex(a.publicKey)]: { hash, signature: toBase64(sodium.crypto_sign_detached(enc.encode(hash), a.privateKey)) },
      [toHex(b.publicKey)]: { hash, signature: toBase64(sodium.crypto_sign_detached(enc.encode('other'), b.privateKey)) },
      [toHex(c.publicKey)]: { failed: true, code: 500 },
    };
    const r = await parseStoreResponse(JSON.stringify({ hash, swarm }), hash);
    expect(r.hash).toBe(hash);
    expect(r.stored).toBe(1);
    expect(r.members.map((m) => [m.node, m.ok, m.signatureValid])).toEqual([
      [toHex(a.publicKey), true, true],
      [toHex(b.publicKey), false, false],
      [toHex(c.publicKey), false, undefined],
    ]);
    expect((await parseStoreResponse({ swarm }, 'somethingElse')).stored).toBe(0);
    for (const bad of ['{}', '{"swarm":[]}', '{"swarm":{"zz":{}}}', JSON.stringify({ swarm: { [toHex(a.publicKey)]: 5 } })]) {
      await expectCode(parseStoreResponse(bad), 'INVALID_ENCODING');
    }
  });

  it('property: random and mutated replies only throw SessionSdkError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string({ maxLength: 60 }), fc.anything()), async (x) => {
        for (const f of [() => parseRetrieveResponse(x), () => parseStoreResponse(x)]) {
          try {
            await f();
          } catch (e) {
            if (!(e instanceof SessionSdkError)) return false;
          }
        }
        return true;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
