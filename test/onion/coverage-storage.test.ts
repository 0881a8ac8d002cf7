// Storage RPC builders and the server clock (spec/onion.md §8): input validation with its error
// codes, key-consistency checks of the auth, option defaults, and reply parsing edge cases.
import { describe, expect, it } from 'vitest';
import {
  buildDeleteAllRequest,
  buildDeleteBeforeRequest,
  buildDeleteRequest,
  buildExpireAllRequest,
  buildExpireRequest,
  buildRetrieveRequest,
  buildStoreRequest,
  parseRetrieveResponse,
  ServerClock,
  storageSignatureMessage,
  type StorageAuth,
  type StorageSignatureRequest,
} from '../../src/onion/storage.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { ed25519VerifySync } from '../../src/crypto/noble.js';
import { fromBase64 } from '../../src/onion/base64.js';
import { fromUtf8, toHex } from '../../src/util/bytes.js';

const code = (c: string) => expect.objectContaining({ code: c });
const alice = identityFromSeed(new Uint8Array(32).fill(7));
const bob = identityFromSeed(new Uint8Array(32).fill(9));
const T = 1_700_000_000_000;

describe('storageSignatureMessage', () => {
  it('rejects a non-object and unknown expire modes; an omitted mode signs no mode text', () => {
    expect(() => storageSignatureMessage(null as unknown as StorageSignatureRequest)).toThrow(code('INVALID_INPUT'));
    expect(() => storageSignatureMessage({ method: 'expire', mode: 'forever' as 'extend', expiry: T, messages: ['abc'] })).toThrow(code('INVALID_INPUT'));
    expect(fromUtf8(storageSignatureMessage({ method: 'expire', expiry: T, messages: ['abc', 'def'] }))).toBe(`expire${T}abcdef`);
    expect(fromUtf8(storageSignatureMessage({ method: 'expire', mode: 'extend', expiry: T, messages: ['abc'] }))).toBe(`expireextend${T}abc`);
  });
});

describe('ServerClock', () => {
  it('validates local time and takes the median of an even number of samples (rounded mean of the middle two)', () => {
    const c = new ServerClock({ now: () => 0 });
    expect(() => c.observe(1000, Number.NaN)).toThrow(code('INVALID_INPUT'));
    expect(() => c.observe(1000, '5' as unknown as number)).toThrow(code('INVALID_INPUT'));
    c.observe(1000, 0); // offset +1000
    c.observe(2001, 0); // offset +2001
    expect(c.offsetMs).toBe(1501); // round(1500.5)
    c.observe(5000, 0);
    expect(c.offsetMs).toBe(2001);
  });

  it('keeps only the last maxSamples offsets', () => {
    const c = new ServerClock({ maxSamples: 1 });
    c.observe(1000, 0);
    c.observe(9000, 0);
    expect(c.offsetMs).toBe(9000);
    expect(() => new ServerClock({ maxSamples: 0 })).toThrow(code('INVALID_INPUT'));
  });
});

