// verifySubaccountAuth as a swarm would run it (spec/groups.md §2.9): a well-formed member auth
// verifies; each malformed part, a missing permission, a foreign prefix or a changed message is
// rejected with `false`, never an exception.
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { isSessionSdkError } from '../../src/errors.js';
import { createGroupKeys, makeSubaccount, subaccountSign, SUBACCOUNT_FLAGS, verifySubaccount, verifySubaccountAuth, type SubaccountAuth } from '../../src/groups/index.js';
import { identityFromSeed } from '../../src/identity/keys.js';

const g = ed25519KeyPairFromSeed(new Uint8Array(32).fill(91));
const adminId = identityFromSeed(new Uint8Array(32).fill(92));
const bob = identityFromSeed(new Uint8Array(32).fill(93));
const admin = () => createGroupKeys({ userEd25519SecretKey: adminId.ed25519SecretKey, groupEd25519PublicKey: g.publicKey, groupEd25519SecretKey: g.secretKey });
const bobKeys = () => createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: g.publicKey });
const msg = new TextEncoder().encode('retrieve111700000000000');

let readOnly: SubaccountAuth;
let readWrite: SubaccountAuth;
beforeAll(async () => {
  readOnly = subaccountSign(bobKeys(), msg, await makeSubaccount(admin(), bob.sessionId, false, false));
  readWrite = subaccountSign(bobKeys(), msg, await makeSubaccount(admin(), bob.sessionId, true, false));
});

describe('verifySubaccountAuth', () => {
  it('accepts a genuine auth for the permissions its token grants, and nothing more', async () => {
    expect(readOnly.subaccount[1]).toBe(SUBACCOUNT_FLAGS.read);
    expect(await verifySubaccountAuth(g.publicKey, msg, readOnly)).toBe(true);
    expect(await verifySubaccountAuth(g.publicKey, msg, readOnly, { write: false, del: false })).toBe(true);
    expect(await verifySubaccountAuth(g.publicKey, msg, readOnly, { write: true })).toBe(false);
    expect(await verifySubaccountAuth(g.publicKey, msg, readWrite, { write: true })).toBe(true);
    expect(await verifySubaccountAuth(g.publicKey, msg, readWrite, { write: true, del: true })).toBe(false);
  });

  it('a changed message or another group key fails', async () => {
    expect(await verifySubaccountAuth(g.publicKey, Uint8Array.of(...msg, 0x30), readOnly)).toBe(false);
    expect(await verifySubaccountAuth(ed25519KeyPairFromSeed(new Uint8Array(32).fill(1)).publicKey, msg, readOnly)).toBe(false);
  });

  it('missing or wrong-sized parts are false, not an exception', async () => {
    const cases: unknown[] = [
      null,
      undefined,
      {},
      { ...readOnly, subaccount: readOnly.subaccount.subarray(0, 35) },
      { ...readOnly, subaccount: Array.from(readOnly.subaccount) },
      { ...readOnly, subaccountSig: readOnly.subaccountSig.subarray(1) },
      { ...readOnly, subaccountSig: 'sig' },
      { ...readOnly, signature: new Uint8Array(65) },
      { ...readOnly, signature: undefined },
    ];
    for (const auth of cases) expect(await verifySubaccountAuth(g.publicKey, msg, auth as SubaccountAuth)).toBe(false);
  });

  it('a token without the read bit, or with a non-03 prefix and no any-prefix bit, is refused', async () => {
    const noRead = readOnly.subaccount.slice();
    noRead[1] = SUBACCOUNT_FLAGS.write;
    expect(await verifySubaccountAuth(g.publicKey, msg, { ...readOnly, subaccount: noRead })).toBe(false);
    const prefix05 = readOnly.subaccount.slice();
    prefix05[0] = 0x05;
    expect(await verifySubaccountAuth(g.publicKey, msg, { ...readOnly, subaccount: prefix05 })).toBe(false);
    // With the any-prefix bit set the prefix check passes, but the admin signature covers the
    // whole token (prefix and flags), so the altered token still fails.
    const anyPrefix = readOnly.subaccount.slice();
    anyPrefix[0] = 0x05;
    anyPrefix[1] = readOnly.subaccount[1]! | SUBACCOUNT_FLAGS.anyPrefix;
    expect(await verifySubaccountAuth(g.publicKey, msg, { ...readOnly, subaccount: anyPrefix })).toBe(false);
  });

  it('still type-checks the group key and message (typed errors for caller bugs)', async () => {
    await expect(verifySubaccountAuth(g.publicKey.subarray(1), msg, readOnly)).rejects.toMatchObject({ code: 'INVALID_LENGTH' });
    await expect(verifySubaccountAuth(g.publicKey, 'msg' as never, readOnly)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('subaccount inputs', () => {
  it('a non-string member id is a typed error from makeSubaccount', async () => {
    const e = await makeSubaccount(admin(), 42 as never).catch((x: unknown) => x);
    expect(isSessionSdkError(e)).toBe(true);
  });

  it('verifySubaccount refuses a value whose flags lack the requested permission', async () => {
    const sv = await makeSubaccount(admin(), bob.sessionId, true, false);
    expect(await verifySubaccount(bobKeys(), sv, true, false)).toBe(true);
    expect(await verifySubaccount(bobKeys(), sv, true, true)).toBe(false);
  });
});