describe('auth parameters', () => {
  it('rejects a missing auth object, and a custom signer returning no object', async () => {
    await expect(buildDeleteRequest({ auth: null as unknown as StorageAuth, messages: ['abc'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const badSigner: StorageAuth = { pubkey: alice.sessionId, ed25519PublicKey: alice.ed25519PublicKey, sign: () => null as never };
    await expect(buildDeleteRequest({ auth: badSigner, messages: ['abc'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('checks a given ed25519PublicKey against the secret key (seed or 64-byte form)', async () => {
    await expect(buildDeleteRequest({ auth: { pubkey: alice.sessionId, ed25519SecretKey: alice.ed25519SecretKey, ed25519PublicKey: bob.ed25519PublicKey }, messages: ['abc'] })).rejects.toMatchObject({ code: 'INVALID_KEY' });
    await expect(buildDeleteRequest({ auth: { pubkey: alice.sessionId, ed25519SecretKey: alice.seed, ed25519PublicKey: bob.ed25519PublicKey }, messages: ['abc'] })).rejects.toMatchObject({ code: 'INVALID_KEY' });
    // The 32-byte seed form derives the same public key and signature target.
    const r = await buildDeleteRequest({ auth: { pubkey: alice.sessionId, ed25519SecretKey: alice.seed, ed25519PublicKey: alice.ed25519PublicKey }, messages: ['abc'], required: true });
    expect(r.params).toMatchObject({ messages: ['abc'], required: true, pubkey: alice.sessionId, pubkey_ed25519: toHex(alice.ed25519PublicKey) });
    expect(ed25519VerifySync(fromBase64(r.params.signature as string), new TextEncoder().encode('deleteabc'), alice.ed25519PublicKey)).toBe(true);
    const plain = await buildDeleteRequest({ auth: { pubkey: alice.sessionId, ed25519SecretKey: alice.seed }, messages: ['abc'] });
    expect(plain.params.required).toBeUndefined();
  });
});

describe('builders: defaults and validation', () => {
  const auth: StorageAuth = { pubkey: alice.sessionId, ed25519SecretKey: alice.ed25519SecretKey };

  it('namespace defaults to 0 for delete_all, delete_before and expire_all', async () => {
    const da = await buildDeleteAllRequest({ auth, timestamp: T });
    expect(da.params).toMatchObject({ namespace: 0, timestamp: T });
    const db = await buildDeleteBeforeRequest({ auth, beforeMs: T });
    expect(db.params).toMatchObject({ namespace: 0, before: T });
    const ea = await buildExpireAllRequest({ auth, expiryMs: Date.now() + 3_600_000 });
    expect(ea.params).toMatchObject({ namespace: 0 });
    // The signed text carries the namespace only when it is not 0 (spec/onion.md §8.2).
    expect(ed25519VerifySync(fromBase64(da.params.signature as string), new TextEncoder().encode(`delete_all${T}`), alice.ed25519PublicKey)).toBe(true);
  });

  it('expire: an extend request says so in params; an unknown mode is rejected', async () => {
    const expiryMs = Date.now() + 3_600_000;
    const r = await buildExpireRequest({ auth, messages: ['abc'], expiryMs, mode: 'extend' });
    expect(r.params).toMatchObject({ extend: true, expiry: expiryMs });
    expect(r.params.shorten).toBeUndefined();
    await expect(buildExpireRequest({ auth, messages: ['abc'], expiryMs, mode: 'later' as 'extend' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('retrieve: maxSize must be a non-zero integer (negative means a fraction of the maximum)', async () => {
    await expect(buildRetrieveRequest({ auth, timestamp: T, maxSize: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(buildRetrieveRequest({ auth, timestamp: T, maxSize: 1.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const r = await buildRetrieveRequest({ auth, timestamp: T, maxSize: -5 });
    expect(r.params.max_size).toBe(-5);
  });

  it('store to a public inbox uses the account of the auth when no pubkey is given', async () => {
    const r = await buildStoreRequest({ auth, namespace: 0, data: new Uint8Array([1]), ttlMs: 60_000, timestamp: T });
    expect(r.params).toMatchObject({ pubkey: alice.sessionId, namespace: 0, ttl: 60_000 });
    expect(r.params.signature).toBeUndefined(); // public inbox stores are unsigned
    await expect(buildStoreRequest({ namespace: 0, data: new Uint8Array([1]), ttlMs: 60_000, timestamp: T })).rejects.toMatchObject({ code: 'INVALID_INPUT' }); // no account at all
  });
});

describe('parseRetrieveResponse', () => {
  it('rejects a message whose data is not a string, and reads more/t', () => {
    const m = { hash: 'abc', timestamp: T, expiry: T + 1 };
    expect(() => parseRetrieveResponse({ messages: [{ ...m, data: 5 }] })).toThrow(code('INVALID_ENCODING'));
    const r = parseRetrieveResponse({ messages: [{ ...m, data: 'AQI=' }], more: true, t: T });
    expect(r).toEqual({ messages: [{ hash: 'abc', timestampMs: T, expiryMs: T + 1, data: new Uint8Array([1, 2]) }], more: true, serverTimeMs: T });
  });
});
